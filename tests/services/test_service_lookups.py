"""Lookups by id ask for that id, and the personalia form reads its dossier once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oso_tui import services
from oso_tui.dossier import parser
from oso_tui.errors import RefusedError
from oso_tui.registration.steps import Plaatsing
from oso_tui.screens.backend import ServiceBackend
from oso_tui.screens.viewmodels import Toepassing
from oso_tui.services import reading, rollen
from oso_tui.store import Store
from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
from tests.service_context import ctx_of

PLAATSING = Plaatsing(schooljaar="2027-2028", leerjaar=1, opleiding="havo/vwo", klas="1B")


@pytest.fixture(autouse=True)
def _quiet_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollen, "_announced", True)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "oso.json")
    aanvraag(s)
    aanvraag(s, pgn="123456794", id="a2")
    ontvang(s, dossier_xml(datum="2027-03-01"), datum="2027-03-01")
    return s


def test_one_row_by_id_is_the_row_the_list_shows(store: Store, tmp_path: Path) -> None:
    ctx = ctx_of(store, make_settings(tmp_path), "admin")
    services.register(ctx, pgn=PGN, stappen=["personalia"])
    rows = services.list_requests(ctx)
    assert len(rows) == 2
    for row in rows:
        assert services.get_request_row(ctx, row.id) == row
    with pytest.raises(RefusedError, match="bestaat niet"):
        services.get_request_row(ctx, "bestaat-niet")


def test_reading_the_list_again_keeps_one_copy_of_each_unchanged_row(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    backend = ServiceBackend(store, settings, "admin")
    before = {row.id: row for row in backend.list_requests()}
    services.register(ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"])
    after = {row.id: row for row in backend.list_requests()}
    assert after["a2"] is before["a2"]
    assert after["a1"] is not before["a1"] and after["a1"].stappen == ["personalia"]
    assert after == {row.id: row for row in services.list_requests(ctx_of(store, settings, "admin"))}


def test_the_app_finds_a_request_without_reading_the_list(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    services.register(ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"])
    backend = ServiceBackend(store, settings, "admin")

    def whole_list(*args: object, **kwargs: object) -> list[services.AanvraagRegel]:
        raise AssertionError("the whole list was read to find one request")

    monkeypatch.setattr(services, "list_requests", whole_list)
    assert backend.detail("a1")[0].id == "a1"
    assert backend.pupil("a1").naam == "Noor Vermeulen"


def test_planning_personalia_reads_the_dossier_once(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    services.register(ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING)
    backend = ServiceBackend(store, settings, "admin")
    reads: list[int] = []
    real = parser.read_dossier

    def counting(*args: object, **kwargs: object) -> parser.ReadResult:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "read_dossier", counting)
    reading.GELEZEN.clear()
    view = backend.plan("a1", "personalia")
    assert len(reads) == 1
    assert view.plaatsing is not None and any(view.plaatsing.values()), "the form starts filled in"
    again = backend.plan("a1", "personalia", plaatsing=view.plaatsing)
    assert [(r.sleutel, r.dossier, r.wijzigt) for r in view.regels] == [
        (r.sleutel, r.dossier, r.wijzigt) for r in again.regels
    ], "the plan from the form's defaults is the plan a second reading would give"


OTHER = "123456794"


def test_the_app_reads_one_pupils_records_only(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Step picker, diff, apply, undo and the pupil view by request id validate the records of that
    request and its pupil only, and never list a table: another pupil's records are never read."""
    from oso_tui.records import aanvragen, dossiers, leerlingen
    from oso_tui.store.collection import Collection

    settings = make_settings(tmp_path)
    other_sha = ontvang(store, dossier_xml(bsn=OTHER), pgn=OTHER, aanvraag_id="a2")
    ctx = ctx_of(store, settings, "admin")
    services.register(ctx, pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING)
    services.register(ctx, pgn=OTHER, stappen=["personalia"], plaatsing=PLAATSING)
    others = {"a2", other_sha, leerlingen.leerling_id(OTHER)}
    others |= {m.id for m in services.history(ctx, pgn=OTHER)}
    backend = ServiceBackend(store, settings, "admin")

    def listing(*args: object, **kwargs: object) -> object:
        raise AssertionError("a whole table was listed to find one pupil's records")

    for module, names in (
        (aanvragen, ("all", "scan", "of_pgn")),
        (dossiers, ("all", "scan", "of_pgn")),
        (leerlingen, ("all", "overview", "ids_by_pgn")),
    ):
        for name in names:
            monkeypatch.setattr(module, name, listing)
    validated: list[tuple[str, str]] = []
    real_load = Collection._load

    def load(self: Collection[Any], doc_id: str, doc: Any) -> Any:
        validated.append((self.name, doc_id))
        return real_load(self, doc_id, doc)

    monkeypatch.setattr(Collection, "_load", load)
    rij, stappen = backend.detail("a1")
    assert rij.pgn == PGN and stappen.dossier is not None
    view = backend.plan("a1", "loopbaan")
    backend.apply(Toepassing(view=view, waarschuwingen_gezien=True))
    backend.detail("a1")
    backend.undo("a1", "loopbaan")
    assert backend.pupil("a1").pgn.endswith(PGN[-3:])
    assert validated, "the records were read through the collections"
    assert not [(table, doc) for table, doc in validated if doc in others]


def test_a_stored_dossier_is_read_and_checked_once_for_every_screen_and_command(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    backend = ServiceBackend(store, settings, "admin")
    reads: list[int] = []
    real = parser.read_dossier

    def counting(*args: object, **kwargs: object) -> parser.ReadResult:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "read_dossier", counting)
    reading.GELEZEN.clear()
    backend.detail("a1")
    view = backend.plan("a1", "personalia")
    backend.apply(Toepassing(view=view, plaatsing=dict(view.plaatsing or {}), waarschuwingen_gezien=True))
    backend.detail("a1")
    backend.plan("a1", "loopbaan")
    services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="loopbaan")
    assert len(reads) == 1


def test_the_cache_of_read_dossiers_is_bounded_by_count_and_by_size() -> None:
    cache = reading.GelezenCache(entries=2, budget=100)

    def gelezen(grootte: int) -> reading.Gelezen:
        return reading.Gelezen(None, (), (), frozenset(), grootte)

    cache.put(("a", 1, False), gelezen(10))
    cache.put(("b", 1, False), gelezen(10))
    assert cache.get(("a", 1, False)) is not None  # now the most recently used
    cache.put(("c", 1, False), gelezen(10))
    assert len(cache) == 2 and cache.get(("b", 1, False)) is None
    cache.put(("d", 1, False), gelezen(95))
    assert len(cache) == 1 and cache.get(("d", 1, False)) is not None
    cache.put(("e", 1, False), gelezen(101))
    assert cache.get(("e", 1, False)) is None, "one dossier over the budget is not kept at all"
