"""Collective fetch: the product against bare lxml on the same files, its growth, and its peak memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import ROOT, TODAY, USER, Figure, Sizes, peak_rss_mib, settings_for, timer
from benchmarks.generate import CSV_NAAM, generate

if TYPE_CHECKING:
    from benchmarks.common import Dirs

OFFICIAL_XSD = ROOT.parent / "shared" / "oso-gegevensset-2019.1" / "OSO_gegevensset.xsd"
GROWTH_SEED = 11


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


def bench_fetch(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    work = dirs.work
    small = work / "gen-small"
    generate(sizes.fetch, small, seed=GROWTH_SEED)
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
    generate(sizes.fetch_growth, large, seed=GROWTH_SEED)
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


def bench_fetch_memory(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    work = dirs.work
    source = work / "gen-large"
    if not source.exists():  # run on its own, without the fetch group that made it
        generate(sizes.fetch_growth, source, seed=GROWTH_SEED)
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
