"""The dossier versions of a request: dates and findings, and any version's raw fields."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from oso_tui.exchange.models import DossierVersie
from oso_tui.screens.base import OsoScreen, Resultaat
from oso_tui.screens.viewmodels import Veld
from oso_tui.widgets.plain import plain


class VersiesGeladen(Resultaat[list[DossierVersie]]):
    """The versions of the request, oldest first."""


class VeldenGeladen(Resultaat[list[Veld]]):
    """The raw fields of one version."""


class VersionsScreen(OsoScreen[None]):
    """Oldest first, as they arrived; the fields below follow the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Terug", id="versies.terug"),
        Binding("tab", "focus_next", "Wissel", id="versies.wissel", show=False),
    ]

    def __init__(self, aanvraag_id: str) -> None:
        super().__init__()
        self.aanvraag_id = aanvraag_id
        self.rows: list[DossierVersie] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Dossierversies", id="versies-kop")
        versions: DataTable[str | Text] = DataTable(id="versies", cursor_type="row")
        yield versions
        fields: DataTable[str | Text] = DataTable(id="versie-velden", cursor_type="row", zebra_stripes=True)
        yield fields
        yield Footer()

    def on_mount(self) -> None:
        versions = self.query_one("#versies", DataTable)
        for label, width in (
            ("Datum", 10),
            ("Versie", 7),
            ("Ontvangen", 16),
            ("Bron", 14),
            ("Bevindingen", max(12, self.app.size.width - 79)),
        ):
            versions.add_column(label, width=width)
        fields = self.query_one("#versie-velden", DataTable)
        fields.add_column("Veld", width=26)
        fields.add_column("Waarde", width=max(20, self.app.size.width - 34))
        versions.focus()
        self._load_versions()

    @work(thread=True, exclusive=True, exit_on_error=False, group="versies")
    def _load_versions(self) -> None:
        self.post_message(VersiesGeladen(self.backend.versions(self.aanvraag_id)))

    @on(VersiesGeladen)
    def _show(self, message: VersiesGeladen) -> None:
        rows = self.rows = message.value
        table = self.query_one("#versies", DataTable)
        table.clear()
        table.add_rows(
            [
                plain(f"{r.datum:%d-%m-%Y}" if r.datum else "—"),
                plain(r.standaardversie or "?"),
                plain(f"{r.ontvangen.astimezone():%d-%m-%Y %H:%M}" if r.ontvangen else "—"),
                plain(r.bron),
                Text("verwijderd na verloop", style=self.tone("stil"))
                if r.verwijderd
                else plain("; ".join(r.waarschuwingen), style=self.tone("let-op"))
                if r.waarschuwingen
                else Text("geen", style=self.tone("goed")),
            ]
            for r in rows
        )
        kop = f"Dossierversies: {len(rows)}" if rows else "Nog geen dossier ontvangen voor deze aanvraag."
        self.query_one("#versies-kop", Static).update(plain(kop))
        if rows:
            table.move_cursor(row=len(rows) - 1, animate=False)
            self.load_fields(rows[-1])

    @on(DataTable.RowHighlighted, "#versies")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            self.load_fields(self.rows[event.cursor_row])

    def load_fields(self, row: DossierVersie) -> None:
        if row.verwijderd:
            self._fields([Veld("", "Deze versie is na de zomervakantie verwijderd (dataminimalisatie).")])
            return
        self._load_fields(row.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="velden")
    def _load_fields(self, versie_id: str) -> None:
        self.post_message(VeldenGeladen(self.backend.version_fields(versie_id)))

    @on(VeldenGeladen)
    def _fields_loaded(self, message: VeldenGeladen) -> None:
        self._fields(message.value)

    def _fields(self, fields: list[Veld]) -> None:
        table = self.query_one("#versie-velden", DataTable)
        table.clear()
        table.add_rows([plain(f.label), plain(f.waarde)] for f in fields)

    def action_back(self) -> None:
        self.app.pop_screen()
