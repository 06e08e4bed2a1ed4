"""The registered pupil per step, with provenance and history; care data only for the zorg role."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from oso_tui.screens.base import OsoScreen, Resultaat
from oso_tui.screens.viewmodels import STAP_LABELS, STAPPEN, LeerlingView, Melding, mask_pgn
from oso_tui.widgets.messages import StoreChanged
from oso_tui.widgets.plain import plain, visible


def field_table(table_id: str) -> DataTable[str | Text]:
    table: DataTable[str | Text] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    return table


class LeerlingGeladen(Resultaat[LeerlingView]):
    """The registered pupil, with care data when asked for and allowed."""


class BijlageBewaard(Resultaat[Melding]):
    """An attachment is saved (still packed)."""


class PupilScreen(OsoScreen[None]):
    """Read-only: what is registered and where each value came from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Terug", id="leerling.terug"),
        Binding("b", "save_attachment", "Bijlage bewaren", id="leerling.bewaren"),
    ]

    def __init__(self, aanvraag_id: str) -> None:
        super().__init__()
        self.aanvraag_id = aanvraag_id
        self.view: LeerlingView | None = None
        self.care_loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Laden…", id="leerling-kop")
        with TabbedContent(id="tabs"):
            for stap in STAPPEN:
                with TabPane(STAP_LABELS[stap].split(" ")[0], id=f"tab-{stap}"):
                    if stap == "begeleiding":
                        yield Static("", id="zorg-melding")
                    yield field_table(f"velden-{stap}")
                    if stap == "begeleiding":
                        yield field_table("bijlagen")
            with TabPane("Historie", id="tab-historie"):
                yield field_table("historie")
        yield Static("", id="leerling-detail")
        yield Footer()

    def on_mount(self) -> None:
        value_width = max(16, self.app.size.width - 58)
        for stap in STAPPEN:
            table = self.query_one(f"#velden-{stap}", DataTable)
            table.add_column("Veld", width=22)
            table.add_column("Waarde", width=value_width)
            table.add_column("Herkomst", width=26)
        history = self.query_one("#historie", DataTable)
        for label, width in (("Moment", 16), ("Stap", 12), ("Actie", 12), ("Door", 10), ("Dossier", 10)):
            history.add_column(label, width=width)
        history.add_column("Velden", width=6)
        attachments = self.query_one("#bijlagen", DataTable)
        for label, width in (("Bijlage", 24), ("Omschrijving", 30), ("Grootte", 9)):
            attachments.add_column(label, width=width)
        attachments.display = False
        self.load(met_zorg=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="leerling")
    def load(self, *, met_zorg: bool) -> None:
        self.post_message(LeerlingGeladen(self.backend.pupil(self.aanvraag_id, met_zorg=met_zorg)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="bijlage")
    def _save(self, index: int, target: Path) -> None:
        self.post_message(BijlageBewaard(self.backend.save_attachment(self.aanvraag_id, index, target)))

    @on(BijlageBewaard)
    def _saved(self, message: BijlageBewaard) -> None:
        self.notify(message.value.tekst, severity=message.value.ernst)

    @on(StoreChanged)
    def _store_changed(self) -> None:
        self.load(met_zorg=self.care_loaded)

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        """Care data is fetched (and the viewing audited) only when the zorg tab is opened."""
        if event.pane.id == "tab-begeleiding" and not self.care_loaded and self.backend.gebruiker.zorg:
            self.care_loaded = True
            self.load(met_zorg=True)

    @on(LeerlingGeladen)
    def _show(self, message: LeerlingGeladen) -> None:
        view = self.view = message.value
        kop = Text()
        kop.append(visible(view.naam), style="bold")
        kop.append(visible(f" · {mask_pgn(view.pgn)} · geregistreerd: "))
        kop.append(visible(", ".join(s for s in STAPPEN if view.per_stap.get(s)) or "nog niets"))
        self.query_one("#leerling-kop", Static).update(kop)
        for stap in STAPPEN:
            table = self.query_one(f"#velden-{stap}", DataTable)
            table.clear()
            table.add_rows(
                [plain(v.label), plain(v.waarde), plain(v.herkomst, style="dim")]
                for v in view.per_stap.get(stap, ())
            )
        melding = self.query_one("#zorg-melding", Static)
        if not self.backend.gebruiker.zorg:
            melding.update("Zorggegevens zijn alleen zichtbaar voor de rol zorg.")
        elif not view.zorg_zichtbaar:
            melding.update("Zorggegevens laden…")
        else:
            melding.update("Het bekijken van zorggegevens wordt vastgelegd in het auditlog.")
        attachments = self.query_one("#bijlagen", DataTable)
        attachments.clear()
        attachments.add_rows(
            [plain(b.bestandsnaam), plain(b.omschrijving), plain(f"{b.grootte / 1024:.1f} kB")]
            for b in view.bijlagen
        )
        attachments.display = bool(view.bijlagen)
        history = self.query_one("#historie", DataTable)
        history.clear()
        history.add_rows(
            [
                plain(f"{h.moment.astimezone():%d-%m-%Y %H:%M}"),
                plain(h.stap),
                plain(h.actie),
                plain(h.door),
                plain(f"{h.versie_datum:%d-%m-%Y}" if h.versie_datum else "—"),
                plain(str(h.velden)),
            ]
            for h in view.historie
        )

    @on(DataTable.RowHighlighted)
    def _detail(self, event: DataTable.RowHighlighted) -> None:
        """The whole value under the cursor, with its provenance: the columns cut long values short."""
        view = self.view
        table_id = event.data_table.id or ""
        if view is None or not table_id.startswith("velden-"):
            return
        velden = view.per_stap.get(table_id.removeprefix("velden-"), ())
        if 0 <= event.cursor_row < len(velden):
            veld = velden[event.cursor_row]
            text = Text()
            text.append(visible(veld.label), style="bold")
            text.append(visible(f": {veld.waarde}"))
            if veld.herkomst:
                text.append("\n")
                text.append(visible(f"  herkomst: {veld.herkomst}"), style="dim")
            self.query_one("#leerling-detail", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_save_attachment(self) -> None:
        view = self.view
        if view is None or not view.bijlagen:
            self.notify("Er zijn geen bijlagen om te bewaren.", severity="warning")
            return
        table = self.query_one("#bijlagen", DataTable)
        bijlage = view.bijlagen[min(table.cursor_row, len(view.bijlagen) - 1)]
        from oso_tui.screens.modals import PromptModal

        def answered(folder: str | None) -> None:
            if folder:
                self._save(bijlage.index, Path(folder).expanduser())

        self.app.push_screen(
            PromptModal(f"In welke map bewaren? ({bijlage.bestandsnaam}; wordt niet uitgepakt)", "."),
            callback=answered,
        )
