"""A table that draws only the rows on screen, for lists of thousands of rows.

Textual's DataTable keeps a renderable for every cell and measures every row, so sorting or filtering
20,000 rows rebuilds all of them. `VirtualTable` keeps no rows: a subclass says how many there are
(`row_count`) and gives the cells of one row when that row is drawn (`cells`), through the Line API
(`render_line`, as Textual's `Log` does). Scrolling, the cursor and the header are its own; its look is
DataTable's, in component classes, so a theme or `NO_COLOR` decides it in CSS.

A cell is text, never markup, and always one line: control characters are spelled out (`visible`)
and tabs become spaces here, whatever the subclass hands over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from oso_tui.display import visible

Cell = tuple[str, str]
"""A cell: its text, and the component class that colours it ("" for none)."""

PADDING = 1
"""Blank cells on either side of every column, as in DataTable."""


@dataclass(frozen=True)
class Column:
    """One column: its key, the header text and its width in cells (without the padding)."""

    key: str
    label: str
    width: int


@dataclass
class _Look:
    """The styles of one drawing pass, looked up once rather than per line."""

    header: Style
    even: Style
    odd: Style
    cursor: Style
    cursor_colours: Style


def _one_line(text: str) -> str:
    return visible(text).replace("\t", " ")


class VirtualTable(ScrollView, can_focus=True):
    """A header and rows drawn on demand; a row cursor; Enter or a click on the cursor row chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Kiezen", show=False),
        Binding("up", "cursor_up", "Omhoog", show=False),
        Binding("down", "cursor_down", "Omlaag", show=False),
        Binding("pageup", "page_up", "Pagina omhoog", show=False),
        Binding("pagedown", "page_down", "Pagina omlaag", show=False),
        Binding("home,ctrl+home", "first", "Eerste", show=False),
        Binding("end,ctrl+end", "last", "Laatste", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtualtable--header",
        "virtualtable--even-row",
        "virtualtable--odd-row",
        "virtualtable--cursor",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .virtualtable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtualtable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .virtualtable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .virtualtable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtualtable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtualtable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .virtualtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False, init=False)
    """The row under the cursor (0 when there are no rows)."""

    class Bericht(Message):
        """A message about this table; `control` lets handlers select on the table's id."""

        def __init__(self, table: VirtualTable) -> None:
            super().__init__()
            self.tabel = table

        @property
        def control(self) -> VirtualTable:
            return self.tabel

    class Highlighted(Bericht):
        """The cursor moved to another row."""

        def __init__(self, table: VirtualTable, row: int) -> None:
            super().__init__(table)
            self.row = row

    class Chosen(Bericht):
        """Enter, or a click on the row that already had the cursor."""

        def __init__(self, table: VirtualTable, row: int) -> None:
            super().__init__(table)
            self.row = row

    class HeaderClicked(Bericht):
        """A click on a column's header."""

        def __init__(self, table: VirtualTable, key: str) -> None:
            super().__init__(table)
            self.key = key

    def __init__(self, *, id: str | None = None, classes: str | None = None, zebra: bool = True) -> None:
        super().__init__(id=id, classes=classes)
        self.zebra = zebra
        """Even rows in their own background (the lists); without, every row has the table's."""
        self.columns: tuple[Column, ...] = ()
        self.rows_drawn = 0
        """Rows drawn since the start: the work a redraw costs, which tests count."""
        self.most_rows_per_pass = 0
        """The most rows one drawing pass drew: at most the table's height, however many rows exist."""
        self._look: _Look | None = None

    # what a subclass gives

    @property
    def row_count(self) -> int:
        return 0

    def cells(self, row: int) -> Sequence[Cell]:
        """The cells of row `row` (0 <= row < row_count), one per column."""
        return ()

    # data changes

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.columns = tuple(columns)
        self.rows_changed()

    def rows_changed(self) -> None:
        """The rows (their number, order or content) changed: size the scroll area and redraw."""
        width = sum(column.width + 2 * PADDING for column in self.columns)
        self.virtual_size = Size(width, self.row_count + 1)
        if self.row_count and self.cursor_row >= self.row_count:
            self.cursor_row = self.row_count - 1
        self.scroll_to(y=min(self.scroll_y, self.max_scroll_y), animate=False, force=True)
        self.refresh()

    def refresh_row(self, row: int) -> None:
        y = row + 1 - round(self.scroll_y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # the cursor

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)
        self.scroll_to_cursor()
        self.post_message(self.Highlighted(self, new))

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row` and scroll it into view, also when it was there already."""
        self.cursor_row = row
        self.scroll_to_cursor()

    @property
    def _rows_on_screen(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def scroll_to_cursor(self) -> None:
        top, rows = round(self.scroll_y), self._rows_on_screen
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, force=True)
        elif self.cursor_row >= top + rows:
            self.scroll_to(y=self.cursor_row - rows + 1, animate=False, force=True)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_down(self) -> None:
        """A page on, keeping the cursor where it is on screen (as DataTable does)."""
        page = self._rows_on_screen
        self.scroll_to(y=self.scroll_y + page, animate=False, force=True)
        self.cursor_row += page

    def action_page_up(self) -> None:
        page = self._rows_on_screen
        self.scroll_to(y=self.scroll_y - page, animate=False, force=True)
        self.cursor_row -= page

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = self.row_count - 1

    def action_choose(self) -> None:
        if self.row_count:
            self.post_message(self.Chosen(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            right = 0
            for column in self.columns:
                right += column.width + 2 * PADDING
                if offset.x < right:
                    self.post_message(self.HeaderClicked(self, column.key))
                    break
            return
        row = offset.y - 1 + round(self.scroll_y)
        if row >= self.row_count:
            return
        event.stop()
        if row == self.cursor_row:
            self.post_message(self.Chosen(self, row))
        else:
            self.cursor_row = row

    # drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        get = self.get_component_rich_style
        cursor = get("virtualtable--cursor")
        odd = get("virtualtable--odd-row")
        self._look = _Look(
            header=get("virtualtable--header"),
            even=get("virtualtable--even-row") if self.zebra else odd,
            odd=odd,
            cursor=cursor,
            cursor_colours=Style.from_color(cursor.color, cursor.bgcolor),
        )
        before = self.rows_drawn
        lines = super().render_lines(crop)
        self.most_rows_per_pass = max(self.most_rows_per_pass, self.rows_drawn - before)
        return lines

    def render_line(self, y: int) -> Strip:
        look = self._look
        assert look is not None, "render_lines looks up the styles first"
        width = self.size.width
        if y == 0:
            header = [
                Segment(f" {set_cell_size(_one_line(c.label), c.width)} ", look.header) for c in self.columns
            ]
            return Strip(header).adjust_cell_length(width, look.header)
        row = y - 1 + round(self.scroll_y)
        if row >= self.row_count:
            return Strip.blank(width, self.rich_style)
        self.rows_drawn += 1
        base = look.odd if row % 2 else look.even
        on_cursor = row == self.cursor_row
        if on_cursor:
            base += look.cursor
        segments: list[Segment] = []
        for column, (text, tone) in zip(self.columns, self.cells(row), strict=False):
            shown = set_cell_size(_one_line(text), column.width)
            if not tone:
                segments += [Segment(f" {shown} ", base)]
                continue
            # The tone colours the text only, as in DataTable; the padding keeps the row's style.
            style = base + self.get_component_rich_style(tone, partial=True)
            if on_cursor:
                style += look.cursor_colours
            text_part = shown.rstrip(" ")
            rest = " " * (column.width - cell_len(text_part) + PADDING)
            segments += [Segment(" " * PADDING, base), Segment(text_part, style), Segment(rest, base)]
        return Strip(segments).adjust_cell_length(width, base)


class RowTable(VirtualTable):
    """A virtual table over rows its screen hands over whole (`show`), for tables of tens of rows
    that change together: a screen that changes a few rows says which (`update`), and only those
    are drawn again. Drawing still costs only the rows on screen, and no widget per cell is built."""

    def __init__(self, *, id: str | None = None, classes: str | None = None, zebra: bool = True) -> None:
        super().__init__(id=id, classes=classes, zebra=zebra)
        self.rows: list[Sequence[Cell]] = []

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def cells(self, row: int) -> Sequence[Cell]:
        return self.rows[row]

    def show(self, rows: Sequence[Sequence[Cell]]) -> None:
        """Other rows: their number or order changed."""
        self.rows = list(rows)
        self.rows_changed()

    def update(self, row: int, cells: Sequence[Cell]) -> None:
        """New cells for one row; only that row is drawn again."""
        self.rows[row] = cells
        self.refresh_row(row)

    def cell_text(self, row: int, column: int) -> str:
        return self.rows[row][column][0]
