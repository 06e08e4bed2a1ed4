"""The fetch dialog: the inbox folder is shown and can be changed for this session before fetching."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Button, Input, Static

from oso_tui import services
from oso_tui.app import OsoApp
from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.backend import ServiceBackend
from oso_tui.screens.ophalen import FetchModal, describe_folder
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.service_context import ctx_of
from tests.ui.conftest import USER, make_app, settle
from tests.ui.test_flows_demo import app_for


def test_describe_folder_counts_xml_files_and_names_what_is_wrong(tmp_path: Path) -> None:
    assert describe_folder(tmp_path) == (True, "Geen XML-bestanden in deze map; er is dan niets op te halen.")
    (tmp_path / "a.xml").write_text("<x/>", encoding="utf-8")
    assert describe_folder(tmp_path) == (True, "1 XML-bestand in deze map.")
    (tmp_path / "b.XML").write_text("<x/>", encoding="utf-8")
    (tmp_path / "notities.txt").write_text("", encoding="utf-8")
    assert describe_folder(tmp_path) == (True, "2 XML-bestanden in deze map.")
    assert describe_folder(tmp_path / "weg") == (False, "Deze map bestaat niet.")
    assert describe_folder(tmp_path / "a.xml") == (False, "Dit is geen map.")


def status_of(store: Store) -> dict[str, str]:
    return {r.id: r.status for r in services.list_requests(ctx_of(store))}


def folder_app(store: Store, settings: Settings, inbox: Path) -> tuple[OsoApp, ServiceBackend]:
    """The app over the real services, fetching from a folder (as at a school), not from the demo."""
    backend = ServiceBackend(store, replace(settings, inbox=inbox), USER)
    return make_app(backend), backend


async def test_the_dialog_shows_the_inbox_and_escape_fetches_nothing(
    seeded: tuple[Store, Settings], tmp_path: Path
) -> None:
    store, settings = seeded
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    before = status_of(store)
    app, backend = folder_app(store, settings, inbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FetchModal)
        assert dialog.query_one("#map", Input).value == str(inbox)
        assert "Geen XML-bestanden" in str(dialog.query_one("#map-melding", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
    assert status_of(store) == before and backend.inbox() == inbox


async def test_a_folder_that_does_not_exist_cannot_be_fetched_from(
    seeded: tuple[Store, Settings], tmp_path: Path
) -> None:
    store, settings = seeded
    before = status_of(store)
    app, backend = folder_app(store, settings, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "ctrl+u", *str(tmp_path / "weg"))
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FetchModal)
        assert "✗ Deze map bestaat niet." in str(dialog.query_one("#map-melding", Static).render())
        assert dialog.query_one("#ja", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
    assert status_of(store) == before and backend.inbox() == tmp_path


async def test_another_folder_counts_for_the_session_and_fetches(
    seeded: tuple[Store, Settings], tmp_path: Path
) -> None:
    store, settings = seeded
    other = tmp_path / "usb"
    other.mkdir()
    (other / "dossier.xml").write_text("<x/>", encoding="utf-8")
    app, backend = folder_app(store, settings, tmp_path / "inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "ctrl+u", *str(other), "enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
        told = [str(n.message) for n in app._notifications]
    assert backend.inbox() == other
    assert "1 dossier bekeken: 0 opgehaald, 1 ongeldig." in told  # the fetch ran: it read the file there


async def test_the_demo_fetches_without_a_folder_dialog(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    assert "klaargezet" in status_of(store).values()
    app = app_for(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
    assert "klaargezet" not in status_of(store).values()
