"""The hostile corpus through every screen with the real services: no crash, no raw control code, no
action run by a click, and the literal text on screen.

The corpus (tests/hostile/README.md) has surnames, streets, school and attachment names with markup
(`[/bold]`, `[@click=app.quit]`, `[link=...]`), C1 codes, U+202E and CR/LF, and file names with ESC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable

import oso_tui.app
from oso_tui.app import OsoApp
from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.backend import ServiceBackend, folder_exchange
from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.hernieuwen import RenewModal
from oso_tui.screens.leerling import PupilScreen
from oso_tui.screens.modals import ChoiceModal, ConfirmModal, CsvRequestModal, PromptModal
from oso_tui.screens.ophalen import FetchModal
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.screens.versies import VersionsScreen
from oso_tui.services.sessie import open_store
from oso_tui.settings import Settings
from tests import hostile_corpus as corpus
from tests.ui.conftest import settle

TODAY = date(2027, 5, 20)


class Watched(OsoApp):
    """The app with the actions a hostile click could reach replaced by a note that they ran."""

    CSS_PATH = str(Path(oso_tui.app.__file__).parent / "app.tcss")
    ran: list[str]

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.ran.append("screenshot")

    async def action_quit(self) -> None:
        self.ran.append("quit")

    def open_url(self, url: str, *, new_tab: bool = True) -> bool:
        self.ran.append(f"open_url {url}")
        return True


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Watched]:
    monkeypatch.chdir(corpus.make_csv(tmp_path / "lijsten").parent)
    settings = Settings(
        db_path=tmp_path / "oso-tui.json",
        config_path=tmp_path / "config.toml",
        inbox=corpus.make_inbox(tmp_path),
        fixed_today=TODAY,
    )
    backend = ServiceBackend(open_store(settings), settings, "tester", folder_exchange)
    watched = Watched(backend, blink=False, poll_seconds=None)
    watched.ran = []
    yield watched


def screen_text(app: OsoApp) -> str:
    """What the terminal shows now, line by line, as characters."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def check(app: Watched) -> str:
    """The rules for every screen: no raw control code, every table cell text (never markup), no
    action run, the app still running. Returns the screen's text."""
    shown = screen_text(app)
    assert corpus.raw_controls(shown) == [], shown
    for notification in app._notifications:
        assert corpus.raw_controls(notification.message) == [], notification.message
    for table in app.screen.query(DataTable):
        for index in range(table.row_count):
            cells = table.get_row_at(index)
            assert all(isinstance(cell, Text) for cell in cells), (table.id, cells)
            assert not any(corpus.raw_controls(cell.plain) for cell in cells), cells
    assert app.ran == [] and app.is_running
    return shown


async def step(pilot: Pilot[None], *keys: str) -> str:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    return check(pilot.app)  # type: ignore[arg-type]


async def request_and_fetch(pilot: Pilot[None]) -> None:
    """Request from the hostile CSV through the modal, fetch, confirm the differing surname."""
    app = pilot.app
    await settle(pilot)
    shown = await step(pilot, "c")
    assert isinstance(app.screen, CsvRequestModal)
    assert "inschrijvingen\\x1b[2J[bold]<U+202E>.csv" in shown, "the file name in the tree, spelled out"
    shown = await step(pilot, "tab", "down", "enter")  # the file in the folder tree
    assert "4 geweigerd" in shown and "\\x1b[2J\\x1b[31m999" in shown
    app.screen.query_one("#pad").focus()
    shown = await step(pilot, "enter")  # Enter in the path field: the same file again
    assert "4 geweigerd" in shown and "bestaat niet" not in shown
    await pilot.click("#ja")
    await settle(pilot)
    assert isinstance(app.screen, RequestListScreen)
    await step(pilot, "h")
    assert isinstance(app.screen, FetchModal)
    shown = await step(pilot, "enter")
    assert isinstance(app.screen, ConfirmModal), "Timmerman's surname differs from the CSV's"
    assert "Timmerman[/bold]\\r\\noso-tui:" in shown and "Timmerman\\x1b]0;gekaapt\\x07" in shown
    await step(pilot, "j")
    assert isinstance(app.screen, RequestListScreen)


