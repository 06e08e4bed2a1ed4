"""The registered pupil per step, with provenance and history; care data only for the zorg role."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from oso_tui.display import aantal
from oso_tui.registration.labels import nl_datum
from oso_tui.screens.base import OsoScreen, Resultaat
from oso_tui.screens.viewmodels import STAP_LABELS, STAPPEN, LeerlingView, Melding, mask_pgn
from oso_tui.widgets.messages import StoreChanged
from oso_tui.widgets.plain import plain, visible
from oso_tui.widgets.voet import Voet


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
                    yield Static("", id=f"leeg-{stap}", classes="leeg-tab")
                    yield field_table(f"velden-{stap}")
                    if stap == "begeleiding":
                        yield field_table("bijlagen")
            with TabPane("Historie", id="tab-historie"):
                yield Static("", id="leeg-historie", classes="leeg-tab")
                yield field_table("historie")
        yield Static("", id="leerling-detail")
        yield Voet()

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
        for leeg in self.query(".leeg-tab"):
            leeg.display = False
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
        """Care data is fetched (and the viewing audited) only when the zorg tab is opened; the detail
        pane follows the tab."""
        if event.pane.id == "tab-begeleiding" and not self.care_loaded and self.backend.gebruiker.zorg:
            self.care_loaded = True
            self.load(met_zorg=True)
        self.show_detail()

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
            velden = view.per_stap.get(stap, ())
            table.add_rows(
                [plain(v.label), plain(nl_datum(v.waarde)), plain(v.herkomst, style="dim")] for v in velden
            )
            self._empty(stap, table, not velden and (stap != "begeleiding" or view.zorg_zichtbaar))
        self.query_one("#zorg-melding", Static).update(self.zorg_tekst())
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
        self._empty("historie", history, not view.historie)
        self.show_detail()

    def _empty(self, tab: str, table: DataTable[str | Text], leeg: bool) -> None:
        """An empty tab says so in words, instead of showing a bare table header."""
        melding = self.query_one(f"#leeg-{tab}", Static)
        melding.update(self.leeg_tekst(tab) if leeg else "")
        melding.display = leeg
        table.display = not leeg

    def zorg_tekst(self) -> str:
        if not self.backend.gebruiker.zorg:
            return "Zorggegevens zijn alleen zichtbaar voor de rol zorg."
        if self.view is None or not self.view.zorg_zichtbaar:
            return "Zorggegevens laden…"
        return "Het bekijken van zorggegevens wordt vastgelegd in het auditlog."

    @staticmethod
    def leeg_tekst(tab: str) -> str:
        if tab == "historie":
            return "Nog geen historie: er is voor deze leerling nog geen stap toegepast."
        return f"Nog niets geregistreerd in de stap {STAP_LABELS[tab].lower()}."

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The whole row under the cursor of the active tab, with its provenance: the columns cut long
        values short. An empty tab's pane says that it is empty."""
        view = self.view
        if view is None:
            return
        tab = (self.query_one(TabbedContent).active or "").removeprefix("tab-")
        pane = self.query_one("#leerling-detail", Static)
        text = Text()
        if tab == "historie":
            row = self.query_one("#historie", DataTable).cursor_row
            if not 0 <= row < len(view.historie):
                pane.update(self.leeg_tekst(tab))
                return
            h = view.historie[row]
            text.append(
                visible(f"{h.moment.astimezone():%d-%m-%Y %H:%M} · {h.stap} · {h.actie}"), style="bold"
            )
            text.append("\n")
            dossier = f"dossier van {h.versie_datum:%d-%m-%Y}" if h.versie_datum else "geen dossier"
            text.append(visible(f"door {h.door} · {dossier} · {aantal(h.velden, 'veld', 'velden')}"))
            pane.update(text)
            return
        velden = view.per_stap.get(tab, ())
        row = self.query_one(f"#velden-{tab}", DataTable).cursor_row
        if not 0 <= row < len(velden):
            hidden = tab == "begeleiding" and not view.zorg_zichtbaar
            pane.update(self.zorg_tekst() if hidden else self.leeg_tekst(tab))
            return
        veld = velden[row]
        text.append(visible(veld.label), style="bold")
        text.append(visible(f": {nl_datum(veld.waarde)}"))
        if veld.herkomst:
            text.append("\n")
            text.append(visible(f"  herkomst: {veld.herkomst}"), style="dim")
        pane.update(text)

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
