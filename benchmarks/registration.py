"""One registration step: against a bare store transaction, with long dossiers, and with a long audit log.

A registration step is judged against a store transaction that writes what the step writes (see
`same_writes`): the app's own work (reading the dossier, planning, checking) may cost at most as much
as the store's. The transaction that puts one small document is shown beside it. When the store
rewrote its whole file on every commit the two were the same (about 34 ms at 5,000 pupils, later
165 ms); now that a commit writes only what changed, the small one costs a few milliseconds and the
ratio against it would measure how much faster the store became, not what the app adds.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from benchmarks.common import USER, Figure, Sizes, settings_for, timer
from benchmarks.generate import CSV_NAAM, generate
from benchmarks.storegen import cached_store, store_of
from oso_tui.registration.models import STAPPEN

if TYPE_CHECKING:
    from benchmarks.common import Dirs
    from oso_tui.store import Store


class _Doc(BaseModel):
    """Any stored document, kept whole."""

    model_config = ConfigDict(extra="allow")
    id: str


class SameWrites:
    """A store transaction that writes what registering the personalia of a new pupil writes, with
    documents of the same size: it looks up the request and the pupil, then puts the request, the
    pupil record and its overview row, and adds a history entry and an audit entry."""

    def __init__(self, store: Store, registered: str, request_pgn: str) -> None:
        from oso_tui.records import aanvragen, historie, leerlingen
        from oso_tui.store.tables import AUDIT

        with store.snapshot() as view:
            leerling = leerlingen.get(view, registered)
            if leerling is None:
                raise SystemExit(f"de store heeft geen geregistreerde leerling {registered}")
            self.record = leerling.model_dump(mode="json")
            self.row = view.collection("leerlingoverzicht", _Doc).get(leerling.id)
            self.entry = historie.of(view, registered)[-1].model_dump(mode="json")
            self.audit = view.collection(AUDIT, _Doc).all()[-1]
            self.request = view.collection("aanvragen", _Doc).get(aanvragen.of_pgn(view, request_pgn)[0].id)
        self.store = store
        self.written: list[tuple[str, str]] = []

    def run(self, pgn: str, i: int) -> None:
        from oso_tui.records import leerlingen
        from oso_tui.store.tables import AANVRAGEN, AUDIT, HISTORIE, LEERLINGEN, LEERLINGOVERZICHT, shard_of

        new_id = leerlingen.leerling_id(pgn)
        with self.store.transaction() as tx:
            requests = tx.collection(AANVRAGEN, _Doc)
            request = requests.get(self.request.id) if self.request else None
            if request is None:
                raise SystemExit("de aanvraag van de referentie is weg")
            pupils = tx.collection(shard_of(LEERLINGEN, pgn), _Doc)
            if pupils.get(new_id) is not None:
                raise SystemExit(f"{pgn} is al geregistreerd")
            requests.put(request.model_copy(update={"leerling_id": None if i % 2 else new_id}))
            pupils.put(_Doc.model_validate({**self.record, "id": new_id, "pgn": pgn}))
            if self.row is not None:
                tx.collection(LEERLINGOVERZICHT, _Doc).put(self.row.model_copy(update={"id": new_id}))
            history = tx.collection(shard_of(HISTORIE, pgn), _Doc)
            history.add_many([_Doc.model_validate({**self.entry, "id": f"bench-{pgn}-{i}", "pgn": pgn})])
            tx.collection(AUDIT, _Doc).add_many([self.audit.model_copy(update={"id": f"bench-{pgn}-{i}"})])
        self.written += [
            (shard_of(LEERLINGEN, pgn), new_id),
            (LEERLINGOVERZICHT, new_id),
            (shard_of(HISTORIE, pgn), f"bench-{pgn}-{i}"),
            (AUDIT, f"bench-{pgn}-{i}"),
        ]

    def clean(self) -> None:
        """Take out what the runs wrote (untimed), so the other groups see the store as built."""
        from oso_tui.store.tables import AANVRAGEN

        by_table: dict[str, list[str]] = {}
        for table, doc_id in self.written:
            by_table.setdefault(table, []).append(doc_id)
        with self.store.transaction() as tx:
            for table, ids in by_table.items():
                tx.collection(table, _Doc).delete_many(ids)
            if self.request is not None:
                tx.collection(AANVRAGEN, _Doc).put(self.request)
        self.written.clear()


def bench_register(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    from oso_tui import services
    from oso_tui.store import Store

    figures = []
    for n in sizes.stores:
        bench_store = store_of(n, dirs)
        db, fresh = bench_store.db, bench_store.fresh
        same = SameWrites(Store.open(db), bench_store.registered[0], fresh[-1])
        writes: list[float] = []
        for i in range(sizes.fresh * 2):
            with timer() as elapsed:
                same.run(f"1{i:08d}", i)  # no benchmark store holds a PGN starting with 1
            writes.append(elapsed())
        same.clean()  # it read tables whole: the registrations get a store opened afresh
        store = Store.open(db)
        settings = settings_for(db)
        bare: list[float] = []
        for i in range(sizes.fresh * 2):
            with timer() as elapsed, store.transaction() as tx:
                tx.table("bench").upsert({"id": "ijk", "n": i}, cond=lambda d: d.get("id") == "ijk")
            bare.append(elapsed())
        reference, small = statistics.median(writes), statistics.median(bare)
        for index, stap in enumerate(STAPPEN):
            times = []
            for pgn in fresh[index * sizes.fresh : (index + 1) * sizes.fresh]:
                if stap != "personalia":  # loopbaan and begeleiding belong to a pupil with personalia
                    services.register(
                        services.Context(store, settings, USER),
                        pgn=pgn,
                        stappen=("personalia",),
                        accepteer_waarschuwingen=True,
                    )
                with timer() as elapsed:
                    services.register(
                        services.Context(store, settings, USER),
                        pgn=pgn,
                        stappen=(stap,),
                        accepteer_waarschuwingen=True,
                    )
                times.append(elapsed())
            judged = n == sizes.judged_store
            value = statistics.median(times)
            figures.append(
                Figure(
                    f"registreren {stap}, {n} leerlingen",
                    value,
                    reference,
                    "s",
                    2.0 if judged else None,
                    "tegen een kale transactie met dezelfde schrijfomvang",
                )
            )
            if judged:
                note = "tegen één kale transactie van één klein document"
                figures.append(Figure(f"registreren {stap}, {n} leerlingen", value, small, "s", None, note))
    return figures


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


def bench_long_dossier(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    work = dirs.work
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


def bench_audit(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    """One registration in a store with a long audit log against the same store without one.

    Two copies of one store, one given `sizes.audit` audit entries; the same fresh pupils are
    registered in both, turn and turn about, so the machine's mood hits both alike.
    """
    from oso_tui import services
    from oso_tui.store import Store
    from oso_tui.store.audit import AuditEntry, add_audit_entries

    n = sizes.judged_store
    built = cached_store(n, dirs.cache)
    db = built.copy_to(dirs.work / "auditlog-zonder").db
    long_db = built.copy_to(dirs.work / "auditlog-lang").db
    fresh = built.fresh[: sizes.fresh]
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
