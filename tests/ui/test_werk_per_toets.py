"""A key costs what it changes: a mode toggle rewrites the cells it changes, not the whole diff, and
asks nothing of the store; a footer is rebuilt only when its keys change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from textual.widgets._footer import FooterKey

from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.screens.viewmodels import DiffView
from oso_tui.widgets.tabel import Cell, RowTable
from oso_tui.widgets.voet import Voet
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend


class CountingStub(StubBackend):
    """The stub that counts what the diff asks of it."""

    def __init__(self) -> None:
        super().__init__()
        self.plans = 0

    def plan(self, aanvraag_id: str, stap: str, *, plaatsing: Mapping[str, str] | None = None) -> DiffView:
        self.plans += 1
        return super().plan(aanvraag_id, stap, plaatsing=plaatsing)


def count_table_work(table: RowTable) -> dict[str, int]:
    """Count, on this table, the table-wide work that a mode toggle must not do (`clears`: all rows
    handed over again, `rows_added`: how many) and the rows it writes one by one (`updates`)."""
    counts = {"clears": 0, "rows_added": 0, "updates": 0}
    show, update = table.show, table.update

    def counting_show(rows: Sequence[Sequence[Cell]]) -> None:
        counts["clears"] += 1
        counts["rows_added"] += len(rows)
        show(rows)

    def counting_update(row: int, cells: Sequence[Cell]) -> None:
        counts["updates"] += 1
        update(row, cells)

    table.show = counting_show  # type: ignore[method-assign]
    table.update = counting_update  # type: ignore[method-assign]
    return counts


def marks(table: RowTable) -> list[str]:
    return [table.cell_text(i, 0) for i in range(table.row_count)]


async def test_a_mode_toggle_rewrites_only_the_changed_cells_and_asks_no_plan() -> None:
    backend = CountingStub()
    app = make_app(backend)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = DiffScreen("a1", "personalia")
        app.push_screen(screen)
        await settle(pilot)
        table = screen.query_one(RowTable)
        work = count_table_work(table)
        plans, before = backend.plans, marks(table)
        straat = next(
            i for i, r in enumerate(screen.shown) if getattr(r, "sleutel", "") == "personalia.adres"
        )
        table.move_cursor(straat)
        await pilot.press("m")
        await settle(pilot)
        assert screen.view is not None and screen.view.mode == "overschrijven"
        after = marks(table)
        assert before[straat] == "·" and after[straat] == "✓"  # the changed line shows its new choice
        assert [b for i, b in enumerate(before) if i != straat] == [
            a for i, a in enumerate(after) if i != straat
        ]
        assert work == {"clears": 0, "rows_added": 0, "updates": 1}  # the one changed row
        assert backend.plans == plans
        assert "Kerkweg 12" in str(screen.query_one("#diff-detail").render())  # the pane follows
        await pilot.press("m")
        await settle(pilot)
        assert marks(table) == before and work == {"clears": 0, "rows_added": 0, "updates": 2}


async def test_hiding_equal_lines_still_rebuilds_the_rows() -> None:
    app = make_app(CountingStub())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = DiffScreen("a1", "personalia")
        app.push_screen(screen)
        await settle(pilot)
        table = screen.query_one(RowTable)
        rows = table.row_count
        assert screen.view is not None
        equal = sum(1 for r in screen.view.regels if r.oordeel == "gelijk")
        work = count_table_work(table)
        await pilot.press("g")
        await settle(pilot)
        assert equal and table.row_count == rows - equal  # the equal lines are gone
        assert work == {"clears": 1, "rows_added": rows - equal, "updates": 0}
        await pilot.press("g")
        await settle(pilot)
        assert table.row_count == rows


async def test_the_footer_is_rebuilt_only_when_its_keys_change() -> None:
    app = make_app(CountingStub())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        picker = StepPickerScreen("a1")
        app.push_screen(picker)
        await settle(pilot)
        picker_voet = picker.query_one(Voet)
        assert picker_voet.rebuilds == 1 and picker.query(FooterKey)
        screen = DiffScreen("a1", "personalia")
        app.push_screen(screen)
        await settle(pilot)
        voet = screen.query_one(Voet)
        assert voet.rebuilds == 1
        assert "Gelijk weg" in [k.description for k in screen.query(FooterKey)]
        await pilot.press("m", "down", "up")
        await settle(pilot)
        assert voet.rebuilds == 1  # same keys: nothing built again
        await pilot.press("g")
        await settle(pilot)
        assert voet.rebuilds == 2  # "g" now says what it does next
        assert "Gelijk tonen" in [k.description for k in screen.query(FooterKey)]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is picker and picker_voet.rebuilds == 1  # back: its keys stand
        assert picker.query(FooterKey)


async def test_opening_the_diff_or_the_pupil_draws_only_the_rows_on_screen() -> None:
    """The diff and the pupil view build no widget or renderable per row: a pass draws at most the
    rows that fit, however many rows the table holds."""
    from oso_tui.screens.leerling import PupilScreen

    app = make_app(CountingStub())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        diff = DiffScreen("a1", "personalia")
        app.push_screen(diff)
        await settle(pilot)
        table = diff.query_one(RowTable)
        assert table.row_count > 0 and table.rows_drawn > 0
        assert table.most_rows_per_pass <= table.size.height - 1  # the header takes a line
        await pilot.press("escape")
        await settle(pilot)
        pupil = PupilScreen("a1")
        app.push_screen(pupil)
        await settle(pilot)
        fields = pupil.query_one("#velden-personalia", RowTable)
        assert fields.row_count > 0 and fields.rows_drawn > 0
        assert fields.most_rows_per_pass <= fields.size.height - 1
        hidden = pupil.query_one("#velden-loopbaan", RowTable)
        assert hidden.rows_drawn == 0  # a tab not shown draws nothing


async def test_a_compact_footer_styles_each_key_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key built without its compact class gets it once mounted, and is styled a second time."""
    restyled: list[FooterKey] = []
    update = FooterKey.update_node_styles

    def counting(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self)
        update(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counting)
    app = make_app(CountingStub())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = DiffScreen("a1", "personalia")
        app.push_screen(screen)
        await settle(pilot)
        keys = list(screen.query(FooterKey))
        assert keys and all(k.has_class("-compact") for k in keys)
        assert not [k for k in restyled if k in keys]