async def test_every_screen_shows_the_hostile_corpus_as_text(app: Watched) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await request_and_fetch(pilot)
        shown = check(app)
        assert "[bold red]Jesse Timmerman[/bold]\\r\\noso-tui: 0 fouten" in shown
        assert "[@click=app.screenshot()]Evi Berg[/bold]" in shown
        assert "Vos\\r\\noso-tui: 0 geweigerd" in shown

        shown = await step(pilot, "r")
        assert isinstance(app.screen, ChoiceModal) and "registreren voor" in shown
        shown = await step(pilot, "escape", "v")
        assert isinstance(app.screen, RenewModal) and "Hernieuwde aanvraag voor" in shown
        await step(pilot, "escape", "f1")
        await step(pilot, "escape")

        shown = await step(pilot, "slash", *"jesse", "enter", "enter")
        assert isinstance(app.screen, StepPickerScreen)
        assert "[bold red]Jesse Timmerman[/bold]\\r\\noso-tui: 0 fouten" in shown, "heading and title"
        assert app.sub_title == "Aanvraag [bold red]Jesse Timmerman[/bold]\\r\\noso-tui: 0 fouten"
        for stap in range(3):
            shown = await step(pilot, *(["down"] * stap), "enter")
            assert isinstance(app.screen, DiffScreen)
            seen = [shown]
            for _ in range(14):
                seen.append(await step(pilot, "down"))  # the detail under the table follows the cursor
            if stap == 0:
                assert "[@click=app.quit]Esdoorn<U+202E>naal" in shown
                assert any("dossier:       Timmerman[/bold]\\r\\noso-tui: 0 fouten" in s for s in seen)
                assert any("dossier:       [@click=app.screenshot()]SBO De Springplank[/]" in s for s in seen)
            if stap == 2:
                assert any("[bold red]Dyslexie[/bold red]" in s for s in seen)
            await step(pilot, "w", "t")
            assert isinstance(app.screen, StepPickerScreen), "applied"

        shown = await step(pilot, "l")
        assert isinstance(app.screen, PupilScreen)
        assert "[@click=app.quit]Esdoorn<U+202E>naal" in shown
        shown = await step(pilot, "right", "right")
        assert "[bold red]Dyslexie[/bold red]" in shown, "the care tab"
        assert "opp[@click=app.quit]<U+202E>piz.txt" in shown
        shown = await step(pilot, "b")
        assert isinstance(app.screen, PromptModal) and "opp[@click=app.quit]<U+202E>piz.txt" in shown
        shown = await step(pilot, "escape", "right")
        assert "personalia" in shown, "the history tab"
        await step(pilot, "escape")

        shown = await step(pilot, "d")
        assert isinstance(app.screen, VersionsScreen)
        bron = app.screen.query_one("#versies", DataTable).get_row_at(0)[3]
        assert bron.plain.endswith(f": {corpus.ESC_NAME_SHOWN}"), "the column cuts it short on screen"
        assert "[@click=app.screenshot()]SBO De Springplank[/]" in shown
        await step(pilot, "escape", "escape")
        assert isinstance(app.screen, RequestListScreen)


async def test_a_click_on_dossier_text_runs_nothing(app: Watched, tmp_path: Path) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await request_and_fetch(pilot)
        for row in range(3):
            await pilot.click("#aanvragen", offset=(30, 2 + row))
            await settle(pilot)
            check(app)
            await pilot.press("escape")
            await settle(pilot)
        shown = await step(pilot, "slash", *"berg", "enter", "enter")
        assert isinstance(app.screen, StepPickerScreen) and "[@click=app.screenshot()]Evi" in shown
        for column in range(0, 40, 4):
            await pilot.click("#kop", offset=(column, 0))
            await settle(pilot)
        await step(pilot, "enter")
        for column in range(0, 60, 6):
            await pilot.click("#diff-kop", offset=(column, 0))
            await pilot.click("#verschillen", offset=(column, 3))
            await settle(pilot)
        check(app)
    assert app.ran == []
    assert not list(tmp_path.rglob("*.svg")), "no screenshot written"
