"""Pilot tests of the screens over a stub backend: keys in, what the user sees and what was asked."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, DataTable, Static

from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.help import HelpScreen
from oso_tui.screens.hernieuwen import RenewModal
from oso_tui.screens.leerling import PupilScreen
from oso_tui.screens.modals import ConfirmModal, NewRequestModal
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.screens.versies import VersionsScreen
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend


def table_names(screen: RequestListScreen) -> list[str]:
    return [r.naam for r in screen.shown]


async def test_list_shows_every_request_and_counts(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        assert screen.tabel.row_count == 6
        summary = str(screen.query_one("#samenvatting", Static).render())
        assert "alle 6" in summary and "leerlingen 1" in summary


async def test_filter_by_text_and_status_and_clear(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("slash", *"sanne")
        assert table_names(screen) == ["Sanne de Vries"]
        await pilot.press("enter", "escape")
        assert len(screen.shown) == 6
        await pilot.press("f")
        assert [r.status for r in screen.shown] == ["aangevraagd"]
        await pilot.press("f", "f")
        assert [r.status for r in screen.shown] == ["opgehaald"]
        await pilot.press("escape")
        assert len(screen.shown) == 6


async def test_sort_by_column_and_reverse(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("o")
        assert screen.sort_column == "naam"
        assert table_names(screen) == [  # on the surname, without the voorvoegsel
            "Daan Bakker",
            "Mohammed El Amrani",
            "Lotte Jansen",
            "Noah Smit",
            "Emma Visser",
            "Sanne de Vries",
        ]
        await pilot.press("O")
        assert table_names(screen)[0] == "Sanne de Vries"


async def test_multi_select_and_collective_renew(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("f", "f", "f")  # opgehaald
        await pilot.press("escape")
        await pilot.press("space", "space")
        assert len(screen.selected) == 2
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, RenewModal)
        await pilot.press("enter")
        await settle(pilot)
        assert sorted(stub.renewed) == ["a2", "a3"] or len(stub.renewed) == 2
        assert not screen.selected


async def test_new_request_checks_as_you_type(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        modal = app.screen
        assert isinstance(modal, NewRequestModal)
        await pilot.press(*"123456789")
        assert "elfproef" in str(modal.query_one("#pgn-melding", Static).render())
        assert modal.query_one("#ja", Button).disabled
        for _ in range(9):
            await pilot.press("backspace")
        await pilot.press(*"100000004", "tab", *"31-02-2015")
        assert "bestaat niet" in str(modal.query_one("#geboortedatum-melding", Static).render())
        for _ in range(10):
            await pilot.press("backspace")
        await pilot.press(*"14-02-2015", "tab", *"12ab")
        assert modal.query_one("#ja", Button).disabled is False
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen)
        assert any(r.pgn == "100000004" and r.status == "aangevraagd" for r in stub.rows[6:])


async def test_new_request_refused_stays_open_with_message(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"111222333", "tab", *"14-02-2015", "tab", *"12AB", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NewRequestModal)
        assert any("loopt al een aanvraag" in n.message for n in app._notifications)


async def test_open_request_diff_toggle_and_apply(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sanne", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen)
        await pilot.press("down", "enter")  # loopbaan: has a warning
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        assert diff.query_one("#toepassen", Button).disabled
        await pilot.press("t")
        assert not stub.applied
        await pilot.press("w", "m")
        assert diff.query_one(Checkbox).value and diff.view is not None and diff.view.mode == "overschrijven"
        await pilot.press("down", "down", "space")  # argumentatie: gewijzigd, now not taken
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen)
        applied = stub.applied[-1]
        assert applied.view.stap == "loopbaan" and applied.view.mode == "overschrijven"
        assert applied.view.keuzes == {"loopbaan.advies.argumentatie": "behouden"}
        changing = {r.sleutel for r in applied.view.regels if r.wijzigt}
        assert changing == {"loopbaan.advies.aandachtspunten", "loopbaan.toetsen[0011|2027-02-10]"}
        assert applied.waarschuwingen_gezien


async def test_step_picker_undo_pupil_and_versions(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sanne", "enter", "enter")
        await settle(pilot)
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await settle(pilot)
        assert stub.undone == [("a1", "personalia")]
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        await pilot.press("escape", "d")
        await settle(pilot)
        assert isinstance(app.screen, VersionsScreen)
        assert app.screen.query_one("#versie-velden", DataTable).row_count == 2


async def test_help_opens_with_f1_and_closes(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, RequestListScreen)


async def test_no_bindings_that_clash_with_tmux(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = {key for key, _ in app.screen.active_bindings.items()}
        assert not keys & {"ctrl+b", "ctrl+a", "ctrl+s", "ctrl+j"}
        assert "ctrl+q" in keys and "f1" in keys


async def test_several_steps_one_after_another(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sanne", "enter", "enter")
        await settle(pilot)
        await pilot.press("space", "space", "t")  # personalia and loopbaan, then go
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen) and app.screen.stap == "personalia"
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen) and app.screen.stap == "loopbaan"
        await pilot.press("w", "t")
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen)
        assert [t.view.stap for t in stub.applied] == ["personalia", "loopbaan"]
        assert (
            stub.applied[0].plaatsing is not None and stub.applied[0].plaatsing["schooljaar"] == "2027-2028"
        )


async def test_step_picker_reads_its_request_once_per_change(stub: StubBackend) -> None:
    """Undo reads the steps again once (not also on coming back from the question); coming back from
    a screen that changed nothing reads nothing; an applied step is read once."""
    reads: list[str] = []
    real = stub.detail

    def counting(aanvraag_id: str) -> object:
        reads.append(aanvraag_id)
        return real(aanvraag_id)

    stub.detail = counting  # type: ignore[method-assign,assignment]
    app = make_app(stub)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sanne", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen)
        assert len(reads) == 1
        await pilot.press("u", "escape")  # asked, then not undone
        await settle(pilot)
        assert len(reads) == 1 and not stub.undone
        await pilot.press("u", "j")
        await settle(pilot)
        assert stub.undone == [("a1", "personalia")]
        assert len(reads) == 2
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert len(reads) == 2
        await pilot.press("enter", "t")  # personalia: apply
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen) and stub.applied
        assert len(reads) == 3
