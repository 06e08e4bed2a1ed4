"""`make bench`: the performance budgets of the design brief, each as a ratio measured in one run.

Machines here are shared and noisy, so no figure is an absolute time: every product figure is set
against a reference that does the minimal work on the same data in the same run (bare lxml, a bare
store transaction, a bare Textual app), or against itself at another size (growth). Memory is the one
absolute budget, measured as the peak resident size of a child process.

    python -m benchmarks.run            # the full run (several minutes)
    python -m benchmarks.run --klein    # N=50 everywhere: seconds; the test suite runs this
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from benchmarks.generate import CSV_NAAM, generate
from oso_tui.registration.models import STAPPEN

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
OFFICIAL_XSD = ROOT.parent / "shared" / "oso-gegevensset-2019.1" / "OSO_gegevensset.xsd"
TODAY = date(2027, 5, 25)
MEMORY_BUDGET_MIB = 120.0
USER = "bench"

if TYPE_CHECKING:
    from oso_tui.settings import Settings
    from oso_tui.store import Transaction


@dataclass
class Figure:
    """One row of the table: `value` against `reference`, judged by `ratio` <= `target`."""

    name: str
    value: float
    reference: float
    unit: str
    target: float | None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.reference if self.reference else float("inf")

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        return "ok" if self.ratio <= self.target else "TE TRAAG" if self.unit == "s" else "TE VEEL"


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


FULL = Sizes(
    fetch=1000,
    fetch_growth=10_000,
    stores=(500, 5000, 20_000),
    judged_store=5000,
    fresh=9,
    repeats=3,
    rows=(1000, 20_000),
)
SMALL = Sizes(
    fetch=50, fetch_growth=100, stores=(50,), judged_store=50, fresh=3, repeats=1, rows=(50, 1000), audit=2500
)


def settings_for(db: Path) -> Settings:
    from oso_tui.settings import Settings

    return Settings(db_path=db, config_path=db.parent / "geen-config.toml", fixed_today=TODAY)


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


# 2. Collective fetch --------------------------------------------------------------------------------


def reference_parse_validate(files: Sequence[Path]) -> float:
    """lxml alone: parse and validate each file against the official schema (or only parse without it)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    schema = etree.XMLSchema(etree.parse(str(OFFICIAL_XSD))) if OFFICIAL_XSD.exists() else None
    with timer() as elapsed:
        for path in files:
            doc = etree.fromstring(path.read_bytes(), parser)
            if schema is not None:
                schema.validate(doc)
    return elapsed()


def product_fetch(source: Path, workdir: Path) -> float:
    """Request every pupil of the CSV collectively, then time one fetch of all their dossiers."""
    from oso_tui import services
    from oso_tui.exchange.folder import FolderExchange
    from oso_tui.store import Store

    inbox = workdir / "inbox"
    shutil.copytree(source, inbox)
    db = workdir / "db.json"
    settings = settings_for(db)
    store = Store.open(db)
    services.request_csv(services.Context(store, settings, USER), inbox / CSV_NAAM)
    (inbox / CSV_NAAM).unlink()
    os.sync()  # the copied inbox goes to disk now, not during the fetch that is timed
    with timer() as elapsed:
        report = services.fetch(services.Context(store, settings, USER), FolderExchange(inbox))
    fetched = sum(1 for r in report.regels if r.uitkomst == "opgehaald")
    if fetched != len(list(source.glob("*.xml"))):
        raise SystemExit(f"fetch haalde {fetched} van {len(list(source.glob('*.xml')))} dossiers op")
    return elapsed()


def bench_fetch(sizes: Sizes, work: Path) -> list[Figure]:
    small = work / "gen-small"
    generate(sizes.fetch, small, seed=11)
    files = sorted(small.glob("*.xml"))
    # Interleaved, so a busy moment of this shared machine hits the reference and the product alike.
    runs = [
        (reference_parse_validate(files), product_fetch(small, work / f"fetch-{i}"))
        for i in range(sizes.repeats + 2)
    ]
    reference = min(r for r, _ in runs)
    value = min(v for _, v in runs)
    large = work / "gen-large"
    # The same seed: the first dossiers of the large set are the small set, the rest drawn alike, so
    # growth compares more of the same dossiers rather than two samples of the generator's variety.
    generate(sizes.fetch_growth, large, seed=11)
    grown = min(product_fetch(large, work / f"fetch-large-{i}") for i in range(sizes.repeats))
    what = "lxml parse + XSD" if OFFICIAL_XSD.exists() else "lxml parse (geen XSD naast het project)"
    return [
        Figure(f"ophalen {sizes.fetch} dossiers", value, reference, "s", 5.0, f"tegen {what}"),
        Figure(
            f"ophalen {sizes.fetch_growth} tegen {sizes.fetch}",
            grown,
            value,
            "s",
            11.0 * sizes.fetch_growth / sizes.fetch / 10,
            "groei (lineair = aantal-verhouding)",
        ),
    ]


