"""The school year in the services: renewal defaults, a wider renewal, the summer once, field names."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.cli import main
from oso_tui.errors import RefusedError, UsageError
from oso_tui.exchange.folder import FolderExchange
from oso_tui.registration.labels import veldpad
from oso_tui.store import Store
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of

BSN1, BSN2 = valid_bsns(2)
BIRTH = date(2014, 5, 1)


def _ctx(tmp_path: Path, today: date) -> services.Context:
    settings = settings_for(tmp_path, today)
    return ctx_of(Store.open(settings.db_path), settings, "jan")


def _fetch(ctx: services.Context) -> services.FetchReport:
    return services.fetch(ctx, FolderExchange(ctx.settings.inbox_dir))


def test_a_wider_renewal_finds_a_file_judged_not_new(tmp_path: Path) -> None:
    maart = _ctx(tmp_path, date(2027, 3, 20))
    maart.settings.inbox_dir.mkdir()
    services.request(maart, pgn=BSN1, geboortedatum=BIRTH, brin="12AB", achternaam="Jansen")
    (maart.settings.inbox_dir / "maart.xml").write_bytes(dossier_xml(BSN1, datum=date(2027, 3, 10)))
    assert _fetch(maart).telling["opgehaald"] == 1

    mei = _ctx(tmp_path, date(2027, 5, 30))
    [aanvraag] = services.list_requests(mei)
    assert services.default_sinds(mei, aanvraag.id) == date(2027, 3, 10)
    renewed = services.renew(mei, pgns=[BSN1], sinds=date(2027, 5, 1))
    assert renewed.hernieuwd[0].sinds == date(2027, 5, 1)
    # Another version, compiled before the chosen date: not new, kept aside with a way back.
    ouder = dossier_xml(BSN1, datum=date(2027, 4, 2), voornaam="Noortje")
    (mei.settings.inbox_dir / "april.xml").write_bytes(ouder)
    report = _fetch(mei)
    [regel] = report.regels
    assert regel.uitkomst == "geen nieuwe gegevens"
    assert "02-04-2027" in regel.reden and "rejected/" in regel.reden and "terug in de inbox" in regel.reden
    rejected = mei.settings.inbox_dir / "rejected" / "april.xml"
    assert rejected.read_bytes() == ouder

    # The request is still waiting: renewing it again only moves its date.
    again = services.renew(mei, alle=True, sinds=date(2027, 4, 1))
    assert [(a.status, a.sinds) for a in again.hernieuwd] == [("aangevraagd", date(2027, 4, 1))]
    rejected.rename(mei.settings.inbox_dir / "april.xml")
    report = _fetch(mei)
    assert [r.uitkomst for r in report.regels] == ["nieuwe versie"]
    assert [v.datum for v in services.list_versions(mei, services.get_request(mei, id=aanvraag.id))] == [
        date(2027, 3, 10),
        date(2027, 4, 2),
    ]


def test_the_summer_runs_once_and_then_costs_one_read(tmp_path: Path) -> None:
    maart = _ctx(tmp_path, date(2027, 3, 20))
    services.request(maart, pgn=BSN1, geboortedatum=BIRTH, brin="12AB")
    services.request(maart, pgn=BSN2, geboortedatum=BIRTH, brin="12AB")
    assert not services.expire(maart).iets_gedaan
    september = _ctx(tmp_path, date(2027, 9, 15))
    result = services.expire(september)
    assert result.aantal_verlopen == 2 and result.vervaldatum is not None
    assert "2 aanvragen zijn verlopen" in result.melding()
    assert {r.status for r in services.list_requests(september)} == {"verlopen"}
    generation = september.store.generation()
    again = services.expire(september)
    assert not again.iets_gedaan and again.vervaldatum is None
    assert september.store.generation() == generation, "a second run writes nothing"
    services.renew(september, alle=True)
    assert not services.expire(_ctx(tmp_path, date(2027, 10, 1))).iets_gedaan
    assert {r.status for r in services.list_requests(september)} == {"aangevraagd"}


def test_a_plan_made_before_the_summer_cannot_be_applied_after_it(tmp_path: Path) -> None:
    maart = _ctx(tmp_path, date(2027, 3, 20))
    maart.settings.inbox_dir.mkdir()
    services.request(maart, pgn=BSN1, geboortedatum=BIRTH, brin="12AB", achternaam="Jansen")
    (maart.settings.inbox_dir / "a.xml").write_bytes(dossier_xml(BSN1, datum=date(2027, 3, 10)))
    _fetch(maart)
    plan = services.plan(maart, pgn=BSN1, stap="personalia")
    later = maart.at(datetime(2027, 9, 15, 10, 0).astimezone())
    with pytest.raises(RefusedError, match=r"10-03-2027 is van vóór de zomervakantie") as refused:
        services.apply(later, plan, accepteer_waarschuwingen=True)
    assert "--" not in refused.value.message
    assert services.get_pupil(maart, BSN1) is None


def test_loopbaan_for_a_pupil_without_personalia_says_so(tmp_path: Path) -> None:
    maart = _ctx(tmp_path, date(2027, 3, 20))
    maart.settings.inbox_dir.mkdir()
    services.request(maart, pgn=BSN1, geboortedatum=BIRTH, brin="12AB", achternaam="Jansen")
    (maart.settings.inbox_dir / "a.xml").write_bytes(dossier_xml(BSN1, datum=date(2027, 3, 10)))
    _fetch(maart)
    [uitkomst] = services.register_many(
        maart, pgns=[BSN1], stappen=["loopbaan"], accepteer_waarschuwingen=True
    )
    assert not uitkomst.gelukt and "nog geen personalia" in uitkomst.melding and uitkomst.naam
    assert services.get_pupil(maart, BSN1) is None
    assert [(r.pgn, r.open_stappen) for r in services.todo(maart)] == [
        (BSN1, ["personalia", "loopbaan", "begeleiding"])
    ]


def test_a_field_by_its_short_name() -> None:
    assert veldpad("adres") == "personalia.adres"
    assert veldpad("klas") == "plaatsing.klas"
    with pytest.raises(UsageError, match="niet eenduidig"):
        veldpad("advies")
    with pytest.raises(UsageError, match=r"geldige velden: .*personalia\.adres"):
        veldpad("adress")
    with pytest.raises(UsageError, match="Onbekend veld"):
        veldpad("loopbaan.advies.advies", ["personalia"])


def test_cli_refuses_an_unknown_choice_field_and_a_mistyped_database_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", str(tmp_path / "nergens" / "oso.json"), "status"])
    assert code == 2 and "bestaat niet" in capsys.readouterr().err
    assert not (tmp_path / "nergens").exists()
    db = str(tmp_path / "oso.json")
    code = main(["--db", db, "register", "--pgn", BSN1, "--stap", "personalia", "--keuze", "adress=wissen"])
    err = capsys.readouterr().err
    assert code == 2 and "Onbekend veld 'adress'" in err and "personalia.adres" in err


def test_the_step_picker_says_why_a_step_cannot_be_registered(tmp_path: Path) -> None:
    maart = _ctx(tmp_path, date(2027, 3, 20))
    maart.settings.inbox_dir.mkdir()
    services.request(maart, pgn=BSN1, geboortedatum=BIRTH, brin="12AB", achternaam="Jansen")
    (maart.settings.inbox_dir / "a.xml").write_bytes(dossier_xml(BSN1, datum=date(2027, 3, 10)))
    _fetch(maart)
    redenen = {s.stap: s.reden for s in services.show_steps(maart, pgn=BSN1).stappen}
    assert redenen["personalia"] is None and "eerst de personalia" in str(redenen["loopbaan"])
    september = _ctx(tmp_path, date(2027, 9, 15))
    services.expire(september)
    overzicht = services.show_steps(september, pgn=BSN1)
    assert all("zomervakantie" in str(s.reden) for s in overzicht.stappen)


def test_the_todo_list_puts_new_pupils_first_and_sees_a_newer_version(tmp_path: Path) -> None:
    maart = _ctx(tmp_path, date(2027, 3, 20))
    maart.settings.inbox_dir.mkdir()
    for pgn, naam in ((BSN1, "Aaltje"), (BSN2, "Zeger")):
        services.request(maart, pgn=pgn, geboortedatum=BIRTH, brin="12AB", achternaam="Jansen")
        xml = dossier_xml(pgn, datum=date(2027, 3, 10), voornaam=naam)
        (maart.settings.inbox_dir / f"{pgn}.xml").write_bytes(xml)
    _fetch(maart)
    services.register(maart, pgn=BSN1, stappen=["personalia"], accepteer_waarschuwingen=True)
    assert [(r.pgn, r.open_stappen, r.nieuwere_versie) for r in services.todo(maart)] == [
        (BSN2, ["personalia", "loopbaan", "begeleiding"], []),
        (BSN1, ["loopbaan", "begeleiding"], []),
    ]
    assert [r.pgn for r in services.todo(maart, stap="personalia")] == [BSN2]
    mei = _ctx(tmp_path, date(2027, 5, 30))
    services.renew(mei, pgns=[BSN1])
    xml = dossier_xml(BSN1, datum=date(2027, 5, 20), voornaam="Aaltje", achternaam="Jansen-de Vries")
    (mei.settings.inbox_dir / "mei.xml").write_bytes(xml)
    services.fetch(mei, FolderExchange(mei.settings.inbox_dir), bevestig=True)
    [eerste] = [r for r in services.todo(mei) if r.pgn == BSN1]
    assert eerste.nieuwere_versie == ["personalia"] and eerste.dossierdatum == date(2027, 5, 20)
    assert eerste.as_json()["dossierdatum"] == "2027-05-20"
    opnieuw = _ctx(tmp_path, date(2027, 5, 30))
    assert services.todo(opnieuw) == services.todo(mei)
    state = opnieuw.store._storage.committed
    # Every table read as a few fields straight from its files: no pupil shard kept parsed.
    assert state is not None and state.loaded == []


def test_the_todo_list_takes_the_steps_sources_from_the_overview_not_the_pupil_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In May nearly every pupil has two versions: the list, rebuilt after every step, finds which
    steps came from an older one in the overview rows, without reading a pupil's record; a row
    written before the rows said so still gets the same answer from the record."""
    from oso_tui.records import leerlingen
    from oso_tui.registration.models import LeerlingOverzicht
    from oso_tui.store.tables import LEERLINGOVERZICHT

    maart = _ctx(tmp_path, date(2027, 3, 20))
    maart.settings.inbox_dir.mkdir()
    services.request(maart, pgn=BSN1, geboortedatum=BIRTH, brin="12AB", achternaam="Jansen")
    (maart.settings.inbox_dir / "maart.xml").write_bytes(dossier_xml(BSN1, datum=date(2027, 3, 10)))
    _fetch(maart)
    services.register(maart, pgn=BSN1, stappen=["personalia"], accepteer_waarschuwingen=True)
    mei = _ctx(tmp_path, date(2027, 5, 30))
    services.renew(mei, pgns=[BSN1])
    (mei.settings.inbox_dir / "mei.xml").write_bytes(dossier_xml(BSN1, datum=date(2027, 5, 20)))
    services.fetch(mei, FolderExchange(mei.settings.inbox_dir), bevestig=True)
    read: list[str] = []
    real = leerlingen.scan_of

    def counting(view: object, pgns: object, model: object) -> object:
        wanted = list(pgns)  # type: ignore[call-overload]
        read.extend(wanted)
        return real(view, wanted, model)  # type: ignore[arg-type]

    monkeypatch.setattr(leerlingen, "scan_of", counting)
    [regel] = services.todo(_ctx(tmp_path, date(2027, 5, 30)))
    assert regel.nieuwere_versie == ["personalia"] and read == [], "no pupil record was read"
    with mei.store.transaction() as tx:
        rows = tx.collection(LEERLINGOVERZICHT, LeerlingOverzicht)
        [row] = rows.all()
        rows.put(row.model_copy(update={"herkomst": None}))
    assert services.todo(_ctx(tmp_path, date(2027, 5, 30))) == [regel] and read == [BSN1]
