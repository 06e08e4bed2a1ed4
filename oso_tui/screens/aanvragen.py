"""The start screen: every request with its status, filter, sort, selection and collective actions.

The rows live in a `Lijstmodel` (plain data, prepared in the worker that read them) and the table
draws only the rows on screen (`AanvraagTabel`), so filtering and sorting 20,000 requests costs
milliseconds. While another screen is on top the list does not reload: it keeps the store generation
it read, and when it is shown again it reads again only if that generation changed. Cursor and
selection follow their request ids through every reload, filter and sort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Resize
from textual.reactive import var
from textual.widgets import Header, Input, ProgressBar, Static

from oso_tui.screens.aanvraagacties import RequestActionsScreen
from oso_tui.screens.base import oso_app
from oso_tui.screens.kolommen import COLUMNS, SORT_ORDER, Geladen, cellen
from oso_tui.screens.lijstmodel import Lijstmodel
from oso_tui.screens.viewmodels import STATUSES, mask_pgn
from oso_tui.widgets.messages import DataChanged, StoreChanged
from oso_tui.widgets.plain import plain
from oso_tui.widgets.summary import SummaryBar
from oso_tui.widgets.tabel import Cell, Column, VirtualTable
from oso_tui.widgets.voet import Voet

if TYPE_CHECKING:
    from oso_tui.services import AanvraagRegel


class AanvraagTabel(VirtualTable):
    """The requests shown (`model`), with the selection marked and each status in its tone."""

    DEFAULT_CSS = """
    AanvraagTabel > .status--klaargezet { text-style: bold; }
    AanvraagTabel > .status--opgehaald { color: ansi_green; }
    AanvraagTabel > .status--mislukt { color: ansi_red; text-style: bold; }
    AanvraagTabel > .status--verlopen { color: ansi_yellow; }
    AanvraagTabel > .status--ingetrokken { text-style: dim; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | {
        f"status--{s}" for s in STATUSES
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = Lijstmodel()
        self.gekozen: frozenset[str] = frozenset()
        self.smal = False

    @property
    def row_count(self) -> int:
        return len(self.model)

    def cells(self, row: int) -> list[Cell]:
        regel = self.model[row]
        werk = self.model.werk.get(regel.pgn)
        return cellen(regel, smal=self.smal, werk=werk, gekozen=regel.id in self.gekozen)


class RequestListScreen(RequestActionsScreen):
    """Requests (aanvragen): the table everything starts from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "open", "Openen", id="lijst.openen", tooltip="Open de aanvraag: stappen en dossier."
        ),
        Binding("space", "toggle_select", "Selecteren", id="lijst.selecteren", show=False),
        Binding("n", "new_request", "Nieuw", id="lijst.nieuw", tooltip="Nieuwe aanvraag voor één leerling."),
        Binding(
            "c", "csv_request", "CSV", id="lijst.csv", tooltip="Collectieve aanvraag uit een CSV-bestand."
        ),
        Binding("h", "fetch", "Ophalen", id="lijst.ophalen", tooltip="Haal klaargezette dossiers op."),
        Binding("v", "renew", "Vernieuwen", id="lijst.vernieuwen", tooltip="Hernieuwde aanvraag."),
        Binding("i", "withdraw", "Intrekken", id="lijst.intrekken", show=False),
        Binding("r", "register", "Registreren", id="lijst.registreren", show=False),
        Binding("slash", "search", "Zoeken", id="lijst.zoeken", tooltip="Filter op naam, school of PGN."),
        Binding("f", "cycle_status", "Status", id="lijst.status", tooltip="Filter op status."),
        Binding(
            "w",
            "worklist",
            "Werklijst",
            id="lijst.werklijst",
            show=False,
            tooltip="Alleen leerlingen met een open stap of een nieuwere versie.",
        ),
        Binding("o", "cycle_sort", "Sorteren", id="lijst.sorteren", show=False),
        Binding("O", "reverse_sort", "Omkeren", id="lijst.omkeren", show=False),
        Binding("a", "select_all", "Alles", id="lijst.alles", show=False),
        Binding("escape", "clear_filter", "Wissen", id="lijst.wissen", show=False),
        Binding("f5", "reload", "Verversen", id="lijst.verversen", show=False),
        Binding("p", "print_overview", "Overzicht", id="lijst.overzicht", show=False),
    ]

    DEFAULT_CSS = """
    RequestListScreen #reden { text-style: italic; }
    """

    status_filter: var[str | None] = var(None, init=False)
    text_filter: var[str] = var("", init=False)
    sort_column: var[str] = var("status", init=False)
    sort_reverse: var[bool] = var(False, init=False)
    werklijst: var[bool] = var(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.model = Lijstmodel()
        """Every request as last read; `shown` is the same model, filtered and sorted."""
        self.generatie: int | None = None
        """The store generation the rows were read at."""
        self.loaded = False
        self._loading = False
        self._redraw_pending = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield SummaryBar(id="samenvatting")
        with Horizontal(id="zoekbalk"):
            yield Static("Zoek:", id="zoeklabel")
            yield Input(placeholder="naam, school, laatste cijfers PGN", id="zoek")
        yield AanvraagTabel(id="aanvragen")
        yield Static("", id="leeg")
        yield Static("", id="reden")
        yield ProgressBar(id="voortgang", show_eta=False)
        yield Voet()

    def on_mount(self) -> None:
        self.query_one("#zoek", Input).cursor_blink = oso_app(self).blink
        self.query_one("#zoekbalk").display = False
        self.query_one("#voortgang").display = False
        self.query_one("#reden").display = False
        self.tabel.focus()
        self.reload()

    @property
    def tabel(self) -> AanvraagTabel:
        return self.query_one(AanvraagTabel)

    @property
    def rows(self) -> list[AanvraagRegel]:
        """Every request as last read, filtered or not."""
        return self.model.rows

    @property
    def shown(self) -> Lijstmodel:
        """The requests shown, in their order."""
        return self.tabel.model

    # loading

    def reload(self) -> None:
        """Read the list again (expiry first): at start, after our own change, on F5."""
        self._loading = True
        self._read(only_if_changed=False)

    def on_screen_resume(self) -> None:
        """Shown again: read again only if the store changed meanwhile (and no read is under way)."""
        if self.loaded and not self._loading:
            self._read(only_if_changed=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lijst")
    def _read(self, only_if_changed: bool) -> None:
        """Expiry first (at start and after every change), then the rows as they are after it,
        prepared for filtering and sorting here rather than on the UI thread."""
        backend = self.backend
        if only_if_changed and backend.generation() == self.generatie:
            return
        oso_app(self).apply_expiry(reload=False)
        generation = backend.generation()
        self.post_message(Geladen(Lijstmodel(backend.list_requests(), backend.todo()), generation))

    @on(Geladen)
    def _loaded(self, message: Geladen) -> None:
        self.model = message.model
        self.generatie = message.generation
        oso_app(self).remember_generation(message.generation)
        self.selected = frozenset(i for i in self.selected if self.model.kent(i))
        self.loaded = True
        self._loading = False
        self.refresh_table()
        oso_app(self).list_painted()

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.is_active:
            self.reload()

    @on(StoreChanged)
    def _store_changed(self) -> None:
        """Another user's change: reload now when the list is in front, else when it is shown again."""
        if self.is_active:
            self.notify("Een andere gebruiker heeft gegevens gewijzigd; de lijst is bijgewerkt.", timeout=4)
            self.reload()

    def work_failed(self, group: str) -> None:
        if group == "lijst":
            self._loading = False
        super().work_failed(group)

    # the table: filter and sort are reactive, every change redraws once

    def _redraw_soon(self) -> None:
        if self.loaded and not self._redraw_pending:
            self._redraw_pending = True
            self.call_later(self._redraw)

    def _redraw(self) -> None:
        if self._redraw_pending:
            self.refresh_table()

    def watch_status_filter(self) -> None:
        self._redraw_soon()

    def watch_text_filter(self) -> None:
        self._redraw_soon()

    def watch_sort_column(self) -> None:
        self._redraw_soon()

    def watch_sort_reverse(self) -> None:
        self._redraw_soon()

    def watch_werklijst(self) -> None:
        self._redraw_soon()

    def watch_selected(self) -> None:
        table = self.tabel
        table.gekozen = self.selected
        table.refresh()
        self._summary()

    def _columns(self) -> list[Column]:
        narrow = self.size.width < 100
        fixed = {
            k.key: (k.narrow_width if narrow and k.narrow_width else k.width) for k in COLUMNS if k.width
        }
        used = sum(fixed.values()) + 1 + 2 * (len(COLUMNS) + 1) + 2
        name_width = max(10, self.size.width - used)
        arrow = " ▼" if self.sort_reverse else " ▲"
        return [
            Column("sel", " ", 1),
            *(
                Column(
                    k.key,
                    k.label + (arrow if k.key == self.sort_column else ""),
                    fixed.get(k.key) or name_width,
                )
                for k in COLUMNS
            ),
        ]

    def on_resize(self, event: Resize) -> None:
        if self.loaded:
            self.tabel.smal = event.size.width < 100
            self.tabel.set_columns(self._columns())

    def refresh_table(self) -> None:
        """Filter and sort the model, then draw: the row under the cursor stays under it."""
        self._redraw_pending = False
        table = self.tabel
        current = self.current_row()
        model = self.model
        model.toon(
            status=self.status_filter,
            tekst=self.text_filter,
            werklijst=self.werklijst,
            kolom=self.sort_column,
            omgekeerd=self.sort_reverse,
        )
        table.model = model
        table.gekozen = self.selected
        table.smal = self.size.width < 100
        table.set_columns(self._columns())
        position = model.positie(current.id) if current is not None else None
        table.move_cursor(position or 0)
        self._summary()
        empty = self.query_one("#leeg", Static)
        if not model.rows:
            empty.update("Nog geen aanvragen. Druk op n voor een nieuwe aanvraag of c voor een CSV-bestand.")
        elif not model:
            empty.update(
                "Niets te doen: elke stap is geregistreerd van de nieuwste versie. Escape toont alles."
                if self.werklijst and not (self.text_filter or self.status_filter)
                else "Geen aanvragen voor dit filter. Druk op Escape om het filter te wissen."
            )
        empty.display = not model
        table.set_class(not model, "leeg")
        self._row_highlighted()

    def _summary(self) -> None:
        self.query_one(SummaryBar).show(
            self.model.overzicht,
            self.status_filter,
            len(self.selected),
            te_doen=self.model.te_doen_leerlingen,
            werklijst=self.werklijst,
        )

    def current_row(self) -> AanvraagRegel | None:
        table = self.tabel
        if not table.row_count:
            return None
        return table.model[min(table.cursor_row, table.row_count - 1)]

    def targets(self) -> list[AanvraagRegel]:
        """The selection, or else the row under the cursor."""
        if self.selected:
            return [r for r in self.model.rows if r.id in self.selected]
        row = self.current_row()
        return [row] if row else []

    # filter, sort, select

    def action_search(self) -> None:
        bar = self.query_one("#zoekbalk")
        bar.display = True
        self.query_one("#zoek", Input).focus()

    @on(Input.Changed, "#zoek")
    def _search_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value

    @on(Input.Submitted, "#zoek")
    def _search_done(self) -> None:
        self.tabel.focus()
        if not self.text_filter:
            self.query_one("#zoekbalk").display = False

    def action_clear_filter(self) -> None:
        if self.stop_job():
            return
        search = self.query_one("#zoek", Input)
        had_filter = bool(self.text_filter or self.status_filter or self.selected or self.werklijst)
        self.text_filter = ""
        self.status_filter = None
        self.werklijst = False
        if not had_filter:
            return
        if not search.value and self.selected:
            self.selected = frozenset()
        search.value = ""
        self.query_one("#zoekbalk").display = False
        self.tabel.focus()
        self._redraw_soon()

    def action_cycle_status(self) -> None:
        options: list[str | None] = [None, *STATUSES]
        self.set_status_filter(options[(options.index(self.status_filter) + 1) % len(options)])

    def action_worklist(self) -> None:
        """The to-do view: pupils with a step outstanding or a newer version for a registered one."""
        self.werklijst = not self.werklijst

    def set_status_filter(self, status: str | None) -> None:
        self.status_filter = status

    def action_cycle_sort(self) -> None:
        self.sort_column = SORT_ORDER[(SORT_ORDER.index(self.sort_column) + 1) % len(SORT_ORDER)]
        self.sort_reverse = False

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse

    @on(VirtualTable.HeaderClicked)
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        if event.key not in SORT_ORDER:
            return
        if event.key == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = event.key, False

    def action_toggle_select(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self.selected = self.selected ^ {row.id}
        self.tabel.action_cursor_down()

    def action_select_all(self) -> None:
        ids = {r.id for r in self.shown}
        self.selected = frozenset() if ids <= self.selected else self.selected | ids

    # the row under the cursor

    def action_reload(self) -> None:
        self.reload()

    @on(VirtualTable.Highlighted)
    def _row_highlighted(self) -> None:
        """Why a request failed or expired, under the table for the row under the cursor."""
        row = self.current_row()
        reden = self.query_one("#reden", Static)
        if row is not None and row.reden and row.status in ("mislukt", "verlopen"):
            reden.update(plain(f"{row.naam or mask_pgn(row.pgn)}: {row.reden}"))
            reden.display = True
        else:
            reden.display = False

    @on(VirtualTable.Chosen)
    def _row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.current_row()
        if row is None:
            return
        from oso_tui.screens.stappen import StepPickerScreen

        self.app.push_screen(StepPickerScreen(row.id))
