"""Pilot tests over the real services on a seeded demo store: keys in, then what the store and screen say."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Static

from oso_tui import services
from oso_tui.app import OsoApp
from oso_tui.exchange.models import STATUSES
from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.backend import ServiceBackend, demo_exchange
from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.leerling import PupilScreen
from oso_tui.screens.modals import ConfirmModal, CsvRequestModal, NewRequestModal
from oso_tui.screens.plaatsing import PlacementModal
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.screens.versies import VersionsScreen
from oso_tui.services import demo
from oso_tui.services.sessie import open_store
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.widgets.tabel import RowTable
from tests.service_context import ctx_of
from tests.ui.conftest import USER, demo_settings, settle

NOOR, SEM, JESSE = demo.NOOR, "768129734", "446419448"


def app_for(store: Store, settings: Settings, user: str = USER) -> OsoApp:
    backend = ServiceBackend(store, settings, user, demo_exchange)
    return OsoApp(backend, blink=False, poll_seconds=None)


def request_of(store: Store, pgn: str) -> services.AanvraagRegel:
    return next(r for r in services.list_requests(ctx_of(store)) if r.pgn == pgn)


async def open_pupil(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash", *name, "enter", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StepPickerScreen)


def test_demo_seed_has_every_status(seeded: tuple[Store, Settings]) -> None:
    store, _ = seeded
    telling = services.count_statuses(ctx_of(store))
    assert all(telling.per_status[s] >= 1 for s in STATUSES)
    noor = request_of(store, NOOR)
    assert noor.status == "klaargezet" and noor.stappen == ["personalia"]


async def test_list_matches_the_store(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        assert screen.tabel.row_count == len(services.list_requests(ctx_of(store)))
        summary = str(screen.query_one("#samenvatting", Static).render())
        assert "verlopen 1" in summary and "leerlingen 1" in summary


async def test_fetch_links_may_version_to_existing_request(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    before = len(services.list_requests(ctx_of(store)))
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        noor = request_of(store, NOOR)
        assert noor.status == "opgehaald"
        assert noor.versiedatums == [date(2027, 3, 8), date(2027, 5, 18)]
        assert len(services.list_requests(ctx_of(store))) == before
        assert any("nieuwe versie" in n.message for n in app._notifications)
        assert not app.screen.query_one("#voortgang").display


async def test_march_may_story_loopbaan_then_personalia_modes_and_undo(
    seeded: tuple[Store, Settings],
) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await open_pupil(pilot, "noor")
        await pilot.press("down", "enter")  # Schoolloopbaan
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen) and diff.view is not None
        assert any(r.sectie == "Eindtoets" for r in diff.view.regels)
        await pilot.press("t")
        await settle(pilot)
        leerling = services.get_pupil(ctx_of(store), NOOR)
        assert leerling is not None and "loopbaan" in leerling.stappen
        assert any(p.startswith("loopbaan.eindtoets") for p in leerling.gegevens)

        address_before = leerling.gegevens.get("personalia.adres")
        await pilot.press("up", "up", "enter")  # Personalia, aanvullen: the new address is not taken
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen) and diff.view is not None
        assert any(r.oordeel == "gewijzigd" and r.sleutel == "personalia.adres" for r in diff.view.regels)
        await pilot.press("m")  # overschrijven
        assert diff.view.mode == "overschrijven"
        await pilot.press("t")
        await settle(pilot)
        leerling = services.get_pupil(ctx_of(store), NOOR)
        assert leerling is not None and leerling.gegevens.get("personalia.adres") != address_before

        await pilot.press("u")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await settle(pilot)
        leerling = services.get_pupil(ctx_of(store), NOOR)
        assert leerling is not None and leerling.gegevens.get("personalia.adres") == address_before


async def test_per_field_choice_keeps_registered_value(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    services.fetch(ctx_of(store, settings, USER), demo_exchange(settings))
    address_before = services.get_pupil(ctx_of(store), NOOR).gegevens.get("personalia.adres")  # type: ignore[union-attr]
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "noor")
        await pilot.press("enter")
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen) and diff.view is not None
        await pilot.press("m")
        index = next(i for i, r in enumerate(diff.shown) if r.sleutel == "personalia.adres")
        diff.query_one(RowTable).move_cursor(index)
        await pilot.press("space")
        assert diff.view.keuzes == {"personalia.adres": "behouden"}
        await pilot.press("t")
        await settle(pilot)
    leerling = services.get_pupil(ctx_of(store), NOOR)
    assert leerling is not None and leerling.gegevens.get("personalia.adres") == address_before
    assert leerling.stappen["personalia"].dossierdatum == date(2027, 5, 18)


async def test_warnings_must_be_acknowledged(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "bouwmeester")
        await pilot.press("enter")
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen) and diff.view is not None
        assert any("voorlopig" in w for w in diff.view.waarschuwingen)
        assert diff.query_one("#toepassen", Button).disabled
        await pilot.press("t")
        await settle(pilot)
        assert services.get_pupil(ctx_of(store), SEM) is None
        await pilot.press("w", "t")
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen)
    leerling = services.get_pupil(ctx_of(store), SEM)
    assert leerling is not None and "personalia" in leerling.stappen


async def test_new_request_lands_in_store(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NewRequestModal)
        await pilot.press(*"100000016", "tab", *"01-02-2015", "tab", *"99wz", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
    made = request_of(store, "100000016")
    assert (made.status, made.brin, made.geboortedatum) == ("aangevraagd", "99WZ", date(2015, 2, 1))


async def test_duplicate_request_is_a_dutch_notification(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *NOOR, "tab", *"11-02-2015", "tab", *"99WA", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NewRequestModal)
        messages = [n.message for n in app._notifications]
        assert any("Er is al een aanvraag" in m for m in messages)
        assert not any("Traceback" in m for m in messages)


async def test_collective_csv_preview_then_request(
    seeded: tuple[Store, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = seeded
    csv = tmp_path / "nieuw.csv"
    csv.write_text(
        "pgn;geboortedatum;brin\n100000028;2015-03-03;99WZ\n123;2015-03-03;99WZ\n377855017;2015-02-11;99WA\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", *"nieuw.csv", "enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, CsvRequestModal) and modal.voorbeeld is not None
        assert (modal.voorbeeld.goed, modal.voorbeeld.geweigerd, modal.voorbeeld.al_aangevraagd) == (1, 1, 1)
        assert not any(r.pgn == "100000028" for r in services.list_requests(ctx_of(store)))
        await pilot.click("#ja")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
    assert request_of(store, "100000028").status == "aangevraagd"


async def test_select_and_withdraw_and_renew(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("slash", *"mansour", "enter", "space", "escape")
        assert len(screen.selected) == 1
        await pilot.press("slash", *"kramer", "enter", "space")
        assert len(screen.selected) == 2
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert request_of(store, "109021697").status == "aangevraagd"
        kramer = request_of(store, "302275745")
        assert kramer.sinds == kramer.laatste_dossierdatum, "renewal asks for what is newer than the last"
        await pilot.press("escape", "slash", *"pauwels", "enter", "i", "j")
        await settle(pilot)
    assert request_of(store, demo.ONBEKEND_2027).status == "ingetrokken"


async def test_pupil_view_care_data_for_zorg_and_audited(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    services.register(ctx_of(store, settings, USER), pgn=JESSE, stappen=["personalia", "begeleiding"])
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "timmerman")
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        assert app.screen.query_one("#velden-personalia", RowTable).row_count > 5
        await pilot.press("right", "right")
        await settle(pilot)
        pupil = app.screen
        assert isinstance(pupil, PupilScreen) and pupil.view is not None
        assert pupil.view.zorg_zichtbaar and pupil.view.per_stap["begeleiding"]
        assert pupil.view.bijlagen
        assert pupil.query_one("#historie", RowTable).row_count == 2  # personalia and begeleiding
    log = services.audit_log(ctx_of(store, settings, USER), pgn=JESSE, actie="bekijken-zorg")
    assert any(e.detail == "leerling tonen" for e in log)


async def test_without_zorg_role_care_data_stays_hidden(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    settings = replace(settings, roles={USER: ("zorg",), "balie": ("administratie",)})
    services.register(ctx_of(store, settings, USER), pgn=JESSE, stappen=["personalia", "begeleiding"])
    app = app_for(store, settings, user="balie")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "timmerman")
        picker = app.screen
        assert isinstance(picker, StepPickerScreen) and picker.detail is not None
        assert not picker.detail.stappen[2].mag
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("right", "right")
        await settle(pilot)
        pupil = app.screen
        assert isinstance(pupil, PupilScreen) and pupil.view is not None
        assert not pupil.view.per_stap["begeleiding"]
        assert "rol zorg" in str(pupil.query_one("#zorg-melding", Static).render())


async def test_versions_screen_lists_march_and_may(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    services.fetch(ctx_of(store, settings, USER), demo_exchange(settings))
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "noor")
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        assert [r.datum for r in screen.rows] == [date(2027, 3, 8), date(2027, 5, 18)]
        fields = screen.query_one("#versie-velden", DataTable)
        assert fields.row_count > 10
        labels = [r.label for r in screen.backend.version_fields(screen.rows[0].id)]
        assert not any(
            label.startswith(("onderwijsondersteuning", "verzuim", "bijlagen")) for label in labels
        )


async def test_reload_when_another_user_changes_the_store(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        count = len(screen.rows)
        other = open_store(settings)  # a second session on the same file
        services.request(
            ctx_of(other, settings, "collega"), pgn="100000041", geboortedatum=date(2015, 1, 1), brin="99WZ"
        )
        app.check_for_changes()
        await settle(pilot)
        assert len(screen.rows) == count + 1
        assert any("andere gebruiker" in n.message for n in app._notifications)


async def test_collective_registration_with_progress(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("f", "f", "f")  # opgehaald
        await pilot.press("a")
        chosen = {r.pgn for r in screen.shown}
        assert len(chosen) == 9
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")  # personalia
        await settle(pilot)
        assert isinstance(app.screen, PlacementModal)
        await pilot.press(*"2027-2028", "enter", "1", "enter", *"havo", "enter", *"1B", "enter")
        await settle(pilot)
        assert not screen.query_one("#voortgang").display
        messages = [n.message for n in app._notifications]
        assert any("aangevuld voor 7 van 9" in m for m in messages), messages
    registered = {p for p in chosen if services.get_pupil(ctx_of(store), p) is not None}
    assert len(registered) == 7 and SEM not in registered  # the voorlopig dossier waits for a careful look
    klassen = {services.get_pupil(ctx_of(store), p).gegevens.get("plaatsing.klas") for p in registered}  # type: ignore[union-attr]
    assert "1B" in klassen, klassen


async def test_name_mismatch_asks_before_linking(tmp_path: Path) -> None:
    settings = demo_settings(tmp_path)
    settings = Settings(
        db_path=settings.db_path, config_path=settings.config_path, fixed_today=date(2027, 3, 15)
    )
    store = open_store(settings)
    mansour = "109021697"
    services.request(
        ctx_of(store, settings, USER),
        pgn=mansour,
        geboortedatum=date(2014, 11, 23),
        brin="99WB",
        achternaam="Mansoer",
    )
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "wijkt af" in str(app.screen.query_one("#vraag", Static).render())
        assert request_of(store, mansour).status != "opgehaald"
        await pilot.press("j")
        await settle(pilot)
    assert request_of(store, mansour).status == "opgehaald"


async def test_save_attachment_from_pupil_view(seeded: tuple[Store, Settings], tmp_path: Path) -> None:
    store, settings = seeded
    services.register(ctx_of(store, settings, USER), pgn=JESSE, stappen=["personalia"])
    target = tmp_path / "bijlagen"
    target.mkdir()
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "timmerman")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("right", "right")
        await settle(pilot)
        await pilot.press("b")
        await pilot.press(*["backspace"] * 3, *str(target), "enter")
        await settle(pilot)
    saved = list(target.iterdir())
    assert len(saved) == 1 and saved[0].suffix == ".zip"


async def test_command_palette_opens_new_request(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"nieuwe aanvraag")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewRequestModal)