# 3. One registration step -------------------------------------------------------------------------


def build_store(n: int, fresh: int, work: Path) -> tuple[Path, list[str]]:
    """A store with `n` registered pupils and `fresh` fetched but unregistered ones (their PGNs).

    A few pupils go through the real services; the rest are copies of their records under new ids,
    written in one batch: registering 20,000 pupils one by one would take the benchmark hours.
    """
    from oso_tui import services
    from oso_tui.exchange.folder import FolderExchange
    from oso_tui.store import Store

    seeds = min(n, 20)
    source = work / f"gen-store-{n}"
    generate(seeds + fresh, source, seed=n)
    db = work / f"store-{n}" / "db.json"
    db.parent.mkdir(parents=True)
    settings = settings_for(db)
    store = Store.open(db)
    inbox = db.parent / "inbox"
    shutil.copytree(source, inbox)
    services.request_csv(services.Context(store, settings, USER), inbox / CSV_NAAM)
    (inbox / CSV_NAAM).unlink()
    services.fetch(services.Context(store, settings, USER), FolderExchange(inbox))
    pgns = [line.split(";")[0] for line in (source / CSV_NAAM).read_text("utf-8").splitlines()[1:]]
    for pgn in pgns[:seeds]:
        services.register(
            services.Context(store, settings, USER),
            pgn=pgn,
            stappen=STAPPEN,
            accepteer_waarschuwingen=True,
        )
    with store.transaction() as tx:
        copy_pupils(tx, pgns[:seeds], n - seeds)
    return db, pgns[seeds:]


_stores: dict[tuple[Path, int], tuple[Path, list[str]]] = {}


def store_of(n: int, sizes: Sizes, work: Path) -> tuple[Path, list[str]]:
    """The benchmark store with `n` pupils, built once per run and shared by the figures."""
    key = (work, n)
    if key not in _stores:
        _stores[key] = build_store(n, sizes.fresh * 3, work)
    return _stores[key]


def copy_pupils(tx: Transaction, templates: Sequence[str], count: int) -> None:
    """Add `count` pupils, each a copy of a registered template pupil with its own PGN and ids.

    Every reference is renamed with the copy (request, dossier version, history entries, the pupil's
    provenance), and documents go to the shard of the new PGN, as registration would put them.
    """
    from oso_tui.records.leerlingen import leerling_id
    from oso_tui.store.tables import (
        AANVRAGEN,
        DOSSIERS,
        HISTORIE,
        LEERLINGEN,
        LEERLINGOVERZICHT,
        all_shards,
        shard_of,
    )

    def by_pgn(*tables: str) -> dict[str, list[dict[str, object]]]:
        found: dict[str, list[dict[str, object]]] = {pgn: [] for pgn in templates}
        for table in tables:
            for doc in tx.table(table).all():
                if doc.get("pgn") in found:
                    found[str(doc["pgn"])].append(dict(doc))
        return found

    kinds = {
        LEERLINGEN: by_pgn(*all_shards(LEERLINGEN)),
        HISTORIE: by_pgn(*all_shards(HISTORIE)),
        LEERLINGOVERZICHT: by_pgn(LEERLINGOVERZICHT),
        AANVRAGEN: by_pgn(AANVRAGEN),
        DOSSIERS: by_pgn(DOSSIERS),
    }
    batches: dict[str, list[dict[str, object]]] = {}
    for i in range(count):
        template = templates[i % len(templates)]
        pgn = f"9{i:08d}"
        renames = {template: pgn, leerling_id(template): leerling_id(pgn)}
        for kind, docs in kinds.items():
            for k, doc in enumerate(docs[template]):
                renames[str(doc["id"])] = renames.get(str(doc["id"]), f"kopie-{kind}-{i}-{k}")
        for kind, docs in kinds.items():
            table = shard_of(kind, pgn) if kind in (LEERLINGEN, HISTORIE) else kind
            for doc in docs[template]:
                text = json.dumps(doc)
                for old, new in renames.items():
                    text = text.replace(f'"{old}"', f'"{new}"')
                batches.setdefault(table, []).append(json.loads(text))
    for table, batch in batches.items():
        tx.table(table).insert_multiple(batch)


