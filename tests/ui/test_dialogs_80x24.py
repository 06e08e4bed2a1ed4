"""The pupil view and the dialogs at 80x24: the detail pane follows the tab, empty tabs say so, dialogs
show their keys, start on their first field, cancel on Escape and confirm only what they show."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList, Static

from oso_tui.app import OsoApp
from oso_tui.screens.leerling import PupilScreen
from oso_tui.screens.modals import (
    ChoiceModal,
    ConfirmModal,
    CsvRequestModal,
    NewRequestModal,
    PromptModal,
)
from oso_tui.screens.viewmodels import CsvVoorbeeld
from oso_tui.widgets.tabel import RowTable
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend


def text_of(widget: Static) -> str:
    return str(widget.render())


def keys_of(app: OsoApp) -> str:
    """The key line of the dialog on top: in its bottom border, where it costs no row at 80x24."""
    return str(app.screen.query_one(".dialoog").border_subtitle)


async def test_the_pupil_detail_pane_follows_the_tab_and_an_empty_tab_says_so() -> None:
    app = make_app(StubBackend())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = PupilScreen("a1")
        app.push_screen(screen)
        await settle(pilot)
        pane = screen.query_one("#leerling-detail", Static)
        assert text_of(pane).startswith("Achternaam: Vries")
        await pilot.press("right")  # Schoolloopbaan: nothing registered
        await settle(pilot)
        leeg = screen.query_one("#leeg-loopbaan", Static)
        assert leeg.display and text_of(leeg) == "Nog niets geregistreerd in de stap schoolloopbaan."
        assert not screen.query_one("#velden-loopbaan", RowTable).display
        assert text_of(pane) == text_of(leeg)
        await pilot.press("right", "right")  # Historie
        await settle(pilot)
        assert text_of(pane).startswith("12-03-2027")
        assert "jansen" in text_of(pane) and "14 velden" in text_of(pane)
        await pilot.press("left", "left", "left")  # back to Personalia
        await settle(pilot)
        assert text_of(pane).startswith("Achternaam: Vries")


async def test_a_pupil_without_history_says_so_on_the_history_tab() -> None:
    class Nieuw(StubBackend):
        def pupil(self, aanvraag_id: str, *, met_zorg: bool = False):  # type: ignore[no-untyped-def]
            from dataclasses import replace

            return replace(super().pupil(aanvraag_id, met_zorg=met_zorg), historie=[])

    app = make_app(Nieuw())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = PupilScreen("a1")
        app.push_screen(screen)
        await settle(pilot)
        await pilot.press("right", "right", "right")
        await settle(pilot)
        assert "Nog geen historie" in text_of(screen.query_one("#leeg-historie", Static))
        assert "Nog geen historie" in text_of(screen.query_one("#leerling-detail", Static))


async def test_confirm_shows_its_keys_starts_on_no_and_escape_cancels() -> None:
    answers: list[bool | None] = []
    app = make_app(StubBackend())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmModal("Intrekken?", yes="Intrekken"), callback=answers.append)
        await settle(pilot)
        keys = keys_of(app)
        assert "j: intrekken" in keys and "Esc: annuleren" in keys
        focused = app.focused
        assert isinstance(focused, Button) and focused.id == "nee"
        await pilot.press("enter")  # Enter presses the button shown with focus: No
        await settle(pilot)
        app.push_screen(ConfirmModal("Intrekken?"), callback=answers.append)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert answers == [False, False]


async def test_a_choice_starts_on_its_first_option_and_enter_takes_it() -> None:
    answers: list[str | None] = []
    app = make_app(StubBackend())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        options = [("personalia", "Personalia"), ("loopbaan", "Schoolloopbaan")]
        app.push_screen(ChoiceModal("Welke stap?", options), callback=answers.append)
        await settle(pilot)
        assert isinstance(app.focused, OptionList) and app.focused.highlighted == 0
        assert "Esc: annuleren" in keys_of(app)
        await pilot.press("enter")
        await settle(pilot)
        app.push_screen(ChoiceModal("Welke stap?", options), callback=answers.append)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert answers == ["personalia", None]


@pytest.mark.parametrize(
    ("make", "first"),
    [
        (lambda: PromptModal("In welke map?", "."), "antwoord"),
        (lambda: NewRequestModal(StubBackend().today()), "pgn"),
        (lambda: CsvRequestModal(Path()), "pad"),
    ],
    ids=["map", "nieuwe-aanvraag", "csv"],
)
async def test_a_form_starts_on_its_first_field_shows_its_keys_and_escape_cancels(make, first) -> None:  # type: ignore[no-untyped-def]
    answers: list[object] = []
    app = make_app(StubBackend())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(make(), callback=answers.append)
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused.id == first
        box = app.screen.query_one(".dialoog")
        assert "Esc: annuleren" in keys_of(app) and box.region.bottom <= 24
        await pilot.press("escape")
        await settle(pilot)
    assert answers == [None]


async def test_a_collective_request_asks_only_for_the_file_its_preview_showed(tmp_path: Path) -> None:
    class Csv(StubBackend):
        def __init__(self) -> None:
            super().__init__()
            self.requested: list[Path] = []

        def preview_csv(self, path: Path) -> CsvVoorbeeld:
            return CsvVoorbeeld([])

        def request_csv(self, path: Path):  # type: ignore[no-untyped-def]
            self.requested.append(path)
            return super().request_csv(path)

    backend = Csv()
    first = tmp_path / "a.csv"
    first.write_text("pgn;geboortedatum;brin\n", encoding="utf-8")
    app = make_app(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = CsvRequestModal(tmp_path)
        app.push_screen(modal)
        await settle(pilot)
        modal.preview(first)
        await settle(pilot)
        modal.voorbeeld = CsvVoorbeeld([])
        button = modal.query_one("#ja", Button)
        button.disabled = False  # as after a preview with good rows
        await pilot.press(*"x")  # the path now differs from the one previewed
        await settle(pilot)
        assert button.disabled


async def test_a_file_changed_after_its_preview_is_not_requested(tmp_path: Path) -> None:
    from oso_tui.screens.viewmodels import CsvRegel

    class Changing(StubBackend):
        def __init__(self) -> None:
            super().__init__()
            self.previews = 0
            self.requested = 0

        def preview_csv(self, path: Path) -> CsvVoorbeeld:
            self.previews += 1
            return CsvVoorbeeld(
                [CsvRegel(i, "111222333", "14-02-2015", "12AB") for i in range(self.previews)]
            )

        def request_csv(self, path: Path):  # type: ignore[no-untyped-def]
            self.requested += 1
            return super().request_csv(path)

    backend = Changing()
    path = tmp_path / "a.csv"
    path.write_text("pgn;geboortedatum;brin\n", encoding="utf-8")
    app = make_app(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = CsvRequestModal(tmp_path)
        app.push_screen(modal)
        await settle(pilot)
        modal.preview(path)
        await settle(pilot)
        assert str(modal.query_one("#ja", Button).label) == "Aanvragen (1)"
        modal.query_one("#ja", Button).press()
        await settle(pilot)
        assert backend.requested == 0  # the file read differently now: shown again, not requested
        assert str(modal.query_one("#ja", Button).label) == "Aanvragen (2)"
        assert any("veranderd" in n.message for n in app._notifications)
