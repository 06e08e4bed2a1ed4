"""What the command line prints: lines and tables with every value escaped, JSON that stays exact.

Values come from dossiers, CSV files and file names: a control character in them must never reach
the terminal raw (see `oso_tui.display`). Tables go through `rich.table`, plain when the output is
not a terminal or NO_COLOR is set, so scripts and `grep` see one line per row.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from io import StringIO
from typing import IO

from oso_tui.display import visible, visible_json

Cell = str | tuple[str, str]
"""A cell: its text, or its text and a Rich style (used only when colours are on)."""


def colours(stream: IO[str]) -> bool:
    """Colours only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def json_text(data: object, *, indent: int | None = 2) -> str:
    """Valid JSON with every value intact; control characters written as escapes, never raw."""
    return visible_json(json.dumps(data, ensure_ascii=False, indent=indent))


def terminal_csv(text: str, stream: IO[str]) -> str:
    """CSV text for `stream`: exact when it goes to a file or a pipe. On a terminal each record is one
    line with its control characters spelled out, so no value (a CR/LF inside quotes included) can
    move the cursor or look like another record."""
    if not stream.isatty():
        return text
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    shown = StringIO()
    writer = csv.writer(shown, delimiter=delimiter, lineterminator="\n")
    for record in csv.reader(StringIO(text, newline=""), delimiter=delimiter):
        writer.writerow([visible(cell) for cell in record])
    return shown.getvalue()


def table_lines(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    colour: bool = False,
    width: int | None = None,
) -> list[str]:
    """The table as text lines: one line per row when there is room (always, off a terminal)."""
    rows = list(rows)
    if not colour and width is None:
        plain = plain_table_lines(headers, rows)
        if plain is not None:
            return plain
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold" if colour else "",
        safe_box=True,
    )
    for header in headers:
        table.add_column(header)
    for row in rows:
        cells = []
        for cell in row:
            value, style = cell if isinstance(cell, tuple) else (cell, "")
            cells.append(Text(visible(value), style=style if colour else "", end=""))
        table.add_row(*cells)
    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width or 100_000,
        color_system="standard" if colour else None,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(table)
    text = buffer.getvalue()
    return [line if colour else line.rstrip() for line in text.rstrip("\n").split("\n")]


def plain_table_lines(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> list[str] | None:
    """What `table_lines` gives without colour and without a width limit, laid out here instead of by
    Rich: the same columns (the widest cell, three spaces between), the same rule under the headers,
    at a fraction of the cost of importing and running Rich (the commands `show` and `list` print
    through this in scripts). None for what only Rich lays out (a tab, a row longer than the headers, a table
    without any width)."""
    from rich.cells import cell_len

    texts = [list(headers)]
    for row in rows:
        cells = [visible(c[0] if isinstance(c, tuple) else c) for c in row]
        if len(cells) > len(headers):
            return None
        texts.append(cells + [""] * (len(headers) - len(cells)))
    if any("\t" in cell for row in texts for cell in row):
        return None
    widths = [max(cell_len(row[i]) for row in texts) for i in range(len(headers))]
    if not sum(widths):
        return None
    rule = "─" * (sum(widths) + 3 * (len(widths) - 1))

    def line(cells: list[str]) -> str:
        padded = (cell + " " * (w - cell_len(cell)) for cell, w in zip(cells, widths, strict=True))
        return "   ".join(padded).rstrip()

    return [line(texts[0]), rule, *(line(row) for row in texts[1:])]


def print_table(stream: IO[str], headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    colour = colours(stream)
    width = shutil.get_terminal_size((100, 24)).columns if stream.isatty() else None
    for line in table_lines(headers, rows, colour=colour, width=width):
        print(line, file=stream)