def bench_register(sizes: Sizes, work: Path) -> list[Figure]:
    from oso_tui import services
    from oso_tui.store import Store

    figures = []
    for n in sizes.stores:
        db, fresh = store_of(n, sizes, work)
        store = Store.open(db)
        settings = settings_for(db)
        bare: list[float] = []
        for i in range(sizes.fresh * 2):
            with timer() as elapsed, store.transaction() as tx:
                tx.table("bench").upsert({"id": "ijk", "n": i}, cond=lambda d: d.get("id") == "ijk")
            bare.append(elapsed())
        reference = statistics.median(bare)
        for index, stap in enumerate(STAPPEN):
            times = []
            for pgn in fresh[index * sizes.fresh : (index + 1) * sizes.fresh]:
                with timer() as elapsed:
                    services.register(
                        services.Context(store, settings, USER),
                        pgn=pgn,
                        stappen=(stap,),
                        accepteer_waarschuwingen=True,
                    )
                times.append(elapsed())
            target = 2.0 if n == sizes.judged_store else None
            figures.append(
                Figure(
                    f"registreren {stap}, {n} leerlingen",
                    statistics.median(times),
                    reference,
                    "s",
                    target,
                    "tegen één kale transactie",
                )
            )
    return figures


# 3b. Registration time grows with the dossier, not faster ----------------------------------------------

CONTACT_ROW = (
    "<communicatie><soort>telefoon</soort><aanduiding>prive</aanduiding><nummer>0612345678</nummer>"
    "<geheim>false</geheim><noodnummer>false</noodnummer></communicatie>"
)


def long_dossier(rows: int, folder: Path) -> None:
    """One valid dossier (and its CSV) whose pupil has `rows` identical contact rows: one key, repeated."""
    generate(1, folder, seed=5)
    xml = next(folder.glob("*.xml"))
    text = xml.read_text("utf-8")
    end = text.index("</adreslijst>", text.index("<leerling>")) + len("</adreslijst>")
    contacts = f"<communicatielijst>{CONTACT_ROW * rows}</communicatielijst>"
    xml.write_text(text[:end] + contacts + text[end:], "utf-8")


def product_register_long(rows: int, workdir: Path) -> float:
    """Fetch the long dossier into a fresh store, then time registering its personalia."""
    from oso_tui import services
    from oso_tui.exchange.folder import FolderExchange
    from oso_tui.store import Store

    inbox = workdir / "inbox"
    long_dossier(rows, inbox)
    db = workdir / "db.json"
    settings = settings_for(db)
    store = Store.open(db)
    ctx = services.Context(store, settings, USER)
    services.request_csv(ctx, inbox / CSV_NAAM)
    (inbox / CSV_NAAM).unlink()
    report = services.fetch(ctx, FolderExchange(inbox))
    pgn = report.regels[0].pgn
    if report.regels[0].uitkomst != "opgehaald" or pgn is None:
        raise SystemExit(f"het dossier met {rows} rijen werd niet opgehaald: {report.regels[0].reden}")
    with timer() as elapsed:
        services.register(ctx, pgn=pgn, stappen=("personalia",), accepteer_waarschuwingen=True)
    return elapsed()


def bench_long_dossier(sizes: Sizes, work: Path) -> list[Figure]:
    short, long = sizes.rows
    runs = [
        (
            product_register_long(short, work / f"rijen-{short}-{i}"),
            product_register_long(long, work / f"rijen-{long}-{i}"),
        )
        for i in range(sizes.repeats + 2)
    ]
    return [
        Figure(
            f"registreren {long} tegen {short} herhaalde rijen",
            min(v for _, v in runs),
            min(r for r, _ in runs),
            "s",
            25.0 * long / short / 20,
            "groei (lineair = aantal-verhouding)",
        )
    ]


def bench_audit(sizes: Sizes, work: Path) -> list[Figure]:
    """One registration in a store with a long audit log against the same store without one.

    Two copies of one store, one given `sizes.audit` audit entries; the same fresh pupils are
    registered in both, turn and turn about, so the machine's mood hits both alike.
    """
    from oso_tui import services
    from oso_tui.store import Store
    from oso_tui.store.audit import AuditEntry, add_audit_entries

    n = sizes.judged_store
    db, fresh = build_store(n, sizes.fresh, work / "auditlog")
    long_db = db.parent.with_name("store-lang-auditlog") / db.name
    shutil.copytree(db.parent, long_db.parent)
    long_store = Store.open(long_db)
    start = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    for first in range(0, sizes.audit, 10_000):
        with long_store.transaction() as tx:
            add_audit_entries(
                tx,
                (
                    AuditEntry(
                        id=f"bench-{i:07d}",
                        wanneer=start + timedelta(seconds=i),
                        gebruiker=USER,
                        actie="bekijken-zorg",
                        pgn=fresh[i % len(fresh)],
                    )
                    for i in range(first, min(first + 10_000, sizes.audit))
                ),
            )
    times: dict[Path, list[float]] = {db: [], long_db: []}
    stores = {path: Store.open(path) for path in times}
    for pgn in fresh:
        for path, store in stores.items():
            with timer() as elapsed:
                services.register(
                    services.Context(store, settings_for(path), USER),
                    pgn=pgn,
                    stappen=("personalia",),
                    accepteer_waarschuwingen=True,
                )
            times[path].append(elapsed())
    return [
        Figure(
            f"auditlog {sizes.audit} regels: registreren personalia, {n} leerlingen",
            statistics.median(times[long_db]),
            statistics.median(times[db]),
            "s",
            1.3,
            "tegen dezelfde store zonder auditlog",
        )
    ]


