"""The request list as a virtual table: sort, filter, selection and cursor over the stub; the work one
redraw costs (rows drawn, never wall-clock time); and when the list reads the store again."""

from __future__ import annotations

import gc
from datetime import date, timedelta

from textual.pilot import Pilot

from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.help import HelpScreen
from oso_tui.screens.kolommen import achternaam
from oso_tui.screens.lijstmodel import Lijstmodel
from oso_tui.screens.modals import ConfirmModal
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.services import AanvraagRegel
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend, regel

STATUSES = ("aangevraagd", "klaargezet", "opgehaald", "mislukt", "verlopen", "ingetrokken")


class CountingStub(StubBackend):
    """The stub, counting how often the list is read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def list_requests(self) -> list[AanvraagRegel]:
        self.reads += 1
        return super().list_requests()


def many_rows(count: int) -> list[AanvraagRegel]:
    """`count` fictional requests, in an order that is no column's order."""
    return [
        regel(
            f"r{i}",
            f"{100000000 + (i * 7919) % 899999999:09d}",
            f"Kind{i % 97} Achternaam{(i * 31) % 1000}",
            date(2014, 1, 1) + timedelta(days=(i * 13) % 700),
            f"{10 + i % 80}AB 0{i % 3}",
            STATUSES[i % len(STATUSES)],
        )
        for i in range(count)
    ]


def names(screen: RequestListScreen) -> list[str]:
    return [r.naam for r in screen.shown]


def current(screen: RequestListScreen) -> str | None:
    row = screen.current_row()
    return row.naam if row else None


def drawn(screen: RequestListScreen) -> list[str]:
    """The table's lines as they are on screen."""
    table = screen.tabel
    lines = [strip.text for strip in screen._compositor.render_strips()]
    return lines[table.region.y : table.region.bottom]


async def list_screen(pilot: Pilot[None]) -> RequestListScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RequestListScreen)
    return screen


def test_sorting_on_the_surname() -> None:
    assert achternaam("Sanne de Vries") == "Vries"
    assert achternaam("Noor van Wijngaarden") == "Wijngaarden"
    assert achternaam("Mohammed El Amrani") == "El Amrani"
    assert achternaam("van den Berg") == "Berg", "a request without dossier: only the surname"
    assert achternaam("Çelik") == "Çelik"
    assert achternaam("") == ""


def test_the_model_filters_and_sorts_row_numbers() -> None:
    model = Lijstmodel(many_rows(300))
    model.toon(status="mislukt", tekst="", werklijst=False, kolom="geboren", omgekeerd=False)
    assert len(model) == 50 and {r.status for r in model} == {"mislukt"}
    assert [r.geboortedatum for r in model] == sorted(r.geboortedatum for r in model)
    model.toon(status=None, tekst=" Kind7 ACHTER", werklijst=False, kolom="naam", omgekeerd=True)
    assert {r.naam.split()[0] for r in model} == {"Kind7"}
    surnames = [achternaam(r.naam) for r in model]
    assert surnames == sorted(surnames, key=str.casefold, reverse=True)
    assert model.positie(model[3].id) == 3
    assert model.positie("r1") is None and model.kent("r1"), "loaded, but filtered out"


async def test_sort_keys_cycle_and_reverse_and_the_cursor_stays_on_its_row() -> None:
    app = make_app(StubBackend())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_screen(pilot)
        assert screen.sort_column == "status"
        assert [r.status for r in screen.shown] == list(STATUSES)
        await pilot.press("down")
        assert current(screen) == "Mohammed El Amrani"
        await pilot.press("o", "o")
        await settle(pilot)
        assert screen.sort_column == "geboren"
        born = [r.geboortedatum for r in screen.shown]
        assert born == sorted(born)
        assert current(screen) == "Mohammed El Amrani", "the cursor follows its row"
        assert screen.tabel.cursor_row == 4
        await pilot.press("O")
        await settle(pilot)
        assert [r.geboortedatum for r in screen.shown] == sorted(born, reverse=True)
        header = drawn(screen)[0]
        assert "Geboren ▼" in header and "Status ▲" not in header


async def test_a_click_on_a_header_sorts_by_that_column_and_again_reverses() -> None:
    app = make_app(StubBackend())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_screen(pilot)
        x = drawn(screen)[0].index("School")
        await pilot.click("#aanvragen", offset=(x, 0))
        await settle(pilot)
        assert (screen.sort_column, screen.sort_reverse) == ("school", False)
        schools = [(r.brin, r.vestiging) for r in screen.shown]
        assert schools == sorted(schools)
        await pilot.click("#aanvragen", offset=(x, 0))
        await settle(pilot)
        assert (screen.sort_column, screen.sort_reverse) == ("school", True)


async def test_filter_by_text_is_case_and_accent_blind_and_digits_find_the_pgn() -> None:
    stub = StubBackend()
    stub.rows.append(regel("a7", "555666777", "Çelik", date(2015, 9, 21), "12AB 00", "mislukt"))
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_screen(pilot)
        await pilot.press("slash", *"CELIK")
        await settle(pilot)
        assert names(screen) == ["Çelik"]
        assert any("Çelik" in line for line in drawn(screen))
        for _ in range(5):
            await pilot.press("backspace")
        await pilot.press(*"333")
        await settle(pilot)
        assert names(screen) == ["Sanne de Vries"], "the PGN's last digits"
        await pilot.press("backspace", "backspace", "backspace", *"xyz")
        await settle(pilot)
        assert not screen.shown and screen.tabel.row_count == 0
        assert screen.query_one("#leeg").display


