"""Benchmark stores: N registered pupils with a realistic history and audit log, built fast and cached.

A few pupils go through the real services, the way a school uses oso-tui over a year: requested from
a CSV, their March dossiers fetched and all three steps registered, the requests renewed, the May
dossiers fetched and all three steps registered again (so each pupil has history of two versions and
an audit entry per registration). The other pupils are copies of these under new PGNs and ids, written
through the store's transaction API in a few batches: registering 20,000 pupils one by one would take
hours. Some pupils are fetched but left unregistered ("fresh"): the benchmarks register them.

A built store is kept under `benchmarks/results/stores/<N>-<code version>/` and copied for each run;
any change to the product's code or to this generator builds it anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import ROOT, TODAY, USER, Dirs, settings_for
from benchmarks.generate import CSV_NAAM, MEI_MAP, bsn_from, generate

if TYPE_CHECKING:
    from oso_tui.store import Transaction

MAART = date(2027, 3, 20)
SEEDS = 20
"""Pupils registered through the services; the others are copies of them."""
BATCH = 5000
"""Copied pupils per transaction: bounds the generator's memory at 20,000 pupils."""
FRESH = 30
"""Fetched but unregistered pupils in every store: registration, apply/undo and the CLI take from these."""
MANIFEST = "bench-store.json"


@dataclass(frozen=True)
class BenchStore:
    """A built store: its database file, registered template PGNs, and fetched-but-unregistered PGNs."""

    db: Path
    registered: list[str]
    fresh: list[str]

    def copy_to(self, folder: Path) -> BenchStore:
        """A private copy (the benchmarks change the store); the database keeps its file name."""
        shutil.copytree(self.db.parent, folder)
        return BenchStore(folder / self.db.name, self.registered, self.fresh)


def code_version() -> str:
    """A hash of the product's code and of the generator: a cached store is only reused for the same."""
    digest = hashlib.sha256()
    files = sorted((ROOT / "oso_tui").rglob("*.py"))
    files += [
        ROOT / "benchmarks" / name for name in ("storegen.py", "generate.py", "xmlbuild.py", "xmldossier.py")
    ]
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached_store(n: int, cache: Path, fresh: int = FRESH) -> BenchStore:
    """The store with `n` registered pupils and `fresh` unregistered ones, from the cache or built now."""
    folder = cache / f"{n}-{fresh}-{code_version()}"
    if os.environ.get("OSO_TUI_BENCH_ELKE_STORE"):  # while changing the code: any built store of this size
        ready = [old for old in sorted(cache.glob(f"{n}-{fresh}-*")) if (old / MANIFEST).exists()]
        folder = ready[0] if ready else folder
    manifest = folder / MANIFEST
    if manifest.exists():
        data = json.loads(manifest.read_text("utf-8"))
        return BenchStore(folder / data["db"], data["registered"], data["fresh"])
    for old in cache.glob(f"{n}-{fresh}-*"):  # an older code version: never used again
        shutil.rmtree(old, ignore_errors=True)
    building = cache / f".bouw-{folder.name}"
    shutil.rmtree(building, ignore_errors=True)
    print(f"... store met {n} leerlingen bouwen", file=sys.stderr, flush=True)
    built = build_store(n, fresh, building, cache / f".bron-{n}")
    shutil.rmtree(cache / f".bron-{n}", ignore_errors=True)
    data = {"db": built.db.name, "registered": built.registered, "fresh": built.fresh}
    (building / MANIFEST).write_text(json.dumps(data), "utf-8")
    building.rename(folder)
    return BenchStore(folder / built.db.name, built.registered, built.fresh)


def build_store(n: int, fresh: int, folder: Path, source: Path) -> BenchStore:
    """Build the store in `folder` (see the module docstring); `source` holds the generated dossiers."""
    from oso_tui import services
    from oso_tui.exchange.folder import FolderExchange
    from oso_tui.registration.models import STAPPEN
    from oso_tui.store import Store

    seeds = min(n, SEEDS)
    shutil.rmtree(source, ignore_errors=True)
    generate(seeds + fresh, source, seed=n, versies=True)
    pgns = [line.split(";")[0] for line in (source / CSV_NAAM).read_text("utf-8").splitlines()[1:]]
    db = folder / "db.json"
    folder.mkdir(parents=True)
    store = Store.open(db)
    maart = services.Context(store, settings_for(db, MAART), USER)
    mei = services.Context(store, settings_for(db, TODAY), USER)
    services.request_csv(maart, source / CSV_NAAM)

    def fetch(ctx: services.Context, names: Sequence[str]) -> None:
        inbox = folder / "inbox"
        inbox.mkdir()
        for name in names:
            shutil.copy(source / name, inbox / Path(name).name)
        services.fetch(ctx, FolderExchange(inbox))
        shutil.rmtree(inbox)

    def register_all(ctx: services.Context) -> None:
        for pgn in pgns[:seeds]:
            services.register(ctx, pgn=pgn, stappen=STAPPEN, accepteer_waarschuwingen=True)

    fetch(maart, [f"dossier_{i:06d}.xml" for i in range(seeds)])
    register_all(maart)
    services.renew(mei, pgns=pgns[:seeds])
    fetch(
        mei,
        [f"{MEI_MAP}/dossier_{i:06d}_mei.xml" for i in range(seeds)]
        + [f"dossier_{i:06d}.xml" for i in range(seeds, seeds + fresh)],
    )
    register_all(mei)
    for first in range(0, n - seeds, BATCH):
        with store.transaction() as tx:
            copy_pupils(tx, pgns[:seeds], range(first, min(first + BATCH, n - seeds)))
    with store.transaction() as tx:  # the copies bypassed the records: count them as a school's store has
        from oso_tui.records import tellingen

        tellingen.rebuild(tx)
    return BenchStore(db, pgns[:seeds], pgns[seeds:])


