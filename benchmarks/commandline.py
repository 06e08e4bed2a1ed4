"""The command line at each store size: every run a fresh `oso-tui` process, timed from start to exit.

`request` asks for a new pupil each run; `register` registers the personalia of a fetched pupil and an
untimed `undo` puts it back before the next run; `status` and `show` only read. `--help` and
`--version` do not open the store and are measured once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import TODAY, Figure, Sizes, compiled, goal_figure, wall_seconds
from benchmarks.generate import bsn_from
from benchmarks.storegen import store_of

if TYPE_CHECKING:
    from benchmarks.common import Dirs

GOAL_COMMAND_MS = 300.0
GOAL_HELP_MS = 100.0
CLI = (sys.executable, "-m", "oso_tui")


def environment(db: Path) -> dict[str, str]:
    """The store, the date and an empty configuration, not that of the user running the benchmark."""
    config = db.parent / "bench-config.toml"
    config.touch()
    return {
        **os.environ,
        "OSO_TUI_DB": str(db),
        "OSO_TUI_TODAY": TODAY.isoformat(),
        "OSO_TUI_CONFIG": str(config),
    }


def new_pgns(count: int) -> list[str]:
    """Valid BSNs no benchmark store holds (generated ones start 2-9 at random, copies 8 or 9 with zeros)."""
    pgns: list[str] = []
    number = 0
    while len(pgns) < count:
        pgn = bsn_from(f"1{number:07d}")
        number += 1
        if pgn is not None:
            pgns.append(pgn)
    return pgns


def run_times(
    argv: Sequence[str], env: dict[str, str], runs: int, between: Sequence[str] = ()
) -> list[float]:
    """`runs` timed runs of `argv`; `between` (untimed) after each, to undo what the run changed."""
    times = []
    for _ in range(runs):
        times.append(wall_seconds([*CLI, *argv], env))
        if between:
            wall_seconds([*CLI, *between], env)
    return times


def bench_cli(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    compiled()
    rows: dict[str, dict[int, list[float]]] = {}
    env: dict[str, str] = {}
    for n in sizes.pupils:
        store = store_of(n, dirs)
        env = environment(store.db)
        fresh, registered = store.fresh[-2], store.registered[0]
        print(f"... opdrachtregel, {n} leerlingen", file=sys.stderr, flush=True)
        os.sync()  # what earlier groups and the store's copy wrote goes to disk now, not in a timed fsync
        requests = [
            [
                "request",
                "--pgn",
                pgn,
                "--geboortedatum",
                "01-01-2015",
                "--brin",
                "99XX",
                "--achternaam",
                "Test",
            ]
            for pgn in new_pgns(sizes.runs)
        ]
        rows.setdefault("request", {})[n] = [wall_seconds([*CLI, *argv], env) for argv in requests]
        rows.setdefault("register", {})[n] = run_times(
            ["register", "--pgn", fresh, "--stap", "personalia", "--accepteer-waarschuwingen"],
            env,
            sizes.runs,
            between=["undo", "--pgn", fresh, "--stap", "personalia"],
        )
        rows.setdefault("status", {})[n] = run_times(["status"], env, sizes.runs)
        rows.setdefault("show", {})[n] = run_times(["show", "--pgn", registered], env, sizes.runs)
    figures = [
        goal_figure(
            f"oso-tui {command}, {n} leerlingen", times, GOAL_COMMAND_MS, "mediaan van aparte processen"
        )
        for command, per_size in rows.items()
        for n, times in per_size.items()
    ]
    for flag in ("--help", "--version"):
        times = run_times([flag], env, sizes.runs)
        figures.append(goal_figure(f"oso-tui {flag}", times, GOAL_HELP_MS, "mediaan van aparte processen"))
    return figures
