"""The start screen: every request with its status, filter, sort, selection and collective actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.reactive import var
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Static

from oso_tui.screens.base import ProgressScreen, oso_app
from oso_tui.screens.kolommen import BY_KEY, COLUMNS, SORT_ORDER, Gedaan, Geladen
from oso_tui.screens.viewmodels import (
    STATUSES,
    AfgebrokenError,
    Koppeling,
    Melding,
    Overzicht,
    mask_pgn,
    matches,
    stappen_code,
)
from oso_tui.widgets.messages import DataChanged, StoreChanged
from oso_tui.widgets.plain import plain
from oso_tui.widgets.summary import SummaryBar

if TYPE_CHECKING:
    from oso_tui.services import AanvraagRegel, TodoRegel


class RequestListScreen(ProgressScreen):
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
    RequestListScreen > .status--klaargezet { text-style: bold; }
    RequestListScreen > .status--opgehaald { color: ansi_green; }
    RequestListScreen > .status--mislukt { color: ansi_red; text-style: bold; }
    RequestListScreen > .status--verlopen { color: ansi_yellow; }
    RequestListScreen > .status--ingetrokken { text-style: dim; }
    RequestListScreen > .reden { text-style: italic; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status--klaargezet",
        "status--opgehaald",
        "status--mislukt",
        "status--verlopen",
        "status--ingetrokken",
        "reden",
    }

    status_filter: var[str | None] = var(None, init=False)
    text_filter: var[str] = var("", init=False)
    sort_column: var[str] = var("status", init=False)
    sort_reverse: var[bool] = var(False, init=False)
    werklijst: var[bool] = var(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AanvraagRegel] = []
        self.werk: dict[str, TodoRegel] = {}
        self.shown: list[AanvraagRegel] = []
        self.selected: set[str] = set()
        self.overzicht = Overzicht({}, 0)
        self.loaded = False
        self.stale = False
        self._narrow: bool | None = None
        self._redraw_pending = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield SummaryBar(id="samenvatting")
        with Horizontal(id="zoekbalk"):
            yield Static("Zoek:", id="zoeklabel")
            yield Input(placeholder="naam, school, laatste cijfers PGN", id="zoek")
        table: DataTable[str | Text] = DataTable(id="aanvragen", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="leeg")
        yield Static("", id="reden")
        yield ProgressBar(id="voortgang", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#zoek", Input).cursor_blink = oso_app(self).blink
        self.query_one("#zoekbalk").display = False
        self.query_one("#voortgang").display = False
        self.query_one("#reden").display = False
        self.query_one(DataTable).focus()
        self.reload()

    # loading

    @work(thread=True, exclusive=True, exit_on_error=False, group="lijst")
    def reload(self) -> None:
        """Expiry first (at start and after every change), then the rows as they are after it."""
        backend = self.backend
        oso_app(self).apply_expiry(reload=False)
        generation = backend.generation()
        self.post_message(Geladen(backend.list_requests(), generation, backend.todo()))

    @on(Geladen)
    def _loaded(self, message: Geladen) -> None:
        self.rows = message.rows
        self.werk = {regel.pgn: regel for regel in message.werk}
        self.overzicht = Overzicht.van(self.rows)
        oso_app(self).remember_generation(message.generation)
        known = {r.id for r in self.rows}
        self.selected &= known
        self.loaded = True
        self.refresh_table()
        oso_app(self).list_painted()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.reload()

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.is_current:
            self.reload()
        else:
            self.stale = True

    @on(StoreChanged)
    def _store_changed(self) -> None:
        if self.is_current:
            self.notify("Een andere gebruiker heeft gegevens gewijzigd; de lijst is bijgewerkt.", timeout=4)
            self.reload()
        else:
            self.stale = True

    # the table: filter and sort are reactive, every change redraws once

    def _redraw_soon(self) -> None:
        if self.loaded and not self._redraw_pending:
            self._redraw_pending = True
            self.call_later(self._redraw)

    def _redraw(self) -> None:
        self._redraw_pending = False
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

    def _columns(self, table: DataTable[str | Text]) -> None:
        narrow = self.size.width < 100
        self._narrow = narrow
        fixed = {
            k.key: (k.narrow_width if narrow and k.narrow_width else k.width) for k in COLUMNS if k.width
        }
        fixed["sel"] = 1
        used = sum(v or 0 for v in fixed.values()) + 2 * (len(COLUMNS) + 1) + 2
        name_width = max(10, self.size.width - used)
        table.add_column(" ", key="sel", width=1)
        for kolom in COLUMNS:
            shown = kolom.label
            if kolom.key == self.sort_column:
                shown = f"{kolom.label} {'▼' if self.sort_reverse else '▲'}"
            table.add_column(shown, key=kolom.key, width=fixed.get(kolom.key) or name_width)

    def on_resize(self, event: Resize) -> None:
        if self.loaded and (event.size.width < 100) != self._narrow:
            self.refresh_table()

    def visible_rows(self) -> list[AanvraagRegel]:
        rows = [
            r
            for r in self.rows
            if (self.status_filter is None or r.status == self.status_filter)
            and matches(r, self.text_filter)
            and (not self.werklijst or self._needs_work(r))
        ]
        sort = BY_KEY[self.sort_column].sort
        if sort is not None:
            rows.sort(key=sort, reverse=self.sort_reverse)
        return rows

    def _needs_work(self, row: AanvraagRegel) -> bool:
        return row.pgn in self.werk and row.status != "ingetrokken"

    def _cells(self, row: AanvraagRegel) -> list[str | Text]:
        """The row's cells as text, never as markup: a name is data (and a plain string would be
        parsed as markup for every cell of every row when the table measures them)."""
        cells: list[str | Text] = [Text("✓" if row.id in self.selected else " ")]
        for kolom in COLUMNS:
            cell = kolom.narrow_cell if self._narrow and kolom.narrow_cell else kolom.cell
            if kolom.key == "status":
                cells.append(plain(cell(row), style=self._status_style(row.status)))
            elif kolom.key == "stappen":
                werk = self.werk.get(row.pgn)
                cells.append(plain(stappen_code(row, werk.nieuwere_versie if werk else ())))
            else:
                cells.append(plain(cell(row)))
        return cells

    def _status_style(self, status: str) -> Style | str:
        name = f"status--{status}"
        return self.get_component_rich_style(name, partial=True) if name in self.COMPONENT_CLASSES else ""

    def refresh_table(self) -> None:
        """Rebuild the table in one go (add_rows): cheaper than removing rows one by one."""
        table = self.query_one(DataTable)
        current = self.current_row()
        table.clear(columns=True)
        self._columns(table)
        self.shown = self.visible_rows()
        table.add_rows([self._cells(r) for r in self.shown])
        if current is not None:
            for index, row in enumerate(self.shown):
                if row.id == current.id:
                    table.move_cursor(row=index, animate=False)
                    break
        self._summary()
        empty = self.query_one("#leeg", Static)
        if not self.rows:
            empty.update("Nog geen aanvragen. Druk op n voor een nieuwe aanvraag of c voor een CSV-bestand.")
        elif not self.shown:
            empty.update(
                "Niets te doen: elke stap is geregistreerd van de nieuwste versie. Escape toont alles."
                if self.werklijst and not (self.text_filter or self.status_filter)
                else "Geen aanvragen voor dit filter. Druk op Escape om het filter te wissen."
            )
        empty.display = not self.shown
        table.set_class(not self.shown, "leeg")

    def _summary(self) -> None:
        te_doen = len({r.pgn for r in self.rows if self._needs_work(r)})
        bar = self.query_one(SummaryBar)
        bar.show(
            self.overzicht, self.status_filter, len(self.selected), te_doen=te_doen, werklijst=self.werklijst
        )

    def current_row(self) -> AanvraagRegel | None:
        table = self.query_one(DataTable)
        if not self.shown or table.row_count == 0:
            return None
        index = min(table.cursor_row, len(self.shown) - 1)
        return self.shown[index]

    def targets(self) -> list[AanvraagRegel]:
        """The selection, or else the row under the cursor."""
        if self.selected:
            return [r for r in self.rows if r.id in self.selected]
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
        self.query_one(DataTable).focus()
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
            self.selected.clear()
        search.value = ""
        self.query_one("#zoekbalk").display = False
        self.query_one(DataTable).focus()
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

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key not in SORT_ORDER:
            return
        if key == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = key, False

    def action_toggle_select(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self.selected.symmetric_difference_update({row.id})
        table = self.query_one(DataTable)
        index = table.cursor_row
        table.update_cell_at(Coordinate(index, 0), Text("✓" if row.id in self.selected else " "))
        self._summary()
        if index + 1 < table.row_count:
            table.move_cursor(row=index + 1, animate=False)

    def action_select_all(self) -> None:
        ids = {r.id for r in self.shown}
        self.selected = set() if ids <= self.selected else self.selected | ids
        self.refresh_table()

    # actions

    def action_reload(self) -> None:
        self.reload()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        """Why a request failed or expired, under the table for the row under the cursor."""
        row = self.current_row()
        reden = self.query_one("#reden", Static)
        if row is not None and row.reden and row.status in ("mislukt", "verlopen"):
            style = self.get_component_rich_style("reden", partial=True)
            reden.update(plain(f"{row.naam or mask_pgn(row.pgn)}: {row.reden}", style=style))
            reden.display = True
        else:
            reden.display = False

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.current_row()
        if row is None:
            return
        from oso_tui.screens.stappen import StepPickerScreen

        self.app.push_screen(StepPickerScreen(row.id))

    def action_new_request(self) -> None:
        from oso_tui.screens.modals import NewRequestModal

        self.app.push_screen(NewRequestModal(today=self.backend.today()), callback=self._new_request_done)

    def _new_request_done(self, melding: Melding | None) -> None:
        if melding is not None:
            self.notify(melding.tekst, severity=melding.ernst)
            self.reload()

    def action_csv_request(self) -> None:
        from oso_tui.screens.modals import CsvRequestModal

        self.app.push_screen(CsvRequestModal(), callback=self._new_request_done)

    def _confirm(self, question: str, then: Callable[[], object], *, yes: str = "Ja") -> None:
        from oso_tui.screens.modals import ConfirmModal

        def answered(ok: bool | None) -> None:
            if ok:
                then()

        self.app.push_screen(ConfirmModal(question, yes=yes), callback=answered)

    def _names(self, rows: Sequence[AanvraagRegel]) -> str:
        if len(rows) == 1:
            return rows[0].naam or mask_pgn(rows[0].pgn)
        return f"{len(rows)} aanvragen"

    def action_renew(self) -> None:
        rows = self.targets()
        if not rows:
            return
        from oso_tui.screens.hernieuwen import RenewModal

        modal = RenewModal([r.id for r in rows], self._names(rows), self.backend.today())
        self.app.push_screen(modal, callback=self._renewed)

    def _renewed(self, melding: Melding | None) -> None:
        if melding is not None:
            self.post_message(Gedaan(melding))

    def action_withdraw(self) -> None:
        rows = self.targets()
        if not rows:
            return
        ids = [r.id for r in rows]
        self._confirm(
            f"{self._names(rows)} intrekken? De school zet dan niets meer klaar.",
            lambda: self._run(lambda: self.backend.withdraw(ids)),
            yes="Intrekken",
        )

    def action_fetch(self) -> None:
        """Show the inbox folder first (changeable), unless the dossiers come from the demo."""
        inbox = self.backend.inbox()
        if inbox is None:
            self.fetch()
            return
        from oso_tui.screens.ophalen import FetchModal

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                if folder != inbox:
                    self.backend.choose_inbox(folder)
                self.fetch()

        self.app.push_screen(FetchModal(inbox), callback=chosen)

    def fetch(self, bevestig: Sequence[str] = ()) -> None:
        self._start_progress("Dossiers ophalen (Escape breekt af)")
        self._fetch(list(bevestig))

    @work(thread=True, exclusive=True, exit_on_error=False, group="actie")
    def _fetch(self, bevestig: list[str]) -> None:
        """Escape stops while dossiers are read, before anything is written: the store stays as it was."""
        try:
            result = self.backend.fetch(self.progress, bevestig)
        except AfgebrokenError:
            self.post_message(
                Gedaan(Melding("Ophalen afgebroken; er is geen dossier opgeslagen.", "warning"))
            )
            return
        self.post_message(Gedaan(result.melding, result.te_bevestigen))

    def _confirm_links(self, pending: Sequence[Koppeling], confirmed: list[str]) -> None:
        """Name mismatches: ask one by one, then fetch again with the confirmed ones linked."""
        if not pending:
            if confirmed:
                self.fetch(confirmed)
            return
        from oso_tui.screens.modals import ConfirmModal

        koppeling = pending[0]

        def answered(ok: bool | None) -> None:
            self._confirm_links(pending[1:], [*confirmed, koppeling.sleutel] if ok else confirmed)

        self.app.push_screen(
            ConfirmModal(koppeling.tekst, yes="Koppelen", no="Niet koppelen"), callback=answered
        )

    def action_register(self) -> None:
        from oso_tui.screens.modals import ChoiceModal

        rows = self.targets()
        if not rows:
            return

        def chosen(stap: str | None) -> None:
            if stap:
                self.register_selected(stap)

        self.app.push_screen(
            ChoiceModal(
                f"Welke stap registreren voor {self._names(rows)}?",
                [
                    ("personalia", "Personalia"),
                    ("loopbaan", "Schoolloopbaan"),
                    ("begeleiding", "Begeleiding"),
                ],
            ),
            callback=chosen,
        )

    def register_selected(self, stap: str) -> None:
        """Collective registration: aanvullen only; dossiers with warnings are left for a careful look."""
        rows = [r for r in self.targets() if r.laatste_dossierdatum is not None]
        if not rows:
            self.notify("Geen aanvragen met een opgehaald dossier in de selectie.", severity="warning")
            return
        ids = [r.id for r in rows]

        def start(plaatsing: dict[str, str] | None = None) -> None:
            self._start_progress(f"Registreren: {stap} (Escape breekt af)")
            self._register(ids, stap, plaatsing)

        if stap == "personalia":
            from oso_tui.screens.plaatsing import PlacementModal

            def placed(plaatsing: dict[str, str] | None) -> None:
                if plaatsing is not None:
                    start(plaatsing)

            self.app.push_screen(PlacementModal(self._names(rows)), callback=placed)
            return
        self._confirm(
            f"Stap {stap} registreren (aanvullen) voor {self._names(rows)}? "
            "Dossiers met waarschuwingen worden overgeslagen: open die afzonderlijk.",
            start,
            yes="Registreren",
        )

    def action_print_overview(self) -> None:
        """The printable class overview (HTML, and PDF when Chromium is there) beside the database."""
        self._run(self.backend.print_overview)

    @work(thread=True, exclusive=True, exit_on_error=False, group="actie")
    def _register(self, ids: list[str], stap: str, plaatsing: dict[str, str] | None) -> None:
        """Escape stops between two pupils: the store keeps whole pupils only."""
        melding = self.backend.register_many(ids, stap, self.progress, plaatsing=plaatsing)
        self.post_message(Gedaan(melding))

    @work(thread=True, exclusive=True, exit_on_error=False, group="actie")
    def _run(self, job: Callable[[], Melding]) -> None:
        self.post_message(Gedaan(job()))

    @on(Gedaan)
    def _done(self, message: Gedaan) -> None:
        long_job = self.busy
        self._stop_progress()
        melding = message.melding
        self.notify(melding.tekst, severity=melding.ernst, timeout=8 if long_job else None)
        self.selected.clear()
        self.reload()
        if message.koppelingen:
            self._confirm_links(message.koppelingen, [])

    def work_failed(self, group: str) -> None:
        if group == "actie":
            self._stop_progress()
            self.reload()