# 1. Start-up and 4. memory of the app ---------------------------------------------------------------


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


def wall_seconds(argv: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} faalde: {proc.stderr[-2000:]}")
    return elapsed


def bench_startup(sizes: Sizes, work: Path) -> list[Figure]:
    """Process start to the painted request list, against the bare app showing the same rows."""
    figures = []
    for n in sizes.stores:
        db, _ = store_of(n, sizes, work)
        rows = work / f"rijen-{n}.json"
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
    db, _ = store_of(sizes.judged_store, sizes, work)
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


# 5. Filter and sort ------------------------------------------------------------------------------------

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


def bench_filter(sizes: Sizes, work: Path) -> list[Figure]:
    import asyncio

    from benchmarks.bare_table import BareTable
    from oso_tui.app import OsoApp
    from oso_tui.screens.aanvragen import RequestListScreen
    from oso_tui.screens.backend import ServiceBackend
    from oso_tui.store import Store

    n = max(sizes.stores)
    db, _ = store_of(n, sizes, work)
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


# 4. Peak memory --------------------------------------------------------------------------------------


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


def bench_fetch_memory(sizes: Sizes, work: Path) -> list[Figure]:
    source = work / "gen-large"
    inbox = work / "mem-inbox"
    shutil.copytree(source, inbox)
    db = work / "mem" / "db.json"
    db.parent.mkdir()
    env = {**os.environ, "OSO_TUI_DB": str(db), "OSO_TUI_TODAY": TODAY.isoformat()}
    cli = [sys.executable, "-m", "oso_tui"]
    subprocess.run(
        [*cli, "request", "--csv", str(inbox / CSV_NAAM)], env=env, check=True, capture_output=True
    )
    (inbox / CSV_NAAM).unlink()
    baseline, _ = peak_rss_mib(["--version"], env)
    peak, _ = peak_rss_mib(["fetch", "--inbox", str(inbox)], env)
    return [
        Figure(
            f"geheugen ophalen {sizes.fetch_growth} dossiers",
            peak,
            baseline,
            "MiB",
            None,
            "piek; referentie: oso-tui --version",
        )
    ]


# Report -----------------------------------------------------------------------------------------------


def render(figures: Sequence[Figure]) -> str:
    head = ("figuur", "waarde", "referentie", "verhouding", "doel", "oordeel")
    rows = [
        (
            f.name,
            f"{f.value:.4g} {f.unit}",
            f"{f.reference:.4g} {f.unit}",
            f"{f.ratio:.2f}x",
            f"<= {f.target:g}x" if f.target is not None else "-",
            f.verdict,
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


BENCHES: dict[str, Callable[[Sizes, Path], list[Figure]]] = {
    "ophalen": bench_fetch,
    "registreren": bench_register,
    "lange-dossiers": bench_long_dossier,
    "auditlog": bench_audit,
    "geheugen-ophalen": bench_fetch_memory,
    "opstarten": bench_startup,
    "filteren": bench_filter,
}


def run(sizes: Sizes, only: Sequence[str] = ()) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="oso-bench-") as tmp:
        work = Path(tmp)
        for name, bench in BENCHES.items():
            if only and name not in only:
                continue
            print(f"... {name}", file=sys.stderr, flush=True)
            figures.extend(bench(sizes, work))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--klein", action="store_true", help="N=50: een snelle controle dat alles loopt")
    parser.add_argument("--alleen", nargs="*", default=(), choices=sorted(BENCHES), help="alleen deze")
    parser.add_argument("--json", type=Path, help="schrijf de uitkomst ook naar dit bestand")
    args = parser.parse_args(argv)
    sizes = SMALL if args.klein else FULL
    figures = run(sizes, args.alleen)
    print(render(figures))
    result = {
        "wanneer": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "klein": args.klein,
        "figuren": [{**asdict(f), "ratio": f.ratio, "verdict": f.verdict} for f in figures],
    }
    out = args.json
    if out is None and not args.klein:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    if out is not None:
        out.write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(f"uitkomst geschreven naar {out}", file=sys.stderr)
    return 0 if all(f.verdict in ("ok", "info") for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
