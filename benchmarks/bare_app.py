"""The reference for the start-up figure: a bare Textual app with the request list's widgets.

It shows the same rows in the same widgets, read from a JSON file the benchmark prepared, and stops
right after the first paint that shows them (the table measured), like `oso-tui --startuptime`; it
knows nothing of stores, models or services. `python benchmarks/bare_app.py ROWS.json`
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Static

COLUMNS = ("", "Status", "Naam", "Geboren", "PGN", "School", "Dossier", "Stappen")


class BareApp(App[None]):
    def __init__(self, rows: list[list[str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{len(self.rows)} aanvragen", id="samenvatting")
        with Horizontal(id="zoekbalk"):
            yield Static("Zoek:")
            yield Input(id="zoek")
        yield DataTable(id="aanvragen", cursor_type="row", zebra_stripes=True)
        yield Static("", id="leeg")
        yield ProgressBar(id="voortgang", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#zoekbalk").display = False
        self.query_one("#voortgang").display = False
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(self.rows)
        table.focus()
        self._probe = self.set_interval(0.005, self._painted_when_measured)

    def _painted_when_measured(self) -> None:
        """DataTable measures new rows when idle; only then are they really on screen."""
        if self.query_one(DataTable).virtual_size.height >= len(self.rows):
            self._probe.stop()
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    BareApp(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))).run(headless=True)
