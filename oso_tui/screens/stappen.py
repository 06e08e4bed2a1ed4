"""The step picker of one request: the three steps, when each ran, from which version, by whom."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Static

from oso_tui.screens.base import OsoScreen, Resultaat
from oso_tui.screens.viewmodels import STAP_LABELS, STAPPEN, Melding, mask_pgn, school
from oso_tui.widgets.messages import DataChanged, StoreChanged
from oso_tui.widgets.plain import plain, visible
from oso_tui.widgets.voet import Voet

if TYPE_CHECKING:
    from oso_tui.services import AanvraagRegel, Stappenoverzicht, StapStatus

STAP_KORT = {"personalia": "Personalia", "loopbaan": "Loopbaan", "begeleiding": "Begeleiding"}


def nl_moment(value: datetime | None) -> str:
    return value.astimezone().strftime("%d-%m-%Y %H:%M") if value else "nooit"


class DetailGeladen(Resultaat[tuple["AanvraagRegel", "Stappenoverzicht"]]):
    """The request's row and the state of its steps, as the services give them."""


class OngedaanGemaakt(Resultaat[Melding]):
    """The last application of a step is undone."""


class StepPickerScreen(OsoScreen[None]):
    """Run one step, several, or again; undo the last application."""

    COMPONENT_CLASSES: ClassVar[set[str]] = OsoScreen.COMPONENT_CLASSES | {
        "stappen--nadruk",
        "stappen--reden",
    }
    DEFAULT_CSS = """
    StepPickerScreen > .stappen--nadruk { text-style: bold; }
    StepPickerScreen > .stappen--reden { text-style: italic; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Terug", id="stappen.terug"),
        Binding("enter", "run", "Openen", id="stappen.openen", tooltip="Toon de verschillen van deze stap."),
        Binding("space", "mark", "Kiezen", id="stappen.kiezen", show=False),
        Binding("t", "run_marked", "Gekozen", id="stappen.gekozen", tooltip="Loop de gekozen stappen door."),
        Binding("u", "undo", "Ongedaan", id="stappen.ongedaan"),
        Binding("l", "pupil", "Leerling", id="stappen.leerling"),
        Binding("d", "versions", "Versies", id="stappen.versies"),
    ]

    def __init__(self, aanvraag_id: str) -> None:
        super().__init__()
        self.aanvraag_id = aanvraag_id
        self.detail: Stappenoverzicht | None = None
        self.marked: set[str] = set()
        self.queue: deque[str] = deque()
        self.narrow = False
        self.stale = False
        """Our own change happened while another screen was on top: reload when shown again."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Laden…", id="kop")
        table: DataTable[str | Text] = DataTable(id="stappen", cursor_type="row")
        yield table
        yield Static("", id="reden")
        yield Static(
            "Enter: verschillen bekijken en toepassen · spatie: kiezen, t: gekozen stappen na elkaar · "
            "u: laatste toepassing ongedaan maken",
            id="uitleg",
        )
        yield Voet()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.narrow = self.app.size.width < 100
        for key, label, width in (
            ("kies", " ", 1),
            ("stap", "Stap", 14 if self.narrow else 23),
            ("laatst", "Laatst", 10 if self.narrow else 16),
            ("versie", "Versie", 10),
            ("door", "Door", 8 if self.narrow else 12),
            ("nieuw", "Nieuwste dossier", 20),
        ):
            table.add_column(label, key=key, width=width)
        table.focus()
        self.query_one("#reden").display = False
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def reload(self) -> None:
        self.post_message(DetailGeladen(self.backend.detail(self.aanvraag_id)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="undo")
    def _undo(self, stap: str) -> None:
        self.post_message(OngedaanGemaakt(self.backend.undo(self.aanvraag_id, stap)))

    @on(OngedaanGemaakt)
    def _undone(self, message: OngedaanGemaakt) -> None:
        self.notify(message.value.tekst, severity=message.value.ernst)
        self.app.screen_stack[0].post_message(DataChanged())
        self.reload()

    @on(StoreChanged)
    def _store_changed(self) -> None:
        self.reload()

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.is_current:
            self.reload()
        else:
            self.stale = True

    def on_screen_resume(self) -> None:
        """Back from a screen that changed nothing (the undo question, the pupil, the versions): the
        rows stand; back from an applied step (`DataChanged`): read them once."""
        if self.stale:
            self.stale = False
            self.reload()

    @on(DetailGeladen)
    def _show(self, message: DetailGeladen) -> None:
        rij, detail = message.value
        self.detail = detail
        nadruk = self.get_component_rich_style("stappen--nadruk", partial=True)
        toelichting = self.get_component_rich_style("stappen--reden", partial=True)
        kop = Text()
        kop.append(visible(rij.naam or detail.naam) or "(naam onbekend)", style=nadruk)
        kop.append(visible(f" · {mask_pgn(rij.pgn)} · {school(rij)} · {rij.status}"))
        algemeen = detail.stappen[0].reden if detail.stappen and not detail.dossier else None
        if detail.dossier:
            kop.append(visible(f" · nieuwste dossier {detail.dossier.datum:%d-%m-%Y}"))
        elif not algemeen:
            kop.append(" · nog geen dossier")
        if algemeen:
            kop.append("\n")
            kop.append(visible(algemeen), style=toelichting)
        elif rij.status == "klaargezet":
            kop.append("\nEr staat een (nieuwer) dossier klaar: haal het op met h in de lijst.", style=nadruk)
        elif rij.reden and rij.status in ("mislukt", "verlopen"):
            kop.append("\n")
            kop.append(visible(rij.reden), style=toelichting)
        self.query_one("#kop", Static).update(kop)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        rows: list[list[str | Text]] = []
        for stand in detail.stappen:
            info = stand.info
            if not stand.mag:
                nieuw = Text("alleen rol zorg", style=self.tone("stil"))
            elif stand.reden:
                nieuw = Text("kan nu niet (zie onder)", style=self.tone("let-op"))
            elif stand.wijzigingen is None and stand.nieuw is None:
                nieuw = Text("—", style=self.tone("stil"))
            elif stand.nieuw or stand.gewijzigd:
                parts = [
                    f"{stand.nieuw} nieuw" if stand.nieuw else "",
                    f"{stand.gewijzigd} gewijzigd" if stand.gewijzigd else "",
                ]
                nieuw = plain(", ".join(p for p in parts if p), style=self.tone("let-op-sterk"))
            else:
                nieuw = Text("geen verschil", style=self.tone("goed"))
            rows.append(
                [
                    Text("✓" if stand.stap in self.marked else " "),
                    plain(STAP_KORT[stand.stap] if self.narrow else STAP_LABELS[stand.stap]),
                    plain(nl_moment(info.laatst if info else None)[: 10 if self.narrow else 16]),
                    plain(f"{info.dossierdatum:%d-%m-%Y}" if info and info.dossierdatum else "—"),
                    plain(info.door if info and info.door else "—"),
                    nieuw,
                ]
            )
        table.add_rows(rows)
        table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)
        self._show_reason()
        self.app.sub_title = visible(f"Aanvraag {rij.naam or detail.naam}")

    @on(DataTable.RowHighlighted)
    def _show_reason(self) -> None:
        """Why the step under the cursor cannot be registered now, in the services' words."""
        reden = self.query_one("#reden", Static)
        stand = self._stand(self.current_step())
        if stand is not None and stand.mag and stand.reden:
            reden.update(plain(f"{STAP_LABELS[stand.stap]}: {stand.reden}", style=self.tone("let-op")))
            reden.display = True
        else:
            reden.display = False

    def _stand(self, stap: str) -> StapStatus | None:
        if self.detail is None:
            return None
        return next((s for s in self.detail.stappen if s.stap == stap), None)

    def current_step(self) -> str:
        return STAPPEN[min(self.query_one(DataTable).cursor_row, len(STAPPEN) - 1)]

    def action_back(self) -> None:
        self.app.sub_title = visible(type(self.app).SUB_TITLE or "")
        self.app.pop_screen()

    def action_mark(self) -> None:
        stap = self.current_step()
        self.marked.symmetric_difference_update({stap})
        table = self.query_one(DataTable)
        table.update_cell_at(Coordinate(table.cursor_row, 0), Text("✓" if stap in self.marked else " "))
        if table.cursor_row + 1 < table.row_count:
            table.move_cursor(row=table.cursor_row + 1, animate=False)

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        self.open_step(self.current_step())

    def action_run_marked(self) -> None:
        if not self.marked:
            self.notify("Kies eerst stappen met de spatiebalk.", severity="warning")
            return
        self.queue = deque(s for s in STAPPEN if s in self.marked)
        self.marked.clear()
        self._next_in_queue()

    def _next_in_queue(self, _result: object = None) -> None:
        if self.queue:
            self.open_step(self.queue.popleft(), then=self._next_in_queue)

    def open_step(self, stap: str, then: object = None) -> None:
        detail = self.detail
        if detail is None:
            return
        stand = self._stand(stap)
        if stand is not None and stand.mag and stand.reden:
            self.notify(f"{STAP_LABELS[stap]}: {stand.reden}", severity="warning")
            return
        if detail.dossier is None:
            self.notify("Deze aanvraag heeft nog geen opgehaald dossier.", severity="warning")
            return
        from oso_tui.screens.diff import DiffScreen

        def closed(result: Melding | None) -> None:
            if result is not None:
                self.post_message(DataChanged())
                self.app.screen_stack[0].post_message(DataChanged())
            if callable(then):
                then(result)

        self.app.push_screen(DiffScreen(self.aanvraag_id, stap), callback=closed)

    def action_undo(self) -> None:
        stap = self.current_step()
        from oso_tui.screens.modals import ConfirmModal

        def answered(ok: bool | None) -> None:
            if ok:
                self._undo(stap)

        self.app.push_screen(
            ConfirmModal(
                f"De laatste toepassing van stap {STAP_LABELS[stap].lower()} ongedaan maken? "
                "De vorige waarden komen precies terug.",
                yes="Ongedaan maken",
            ),
            callback=answered,
        )

    def action_pupil(self) -> None:
        if self.detail is not None and self.detail.leerling_id is None:
            self.notify("Er is nog geen leerling geregistreerd voor deze aanvraag.", severity="warning")
            return
        from oso_tui.screens.leerling import PupilScreen

        self.app.push_screen(PupilScreen(self.aanvraag_id))

    def action_versions(self) -> None:
        from oso_tui.screens.versies import VersionsScreen

        self.app.push_screen(VersionsScreen(self.aanvraag_id))
