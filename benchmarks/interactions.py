"""Interactions measured from the keyboard with Textual's Pilot, and the memory of an app session.

Each size runs in a child process (`python -m benchmarks.interactions`), so the session's memory is
its own and the benchmark's heap does not slow the app's garbage collector. The child opens the real
app on a copy of the benchmark store and times each key from the press until the screen has settled:
every worker finished, every message handled, the expected screen in front with its data loaded, and
painted. It prints the times per interaction and its peak resident size after start-up and after a
long sequence of rounds of all interactions.

The keys are the app's own (`/` and digits to find a pupil, enter, `l`, `m`, `t`, `u` then `j`, `o`,
escape), and a screen counts as loaded by a public attribute that is None or False until its data came
(`loaded`, `detail`, `view`); a screen without that attribute counts as loaded once its workers are done,
so the measurement keeps working when the screens are rebuilt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import (
    SESSION_BUDGET_MIB,
    TODAY,
    USER,
    Figure,
    Sizes,
    goal_figure,
    high_water_mib,
    median_ms,
    settings_for,
)
from benchmarks.storegen import store_of

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from benchmarks.common import Dirs

GOALS_MS: dict[str, float] = {
    "cursor in de lijst": 100,
    "stappenkiezer openen": 100,
    "verschil openen": 100,
    "leerling openen": 100,
    "modus wisselen": 100,
    "scherm sluiten": 100,
    "stap toepassen": 300,
    "ongedaan maken": 300,
    "lijst sorteren": 150,
    "filterteken": 150,
}
GROWTH = ("stap toepassen", "ongedaan maken")
"""Rows that must also stay within 1.5x of their time at the smallest size."""
SETTLE_LIMIT = 600.0


class UnsettledError(Exception):
    """The app did not reach the expected state: the interaction failed rather than took long."""


async def settle(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Until every worker has finished, every message is handled and `done()` holds; then paint.

    Pilot's own `press` and `pause` wait for the process to look idle in steps of 20 ms (at least three
    per key), which would put a floor of some 60 ms under every figure; this waits for the work itself:
    the message queues of the app and the screen drained (Pilot's `_wait_for_screen`), the workers done,
    and finally the screen's pending updates painted.
    """
    app = pilot.app
    start = time.perf_counter()
    while True:
        await pilot._wait_for_screen()
        busy = [w for w in app.workers if w.group != "_loader" and w.is_running]
        if busy:
            # An exclusive worker is cancelled by its successor: wait for each, whatever its end.
            await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)
            continue
        await asyncio.sleep(0)
        if done() and not any(w.group != "_loader" and not w.is_finished for w in app.workers):
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
            break
        if time.perf_counter() - start > SETTLE_LIMIT:
            raise UnsettledError(f"na {SETTLE_LIMIT:g} s staat {type(app.screen).__name__} voor")
        await asyncio.sleep(0.001)
    errors = [n.message for n in getattr(app, "_notifications", ()) if n.severity == "error"]
    if errors:
        raise UnsettledError(f"foutmelding in de app: {errors[-1]}")


