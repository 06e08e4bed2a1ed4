"""One registration step: against a bare store transaction, with long dossiers, and with a long audit log."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import USER, Figure, Sizes, settings_for, timer
from benchmarks.generate import CSV_NAAM, generate
from benchmarks.storegen import cached_store, store_of
from oso_tui.registration.models import STAPPEN

if TYPE_CHECKING:
    from benchmarks.common import Dirs


def bench_register(sizes: Sizes, dirs: Dirs) -> list[Figure]:
    from oso_tui import services
    from oso_tui.store import Store

    figures = []
    for n in sizes.stores:
        bench_store = store_of(n, dirs)
        db, fresh = bench_store.db, bench_store.fresh
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
