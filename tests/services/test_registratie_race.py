"""Two colleagues on one pupil: a placement typed on a diff never overwrites a change it did not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.errors import RefusedError
from oso_tui.registration.models import Modus
from oso_tui.registration.steps import Plaatsing
from oso_tui.services import rollen
from oso_tui.store import Store
from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
from tests.service_context import ctx_of

EIGEN = Plaatsing(schooljaar="2027-2028", leerjaar=1, klas="1C")
COLLEGA = Plaatsing(schooljaar="2027-2028", leerjaar=1, klas="1B")


@pytest.fixture(autouse=True)
def _quiet_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollen, "_announced", True)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "oso.json")
    aanvraag(s)
    ontvang(s, dossier_xml(datum="2027-03-01"), datum="2027-03-01")
    return s


def klassen_in_historie(store: Store, settings: object) -> list[tuple[object, object]]:
    return [
        (w.oud, w.nieuw)
        for m in services.history(ctx_of(store, settings, "admin"), pgn=PGN)  # type: ignore[arg-type]
        for w in m.wijzigingen
        if w.pad == "plaatsing.klas"
    ]


@pytest.mark.parametrize("modus", ["aanvullen", "overschrijven"])
def test_a_placement_on_a_diff_that_went_stale_is_refused(store: Store, tmp_path: Path, modus: Modus) -> None:
    settings = make_settings(tmp_path)
    gezien = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", modus=modus)
    services.register(ctx_of(store, settings, "collega"), pgn=PGN, stappen=["personalia"], plaatsing=COLLEGA)
    with pytest.raises(RefusedError, match="intussen"):
        services.apply(ctx_of(store, settings, "admin"), gezien.met_plaatsing(EIGEN))
    assert klassen_in_historie(store, settings) == [(None, "1B")]

    opnieuw = services.plan(
        ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", modus=modus, plaatsing=EIGEN
    )
    klas = next(r for r in opnieuw.regels if r.pad == "plaatsing.klas")
    assert (klas.geregistreerd, klas.dossier, klas.oordeel) == ("1B", "1C", "gewijzigd")
    assert klas.wijzigt == (modus == "overschrijven")


def test_a_placement_on_a_diff_that_still_holds_is_applied(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    gezien = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia")
    services.apply(ctx_of(store, settings, "admin"), gezien.met_plaatsing(EIGEN))
    assert klassen_in_historie(store, settings) == [(None, "1C")]