def send_key(app: App[None], key: str) -> None:
    """Hand one key to the app's driver, as a terminal would (what Pilot's `press` does first)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    driver = app._driver
    if driver is None:
        raise UnsettledError("de app draait niet")
    driver.send_message(event)


class Session:
    """One app session on one store: keys in, times out."""

    def __init__(self, app: App[None], pilot: Pilot[None]) -> None:
        from oso_tui.screens.aanvragen import RequestListScreen
        from oso_tui.screens.diff import DiffScreen
        from oso_tui.screens.leerling import PupilScreen
        from oso_tui.screens.modals import ConfirmModal
        from oso_tui.screens.stappen import StepPickerScreen

        self.app, self.pilot = app, pilot
        self.times: dict[str, list[float]] = defaultdict(list)
        self.list = self.showing(RequestListScreen, "loaded")
        self.picker = self.showing(StepPickerScreen, "detail")
        self.diff = self.showing(DiffScreen, "view")
        self.pupil = self.showing(PupilScreen, "view")
        self.confirm = self.showing(ConfirmModal)

    def showing(self, screen: type, loaded: str = "") -> Callable[[], bool]:
        """Whether this screen is in front with its data (`loaded`: an attribute that is None or False
        until the screen's worker delivered; a screen without it counts as loaded)."""

        def done() -> bool:
            front = self.app.screen
            return isinstance(front, screen) and (
                not loaded or getattr(front, loaded, True) not in (None, False)
            )

        return done

    async def key(self, key: str, done: Callable[[], bool], row: str | None = None) -> None:
        """Press `key` and wait until settled; with `row`, the time counts for that interaction."""
        start = time.perf_counter()
        send_key(self.app, key)
        await settle(self.pilot, done)
        if row is not None:
            self.times[row].append(time.perf_counter() - start)

    async def find(self, pgn: str) -> None:
        """Filter the list to this pupil (each typed digit timed) and put the cursor on the row."""
        await self.key("escape", self.list)
        await self.key("slash", self.list)
        for digit in pgn:
            await self.key(digit, self.list, "filterteken")
        await self.key("enter", self.list)

    def mode(self) -> str:
        view = getattr(self.app.screen, "view", None)
        return str(getattr(view, "mode", ""))

    def toggled(self, before: str) -> Callable[[], bool]:
        return lambda: self.diff() and self.mode() != before

    async def round(self, registered: str, fresh: str, runs: int) -> None:
        """Every interaction `runs` times: list, step picker, diff, mode, pupil view, apply and undo."""
        for _ in range(runs):
            await self.key("down", self.list, "cursor in de lijst")
        for _ in range(runs):
            await self.key("o", self.list, "lijst sorteren")
        await self.find(registered)
        for _ in range(runs):
            await self.key("enter", self.picker, "stappenkiezer openen")
            await self.key("escape", self.list, "scherm sluiten")
        await self.key("enter", self.picker)
        for _ in range(runs):
            await self.key("l", self.pupil, "leerling openen")
            await self.key("escape", self.picker, "scherm sluiten")
        for _ in range(runs):
            await self.key("enter", self.diff, "verschil openen")
            await self.key("m", self.toggled(self.mode()), "modus wisselen")
            await self.key("escape", self.picker, "scherm sluiten")
        await self.key("escape", self.list)
        await self.find(fresh)
        await self.key("enter", self.picker)
        for _ in range(runs):
            await self.key("enter", self.diff, "verschil openen")
            await self.key("w", self.diff)
            await self.key("t", self.picker, "stap toepassen")
            await self.key("u", self.confirm)
            await self.key("j", self.picker, "ongedaan maken")
        await self.key("escape", self.list)


async def session(db: Path, registered: str, fresh: str, runs: int, rounds: int) -> dict[str, object]:
    from oso_tui.app import OsoApp
    from oso_tui.screens.backend import ServiceBackend
    from oso_tui.store import Store

    app = OsoApp(ServiceBackend(Store.open(db), settings_for(db), USER), blink=False, poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        it = Session(app, pilot)
        with_start = time.perf_counter()
        await settle(pilot, it.list)
        start_seconds = time.perf_counter() - with_start
        start_mib = high_water_mib()
        await it.round(registered, fresh, runs)
        floor = []
        for _ in range(runs):
            with_floor = time.perf_counter()
            await settle(pilot, it.list)
            floor.append(time.perf_counter() - with_floor)
        measured = {row: list(times) for row, times in it.times.items()}
        measured["meetvloer"] = floor
        for _ in range(rounds):
            await it.round(registered, fresh, 1)
        return {
            "tijden": measured,
            "opstarten": start_seconds,
            "geheugen_start": start_mib,
            "geheugen_eind": high_water_mib(),
            "rondes": rounds,
        }


def run_child(db: Path, registered: str, fresh: str, runs: int, rounds: int) -> dict[str, object]:
    """The session of one store in a fresh interpreter; its JSON report."""
    argv = [sys.executable, "-m", "benchmarks.interactions", str(db), registered, fresh]
    argv += ["--runs", str(runs), "--rondes", str(rounds)]
    env = {**os.environ, "OSO_TUI_TODAY": TODAY.isoformat(), "TZ": "Europe/Amsterdam"}
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"de interactiemeting op {db} faalde: {proc.stderr[-3000:]}")
    result: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return result


def bench_interactions(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    """Each interaction at each size against its goal; apply and undo also against the smallest size."""
    reports: dict[int, dict[str, object]] = {}
    for n in sizes.pupils:
        store = store_of(n, dirs)
        print(f"... interacties, {n} leerlingen", file=sys.stderr, flush=True)
        reports[n] = run_child(store.db, store.registered[-1], store.fresh[-1], sizes.runs, sizes.session)
    return interaction_figures(reports)


def interaction_figures(reports: dict[int, dict[str, object]]) -> list[Figure]:
    figures = []
    smallest = min(reports)
    times = {n: dict(r["tijden"]) for n, r in reports.items()}  # type: ignore[call-overload]
    for row, goal in GOALS_MS.items():
        for n in sorted(reports):
            figures.append(goal_figure(f"{row}, {n} leerlingen", times[n][row], goal))
        for n in sorted(reports):
            if row in GROWTH and n != smallest:
                value, spread = median_ms(times[n][row])
                reference, _ = median_ms(times[smallest][row])
                note = f"tegen {smallest} leerlingen"
                figures.append(
                    Figure(f"{row}, {n} tegen {smallest}", value, reference, "ms", 1.5, note, spread)
                )
    for n in sorted(reports):
        value, spread = median_ms(times[n]["meetvloer"])
        note = "wachten zonder toets: wat de meting zelf kost"
        figures.append(Figure(f"meetvloer, {n} leerlingen", value, 100.0, "ms", None, note, spread))
    largest = max(reports)
    for key, label in (("geheugen_start", "na opstarten"), ("geheugen_eind", "na een lange reeks")):
        rounds = reports[largest]["rondes"]
        note = "piek tegen het budget" + (
            f" ({rounds} rondes van alle interacties)" if key == "geheugen_eind" else ""
        )
        figures.append(
            Figure(
                f"geheugen sessie {label}, {largest} leerlingen",
                float(reports[largest][key]),  # type: ignore[arg-type]
                SESSION_BUDGET_MIB,
                "MiB",
                1.0,
                note,
            )
        )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.interactions", description=__doc__.splitlines()[0]
    )
    parser.add_argument("db", type=Path)
    parser.add_argument("geregistreerd", help="PGN van een geregistreerde leerling")
    parser.add_argument("vers", help="PGN van een opgehaalde, niet geregistreerde leerling")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rondes", type=int, default=20)
    args = parser.parse_args(argv)
    report = asyncio.run(session(args.db, args.geregistreerd, args.vers, args.runs, args.rondes))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
