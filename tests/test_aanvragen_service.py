"""Request services on a real store: single, collective, renewal, withdrawal, fetching from a folder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.dossier import read_dossier
from oso_tui.errors import RefusedError, UsageError
from oso_tui.exchange.base import Binnenkomend
from oso_tui.exchange.folder import FolderExchange
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.store.audit import AuditEntry
from oso_tui.store.tables import AANVRAGEN, AUDIT, DOSSIERS, LEERLINGOVERZICHT
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of

TODAY = date(2026, 3, 20)
BSN1, BSN2, BSN3 = valid_bsns(3)
BIRTH = date(2014, 5, 1)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path, TODAY)


@pytest.fixture
def store(settings: Settings) -> Store:
    return Store.open(settings.db_path)


@pytest.fixture
def inbox(settings: Settings) -> Path:
    settings.inbox_dir.mkdir()
    return settings.inbox_dir


def _request(store: Store, settings: Settings, pgn: str = BSN1, **kw: object) -> Aanvraag:
    args: dict[str, object] = {"pgn": pgn, "geboortedatum": BIRTH, "brin": "12AB", "achternaam": "Jansen"}
    args.update(kw)
    return services.request(ctx_of(store, settings, "jan"), **args)  # type: ignore[arg-type]


def _fetch(store: Store, settings: Settings, inbox: Path, **kw: object) -> services.FetchReport:
    return services.fetch(ctx_of(store, settings, "jan"), FolderExchange(inbox), **kw)  # type: ignore[arg-type]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


# -- single requests ------------------------------------------------------------------------------


def test_request_one_is_stored_with_history(store: Store, settings: Settings) -> None:
    made = _request(store, settings, pgn="1000.00.009", brin="12ab")
    assert made.pgn == BSN1 and made.brin == "12AB" and made.vestiging == "00"
    assert made.status == "aangevraagd" and made.aangemaakt == TODAY
    with store.snapshot() as view:
        stored = view.collection(AANVRAGEN, Aanvraag).get(made.id)
    assert stored == made
    assert [(w.naar, w.datum, w.door) for w in made.statushistorie] == [("aangevraagd", TODAY, "jan")]


def test_second_open_request_for_same_pgn_is_refused(store: Store, settings: Settings) -> None:
    _request(store, settings)
    with pytest.raises(RefusedError, match=r"al een aanvraag.*hernieuw"):
        _request(store, settings, brin="34CD")
    services.withdraw(ctx_of(store, settings, "jan"), pgn=BSN1)
    again = _request(store, settings, brin="34CD")
    assert again.brin == "34CD"
    assert len(services.list_requests(ctx_of(store))) == 2


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"pgn": "123"}, "9 cijfers"),
        ({"pgn": "123456789"}, "elfproef"),
        ({"brin": "1234"}, "BRIN"),
        ({"vestiging": "1a"}, "vestiging"),
        ({"geboortedatum": date(2030, 1, 1)}, "verleden"),
    ],
)
def test_bad_request_input_is_refused_and_nothing_stored(
    store: Store, settings: Settings, kw: dict[str, object], message: str
) -> None:
    with pytest.raises((RefusedError, UsageError), match=message):
        _request(store, settings, **kw)
    assert services.list_requests(ctx_of(store)) == []


def test_withdraw_without_open_request_is_refused(store: Store, settings: Settings) -> None:
    with pytest.raises(RefusedError, match="geen open aanvraag"):
        services.withdraw(ctx_of(store, settings, "jan"), pgn=BSN1)


# -- collective requests ----------------------------------------------------------------------------


def test_collective_request_preview_then_one_transaction(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    _request(store, settings, pgn=BSN3)
    csv = tmp_path / "inschrijvingen.csv"
    csv.write_bytes(
        b"\xef\xbb\xbfpgn;geboortedatum;brin;achternaam\r\n"
        + f"{BSN1};01-05-2014;12AB;Jansen\r\n{BSN2};2014-06-01;34cd;\r\n{BSN3};2014-05-01;12AB;\r\n"
        "123456789;2014-05-01;12AB;Fout\r\n".encode()
    )
    preview = services.preview_csv(ctx_of(store, settings, "jan"), csv)
    assert [a.pgn for a in preview.gemaakt] == [BSN1, BSN2]
    assert [o.regel.pgn for o in preview.overgeslagen] == [BSN3]
    assert [(f.rij, "elfproef" in f.reden) for f in preview.geweigerd] == [(5, True)]
    assert not preview.opgeslagen
    assert len(services.list_requests(ctx_of(store))) == 1, "a preview writes nothing"
    generation = store.generation()

    result = services.request_csv(ctx_of(store, settings, "jan"), csv)
    assert store.generation() == generation + 1, "all rows land in ONE transaction"
    assert result.samenvatting() == "2 aanvragen gemaakt, 1 overgeslagen (al aangevraagd), 1 rijen geweigerd."
    assert sorted(r.pgn for r in services.list_requests(ctx_of(store))) == sorted([BSN1, BSN2, BSN3])
    again = services.request_csv(ctx_of(store, settings, "jan"), csv)
    assert (len(again.gemaakt), len(again.overgeslagen)) == (0, 3)


# -- fetching from the inbox ------------------------------------------------------------------------------


def test_fetch_links_stores_and_moves(store: Store, settings: Settings, inbox: Path) -> None:
    aanvraag = _request(store, settings)
    (inbox / "noor.xml").write_bytes(dossier_xml(BSN1))
    progress: list[tuple[int, int, str]] = []
    report = _fetch(store, settings, inbox, progress=lambda *a: progress.append(a))
    assert [(r.naam, r.uitkomst) for r in report.regels] == [("noor.xml", "opgehaald")]
    assert progress == [(1, 1, "noor.xml")]
    assert list(inbox.iterdir()) == [], "the store holds the dossier durably: the inbox copy is removed"
    row = services.list_requests(ctx_of(store))[0]
    assert (row.status, row.naam, row.laatste_dossierdatum, row.versies) == (
        "opgehaald",
        "Noor Jansen",
        date(2026, 3, 10),
        1,
    )
    versie, dossier = services.latest_dossier(ctx_of(store), BSN1)
    assert versie.aanvraag_id == aanvraag.id and dossier.leerling.achternaam == "Jansen"
    assert store.has_raw(versie.id)
    # Fetching again is a no-op: nothing in the inbox, nothing written.
    generation = store.generation()
    assert _fetch(store, settings, inbox).regels == []
    assert store.generation() == generation


def test_same_file_twice_is_a_no_op_by_content(store: Store, settings: Settings, inbox: Path) -> None:
    _request(store, settings)
    (inbox / "a.xml").write_bytes(dossier_xml(BSN1))
    (inbox / "b.xml").write_bytes(dossier_xml(BSN1))
    report = _fetch(store, settings, inbox)
    assert [(r.naam, r.uitkomst) for r in report.regels] == [
        ("a.xml", "opgehaald"),
        ("b.xml", "al ontvangen"),
    ]
    (inbox / "a.xml").write_bytes(dossier_xml(BSN1))
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == ["al ontvangen"]
    assert list(inbox.iterdir()) == [], "the store holds these bytes: no copy is kept"
    with store.snapshot() as view:
        assert len(view.collection(DOSSIERS, DossierVersie).all()) == 1


def test_invalid_dossier_is_rejected_with_a_reason_file(
    store: Store, settings: Settings, inbox: Path
) -> None:
    _request(store, settings)
    (inbox / "kapot.xml").write_bytes(dossier_xml(BSN1)[:-40])
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == ["ongeldig"]
    assert _files(inbox / "rejected") == ["kapot.xml", "kapot.xml.reden.txt"]
    reason = (inbox / "rejected" / "kapot.xml.reden.txt").read_text(encoding="utf-8")
    assert reason.startswith("Ongeldig dossier:")
    assert services.list_requests(ctx_of(store))[0].status == "aangevraagd", (
        "no PGN could be read, so no request failed"
    )


def test_invalid_dossier_with_readable_pgn_fails_the_request(
    store: Store, settings: Settings, inbox: Path
) -> None:
    _request(store, settings)
    bad = dossier_xml(BSN1).replace(b"<inzage>true</inzage>", b"<inzage>false</inzage>")
    if read_dossier(bad).ok:
        pytest.skip("the dossier reader does not flag inzage=false (business rule) yet")
    (inbox / "geen-inzage.xml").write_bytes(bad)
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == ["ongeldig"]
    row = services.list_requests(ctx_of(store))[0]
    assert row.status == "mislukt" and row.reden and row.reden.startswith("Ongeldig dossier")


def test_unmatched_dossier_stays_in_the_inbox(store: Store, settings: Settings, inbox: Path) -> None:
    (inbox / "onbekend.xml").write_bytes(dossier_xml(BSN2))
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == ["zonder aanvraag"]
    assert _files(inbox) == ["onbekend.xml"]
    assert services.count_statuses(ctx_of(store)).zonder_aanvraag == 1
    # Once requested, the next fetch picks it up; the unmatched list empties.
    _request(store, settings, pgn=BSN2)
    assert [r.uitkomst for r in _fetch(store, settings, inbox).regels] == ["opgehaald"]
    assert services.count_statuses(ctx_of(store)).zonder_aanvraag == 0


def test_birth_date_or_school_mismatch_fails_the_request(
    store: Store, settings: Settings, inbox: Path
) -> None:
    _request(store, settings)
    _request(store, settings, pgn=BSN2)
    (inbox / "datum.xml").write_bytes(dossier_xml(BSN1, geboortedatum=date(2014, 5, 2)))
    (inbox / "school.xml").write_bytes(dossier_xml(BSN2, brin="99ZZ"))
    report = _fetch(store, settings, inbox)
    assert sorted(r.uitkomst for r in report.regels) == ["afwijkend", "afwijkend"]
    rows = {r.pgn: r for r in services.list_requests(ctx_of(store))}
    assert rows[BSN1].status == "mislukt" and "Geboortedatum" in (rows[BSN1].reden or "")
    assert rows[BSN2].status == "mislukt" and "99ZZ" in (rows[BSN2].reden or "")
    assert _files(inbox / "rejected") == [
        "datum.xml",
        "datum.xml.reden.txt",
        "school.xml",
        "school.xml.reden.txt",
    ]


def test_surname_mismatch_needs_confirmation(store: Store, settings: Settings, inbox: Path) -> None:
    _request(store, settings, achternaam="de Vries")
    (inbox / "noor.xml").write_bytes(dossier_xml(BSN1, achternaam="Jansen"))
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == ["bevestiging nodig"]
    assert [(b.naam_aanvraag, b.naam_dossier) for b in report.te_bevestigen] == [("de Vries", "Noor Jansen")]
    assert _files(inbox) == ["noor.xml"] and services.list_requests(ctx_of(store))[0].status == "aangevraagd"
    confirmed = _fetch(store, settings, inbox, bevestig={report.te_bevestigen[0].sha256})
    assert [r.uitkomst for r in confirmed.regels] == ["opgehaald"]


def test_surname_with_voorvoegsel_and_accents_agrees(store: Store, settings: Settings, inbox: Path) -> None:
    _request(store, settings, achternaam="van den Bérg")
    (inbox / "x.xml").write_bytes(
        dossier_xml(BSN1, achternaam="Berg").replace(
            b"<achternaam>Berg</achternaam>",
            b"<voorvoegsel>van den</voorvoegsel><achternaam>Berg</achternaam>",
        )
    )
    assert [r.uitkomst for r in _fetch(store, settings, inbox).regels] == ["opgehaald"]


# -- newer versions and renewal -------------------------------------------------------------------------


def test_newer_version_links_to_the_same_request_and_pupil(
    store: Store, settings: Settings, inbox: Path
) -> None:
    aanvraag = _request(store, settings)
    (inbox / "maart.xml").write_bytes(dossier_xml(BSN1, datum=date(2026, 3, 10)))
    _fetch(store, settings, inbox)
    with store.transaction() as tx:  # registration created the pupil meanwhile
        tx.table(LEERLINGOVERZICHT).insert({"id": "L1", "pgn": BSN1, "stappen": ["loopbaan", "personalia"]})
    (inbox / "mei.xml").write_bytes(dossier_xml(BSN1, datum=date(2026, 3, 18), voornaam="Noortje"))
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == ["nieuwe versie"]
    rows = services.list_requests(ctx_of(store))
    assert len(rows) == 1
    row = rows[0]
    assert (row.id, row.versies, row.laatste_dossierdatum, row.naam, row.stappen, row.leerling_id) == (
        aanvraag.id,
        2,
        date(2026, 3, 18),
        "Noortje Jansen",
        ["personalia", "loopbaan"],
        "L1",
    )
    versies = services.list_versions(ctx_of(store), services.get_request(ctx_of(store), pgn=BSN1))
    assert [v.datum for v in versies] == [date(2026, 3, 10), date(2026, 3, 18)]


@pytest.mark.parametrize(
    ("datum", "identical", "expected"),
    [
        (date(2026, 3, 1), False, "geen nieuwe gegevens"),  # older than the renewal
        (date(2026, 3, 10), True, "geen nieuwe gegevens"),  # the very same file
        (date(2026, 3, 19), False, "nieuwe versie"),  # newer
    ],
)
def test_renewal_counts_only_newer_dossiers(
    store: Store, settings: Settings, inbox: Path, datum: date, identical: bool, expected: str
) -> None:
    _request(store, settings)
    first = dossier_xml(BSN1, datum=date(2026, 3, 10))
    (inbox / "maart.xml").write_bytes(first)
    _fetch(store, settings, inbox)
    renewal = services.renew(ctx_of(store, settings, "jan"), pgns=[BSN1], sinds=date(2026, 3, 15))
    assert [a.status for a in renewal.hernieuwd] == ["aangevraagd"]
    assert renewal.hernieuwd[0].sinds == date(2026, 3, 15)
    (inbox / "nieuw.xml").write_bytes(first if identical else dossier_xml(BSN1, datum=datum, voornaam="Nora"))
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == [expected]
    row = services.list_requests(ctx_of(store))[0]
    if expected == "nieuwe versie":
        assert (row.status, row.versies) == ("opgehaald", 2)
    else:
        assert (row.status, row.versies) == ("aangevraagd", 1)
        if identical:
            assert list(inbox.iterdir()) == [], "the store holds these very bytes"
        else:
            assert _files(inbox / "rejected") == ["nieuw.xml", "nieuw.xml.reden.txt"], "not stored, kept"
            reason = (inbox / "rejected" / "nieuw.xml.reden.txt").read_text(encoding="utf-8")
            assert "ouder dan de hernieuwde aanvraag" in reason and "zomervakantie na 2026-03-01" in reason


def test_renew_selection_and_all_in_one_action(store: Store, settings: Settings, inbox: Path) -> None:
    for pgn in (BSN1, BSN2, BSN3):
        _request(store, settings, pgn=pgn)
        (inbox / f"{pgn}.xml").write_bytes(dossier_xml(pgn))
    _fetch(store, settings, inbox)
    services.withdraw(ctx_of(store, settings, "jan"), pgn=BSN3)
    generation = store.generation()
    result = services.renew(ctx_of(store, settings, "jan"), alle=True)
    assert store.generation() == generation + 1
    assert sorted(a.pgn for a in result.hernieuwd) == [BSN1, BSN2]
    assert result.sinds == TODAY
    again = services.renew(ctx_of(store, settings, "jan"), pgns=[BSN1, BSN3])
    assert again.hernieuwd == []
    assert sorted(again.overgeslagen) == [
        (BSN1, "wacht al op een dossier"),
        (BSN3, "geen open aanvraag voor dit PGN"),
    ]
    with pytest.raises(UsageError, match="toekomst"):
        services.renew(ctx_of(store, settings, "jan"), alle=True, sinds=date(2026, 4, 1))


def test_status_counts_match_the_json_contract(store: Store, settings: Settings, inbox: Path) -> None:
    _request(store, settings)
    _request(store, settings, pgn=BSN2)
    (inbox / "a.xml").write_bytes(dossier_xml(BSN1))
    _fetch(store, settings, inbox)
    counts = services.count_statuses(ctx_of(store)).as_json()
    assert counts["aanvragen"]["totaal"] == 2
    assert counts["aanvragen"]["per_status"]["opgehaald"] == 1
    assert counts["aanvragen"]["per_status"]["aangevraagd"] == 1
    assert counts["leerlingen"] == 0
    json.dumps(counts)


# -- expiry -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("region", "last_day"), [("noord", 16), ("zuid", 23), ("midden", 30)])
def test_summer_expires_waiting_requests_and_purges_raw_dossiers(
    tmp_path: Path, region: str, last_day: int
) -> None:
    settings = settings_for(tmp_path, TODAY, region=region)
    store = Store.open(settings.db_path)
    settings.inbox_dir.mkdir()
    _request(store, settings)
    _request(store, settings, pgn=BSN2)
    (settings.inbox_dir / "a.xml").write_bytes(dossier_xml(BSN1))
    _fetch(store, settings, settings.inbox_dir)
    versie, _ = services.latest_dossier(ctx_of(store), BSN1)

    in_vacation = settings_for(tmp_path, date(2026, 8, last_day), region=region)
    assert (
        services.expire(ctx_of(store, in_vacation, "jan")).samenvatting().startswith("0 aanvragen verlopen")
    )
    after = settings_for(tmp_path, date(2026, 8, last_day + 1), region=region)
    result = services.expire(ctx_of(store, after, "systeem"))
    assert [a.pgn for a in result.verlopen] == [BSN2]
    assert [v.id for v in result.opgeschoond] == [versie.id]
    assert not store.has_raw(versie.id)
    rows = {r.pgn: r for r in services.list_requests(ctx_of(store))}
    assert rows[BSN2].status == "verlopen" and rows[BSN2].hernieuwen_nodig
    assert rows[BSN1].status == "opgehaald" and rows[BSN1].hernieuwen_nodig
    with pytest.raises(RefusedError, match="verwijderd"):
        services.latest_dossier(ctx_of(store), BSN1)
    with store.snapshot() as view:
        audit = view.collection(AUDIT, AuditEntry).all()
    assert [(e.actie, e.pgn, e.gebruiker) for e in audit if e.actie == "opschonen"] == [
        ("opschonen", BSN1, "systeem")
    ]
    # Expiring again changes nothing; renewing brings the requests back.
    generation = store.generation()
    services.expire(ctx_of(store, after, "jan"))
    assert store.generation() == generation
    renewed = services.renew(ctx_of(store, after, "jan"), alle=True)
    assert sorted(a.pgn for a in renewed.hernieuwd) == [BSN1, BSN2]


def test_old_dossier_arriving_after_summer_is_refused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, date(2026, 9, 15))
    store = Store.open(settings.db_path)
    settings.inbox_dir.mkdir()
    _request(store, settings)
    (settings.inbox_dir / "oud.xml").write_bytes(dossier_xml(BSN1, datum=date(2026, 3, 10)))
    report = _fetch(store, settings, settings.inbox_dir)
    assert [r.uitkomst for r in report.regels] == ["verouderd"]
    assert "vóór de afgelopen zomervakantie" in report.regels[0].reden
    assert list(settings.inbox_dir.rglob("*.xml*")) == [], (
        "a pre-summer dossier is not kept, not even refused"
    )


SAMPLES = Path(__file__).resolve().parents[1] / "sample_dossiers"


@pytest.mark.skipif(
    not (SAMPLES / "manifest.json").exists(), reason="sample_dossiers/ is not in this checkout"
)
def test_demo_school_prepares_requested_sample_pupils(tmp_path: Path) -> None:
    from oso_tui.exchange.demo import DemoExchange, read_manifest, sample_folder

    assert sample_folder() == SAMPLES
    sample = read_manifest(SAMPLES)[0]
    settings = settings_for(tmp_path, date(2027, 4, 1))
    store = Store.open(settings.db_path)
    entry = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["dossiers"][0]
    services.request(
        ctx_of(store, settings, "jan"),
        pgn=sample.pgn,
        geboortedatum=date.fromisoformat(entry["geboortedatum"]),
        brin=sample.brin,
    )
    _request(store, settings, pgn=BSN1)  # not a sample pupil: nobody prepares it
    demo = DemoExchange()
    assert services.update_prepared(ctx_of(store, settings, "jan"), demo) == 1
    statuses = {r.pgn: r.status for r in services.list_requests(ctx_of(store))}
    assert statuses == {sample.pgn: "klaargezet", BSN1: "aangevraagd"}
    report = services.fetch(ctx_of(store, settings, "jan"), demo)
    assert [r.uitkomst for r in report.regels] == ["opgehaald"]
    assert (SAMPLES / sample.bestand).exists(), "the demo never moves its samples"


def test_dossier_without_valid_pgn_is_rejected(store: Store, settings: Settings, inbox: Path) -> None:
    (inbox / "elfproef.xml").write_bytes(dossier_xml("123456789"))
    (inbox / "geen.xml").write_bytes(dossier_xml(BSN1).replace(f"<bsn>{BSN1}</bsn>".encode(), b""))
    report = _fetch(store, settings, inbox)
    assert [(r.naam, r.uitkomst) for r in report.regels] == [
        ("elfproef.xml", "ongeldig"),
        ("geen.xml", "ongeldig"),
    ]
    reasons = {r.naam: r.reden for r in report.regels}
    assert "geen geldig BSN" in reasons["elfproef.xml"]
    assert "geen BSN of onderwijsnummer" in reasons["geen.xml"]
    assert _files(inbox / "rejected") == [
        "elfproef.xml",
        "elfproef.xml.reden.txt",
        "geen.xml",
        "geen.xml.reden.txt",
    ]


def test_withdraw_a_selection_is_all_or_nothing(store: Store, settings: Settings) -> None:
    a = _request(store, settings)
    b = _request(store, settings, pgn=BSN2)
    with pytest.raises(RefusedError, match="bestaat niet"):
        services.withdraw_many(ctx_of(store, settings, "jan"), [a.id, "weg"])
    assert {r.status for r in services.list_requests(ctx_of(store))} == {"aangevraagd"}
    changed = services.withdraw_many(ctx_of(store, settings, "jan"), [a.id, b.id, a.id])
    assert [c.status for c in changed] == ["ingetrokken", "ingetrokken"]
    with pytest.raises(RefusedError, match="al ingetrokken"):
        services.withdraw_many(ctx_of(store, settings, "jan"), [a.id])


def test_preview_rows_carry_what_the_ui_shows(store: Store, settings: Settings) -> None:
    header = "pgn;geboortedatum;brin;achternaam\n"
    data = f"{header}{BSN1};2014-05-01;12AB;Jansen\n12;2014-05-01;12AB;Fout\n".encode()
    preview = services.preview_csv(ctx_of(store, settings, "jan"), data)
    assert [(r.rij, r.pgn, r.achternaam) for r in preview.regels] == [(2, BSN1, "Jansen")]
    assert [(f.rij, f.waarden["pgn"], f.waarden["achternaam"]) for f in preview.geweigerd] == [
        (3, "12", "Fout")
    ]


def test_get_version_by_id(store: Store, settings: Settings, inbox: Path) -> None:
    _request(store, settings)
    (inbox / "a.xml").write_bytes(dossier_xml(BSN1))
    _fetch(store, settings, inbox)
    latest, _ = services.latest_dossier(ctx_of(store), BSN1)
    versie, dossier = services.get_version(ctx_of(store), latest.id)
    assert versie == latest and dossier.leerling.pgn == BSN1
    with pytest.raises(RefusedError, match="bestaat niet"):
        services.get_version(ctx_of(store), "0" * 64)


def test_prepared_but_not_new_goes_back_to_waiting(store: Store, settings: Settings, inbox: Path) -> None:
    class Prepares(FolderExchange):
        def klaargezet(self, aanvragen: Sequence[Aanvraag]) -> set[str]:
            return {a.id for a in aanvragen}

    _request(store, settings)
    first = dossier_xml(BSN1)
    (inbox / "a.xml").write_bytes(first)
    services.fetch(ctx_of(store, settings, "jan"), Prepares(inbox))
    services.renew(ctx_of(store, settings, "jan"), pgns=[BSN1])
    (inbox / "a.xml").write_bytes(first)
    report = services.fetch(ctx_of(store, settings, "jan"), Prepares(inbox))
    assert [r.uitkomst for r in report.regels] == ["geen nieuwe gegevens"] and report.klaargezet == 0
    aanvraag = services.get_request(ctx_of(store), pgn=BSN1)
    assert aanvraag.status == "aangevraagd"
    assert [w.naar for w in aanvraag.statushistorie] == [
        "aangevraagd",
        "klaargezet",
        "opgehaald",
        "aangevraagd",
    ]
    # Prepared earlier (by the UI's refresh), then found not new: back to waiting, with the reason kept.
    services.update_prepared(ctx_of(store, settings, "jan"), Prepares(inbox))
    (inbox / "a.xml").write_bytes(first)
    services.fetch(ctx_of(store, settings, "jan"), Prepares(inbox))
    last = services.get_request(ctx_of(store), pgn=BSN1).statushistorie[-2:]
    assert [(w.naar, w.reden) for w in last] == [
        ("klaargezet", None),
        ("aangevraagd", "geen nieuwe gegevens"),
    ]


def test_a_file_that_cannot_be_moved_is_reported_not_fatal(
    store: Store, settings: Settings, inbox: Path
) -> None:
    _request(store, settings)
    (inbox / "a.xml").write_bytes(dossier_xml(BSN1, geboortedatum=date(2014, 5, 2)))
    (inbox / "rejected").write_text("een bestand waar een map hoort", encoding="utf-8")
    report = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in report.regels] == ["afwijkend"]
    assert len(report.meldingen) == 1 and "kon niet naar" in report.meldingen[0]
    assert _files(inbox) == ["a.xml", "rejected"]
    (inbox / "rejected").unlink()
    again = _fetch(store, settings, inbox)
    assert [r.uitkomst for r in again.regels] == ["afwijkend"] and again.meldingen == []
    assert _files(inbox / "rejected") == ["a.xml", "a.xml.reden.txt"]


def test_purged_dossier_offered_again_after_summer_is_refused_as_outdated(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, TODAY)
    store = Store.open(settings.db_path)
    settings.inbox_dir.mkdir()
    _request(store, settings)
    data = dossier_xml(BSN1)
    (settings.inbox_dir / "a.xml").write_bytes(data)
    _fetch(store, settings, settings.inbox_dir)
    autumn = settings_for(tmp_path, date(2026, 9, 1))
    (settings.inbox_dir / "a.xml").write_bytes(data)
    report = _fetch(store, autumn, settings.inbox_dir)
    assert [r.uitkomst for r in report.regels] == ["verouderd"]
    assert services.count_statuses(ctx_of(store)).hernieuwen_nodig == 1
    with store.snapshot() as view:
        assert all(v.verwijderd for v in view.collection(DOSSIERS, DossierVersie).all())
    assert not any(store.has_raw(v) for v in services.get_request(ctx_of(store), pgn=BSN1).versies)


def test_file_taken_by_another_session_is_skipped(store: Store, settings: Settings, inbox: Path) -> None:
    class Racing(FolderExchange):
        def lees(self, item: Binnenkomend) -> bytes:
            Path(item.sleutel).rename(inbox.parent / item.naam)  # the other session moved it away
            return super().lees(item)

    _request(store, settings)
    (inbox / "a.xml").write_bytes(dossier_xml(BSN1))
    report = services.fetch(ctx_of(store, settings, "jan"), Racing(inbox))
    assert report.regels == [] and report.meldingen == []
    assert (inbox.parent / "a.xml").exists()


@pytest.mark.skipif(
    not (SAMPLES / "manifest.json").exists(), reason="sample_dossiers/ is not in this checkout"
)
def test_demo_schools_no_longer_offer_data_from_before_the_summer(tmp_path: Path) -> None:
    from oso_tui.exchange.demo import DemoExchange, read_manifest

    sample = read_manifest(SAMPLES)[0]
    spring = settings_for(tmp_path, date(2027, 4, 1))
    autumn = settings_for(tmp_path, date(2027, 9, 15))
    store = Store.open(spring.db_path)
    entry = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["dossiers"][0]
    geboren = date.fromisoformat(entry["geboortedatum"])
    services.request(ctx_of(store, autumn, "jan"), pgn=sample.pgn, geboortedatum=geboren, brin=sample.brin)
    assert DemoExchange(settings=spring).klaargezet(svc_requests(store))
    assert DemoExchange(settings=autumn).klaargezet(svc_requests(store)) == set()
    assert services.fetch(ctx_of(store, autumn, "jan"), DemoExchange(settings=autumn)).regels == []


def svc_requests(store: Store) -> list[Aanvraag]:
    with store.snapshot() as view:
        return view.collection(AANVRAGEN, Aanvraag).all()
