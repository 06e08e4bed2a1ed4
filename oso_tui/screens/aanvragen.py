"""The start screen: every request with its status, filter, sort, selection and collective actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Static

from oso_tui.screens.viewmodels import (
    STATUSES,
    AanvraagRij,
    Backend,
    Koppeling,
    Melding,
    Overzicht,
    Progress,
    mask_pgn,
)
from oso_tui.widgets.messages import DataChanged, StoreChanged
from oso_tui.widgets.plain import plain, visible
from oso_tui.widgets.summary import SummaryBar
from oso_tui.widgets.work import run_job

SORT_KEYS: dict[str, Callable[[AanvraagRij], object]] = {
    "status": lambda r: (STATUSES.index(r.status) if r.status in STATUSES else 99, r.naam.lower()),
    "naam": lambda r: r.naam.lower(),
    "geboren": lambda r: r.geboortedatum or date.min,
    "school": lambda r: (r.school, r.naam.lower()),
    "dossier": lambda r: r.laatste_dossier or date.min,
    "stappen": lambda r: (len(r.stappen), r.stappen_code),
}
SORT_ORDER = ("status", "naam", "geboren", "school", "dossier", "stappen")
COLUMNS = (
    ("sel", " "),
    ("status", "Status"),
    ("naam", "Naam"),
    ("geboren", "Geboren"),
    ("pgn", "PGN"),
    ("school", "School"),
    ("dossier", "Dossier"),
    ("stappen", "PLB"),
)
FIXED_WIDTH = {"sel": 1, "status": 11, "geboren": 10, "school": 7, "dossier": 10, "stappen": 3}


def nl_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


class RequestListScreen(Screen[None]):
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
        Binding("o", "cycle_sort", "Sorteren", id="lijst.sorteren", show=False),
        Binding("O", "reverse_sort", "Omkeren", id="lijst.omkeren", show=False),
        Binding("a", "select_all", "Alles", id="lijst.alles", show=False),
        Binding("escape", "clear_filter", "Wissen", id="lijst.wissen", show=False),
        Binding("f5", "reload", "Verversen", id="lijst.verversen", show=False),
        Binding("p", "print_overview", "Overzicht", id="lijst.overzicht", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AanvraagRij] = []
        self.shown: list[AanvraagRij] = []
        self.selected: set[str] = set()
        self.status_filter: str | None = None
        self.text_filter = ""
        self.sort_column = "status"
        self.sort_reverse = False
        self.overzicht = Overzicht({}, 0)
        self.loaded = False
        self.stale = False
        self._narrow: bool | None = None

    @property
    def backend(self) -> Backend:
        return self.app.backend  # type: ignore[attr-defined, no-any-return]

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
        self.query_one("#zoek", Input).cursor_blink = self.app.blink  # type: ignore[attr-defined]
        self.query_one("#zoekbalk").display = False
        self.query_one("#voortgang").display = False
        self.query_one("#reden").display = False
        self.query_one(DataTable).focus()
        self.reload()

    # loading

    def reload(self) -> None:
        backend = self.backend

        def job() -> tuple[list[AanvraagRij], Overzicht, int]:
            generation = backend.generation()
            rows = backend.list_requests()
            return rows, Overzicht.van(rows), generation

        run_job(self, job, self._loaded, group="lijst")

    def _loaded(self, result: tuple[list[AanvraagRij], Overzicht, int]) -> None:
        self.rows, self.overzicht, generation = result
        self.app.remember_generation(generation)  # type: ignore[attr-defined]
        known = {r.id for r in self.rows}
        self.selected &= known
        self.loaded = True
        self.refresh_table()
        self.app.list_painted()  # type: ignore[attr-defined]

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

    # the table

    def _columns(self, table: DataTable[str | Text]) -> None:
        narrow = self.size.width < 100
        self._narrow = narrow
        fixed = dict(FIXED_WIDTH, pgn=4 if narrow else 9)
        used = sum(fixed.values()) + 2 * len(COLUMNS) + 2
        name_width = max(10, self.size.width - used)
        for key, label in COLUMNS:
            shown = label
            if key == self.sort_column:
                shown = f"{label} {'▼' if self.sort_reverse else '▲'}"
            table.add_column(shown, key=key, width=fixed.get(key, name_width))

    def on_resize(self, event: Resize) -> None:
        if self.loaded and (event.size.width < 100) != self._narrow:
            self.refresh_table()

    def visible_rows(self) -> list[AanvraagRij]:
        rows = [
            r
            for r in self.rows
            if (self.status_filter is None or r.status == self.status_filter) and r.matches(self.text_filter)
        ]
        rows.sort(key=SORT_KEYS[self.sort_column], reverse=self.sort_reverse)  # type: ignore[arg-type]
        return rows

    def _cells(self, row: AanvraagRij) -> list[str | Text]:
        """The row's cells as text, never as markup: a name is data (and a plain string would be
        parsed as markup for every cell of every row when the table measures them)."""
        pgn = ("…" + row.pgn[-3:]) if self._narrow else mask_pgn(row.pgn)
        return [
            Text("✓" if row.id in self.selected else " "),
            plain(row.status, style=self._status_style(row.status)),
            plain(row.naam),
            plain(nl_date(row.geboortedatum)),
            plain(pgn),
            plain(row.school),
            plain(nl_date(row.laatste_dossier)),
            plain(row.stappen_code),
        ]

    @staticmethod
    def _status_style(status: str) -> str:
        return {
            "aangevraagd": "",
            "klaargezet": "bold",
            "opgehaald": "green",
            "mislukt": "bold red",
            "verlopen": "yellow",
            "ingetrokken": "dim",
        }.get(status, "")

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
        self.query_one(SummaryBar).show(self.overzicht, self.status_filter, len(self.selected))
        empty = self.query_one("#leeg", Static)
        if not self.rows:
            empty.update("Nog geen aanvragen. Druk op n voor een nieuwe aanvraag of c voor een CSV-bestand.")
        elif not self.shown:
            empty.update("Geen aanvragen voor dit filter. Druk op Escape om het filter te wissen.")
        empty.display = not self.shown
        table.set_class(not self.shown, "leeg")

    def current_row(self) -> AanvraagRij | None:
        table = self.query_one(DataTable)
        if not self.shown or table.row_count == 0:
            return None
        index = min(table.cursor_row, len(self.shown) - 1)
        return self.shown[index]

    def targets(self) -> list[AanvraagRij]:
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
        self.refresh_table()

    @on(Input.Submitted, "#zoek")
    def _search_done(self) -> None:
        self.query_one(DataTable).focus()
        if not self.text_filter:
            self.query_one("#zoekbalk").display = False

    def action_clear_filter(self) -> None:
        search = self.query_one("#zoek", Input)
        had_filter = bool(self.text_filter or self.status_filter or self.selected)
        self.text_filter = ""
        self.status_filter = None
        if not had_filter:
            return
        if not search.value and self.selected:
            self.selected.clear()
        search.value = ""
        self.query_one("#zoekbalk").display = False
        self.query_one(DataTable).focus()
        self.refresh_table()

    def action_cycle_status(self) -> None:
        options: list[str | None] = [None, *STATUSES]
        self.set_status_filter(options[(options.index(self.status_filter) + 1) % len(options)])

    def set_status_filter(self, status: str | None) -> None:
        self.status_filter = status
        self.refresh_table()

    def action_cycle_sort(self) -> None:
        self.sort_column = SORT_ORDER[(SORT_ORDER.index(self.sort_column) + 1) % len(SORT_ORDER)]
        self.sort_reverse = False
        self.refresh_table()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refresh_table()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key not in SORT_KEYS:
            return
        if key == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = key, False
        self.refresh_table()

    def action_toggle_select(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self.selected.symmetric_difference_update({row.id})
        table = self.query_one(DataTable)
        index = table.cursor_row
        table.update_cell_at(Coordinate(index, 0), Text("✓" if row.id in self.selected else " "))
        self.query_one(SummaryBar).show(self.overzicht, self.status_filter, len(self.selected))
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
            reden.update(plain(f"{row.naam or mask_pgn(row.pgn)}: {row.reden}", style="italic"))
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

    def _confirm(self, question: str, then: Callable[[], None], *, yes: str = "Ja") -> None:
        from oso_tui.screens.modals import ConfirmModal

        def answered(ok: bool | None) -> None:
            if ok:
                then()

        self.app.push_screen(ConfirmModal(question, yes=yes), callback=answered)

    def _names(self, rows: Sequence[AanvraagRij]) -> str:
        if len(rows) == 1:
            return rows[0].naam or mask_pgn(rows[0].pgn)
        return f"{len(rows)} aanvragen"

    def action_renew(self) -> None:
        rows = self.targets()
        if not rows:
            return
        ids = [r.id for r in rows]
        self._confirm(
            f"Hernieuwde aanvraag voor {self._names(rows)}? "
            "Alleen een dossier dat nieuwer is dan vandaag telt.",
            lambda: self._run(lambda: self.backend.renew(ids)),
            yes="Vernieuwen",
        )

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

    def action_fetch(self, bevestig: Sequence[str] = ()) -> None:
        backend = self.backend
        pending: list[Koppeling] = []

        def work(progress: Progress) -> Melding:
            result = backend.fetch(progress, bevestig)
            pending.extend(result.te_bevestigen)
            return result.melding

        self._run_with_progress(work, "Dossiers ophalen", then=lambda: self._confirm_links(pending, []))

    def _confirm_links(self, pending: list[Koppeling], confirmed: list[str]) -> None:
        """Name mismatches: ask one by one, then fetch again with the confirmed ones linked."""
        if not pending:
            if confirmed:
                self.action_fetch(confirmed)
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
        rows = [r for r in self.targets() if r.laatste_dossier is not None]
        if not rows:
            self.notify("Geen aanvragen met een opgehaald dossier in de selectie.", severity="warning")
            return
        ids = [r.id for r in rows]
        backend = self.backend
        self._confirm(
            f"Stap {stap} registreren (aanvullen) voor {self._names(rows)}? "
            "Dossiers met waarschuwingen worden overgeslagen: open die afzonderlijk.",
            lambda: self._run_with_progress(
                lambda progress: backend.register_many(ids, stap, progress), f"Registreren: {stap}"
            ),
            yes="Registreren",
        )

    def action_print_overview(self) -> None:
        """The printable class overview (HTML, and PDF when Chromium is there) beside the database."""
        self._run(self.backend.print_overview)

    def _run(self, job: Callable[[], Melding]) -> None:
        def done(melding: Melding) -> None:
            self.notify(melding.tekst, severity=melding.ernst)
            self.selected.clear()
            self.reload()

        run_job(self, job, done, group="actie")

    def _run_with_progress(
        self, job: Callable[[Progress], Melding], title: str, then: Callable[[], None] | None = None
    ) -> None:
        bar = self.query_one("#voortgang", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        bar.border_title = visible(title)
        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(bar.update, total=total, progress=done)

        def finished(melding: Melding) -> None:
            bar.display = False
            self.notify(melding.tekst, severity=melding.ernst, timeout=8)
            self.selected.clear()
            self.reload()
            if then is not None:
                then()

        def failed() -> None:
            bar.display = False
            self.reload()

        run_job(self, lambda: job(progress), finished, group="actie", failed=failed)
