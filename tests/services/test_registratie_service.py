"""Registration services on a real store: plan, apply, undo, history, show, export, audit, roles."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from oso_tui import services
from oso_tui.errors import RefusedError
from oso_tui.records import aanvragen, tellingen
from oso_tui.registration.models import Leerling
from oso_tui.registration.steps import Plaatsing
from oso_tui.services import rollen
from oso_tui.services.viewing import VERBORGEN
from oso_tui.store import Store
from oso_tui.store.audit import AuditEntry, list_audit
from oso_tui.store.manifest import PartsState
from oso_tui.store.tables import AANVRAGEN
from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
from tests.service_context import ctx_of
from tests.store_helpers import count_parses

MAART = datetime(2027, 3, 14, 10, 0, tzinfo=UTC)
MEI = datetime(2027, 5, 21, 9, 0, tzinfo=UTC)
PLAATSING = Plaatsing(schooljaar="2027-2028", leerjaar=1, opleiding="havo/vwo", klas="1B")


@pytest.fixture(autouse=True)
def _quiet_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollen, "_announced", True)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "oso.json")
    aanvraag(s)
    ontvang(s, dossier_xml(datum="2027-03-01", zorg=True), datum="2027-03-01")
    return s


def straat(leerling: Leerling) -> object:
    adres = leerling.gegevens["personalia.adres"]
    assert isinstance(adres, dict)
    return adres["straat"]


def audit(store: Store) -> list[AuditEntry]:
    with store.snapshot() as view:
        return sorted(list_audit(view), key=lambda e: e.id)


def test_first_registration_creates_the_pupil_and_links_the_request(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    plan = services.plan(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stap="personalia", plaatsing=PLAATSING
    )
    assert plan.nieuwe_leerling and plan.kan_toepassen and not plan.waarschuwingen
    verdicts = {r.pad: r.oordeel for r in plan.regels}
    assert verdicts["personalia.achternaam"] == "nieuw"
    assert verdicts["plaatsing.klas"] == "nieuw"
    result = services.apply(ctx_of(store, settings, "admin").at(MAART), plan)
    assert result.leerling_aangemaakt and result.gewijzigd
    assert "aangemaakt" in result.melding
    leerling = services.get_pupil(ctx_of(store), PGN)
    assert leerling is not None and leerling.naam == "Noor Vermeulen"
    assert leerling.gegevens["personalia.adres"] == {
        "straat": "Kastanjelaan",
        "huisnummer": "12",
        "postcode": "3511AB",
        "plaats": "Utrecht",
        "land": "Nederland",
    }
    shown = {
        v.pad: v.herkomst
        for stap in services.show(ctx_of(store, settings, "admin"), pgn=PGN).stappen
        for v in stap.velden
    }
    assert shown["plaatsing.klas"] is not None and shown["plaatsing.klas"].bron == "invoer"
    assert shown["personalia.achternaam"] is not None and shown["personalia.achternaam"].bron == "dossier"
    assert set(leerling.herkomst.values()) == {result.mutatie.id if result.mutatie else ""}
    assert list(leerling.stappen) == ["personalia"]
    from oso_tui.exchange.models import Aanvraag

    with store.snapshot() as view:
        request = view.collection(AANVRAGEN, Aanvraag).get("a1")
    assert request is not None and request.leerling_id == leerling.id
    assert [e.actie for e in audit(store)] == ["registreren"]


def test_re_registering_says_nothing_changed(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    again = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", plaatsing=PLAATSING)
    assert again.al_geregistreerd
    [result] = services.register(
        ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    assert not result.gewijzigd and "niets gewijzigd" in result.melding
    assert len(services.history(ctx_of(store, settings, "admin"), pgn=PGN)) == 1


def test_the_march_may_story(store: Store, tmp_path: Path) -> None:
    """March: personalia. May: a newer dossier through the same request; loopbaan gets the eindtoets;
    personalia again: aanvullen leaves the changed address alone, overschrijven takes it."""
    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )

    ontvang(
        store,
        dossier_xml(datum="2027-05-20", straat="Lindenweg", nummer="3", eindtoets=True),
        datum="2027-05-20",
    )
    loopbaan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="loopbaan")
    assert loopbaan.dossier.datum.isoformat() == "2027-05-20"
    assert not loopbaan.nieuwe_leerling, "the May dossier links to the pupil registered in March"
    services.apply_all(ctx_of(store, settings, "admin").at(MEI), [loopbaan])
    leerling = services.get_pupil(ctx_of(store), PGN)
    assert leerling is not None
    assert leerling.gegevens["loopbaan.eindtoets.standaardscore"] == 88
    assert leerling.gegevens["loopbaan.eindtoets.advies"] == "havo/vwo"
    assert leerling.stappen["loopbaan"].dossier == loopbaan.dossier.id
    assert leerling.stappen["personalia"].dossier != loopbaan.dossier.id

    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia")
    regels = {r.pad: r for r in plan.regels}
    adres = regels["personalia.adres"]
    assert adres.oordeel == "gewijzigd" and adres.actie == "behouden"
    assert {d.veld for d in adres.delen if d.oordeel == "gewijzigd"} == {"straat", "huisnummer"}
    assert regels["plaatsing.klas"].oordeel == "alleen geregistreerd", "placement is kept"
    services.apply(ctx_of(store, settings, "admin").at(MEI + timedelta(minutes=1)), plan)
    leerling = services.get_pupil(ctx_of(store), PGN)
    assert leerling is not None and straat(leerling) == "Kastanjelaan"
    assert leerling.gegevens["plaatsing.klas"] == "1B"

    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", modus="overschrijven")
    result = services.apply(ctx_of(store, settings, "admin").at(MEI + timedelta(minutes=2)), plan)
    leerling = services.get_pupil(ctx_of(store), PGN)
    assert leerling is not None
    assert straat(leerling) == "Lindenweg"
    assert leerling.gegevens["plaatsing.klas"] == "1B", "overschrijven never clears"
    assert result.mutatie is not None
    [change] = result.mutatie.wijzigingen
    assert change.pad == "personalia.adres" and change.label == "Adres"
    assert isinstance(change.oud, dict) and isinstance(change.nieuw, dict)
    assert (change.oud["straat"], change.oud["huisnummer"]) == ("Kastanjelaan", "12")
    assert (change.nieuw["straat"], change.nieuw["huisnummer"]) == ("Lindenweg", "3")

    undone = services.undo(
        ctx_of(store, settings, "admin").at(MEI + timedelta(minutes=3)), pgn=PGN, stap="personalia"
    )
    leerling = services.get_pupil(ctx_of(store), PGN)
    assert leerling is not None and straat(leerling) == "Kastanjelaan"
    assert "ongedaan" in undone.melding
    acties = [e.actie for e in audit(store)]
    assert acties == ["registreren", "registreren", "registreren", "registreren", "ongedaan"]


def test_per_field_choice_in_a_plan(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    ontvang(store, dossier_xml(datum="2027-05-20", straat="Lindenweg", nummer="3"), datum="2027-05-20")
    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia")
    plan = plan.kies("personalia.adres", "overnemen").kies("plaatsing.klas", "wissen")
    by_path = {r.pad: r for r in plan.wijzigingen}
    assert set(by_path) == {"personalia.adres", "plaatsing.klas"}
    assert by_path["plaatsing.klas"].actie == "wissen"
    services.apply(ctx_of(store, settings, "admin").at(MEI), plan)
    leerling = services.get_pupil(ctx_of(store), PGN)
    assert leerling is not None
    assert straat(leerling) == "Lindenweg"
    assert "plaatsing.klas" not in leerling.gegevens


def test_a_stale_plan_is_refused(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", plaatsing=PLAATSING)
    services.apply(ctx_of(store, settings, "admin").at(MAART), plan)
    undo_plan = services.plan(
        ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", modus="overschrijven"
    )
    services.undo(ctx_of(store, settings, "admin"), pgn=PGN)
    with pytest.raises(RefusedError, match="intussen"):
        services.apply(ctx_of(store, settings, "admin"), undo_plan)


def test_undo_of_the_first_registration_removes_the_pupil_again(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    result = services.undo(ctx_of(store, settings, "admin"), pgn=PGN)
    assert result.leerling_verwijderd
    assert services.get_pupil(ctx_of(store), PGN) is None
    with pytest.raises(RefusedError, match="geen geregistreerde leerling"):
        services.undo(ctx_of(store, settings, "admin"), pgn=PGN)
    history = services.history(ctx_of(store, settings, "admin"), pgn=PGN)
    assert [(m.soort, m.ongedaan_door is not None) for m in history] == [
        ("registratie", True),
        ("ongedaan", False),
    ]
    with store.snapshot() as view:
        assert [a.leerling_id for a in aanvragen.of_pgn(view, PGN)] == [None], "the request is unlinked"


def test_undoing_a_new_pupil_finds_its_requests_without_reading_the_requests_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "oso.json")
    aanvraag(store)
    ontvang(store, dossier_xml())
    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    with store.transaction() as tx:  # the index a store gets with its first request through the services
        tellingen.rebuild(tx)
    store = Store.open(tmp_path / "oso.json")
    parsed = count_parses(monkeypatch)
    searched: list[str] = []
    real = PartsState.search

    def searching(self: PartsState, name: str, needles: list[bytes]) -> Any:
        searched.append(name)
        return real(self, name, needles)

    monkeypatch.setattr(PartsState, "search", searching)
    assert services.undo(ctx_of(store, settings, "admin"), pgn=PGN).leerling_verwijderd
    assert AANVRAGEN not in parsed + searched, "the PGN's requests by id, not a search through all"
    with store.snapshot() as view:
        assert [a.leerling_id for a in aanvragen.of_pgn(view, PGN)] == [None]


def test_warnings_must_be_acknowledged_and_errors_block(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    aanvraag(store)
    ontvang(store, dossier_xml(voorlopig=True))
    settings = make_settings(tmp_path)
    with pytest.raises(RefusedError, match="eerst bevestigd moeten worden") as refused:
        services.register(ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"])
    assert "--" not in refused.value.message, "a service speaks the app's words, not CLI options"
    [result] = services.register(
        ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"], accepteer_waarschuwingen=True
    )
    assert result.gewijzigd
    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="loopbaan")
    broken = plan.model_copy(update={"fouten": ["Het veld geboortedatum ontbreekt."]})
    with pytest.raises(RefusedError, match="fout"):
        services.apply(ctx_of(store, settings, "admin"), broken, accepteer_waarschuwingen=True)


def test_a_differing_name_needs_confirmation_before_linking(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"])
    ontvang(store, dossier_xml(datum="2027-05-20", achternaam="Jansen"), datum="2027-05-20")
    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="loopbaan")
    assert any("wijkt af" in w for w in plan.waarschuwingen)
    with pytest.raises(RefusedError):
        services.apply(ctx_of(store, settings, "admin"), plan)


def test_roles_refuse_and_hide_care_data(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, {"admin": ("administratie",), "ib": ("zorg",), "it": ("beheer",)})
    with pytest.raises(RefusedError, match="rol zorg"):
        services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="begeleiding")
    with pytest.raises(RefusedError):
        services.register(ctx_of(store, settings, "it"), pgn=PGN, stappen=["personalia"])
    services.register(ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"])
    services.register(ctx_of(store, settings, "ib").at(MAART), pgn=PGN, stappen=["begeleiding"])
    with pytest.raises(RefusedError, match="rol zorg"):
        services.undo(ctx_of(store, settings, "admin"), pgn=PGN, stap="begeleiding")

    shown = services.show(ctx_of(store, settings, "admin"), pgn=PGN)
    care = shown.stappen[-1]
    assert care.verborgen and care.velden == []
    history = services.history(ctx_of(store, settings, "admin"), pgn=PGN)
    care_entry = next(m for m in history if m.stap == "begeleiding")
    assert all(w.nieuw == VERBORGEN for w in care_entry.wijzigingen)
    assert "F81" not in care_entry.model_dump_json(), "not even a diagnosis code in a row key"
    before = len(audit(store))
    shown = services.show(ctx_of(store, settings, "ib").at(MEI), pgn=PGN)
    assert any("Dyslexie" in v.tekst for v in shown.stappen[-1].velden)
    assert [e.actie for e in audit(store)[before:]] == ["bekijken-zorg"]

    with pytest.raises(RefusedError, match="rol beheer"):
        services.export(ctx_of(store, settings, "ib"))
    with pytest.raises(RefusedError, match="rol zorg"):
        services.export(ctx_of(store, settings, "it"), met_begeleiding=True)
    with pytest.raises(RefusedError, match="rol beheer"):
        services.audit_log(ctx_of(store, settings, "admin"))


def test_show_gives_provenance(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    shown = services.show(ctx_of(store, settings, "admin"), pgn=PGN)
    personalia = {v.pad: v for v in shown.stappen[0].velden}
    assert personalia["personalia.achternaam"].label == "Achternaam"
    herkomst = personalia["personalia.achternaam"].herkomst
    assert herkomst is not None and herkomst.dossierdatum is not None
    assert herkomst.dossierdatum.isoformat() == "2027-03-01" and herkomst.door == "admin"
    assert shown.stappen[1].info is None and shown.stappen[1].velden == []


def test_export_csv_and_json_with_and_without_care_data(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART),
        pgn=PGN,
        stappen=["personalia", "loopbaan", "begeleiding"],
        plaatsing=PLAATSING,
    )
    plain = services.export(ctx_of(store, settings, "it"))
    assert plain.tekst.startswith("\ufeff")
    header, line = csv.reader(io.StringIO(plain.tekst.removeprefix("\ufeff")), delimiter=";")
    assert header[:3] == ["BSN of onderwijsnummer", "Naam", "Personalia en plaatsing: geregistreerd op"]
    assert (
        "Achternaam" in header
        and "Diagnoses" not in header
        and "Toelichting onderwijsbehoeften" not in header
    )
    assert PGN in line and "Vermeulen" in line and not any("Dyslexie" in cell for cell in line)
    care_csv = services.export(ctx_of(store, settings, "it"), met_begeleiding=True)
    assert "Diagnoses" in care_csv.tekst.splitlines()[0] and "Dyslexie" in care_csv.tekst
    care = services.export(ctx_of(store, settings, "it"), formaat="json", met_begeleiding=True)
    data = json.loads(care.tekst)
    assert data[0]["pgn"] == PGN
    assert any("Dyslexie" in json.dumps(v) for v in data[0]["gegevens"].values())
    exports = [e for e in audit(store) if e.actie == "export"]
    assert len(exports) == 3 and "met begeleiding" in exports[2].detail


def test_audit_listing_filters(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"])
    services.undo(ctx_of(store, settings, "ander").at(MEI), pgn=PGN)
    everything = services.audit_log(ctx_of(store, settings, "it"))
    assert [e.actie for e in everything] == ["registreren", "ongedaan"]
    assert [e.actie for e in services.audit_log(ctx_of(store, settings, "it"), gebruiker="ander")] == [
        "ongedaan"
    ]
    assert [e.actie for e in services.audit_log(ctx_of(store, settings, "it"), tot=MAART.date())] == [
        "registreren"
    ]
    assert [e.actie for e in services.audit_log(ctx_of(store, settings, "it"), van=MEI.date(), pgn=PGN)] == [
        "ongedaan"
    ]


def test_attachments_are_saved_as_zip_only_on_request(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    listed = services.list_attachments(ctx_of(store, settings, "ib"), pgn=PGN)
    assert [b.bestandsnaam for b in listed] == ["dyslexieverklaring.pdf"]
    folder = tmp_path / "bijlagen"
    folder.mkdir()
    [saved] = services.save_attachments(ctx_of(store, settings, "ib"), pgn=PGN, map=folder)
    assert saved.name == "dyslexieverklaring.pdf.zip"
    assert list(folder.iterdir()) == [saved], "the ZIP is not unpacked"
    with zipfile.ZipFile(saved) as archive:
        assert archive.namelist() == ["dyslexieverklaring.pdf"]
    [second] = services.save_attachments(ctx_of(store, settings, "ib"), pgn=PGN, map=folder)
    assert second != saved and saved.exists(), "an existing file is never overwritten"
    assert [e.actie for e in audit(store)][-2:] == ["bijlagen-opslaan", "bijlagen-opslaan"]


def test_step_overview_for_the_step_picker(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, {"admin": ("administratie",)})
    before = services.show_steps(ctx_of(store, settings, "admin"), pgn=PGN)
    assert before.leerling_id is None and before.dossier is not None
    personalia, _, begeleiding = before.stappen
    assert personalia.info is None and personalia.nieuw and personalia.heeft_verschillen
    assert not begeleiding.mag and begeleiding.nieuw is None, "no counts for a step the user may not run"
    services.register(ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"])
    after = services.show_steps(ctx_of(store, settings, "admin"), pgn=PGN)
    assert after.naam == "Noor Vermeulen"
    assert after.stappen[0].info is not None and after.stappen[0].al_geregistreerd
    assert after.stappen[0].wijzigingen == 0 and after.stappen[1].wijzigingen
    assert audit(store)[-1].actie == "registreren", "counting changes is not a view of care data"


def test_collective_registration_goes_on_after_a_refusal(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    seen: list[tuple[int, int]] = []
    outcomes = services.register_many(
        ctx_of(store, settings, "admin").at(MAART),
        pgns=["111222333", PGN],
        stappen=["personalia", "loopbaan"],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [o.gelukt for o in outcomes] == [False, True]
    assert "nog geen opgehaald dossier" in outcomes[0].melding
    assert len(outcomes[1].registraties) == 2
    assert seen == [(1, 2), (2, 2)]


def test_plan_groups_lines_in_sections(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", plaatsing=PLAATSING)
    titles = [title for title, _ in plan.secties]
    assert titles[:2] == ["Leerling", "Adres"] and "Verzorgers" in titles and titles[-1] == "Plaatsing"
    assert sum(len(lines) for _, lines in plan.secties) == len(plan.regels)


def test_placement_from_form_fields() -> None:
    from oso_tui.errors import UsageError
    from oso_tui.registration.steps import parse_plaatsing, plaatsing_uit

    assert plaatsing_uit(
        {"schooljaar": "2027-2028", "leerjaar": "1", "klas": " 1B ", "opleiding": ""}
    ) == Plaatsing(schooljaar="2027-2028", leerjaar=1, klas="1B")
    assert parse_plaatsing(
        "schooljaar=2027-2028,leerjaar=1,opleiding=havo/vwo,klas=1B,startdatum=2027-08-30"
    ) == (
        Plaatsing(
            schooljaar="2027-2028", leerjaar=1, opleiding="havo/vwo", klas="1B", startdatum=date(2027, 8, 30)
        )
    )
    for bad in ({"schooljaar": "2027-2029"}, {"leerjaar": "9"}, {"startdatum": "morgen"}, {"kamer": "1"}):
        with pytest.raises(UsageError):
            plaatsing_uit(bad)


def test_attachments_by_number(store: Store, tmp_path: Path) -> None:
    from oso_tui.errors import UsageError

    settings = make_settings(tmp_path)
    folder = tmp_path / "b"
    folder.mkdir()
    [saved] = services.save_attachments(ctx_of(store, settings, "ib"), pgn=PGN, map=folder, nummers=[0])
    assert saved.name.startswith("dyslexieverklaring")
    with pytest.raises(UsageError, match="bestaat niet"):
        services.save_attachments(ctx_of(store, settings, "ib"), pgn=PGN, map=folder, nummers=[3])


def test_a_purged_dossier_cannot_be_registered_but_the_pupil_stays(store: Store, tmp_path: Path) -> None:
    from oso_tui.exchange.models import DossierVersie
    from oso_tui.store.tables import DOSSIERS

    settings = make_settings(tmp_path)
    services.register(ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"])
    with store.transaction() as tx:
        versies = tx.collection(DOSSIERS, DossierVersie)
        for v in versies.all():
            versies.put(v.model_copy(update={"verwijderd": True}))
            store.remove_raw(v.id)
    with pytest.raises(RefusedError, match="zomervakantie"):
        services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="loopbaan")
    overview = services.show_steps(ctx_of(store, settings, "admin"), pgn=PGN)
    assert overview.dossier is None and overview.melding is not None and "zomervakantie" in overview.melding
    assert services.show(ctx_of(store, settings, "admin"), pgn=PGN).naam == "Noor Vermeulen"


def test_a_derived_default_never_overwrites_the_schools_choice(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oso_tui.registration import steps

    settings = make_settings(tmp_path)
    monkeypatch.setattr(steps, "advieslabel", lambda code: "vmbo theoretische leerweg")
    first = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia")
    assert {r.pad: r.dossier for r in first.regels}["plaatsing.opleiding"] == "vmbo-t"
    services.register(
        ctx_of(store, settings, "admin").at(MAART),
        pgn=PGN,
        stappen=["personalia"],
        plaatsing=Plaatsing(opleiding="havo"),
    )
    again = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia", modus="overschrijven")
    regel = {r.pad: r for r in again.regels}["plaatsing.opleiding"]
    assert regel.oordeel == "alleen geregistreerd" and not regel.wijzigt


def test_history_without_care_values_is_not_a_care_view(store: Store, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    services.register(ctx_of(store, settings, "ib").at(MAART), pgn=PGN, stappen=["personalia", "begeleiding"])
    before = len(audit(store))
    listed = services.history(ctx_of(store, settings, "ib"), pgn=PGN, met_begeleiding=False)
    [zorg] = [m for m in listed if m.stap == "begeleiding"]
    assert zorg.wijzigingen and all(w.nieuw == VERBORGEN for w in zorg.wijzigingen)
    assert len(audit(store)) == before
    shown = services.history(ctx_of(store, settings, "ib").at(MEI), pgn=PGN)
    [zorg] = [m for m in shown if m.stap == "begeleiding"]
    assert any("Dyslexie" in str(w.nieuw) for w in zorg.wijzigingen)
    assert audit(store)[-1].actie == "bekijken-zorg"


def test_a_dossier_with_errors_shows_them_and_cannot_be_registered(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2] / "sample_dossiers" / "invalid"
    store = Store.open(tmp_path / "oso.json")
    aanvraag(store, pgn="963989935")
    ontvang(store, (samples / "inzage_false.xml").read_bytes(), pgn="963989935")
    settings = make_settings(tmp_path)
    plan = services.plan(ctx_of(store, settings, "admin"), pgn="963989935", stap="loopbaan")
    assert plan.fouten and not plan.kan_toepassen and plan.regels, "the diff can be looked at"
    with pytest.raises(RefusedError, match="kan niet geregistreerd worden"):
        services.apply(ctx_of(store, settings, "admin"), plan, accepteer_waarschuwingen=True)
    assert services.get_pupil(ctx_of(store), "963989935") is None


def test_the_overview_row_follows_every_registration_and_undo(store: Store, tmp_path: Path) -> None:
    from oso_tui import services

    settings = make_settings(tmp_path)

    def overview() -> list[tuple[str, list[str]]]:
        return [(row.pgn, row.stappen) for row in services.list_requests(ctx_of(store))]

    assert overview() == [(PGN, [])]
    with pytest.raises(RefusedError, match="nog geen personalia"):
        services.register(ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["loopbaan"])
    assert overview() == [(PGN, [])], "no pupil without personalia"
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    services.register(ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["loopbaan"])
    assert overview() == [(PGN, ["personalia", "loopbaan"])]
    assert services.count_statuses(ctx_of(store)).leerlingen == 1
    services.undo(ctx_of(store, settings, "admin"), pgn=PGN, stap="loopbaan")
    assert overview() == [(PGN, ["personalia"])]
    services.undo(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia")
    assert overview() == [(PGN, [])]
    assert services.count_statuses(ctx_of(store)).leerlingen == 0


def test_a_registration_writes_only_its_own_pupil_and_history_shards(store: Store, tmp_path: Path) -> None:
    from oso_tui.store.tables import HISTORIE, LEERLINGEN, all_shards, shard_of

    settings = make_settings(tmp_path)
    services.register(
        ctx_of(store, settings, "admin").at(MAART), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    with store.snapshot() as view:
        filled = {name for name in view.tables() if len(view.table(name))}
    assert filled & set(all_shards(LEERLINGEN)) == {shard_of(LEERLINGEN, PGN)}
    assert filled & set(all_shards(HISTORIE)) == {shard_of(HISTORIE, PGN)}
    assert LEERLINGEN not in filled and HISTORIE not in filled
