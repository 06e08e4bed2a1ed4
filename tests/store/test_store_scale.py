"""Scale: one user action on a 5,000-pupil store costs about one write of the file.

The timings are printed (run with `-s`), not asserted: CI machines differ too much. What is
asserted is what must hold at any speed: the action is one write and everything lands.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.store import Store
from oso_tui.store.audit import record_audit
from oso_tui.store.files import atomic_write
from oso_tui.store.tables import AANVRAGEN, DOSSIERS, HISTORIE, LEERLINGEN
from tests.store.legacy_layout import read_tables, stored

N = 5000


class Aanvraag(BaseModel):
    id: str
    pgn: str
    status: str
    statushistorie: list[dict[str, str]]
    versies: list[str]


class Leerling(BaseModel):
    id: str
    pgn: str
    voornamen: list[str]
    achternaam: str
    adres: dict[str, str]
    verzorgers: list[dict[str, str]]
    schoolloopbaan: list[dict[str, str]]
    stappen: dict[str, dict[str, str]]


def leerling(i: int) -> Leerling:
    return Leerling(
        id=f"L{i:05d}",
        pgn=f"{100000000 + i}",
        voornamen=["Jan", "Pieter"],
        achternaam=f"Jansen-{i}",
        adres={"straat": "Dorpsstraat", "huisnummer": str(i), "postcode": "1234AB", "plaats": "Utrecht"},
        verzorgers=[{"naam": f"Ouder {j}", "email": "ouder@example.nl"} for j in (1, 2)],
        schoolloopbaan=[{"schooljaar": f"20{10 + j}-20{11 + j}", "groep": str(j + 1)} for j in range(8)],
        stappen={"personalia": {"laatst": "2026-06-01T10:00:00", "dossier": "a" * 64, "door": "jansen"}},
    )


def aanvraag(i: int) -> Aanvraag:
    return Aanvraag(
        id=f"A{i:05d}",
        pgn=f"{100000000 + i}",
        status="opgehaald",
        statushistorie=[{"status": "aangevraagd", "datum": "2026-05-01", "door": "jansen"}],
        versies=[f"{i:064x}"],
    )


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _open_and_read_aanvragen(path: Path) -> tuple[float, float, list[str]]:
    tracemalloc.start()
    try:
        start = time.perf_counter()
        store = Store.open(path)
        with store.snapshot() as view:
            view.collection(AANVRAGEN, Aanvraag).all()
        elapsed = (time.perf_counter() - start) * 1000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    committed = store._storage.committed
    return elapsed, peak / 2**20, list(committed.loaded) if committed is not None else []


def record_one_audit(store: Store) -> None:
    with store.transaction() as tx:
        record_audit(tx, user="jansen", actie="export", wanneer=datetime(2026, 6, 1))


@pytest.mark.slow
def test_one_transaction_on_a_5000_pupil_store(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")

    def fill() -> None:
        with store.transaction() as tx:
            tx.collection(LEERLINGEN, Leerling).put_many(leerling(i) for i in range(N))
            tx.collection(AANVRAGEN, Aanvraag).put_many(aanvraag(i) for i in range(N))
            tx.table(DOSSIERS).insert_multiple({"id": f"{i:064x}", "pgn": str(i)} for i in range(N))
            tx.table(HISTORIE).insert_multiple(
                {"leerling_id": f"L{i:05d}", "stap": "personalia", "oud": {"achternaam": "X"}}
                for i in range(N)
            )

    fill_ms = timed(fill)
    size_mb = sum(len(b) for b in stored(store.path).values()) / 1e6

    def register_one(i: int, on: Store = store) -> None:
        with on.transaction() as tx:
            pupils = tx.collection(LEERLINGEN, Leerling)
            found = pupils.get(f"L{i:05d}")
            assert found is not None
            pupils.put(found.model_copy(update={"achternaam": f"Gewijzigd-{i}"}))
            tx.table(HISTORIE).insert({"leerling_id": found.id, "stap": "personalia"})
            record_audit(tx, user="jansen", actie="registreren", pgn=found.pgn, wanneer=datetime(2026, 6, 1))

    cold = Store.open(store.path)
    cold_ms = timed(lambda: register_one(1, cold))
    warm_ms = sorted(timed(lambda i=i: register_one(i)) for i in range(2, 7))[2]

    data = read_tables(store.path)

    def bare_write() -> None:
        atomic_write(tmp_path / "kaal.json", json.dumps(data).encode(), store.mode)

    bare_ms = sorted(timed(bare_write) for _ in range(3))[1]

    def one_by_one() -> None:
        with store.transaction() as tx:
            rows = tx.collection(AANVRAGEN, Aanvraag)
            for i in range(100):
                rows.put(aanvraag(N + i))

    def batch() -> None:
        with store.transaction() as tx:
            tx.collection(AANVRAGEN, Aanvraag).put_many(aanvraag(2 * N + i) for i in range(100))

    loop_ms, batch_ms = timed(one_by_one), timed(batch)
    print(
        f"\nstore met {N} leerlingen, aanvragen, dossierversies en historieregels ({size_mb:.1f} MB): "
        f"vullen in één transactie {fill_ms:.0f} ms; één registratie: {cold_ms:.0f} ms koud "
        f"(bestand nog niet gelezen), {warm_ms:.0f} ms warm (mediaan van 5); kale json.dumps + "
        f"atomaire schrijfactie van hetzelfde bestand {bare_ms:.0f} ms; 100 aanvragen met put() in een "
        f"lus {loop_ms:.0f} ms, met put_many() {batch_ms:.0f} ms (beide één schrijfactie)"
    )
    lazy_open_ms, lazy_peak, lazy_loaded = _open_and_read_aanvragen(store.path)
    audit_store = Store.open(store.path)
    audit_ms = timed(lambda: record_one_audit(audit_store))
    committed = audit_store._storage.committed
    print(
        f"lui lezen: openen + momentopname van aanvragen {lazy_open_ms:.0f} ms, piek {lazy_peak:.1f} MiB "
        f"(tracemalloc), geparste tabellen {lazy_loaded}; een transactie die alleen audit schrijft "
        f"{audit_ms:.0f} ms (nieuwe versie nog ongeparst: {committed is not None and not committed.loaded})"
    )
    with store.snapshot() as view:
        assert len(view.collection(LEERLINGEN, Leerling)) == N
        assert len(view.collection(AANVRAGEN, Aanvraag)) == N + 200
        assert len(view.table(HISTORIE)) == N + 6
    assert lazy_loaded == [AANVRAGEN]
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
