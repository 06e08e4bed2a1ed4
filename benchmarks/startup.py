"""Start-up of the app against a bare Textual app, its memory, and filtering and sorting the list."""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from benchmarks.common import (
    MEMORY_BUDGET_MIB,
    ROOT,
    TODAY,
    USER,
    Figure,
    Sizes,
    compiled,
    peak_rss_mib,
    settings_for,
    timer,
    wall_seconds,
)
from benchmarks.storegen import store_of

if TYPE_CHECKING:
    from benchmarks.common import Dirs


def bare_rows(db: Path) -> list[list[str]]:
    """The request list's cells as plain strings, for the bare reference app."""
    from oso_tui import services
    from oso_tui.cli.common import mask_pgn
    from oso_tui.store import Store

    return [
        [
            "",
            r.status,
            r.naam,
            r.geboortedatum.isoformat(),
            mask_pgn(r.pgn),
            r.school,
            r.laatste_dossierdatum.isoformat() if r.laatste_dossierdatum else "",
            "".join(stap[0].upper() for stap in r.stappen),
        ]
        for r in services.list_requests(services.Context(Store.open(db), settings_for(db), USER))
    ]


def bench_startup(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    """Process start to the painted request list, against the bare app showing the same rows."""
    compiled()
    figures = []
    for n in sizes.stores:
        db = store_of(n, dirs).db
        rows = dirs.work / f"rijen-{n}.json"
        rows.write_text(json.dumps(bare_rows(db)), encoding="utf-8")
        env = {**os.environ, "OSO_TUI_TODAY": TODAY.isoformat(), "TERM": "xterm-256color"}
        product = [sys.executable, "-m", "oso_tui", "--startuptime", "--db", str(db)]
        bare = [sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), str(rows)]
        runs = [(wall_seconds(product, env), wall_seconds(bare, env)) for _ in range(sizes.repeats + 2)]
        value = min(p for p, _ in runs)  # interleaved, so a busy moment hits both alike
        reference = min(b for _, b in runs)
        target = 1.3 if n == sizes.judged_store else None
        figures.append(
            Figure(f"opstarten, {n} aanvragen", value, reference, "s", target, "tegen kale Textual-app")
        )
    db = store_of(sizes.judged_store, dirs).db
    env = {**os.environ, "OSO_TUI_TODAY": TODAY.isoformat()}
    peak, _ = peak_rss_mib(["--startuptime", "--db", str(db)], env)
    figures.append(
        Figure(
            f"geheugen app, {sizes.judged_store} leerlingen",
            peak,
            MEMORY_BUDGET_MIB,
            "MiB",
            1.0,
            "piek tegen het budget",
        )
    )
    return figures


KEYSTROKES = ("slash", "a", "n", "backspace", "backspace", "enter", "o", "o", "o")


async def keystroke_seconds(app: App[None], ready: Callable[[], bool]) -> list[float]:
    """Per keystroke: from the press until the app is idle again (the table rebuilt and repainted)."""
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not ready():
            await pilot.pause(0.05)
        await pilot.pause()
        for key in KEYSTROKES:
            with timer() as elapsed:
                await pilot.press(key)
                await pilot.pause()
            times.append(elapsed())
    return times


def bench_filter(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    import asyncio

    from benchmarks.bare_table import BareTable
    from oso_tui.app import OsoApp
    from oso_tui.screens.aanvragen import RequestListScreen
    from oso_tui.screens.backend import ServiceBackend
    from oso_tui.store import Store

    n = max(sizes.stores)
    db = store_of(n, dirs).db
    product = OsoApp(ServiceBackend(Store.open(db), settings_for(db), USER), blink=False, poll_seconds=None)

    def loaded() -> bool:
        screen = product.screen
        return isinstance(screen, RequestListScreen) and screen.loaded

    value = statistics.median(asyncio.run(keystroke_seconds(product, loaded)))
    bare = BareTable(bare_rows(db))
    reference = statistics.median(asyncio.run(keystroke_seconds(bare, lambda: bare.is_running)))
    return [
        Figure(
            f"filteren en sorteren, {n} rijen",
            value,
            reference,
            "s",
            2.0,
            "per toets, mediaan; tegen kale DataTable (eigen doel)",
        )
    ]
