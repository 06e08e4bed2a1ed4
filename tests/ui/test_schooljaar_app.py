"""Pilot tests of the school year in the app: expiry notice, renew date, reasons, to-do, placement."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.widgets import Button, Footer, Input, Static
from textual.widgets._footer import FooterKey

from oso_tui import services
from oso_tui.datums import toon_datum
from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.help import HelpScreen
from oso_tui.screens.hernieuwen import RenewModal
from oso_tui.screens.modals import ConfirmModal
from oso_tui.screens.plaatsing import PlacementModal
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.service_context import ctx_of
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend
from tests.ui.test_flows_demo import app_for, request_of

NOTICE = "De zomervakantie is voorbij: 1 aanvraag is verlopen."


def notices(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_expiry_at_start_is_told_once(stub: StubBackend) -> None:
    stub.verlopen_melding = NOTICE
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
        assert notices(app).count(NOTICE) == 1
        await pilot.press("f5")
        await settle(pilot)
        app.check_for_changes()
        await settle(pilot)
        assert notices(app).count(NOTICE) == 1
        assert not any("andere gebruiker" in n for n in notices(app))


async def test_expiry_on_the_periodic_reload(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert NOTICE not in notices(app)
        stub.verlopen_melding = NOTICE
        app.check_for_changes()
        await settle(pilot)
        assert notices(app).count(NOTICE) == 1
        assert not any("andere gebruiker" in n for n in notices(app))


def _after_summer(settings: Settings) -> Settings:
    return replace(settings, fixed_today=date(2027, 9, 20))


async def test_expiry_over_the_real_services_once_with_verlopen_in_the_list(
    seeded: tuple[Store, Settings],
) -> None:
    store, settings = seeded
    waiting = [r for r in services.list_requests(ctx_of(store)) if r.status in ("aangevraagd", "klaargezet")]
    assert waiting, "the demo store has waiting requests to expire"
    app = app_for(store, _after_summer(settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        told = [n for n in notices(app) if n.startswith("De zomervakantie is voorbij")]
        assert len(told) == 1
        assert f"{len(waiting)} aanvra" in told[0]
        assert {r.status for r in screen.rows if r.id in {w.id for w in waiting}} == {"verlopen"}
        app.check_for_changes()
        await pilot.press("f5")
        await settle(pilot)
        assert len([n for n in notices(app) if n.startswith("De zomervakantie")]) == 1


async def test_renew_dialog_shows_the_default_and_checks_a_typed_date(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("slash", *"sanne", "enter", "v")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RenewModal)
        field = modal.query_one("#sinds", Input)
        assert field.value == "10-03-2027"
        assert "sinds 10-03-2027" in str(modal.query_one("#standaard", Static).render())
        field.value = ""
        await pilot.press(*"31-02-2027")
        await settle(pilot)
        assert "geen geldige datum" in str(modal.query_one("#sinds-melding", Static).render())
        assert modal.query_one("#ja", Button).disabled
        await pilot.press("enter")
        assert app.screen is modal and not stub.renewed
        field.value = ""
        await pilot.press(*"1-6-2027")
        assert "toekomst" in str(modal.query_one("#sinds-melding", Static).render())
        field.value = ""
        await pilot.press(*"1-3-2027")
        assert not modal.query_one("#ja", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert stub.renewed == ["a1"] and stub.sinds == date(2027, 3, 1)


async def test_renew_dialog_for_a_selection_says_the_default_is_per_request(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "v")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RenewModal)
        assert "per aanvraag" in str(modal.query_one("#standaard", Static).render())
        assert modal.query_one("#sinds", Input).value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert not stub.renewed
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert len(stub.renewed) == 2 and stub.sinds is None


async def test_renew_with_the_default_over_the_real_services(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    kramer = request_of(store, "302275745")
    assert kramer.laatste_dossierdatum is not None
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kramer", "enter", "v")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RenewModal)
        assert modal.query_one("#sinds", Input).value == toon_datum(kramer.laatste_dossierdatum)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RenewModal)
    renewed = request_of(store, "302275745")
    assert renewed.status == "aangevraagd" and renewed.sinds == kramer.laatste_dossierdatum


async def test_renew_with_a_typed_date_over_the_real_services(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kramer", "enter", "v")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RenewModal)
        modal.query_one("#sinds", Input).value = ""
        await pilot.press(*"2027-01-15", "enter")
        await settle(pilot)
    assert request_of(store, "302275745").sinds == date(2027, 1, 15)


async def test_step_picker_says_why_a_step_cannot_be_registered(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"emma", "enter", "enter")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, StepPickerScreen)
        kop = str(picker.query_one("#kop", Static).render())
        assert "zomervakantie" in kop and "nog geen dossier" not in kop
        reden = picker.query_one("#reden", Static)
        assert reden.display and "Personalia en plaatsing: Het dossier is van vóór" in str(reden.render())
        await pilot.press("down")
        assert str(reden.render()).startswith("Schoolloopbaan: Het dossier")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is picker
        assert any("zomervakantie" in n for n in notices(app))


async def test_after_the_summer_the_real_picker_refuses_with_its_reason(
    seeded: tuple[Store, Settings],
) -> None:
    store, settings = seeded
    app = app_for(store, _after_summer(settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kramer", "enter", "enter")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, StepPickerScreen)
        assert picker.detail is not None
        assert all(s.reden for s in picker.detail.stappen if s.mag)
        assert "nog geen dossier" not in str(picker.query_one("#kop", Static).render())
        assert picker.query_one("#reden", Static).display
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is picker


def footer_keys(app: object) -> list[tuple[str, str, int]]:
    screen = app.screen  # type: ignore[attr-defined]
    return [(k.key, k.description, k.region.right) for k in screen.query_one(Footer).query(FooterKey)]


async def test_footer_shows_help_and_quit_at_80_columns(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for open_keys in ((), ("enter",), ("l",)):
            await pilot.press(*open_keys)
            await settle(pilot)
            keys = footer_keys(app)
            palette = next(right for key, _, right in keys if key == "ctrl+p")
            palette_left = palette - len(" ^p Opdrachten ")
            first = keys[:2]
            assert [(k, d) for k, d, _ in first] == [("f1", "Hulp"), ("ctrl+q", "Stoppen")], keys
            assert all(right <= palette_left for _, _, right in first)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)


PLACED = {"schooljaar": "2027-2028", "leerjaar": 1, "opleiding": "havo", "klas": "1B"}


def pgns(store: Store) -> list[str]:
    """The PGNs with a registered pupil."""
    ctx = ctx_of(store)
    return [r.pgn for r in services.list_requests(ctx) if services.get_pupil(ctx, r.pgn) is not None]


async def test_collective_personalia_asks_the_placement_once(seeded: tuple[Store, Settings]) -> None:
    """Over the real services: the placement typed once lands on every pupil the step newly registers."""
    store, settings = seeded
    before = pgns(store)
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "f", "f", "a", "r")  # every opgehaald request
        await settle(pilot)
        await pilot.press("enter")  # personalia
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PlacementModal)
        await pilot.press(*"2027-2029")
        melding = modal.query_one("#plaatsing-melding", Static)
        assert "Schooljaar '2027-2029' is ongeldig" in str(melding.render())
        assert modal.query_one("#ja", Button).disabled
        await pilot.press("backspace", "8", "enter", "7")
        assert "Leerjaar '7' is ongeldig" in str(melding.render())
        await pilot.press("backspace", "1", "enter", *"havo", "enter", *"1B")
        assert not modal.query_one("#ja", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        told = next(n for n in notices(app) if "aangevuld voor" in n)
    assert told.startswith("Stap personalia aangevuld voor "), told
    new = [p for p in pgns(store) if p not in before]
    assert new, "the collective registration placed new pupils"
    for pgn in new:
        leerling = services.get_pupil(ctx_of(store), pgn)
        assert leerling is not None
        assert {k: leerling.gegevens.get(f"plaatsing.{k}") for k in PLACED} == PLACED, pgn


async def test_collective_loopbaan_asks_no_placement(seeded: tuple[Store, Settings]) -> None:
    app = app_for(*seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "f", "f", "space", "r")
        await settle(pilot)
        await pilot.press("down", "enter")  # loopbaan
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await settle(pilot)
        assert any(n.startswith("Stap loopbaan aangevuld voor ") for n in notices(app)), notices(app)


async def test_collective_result_names_the_pupils_that_failed(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f", "f", "f", "a", "r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter", "enter", "enter", "enter")
        await settle(pilot)
        told = next(n for n in notices(app) if "aangevuld voor" in n)
    assert "Niet gelukt bij 2: " in told, told
    failed = told.split("Niet gelukt bij 2: ", 1)[1]
    assert services.get_pupil(ctx_of(store), "768129734") is None
    assert failed.count(": ") >= 2 and "--" not in told, told


async def test_worklist_filter_with_its_count_and_the_step_column(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        summary = screen.query_one("#samenvatting", Static)
        assert "werklijst 2" in str(summary.render())
        await pilot.press("w")
        await settle(pilot)
        assert sorted(r.naam for r in screen.shown) == ["Mohammed El Amrani", "Sanne de Vries"]
        sanne = next(i for i, r in enumerate(screen.shown) if r.naam == "Sanne de Vries")
        assert screen.tabel.cells(sanne)[7][0].rstrip() == "P*· ·"
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.shown) == 6
        stub.werk = []
        await pilot.press("w", "f5")
        await settle(pilot)
        assert not screen.shown and "Niets te doen" in str(screen.query_one("#leeg", Static).render())
        assert "werklijst 0" in str(summary.render())


async def test_worklist_over_the_real_services(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    expected = {r.pgn for r in services.todo(ctx_of(store))}
    assert expected
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("w")
        await settle(pilot)
        assert {r.pgn for r in screen.shown} == expected
        assert f"werklijst {len(expected)}" in str(screen.query_one("#samenvatting", Static).render())