def copy_pupils(tx: Transaction, templates: Sequence[str], numbers: range) -> None:
    """Add pupils numbered `numbers`, each a copy of a registered template pupil with its own PGN and ids.

    Every document that names a template's PGN is copied, in whatever table it lives, with every
    reference renamed (request, dossier versions, history entries, the pupil's provenance); documents
    in a per-PGN shard go to the shard of the new PGN, as registration would put them. The template's
    audit entries are copied too, through the audit log's own API (it seals full parts into files).
    """
    from oso_tui.store import tables
    from oso_tui.store.audit import AuditEntry, add_audit_entries

    wanted = set(templates)
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for table in tx.tables():
        if table == tables.AUDIT or table.startswith("_"):
            continue
        for stored in tx.table(table).all():
            if stored.get("pgn") in wanted:
                found.setdefault((base_of(table), str(stored["pgn"])), []).append(dict(stored))
    audit = [e for e in tx.collection(tables.AUDIT, AuditEntry).all() if e.pgn in wanted]
    batches: dict[str, list[dict[str, Any]]] = {}
    copied_audit: list[AuditEntry] = []
    for i in numbers:
        template = templates[i % len(templates)]
        pgn = copy_pgn(i)
        renames = {template: pgn, leerling_id_of(template): leerling_id_of(pgn)}
        for (base, owner), docs in found.items():
            if owner == template:
                for k, doc in enumerate(docs):
                    renames.setdefault(str(doc["id"]), f"kopie-{base}-{i}-{k}")
        for (base, owner), docs in found.items():
            if owner != template:
                continue
            table = target_table(base, pgn)
            for doc in docs:
                text = json.dumps(doc)
                for old, new in renames.items():
                    text = text.replace(f'"{old}"', f'"{new}"')
                batches.setdefault(table, []).append(json.loads(text))
        copied_audit += [
            e.model_copy(update={"id": f"kopie-{e.id}-{i}", "pgn": pgn, "volgnummer": tx.sequence()})
            for e in audit
            if e.pgn == template
        ]
    for table, batch in batches.items():
        tx.table(table).insert_multiple(batch)
    add_audit_entries(tx, sorted(copied_audit, key=lambda e: e.wanneer))


def copy_pgn(number: int) -> str:
    """A valid BSN of its own for copy `number` (`9nnnnnnn?`, or `8nnnnnnn?` when no check digit fits)."""
    pgn = bsn_from(f"9{number:07d}") or bsn_from(f"8{number:07d}")
    if pgn is None:  # the two prefixes need different check digits: one of them always fits
        raise AssertionError(number)
    return pgn


def base_of(table: str) -> str:
    """`leerlingen-3f` -> `leerlingen` for a per-PGN shard; other tables are their own base."""
    from oso_tui.store import tables

    is_shard = getattr(tables, "is_shard", None)
    return table.rpartition("-")[0] if is_shard is not None and is_shard(table) else table


def target_table(base: str, pgn: str) -> str:
    """Where a document of table `base` belongs for this PGN: its shard, when the store shards `base`."""
    from oso_tui.store import tables

    shard_of = getattr(tables, "shard_of", None)
    if shard_of is not None and base in (getattr(tables, "LEERLINGEN", ""), getattr(tables, "HISTORIE", "")):
        return str(shard_of(base, pgn))
    return base


def leerling_id_of(pgn: str) -> str:
    from oso_tui.records.leerlingen import leerling_id

    return leerling_id(pgn)


_copies: dict[tuple[Path, int], BenchStore] = {}


def store_of(n: int, dirs: Dirs) -> BenchStore:
    """This run's copy of the store with `n` pupils, made once per run and shared by the groups."""
    key = (dirs.work, n)
    if key not in _copies:
        _copies[key] = cached_store(n, dirs.cache).copy_to(dirs.work / f"store-{n}")
    return _copies[key]
