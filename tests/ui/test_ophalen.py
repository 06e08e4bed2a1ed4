"""The fetch dialog: the inbox folder is shown and can be changed for this session before fetching."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Static

from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.ophalen import FetchModal, describe_folder
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend


def test_describe_folder_counts_xml_files_and_names_what_is_wrong(tmp_path: Path) -> None:
    assert describe_folder(tmp_path) == (True, "Geen XML-bestanden in deze map; er is dan niets op te halen.")
    (tmp_path / "a.xml").write_text("<x/>", encoding="utf-8")
    assert describe_folder(tmp_path) == (True, "1 XML-bestand in deze map.")
    (tmp_path / "b.XML").write_text("<x/>", encoding="utf-8")
    (tmp_path / "notities.txt").write_text("", encoding="utf-8")
    assert describe_folder(tmp_path) == (True, "2 XML-bestanden in deze map.")
    assert describe_folder(tmp_path / "weg") == (False, "Deze map bestaat niet.")
    assert describe_folder(tmp_path / "a.xml") == (False, "Dit is geen map.")


def status_of(stub: StubBackend) -> dict[str, str]:
    return {r.id: r.status for r in stub.rows}


async def test_the_dialog_shows_the_inbox_and_escape_fetches_nothing(tmp_path: Path) -> None:
    stub = StubBackend()
    stub.inbox_map = tmp_path
    before = status_of(stub)
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FetchModal)
        assert dialog.query_one("#map", Input).value == str(tmp_path)
        assert "Geen XML-bestanden" in str(dialog.query_one("#map-melding", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
    assert status_of(stub) == before and stub.inbox_map == tmp_path


async def test_a_folder_that_does_not_exist_cannot_be_fetched_from(tmp_path: Path) -> None:
    stub = StubBackend()
    stub.inbox_map = tmp_path
    before = status_of(stub)
    app = make_app(stub)
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
    assert status_of(stub) == before and stub.inbox_map == tmp_path


async def test_another_folder_counts_for_the_session_and_fetches(tmp_path: Path) -> None:
    stub = StubBackend()
    stub.inbox_map = tmp_path / "inbox"
    other = tmp_path / "usb"
    other.mkdir()
    (other / "dossier.xml").write_text("<x/>", encoding="utf-8")
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "ctrl+u", *str(other), "enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
    assert stub.inbox_map == other
    assert "klaargezet" not in status_of(stub).values(), "the fetch ran"


async def test_the_demo_fetches_without_a_folder_dialog() -> None:
    stub = StubBackend()
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
    assert "klaargezet" not in status_of(stub).values()