async def test_selection_is_marked_moves_the_cursor_and_follows_the_ids() -> None:
    app = make_app(StubBackend())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_screen(pilot)
        await pilot.press("space")
        assert screen.tabel.cursor_row == 1, "space marks the row and moves on"
        await pilot.press("space")
        await settle(pilot)
        assert screen.selected == {"a3", "a2"}
        marked = [line for line in drawn(screen) if line.startswith(" ✓")]
        assert len(marked) == 2 and "Lotte Jansen" in marked[0]
        await pilot.press("o")  # by name: the marks stay with their rows
        await settle(pilot)
        marked = [line for line in drawn(screen) if line.startswith(" ✓")]
        assert "Mohammed El A" in marked[0] and "Lotte Jansen" in marked[1]
        await pilot.press("escape")
        assert not screen.selected, "Escape clears the selection"
        await pilot.press("f", "a")  # aangevraagd only: a selects what is shown
        await settle(pilot)
        assert screen.selected == {"a3"}
        await pilot.press("escape", "a")
        assert screen.selected == {r.id for r in screen.rows}
        await pilot.press("a")
        assert not screen.selected, "a again: none"


async def test_cursor_keys_page_and_ends_over_many_rows() -> None:
    stub = StubBackend()
    stub.rows = many_rows(500)
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_screen(pilot)
        table = screen.tabel
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 499
        assert drawn(screen)[-1].find(screen.shown[499].naam[:10]) > 0, "the last row is on screen"
        await pilot.press("home", "pagedown")
        page = table.scrollable_content_region.height - 1
        assert table.cursor_row == page
        await pilot.press("pageup", "down", "down", "up")
        assert table.cursor_row == 1
        await pilot.press("up", "up")
        assert table.cursor_row == 0


async def test_a_redraw_draws_at_most_a_screenful_of_5000_rows() -> None:
    """Sorting, filtering and moving in 5,000 rows draw only the rows on screen: counted, not timed."""
    stub = StubBackend()
    stub.rows = many_rows(5000)
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_screen(pilot)
        table = screen.tabel
        height = table.size.height
        assert 0 < height < 24
        steps = [("o",), ("O",), ("f",), ("escape",), ("down",), ("pagedown",), ("end",), ("w", "w")]
        steps += [("slash", "k"), ("i",), ("backspace",), ("enter",), ("space",)]
        for keys in steps:
            before = table.rows_drawn
            await pilot.press(*keys)
            await settle(pilot)
            assert table.rows_drawn - before <= 3 * height, (keys, table.rows_drawn - before)
            if keys == ("o",):
                assert table.rows_drawn > before, "the count counts"
        assert table.most_rows_per_pass <= height


async def test_a_sort_of_5000_rows_makes_no_garbage_for_the_collector() -> None:
    """The model keeps no object per row that a sort would build or walk: a sort allocates the row
    numbers and one screenful, far fewer objects than rows."""
    stub = StubBackend()
    stub.rows = many_rows(5000)
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_screen(pilot)
        gc.collect()
        before = len(gc.get_objects())
        screen.sort_column = "naam"
        screen.refresh_table()
        assert len(gc.get_objects()) - before < 1000


async def test_the_list_does_not_reload_under_the_step_picker_and_does_once_after() -> None:
    stub = CountingStub()
    app = make_app(stub)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_screen(pilot)
        assert stub.reads == 1
        await pilot.press("slash", *"sanne", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen)
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await settle(pilot)
        assert stub.undone == [("a1", "personalia")]
        app.check_for_changes()  # the poll sees the new generation and tells every screen
        await settle(pilot)
        assert stub.reads == 1, "nothing read while the step picker is on top"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and stub.reads == 2, "read once when shown again"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert stub.reads == 2, "the generation did not change: nothing to read"


async def test_a_reload_keeps_cursor_and_selection_by_request_id() -> None:
    stub = CountingStub()
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_screen(pilot)
        await pilot.press("down", "space")  # Mohammed selected, the cursor on to Sanne
        assert current(screen) == "Sanne de Vries"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        stub.rows.insert(
            0, regel("a0", "100000021", "Anna Aalbers", date(2015, 1, 1), "12AB 00", "aangevraagd")
        )
        stub.rows = [r for r in stub.rows if r.naam != "Daan Bakker"]
        stub.gen += 1
        await pilot.press("escape")
        await settle(pilot)
        assert stub.reads == 2 and len(screen.rows) == 6
        assert current(screen) == "Sanne de Vries" and screen.tabel.cursor_row == 3
        assert screen.selected == {"a2"}


async def test_a_click_moves_the_cursor_and_a_second_click_opens_the_request() -> None:
    app = make_app(StubBackend())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_screen(pilot)
        await pilot.click("#aanvragen", offset=(30, 3))  # the header, then rows 0, 1, 2
        await settle(pilot)
        assert screen.tabel.cursor_row == 2 and app.screen is screen
        await pilot.click("#aanvragen", offset=(30, 3))
        await settle(pilot)
        assert isinstance(app.screen, StepPickerScreen)
        assert app.screen.aanvraag_id == screen.shown[2].id
