"""What every benchmark group shares: the figure (a row of the table), the sizes, timing and child runs."""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oso_tui.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
STORES = RESULTS / "stores"
"""Built benchmark stores, kept between runs (keyed by size and code version)."""
TODAY = date(2027, 5, 31)
"""After the May versions of the generated dossiers, before the summer expiry."""
MEMORY_BUDGET_MIB = 120.0
SESSION_BUDGET_MIB = 250.0
USER = "bench"


@dataclass
class Figure:
    """One row of the table: `value` against `reference`, judged by `ratio` <= `target`.

    A row with an absolute goal (milliseconds of an interaction) has the goal as its reference and
    target 1. `spread` is the (min, max) of the runs behind a median.
    """

    name: str
    value: float
    reference: float
    unit: str
    target: float | None
    note: str = ""
    spread: tuple[float, float] | None = None

    @property
    def ratio(self) -> float:
        return self.value / self.reference if self.reference else float("inf")

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        return "ok" if self.ratio <= self.target else "TE TRAAG" if self.unit in ("s", "ms") else "TE VEEL"


@dataclass(frozen=True)
class Sizes:
    fetch: int
    fetch_growth: int
    stores: tuple[int, ...]
    judged_store: int
    fresh: int
    repeats: int
    rows: tuple[int, int]
    audit: int = 200_000
    pupils: tuple[int, ...] = (1000, 5000, 20_000)
    """Store sizes of the interaction, CLI and session-memory rows."""
    runs: int = 5
    """Runs per interaction and CLI row (the median and the spread are reported)."""
    session: int = 20
    """Rounds of the long interaction sequence before the session's memory is read."""


FULL = Sizes(
    fetch=1000,
    fetch_growth=10_000,
    stores=(500, 5000, 20_000),
    judged_store=5000,
    fresh=9,
    repeats=3,
    rows=(1000, 20_000),
)
QUICK = Sizes(
    fetch=200,
    fetch_growth=1000,
    stores=(1000,),
    judged_store=1000,
    fresh=3,
    repeats=1,
    rows=(200, 2000),
    audit=20_000,
    pupils=(1000,),
    runs=3,
    session=1,
)
"""`--snel`: a few minutes once the 1,000-pupil store is cached; the verdicts are indicative only."""
SMALL = Sizes(
    fetch=50,
    fetch_growth=100,
    stores=(50,),
    judged_store=50,
    fresh=3,
    repeats=1,
    rows=(50, 1000),
    audit=2500,
    pupils=(30,),
    runs=1,
    session=0,
)


def settings_for(db: Path, today: date = TODAY) -> Settings:
    from oso_tui.settings import Settings

    return Settings(db_path=db, config_path=db.parent / "geen-config.toml", fixed_today=today)


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def median_ms(seconds: Sequence[float]) -> tuple[float, tuple[float, float]]:
    """The median and the (min, max) of some runs, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return statistics.median(ms), (min(ms), max(ms))


def goal_figure(name: str, seconds: Sequence[float], goal_ms: float, note: str = "") -> Figure:
    """A row judged against an absolute goal: the median of the runs at most `goal_ms`."""
    value, spread = median_ms(seconds)
    return Figure(name, value, goal_ms, "ms", 1.0, note or "mediaan tegen het doel", spread)


def wall_seconds(argv: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} faalde: {proc.stderr[-2000:]}")
    return elapsed


_MEASURED = """
import atexit, runpy, sys

def _report() -> None:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                print("VmHWM", line.split()[1], file=sys.stderr)

atexit.register(_report)
sys.argv = ["oso-tui", *sys.argv[1:]]
runpy.run_module("oso_tui", run_name="__main__")
"""


def peak_rss_mib(args: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Run `oso-tui ARGS` in a child: (its peak resident MiB, wall seconds).

    The child reads its own high-water mark (VmHWM) at exit: the rusage of a forked child also counts
    the parent's pages it started from, which would charge the benchmark's own memory to the product.
    """
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    marks = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("VmHWM ")]
    if proc.returncode != 0 or not marks:
        raise SystemExit(f"oso-tui {' '.join(args)} faalde: {proc.stderr[-2000:]}")
    return int(marks[-1]) / 1024, wall


def high_water_mib() -> float:
    """This process's peak resident size so far (VmHWM), in MiB."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True)
class Dirs:
    """Where a run works: `work` is its own temporary folder, `cache` keeps built stores between runs."""

    work: Path
    cache: Path


def compiled() -> None:
    """Byte-compile the package first, as an installation does: with PYTHONDONTWRITEBYTECODE set (common in
    containers) every timed process would otherwise compile every module it imports."""
    compileall.compile_dir(ROOT / "oso_tui", quiet=1, workers=1)
