"""Lookups by id ask for that id, and the personalia form reads its dossier once."""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.dossier import parser
from oso_tui.errors import RefusedError
from oso_tui.registration.steps import Plaatsing
from oso_tui.screens.backend import ServiceBackend
from oso_tui.services import rollen
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


def test_the_app_finds_a_request_without_reading_the_list(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    services.register(ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"])
    backend = ServiceBackend(store, settings, "admin")

    def whole_list(*args: object, **kwargs: object) -> list[services.AanvraagRegel]:
        raise AssertionError("the whole list was read to find one request")

    monkeypatch.setattr(services, "list_requests", whole_list)
    assert backend.detail("a1").rij.id == "a1"
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
    view = backend.plan("a1", "personalia")
    assert len(reads) == 1
    assert view.plaatsing is not None and any(view.plaatsing.values()), "the form starts filled in"
    again = backend.plan("a1", "personalia", plaatsing=view.plaatsing)
    assert [(r.sleutel, r.dossier, r.wijzigt) for r in view.regels] == [
        (r.sleutel, r.dossier, r.wijzigt) for r in again.regels
    ], "the plan from the form's defaults is the plan a second reading would give"
