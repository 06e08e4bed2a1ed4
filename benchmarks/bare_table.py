"""The reference for the filter and sort figure: a bare DataTable with the same rows and a search box.

Typing filters the rows and `o` sorts them on the next column, each by rebuilding the table with one
`add_rows`, the least any table of this size can do.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input

from benchmarks.bare_app import COLUMNS


class BareTable(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Zoeken"),
        Binding("o", "sort", "Sorteren"),
    ]

    def __init__(self, rows: list[list[str]]) -> None:
        super().__init__()
        self.rows = rows
        self.text = ""
        self.column = 0

    def compose(self) -> ComposeResult:
        yield Input(id="zoek")
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.rebuild()
        self.query_one(DataTable).focus()

    def rebuild(self) -> None:
        needle = self.text.casefold()
        shown = [r for r in self.rows if not needle or any(needle in c.casefold() for c in r)]
        shown.sort(key=lambda r: r[self.column])
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(shown)

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_sort(self) -> None:
        self.column = (self.column + 1) % len(COLUMNS)
        self.rebuild()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.rebuild()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.query_one(DataTable).focus()
