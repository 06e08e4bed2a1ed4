"""The registered pupil per step, with provenance and history; care data only for the zorg role."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static, TabbedContent, TabPane

from oso_tui.display import aantal
from oso_tui.registration.labels import nl_datum
from oso_tui.screens.base import OsoScreen, Resultaat
from oso_tui.screens.viewmodels import STAP_LABELS, STAPPEN, LeerlingView, Melding, mask_pgn
from oso_tui.widgets.messages import StoreChanged
from oso_tui.widgets.plain import visible
from oso_tui.widgets.tabel import Column, RowTable, VirtualTable
from oso_tui.widgets.voet import Voet


class VeldTabel(RowTable):
    """One tab's rows, drawn on demand: opening the pupil builds no widget or renderable per cell."""

    DEFAULT_CSS = """
    VeldTabel > .herkomst { text-style: dim; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | {"herkomst"}


class LeerlingGeladen(Resultaat[LeerlingView]):
    """The registered pupil, with care data when asked for and allowed."""


class BijlageBewaard(Resultaat[Melding]):
    """An attachment is saved (still packed)."""


class PupilScreen(OsoScreen[None]):
    """Read-only: what is registered and where each value came from."""

    DEFAULT_CSS = """
    PupilScreen > .nadruk { text-style: bold; }
    PupilScreen > .herkomst { text-style: dim; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"nadruk", "herkomst"}

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
                    yield VeldTabel(id=f"velden-{stap}")
                    if stap == "begeleiding":
                        yield VeldTabel(id="bijlagen")
            with TabPane("Historie", id="tab-historie"):
                yield Static("", id="leeg-historie", classes="leeg-tab")
                yield VeldTabel(id="historie")
        yield Static("", id="leerling-detail")
        yield Voet()

    def on_mount(self) -> None:
        value_width = max(16, self.app.size.width - 58)
        for stap in STAPPEN:
            self.query_one(f"#velden-{stap}", VeldTabel).set_columns(
                [
                    Column("veld", "Veld", 22),
                    Column("waarde", "Waarde", value_width),
                    Column("herkomst", "Herkomst", 26),
                ]
            )
        self.query_one("#historie", VeldTabel).set_columns(
            [
                Column("moment", "Moment", 16),
                Column("stap", "Stap", 12),
                Column("actie", "Actie", 12),
                Column("door", "Door", 10),
                Column("dossier", "Dossier", 10),
                Column("velden", "Velden", 6),
            ]
        )
        attachments = self.query_one("#bijlagen", VeldTabel)
        attachments.set_columns(
            [
                Column("bijlage", "Bijlage", 24),
                Column("omschrijving", "Omschrijving", 30),
                Column("grootte", "Grootte", 9),
            ]
        )
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
        kop.append(visible(view.naam), style=self.toon("nadruk"))
        kop.append(visible(f" · {mask_pgn(view.pgn)} · geregistreerd: "))
        kop.append(visible(", ".join(s for s in STAPPEN if view.per_stap.get(s)) or "nog niets"))
        self.query_one("#leerling-kop", Static).update(kop)
        for stap in STAPPEN:
            table = self.query_one(f"#velden-{stap}", VeldTabel)
            velden = view.per_stap.get(stap, ())
            table.show([[(v.label, ""), (nl_datum(v.waarde), ""), (v.herkomst, "herkomst")] for v in velden])
            self._empty(stap, table, not velden and (stap != "begeleiding" or view.zorg_zichtbaar))
        self.query_one("#zorg-melding", Static).update(self.zorg_tekst())
        attachments = self.query_one("#bijlagen", VeldTabel)
        attachments.show(
            [
                [(b.bestandsnaam, ""), (b.omschrijving, ""), (f"{b.grootte / 1024:.1f} kB", "")]
                for b in view.bijlagen
            ]
        )
        attachments.display = bool(view.bijlagen)
        history = self.query_one("#historie", VeldTabel)
        history.show(
            [
                [
                    (f"{h.moment.astimezone():%d-%m-%Y %H:%M}", ""),
                    (h.stap, ""),
                    (h.actie, ""),
                    (h.door, ""),
                    (f"{h.versie_datum:%d-%m-%Y}" if h.versie_datum else "—", ""),
                    (str(h.velden), ""),
                ]
                for h in view.historie
            ]
        )
        self._empty("historie", history, not view.historie)
        self.show_detail()

    def _empty(self, tab: str, table: VeldTabel, leeg: bool) -> None:
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

    @on(VirtualTable.Highlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def toon(self, naam: str) -> Style:
        """The style of one of this screen's component classes (emphasis lives in CSS)."""
        return self.get_component_rich_style(naam, partial=True)

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
            row = self.query_one("#historie", VeldTabel).cursor_row
            if not 0 <= row < len(view.historie):
                pane.update(self.leeg_tekst(tab))
                return
            h = view.historie[row]
            text.append(
                visible(f"{h.moment.astimezone():%d-%m-%Y %H:%M} · {h.stap} · {h.actie}"),
                style=self.toon("nadruk"),
            )
            text.append("\n")
            dossier = f"dossier van {h.versie_datum:%d-%m-%Y}" if h.versie_datum else "geen dossier"
            text.append(visible(f"door {h.door} · {dossier} · {aantal(h.velden, 'veld', 'velden')}"))
            pane.update(text)
            return
        velden = view.per_stap.get(tab, ())
        row = self.query_one(f"#velden-{tab}", VeldTabel).cursor_row
        if not 0 <= row < len(velden):
            hidden = tab == "begeleiding" and not view.zorg_zichtbaar
            pane.update(self.zorg_tekst() if hidden else self.leeg_tekst(tab))
            return
        veld = velden[row]
        text.append(visible(veld.label), style=self.toon("nadruk"))
        text.append(visible(f": {nl_datum(veld.waarde)}"))
        if veld.herkomst:
            text.append("\n")
            text.append(visible(f"  herkomst: {veld.herkomst}"), style=self.toon("herkomst"))
        pane.update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_save_attachment(self) -> None:
        view = self.view
        if view is None or not view.bijlagen:
            self.notify("Er zijn geen bijlagen om te bewaren.", severity="warning")
            return
        table = self.query_one("#bijlagen", VeldTabel)
        bijlage = view.bijlagen[min(table.cursor_row, len(view.bijlagen) - 1)]
        from oso_tui.screens.modals import PromptModal

        def answered(folder: str | None) -> None:
            if folder:
                self._save(bijlage.index, Path(folder).expanduser())

        self.app.push_screen(
            PromptModal(f"In welke map bewaren? ({bijlage.bestandsnaam}; wordt niet uitgepakt)", "."),
            callback=answered,
        )
