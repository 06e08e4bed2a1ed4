"""The summer expiry costs what could still expire: once it ran for a season, it reads no request."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from oso_tui import services
from oso_tui.records import aanvragen, dossiers
from oso_tui.store import Store
from oso_tui.store.collection import Collection
from tests.aanvraag_helpers import settings_for, valid_bsns
from tests.registratie_data import aanvraag, dossier_xml, ontvang
from tests.service_context import ctx_of

PGNS = valid_bsns(3)
SEPTEMBER = date(2027, 9, 15)


def _ctx(tmp_path: Path, today: date) -> services.Context:
    settings = settings_for(tmp_path, today)
    return ctx_of(Store.open(settings.db_path), settings, "jan")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Three requests made in February, one of them fetched (a dossier of March), in one store."""
    store = Store.open(settings_for(tmp_path, date(2027, 3, 20)).db_path)
    for n, pgn in enumerate(PGNS, start=1):
        aanvraag(store, pgn=pgn, id=f"a{n}")
    ontvang(store, dossier_xml(bsn=PGNS[0]), pgn=PGNS[0], aanvraag_id="a1")
    with store.transaction() as tx:
        [a1] = [a for a in aanvragen.all(tx) if a.id == "a1"]
        aanvragen.save(tx, [a1.with_status("opgehaald", datum=date(2027, 3, 1))])
    return tmp_path


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("expiry read a request or a dossier version after it ran for the season")

    for module in (aanvragen, dossiers):
        for name in ("all", "scan", "get", "of_pgn"):
            monkeypatch.setattr(module, name, refuse)


def test_after_the_season_ran_expiry_reads_no_request_and_no_version(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = services.expire(_ctx(store_path, SEPTEMBER))
    assert first.aantal_verlopen == 2 and len(first.opgeschoond) == 1
    _no_reading(monkeypatch)
    later = _ctx(store_path, date(2027, 10, 1))  # another command: a fresh process opens the store
    assert not services.expire(later).iets_gedaan

    def no_snapshot(*args: object, **kwargs: object) -> object:
        raise AssertionError("in the same process expiry costs a date comparison, not a read")

    monkeypatch.setattr(later.store, "snapshot", no_snapshot)
    assert not services.expire(later).iets_gedaan


def test_the_first_run_reads_whole_only_what_could_expire(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = _ctx(store_path, SEPTEMBER)
    validated: list[tuple[str, str]] = []
    real_load = Collection._load

    def load(self: Collection[Any], doc_id: str, doc: Any) -> Any:
        validated.append((self.name, doc_id))
        return real_load(self, doc_id, doc)

    monkeypatch.setattr(Collection, "_load", load)
    result = services.expire(ctx)
    assert sorted(a.id for a in result.verlopen) == ["a2", "a3"]
    whole = {(table, doc) for table, doc in validated if table in ("aanvragen", "dossiers")}
    assert ("aanvragen", "a1") not in whole, "a fetched request cannot expire and is not read whole"
    assert {doc for table, doc in whole if table == "aanvragen"} <= {"a2", "a3"}
    monkeypatch.undo()
    assert {r.status for r in services.list_requests(ctx)} == {"opgehaald", "verlopen"}
