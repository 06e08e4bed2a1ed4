"""The dossier diff of one step: registered and dossier values side by side, choose, then apply."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DataTable, Footer, Header, Input, Static

from oso_tui.errors import OsoError
from oso_tui.screens.viewmodels import STAP_LABELS, Backend, DiffRegel, DiffView, Melding, Toepassing
from oso_tui.widgets.plain import plain, visible
from oso_tui.widgets.work import run_job

VERDICT_STYLE = {
    "nieuw": "bold green",
    "gewijzigd": "bold yellow",
    "alleen geregistreerd": "italic",
    "gelijk": "dim",
}
PLAATSING_VELDEN = (
    ("schooljaar", "Schooljaar", "jjjj-jjjj"),
    ("leerjaar", "Leerjaar", "1 t/m 6"),
    ("opleiding", "Opleiding", "bijv. havo"),
    ("klas", "Klas", "bijv. 1B"),
    ("startdatum", "Start", "jjjj-mm-dd"),
)


class DiffScreen(Screen[Melding | None]):
    """Dismisses with the result of applying, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="verschil.annuleren"),
        Binding("m", "toggle_mode", "Modus", id="verschil.modus", tooltip="Aanvullen of overschrijven."),
        Binding("space", "toggle_field", "Veld aan/uit", id="verschil.veld"),
        Binding("w", "acknowledge", "Gelezen", id="verschil.gelezen", show=False),
        Binding("t", "apply", "Toepassen", id="verschil.toepassen"),
    ]

    def __init__(self, aanvraag_id: str, stap: str) -> None:
        super().__init__()
        self.aanvraag_id = aanvraag_id
        self.stap = stap
        self.view: DiffView | None = None
        self.shown: list[DiffRegel] = []
        self.busy = False

    @property
    def backend(self) -> Backend:
        return self.app.backend  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(f"{STAP_LABELS[self.stap]}: verschillen laden…"), id="diff-kop")
        with Vertical(id="waarschuwingen"):
            yield Static("", id="waarschuwing-tekst")
            yield Checkbox("Ik heb de waarschuwingen gelezen (w)", id="gelezen")
        with Horizontal(id="plaatsing"):
            for key, label, placeholder in PLAATSING_VELDEN:
                field = Input(placeholder=placeholder, id=f"plaatsing-{key}", classes="plaatsing")
                field.border_title = visible(label)
                yield field
        yield Static("", id="modus")
        table: DataTable[str | Text] = DataTable(id="verschillen", cursor_type="row")
        yield table
        yield Static("", id="diff-detail")
        with Horizontal(classes="knoppen", id="diff-knoppen"):
            yield Button("Annuleren", id="annuleren")
            yield Button("Toepassen", id="toepassen", variant="primary", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.app.blink  # type: ignore[attr-defined]
        self.query_one("#waarschuwingen").display = False
        self.query_one("#plaatsing").display = False
        table = self.query_one(DataTable)
        wide = self.app.size.width >= 100
        value_width = max(10, (self.app.size.width - (66 if wide else 58)) // 2)
        for key, label, width in (
            ("kies", "✓", 1),
            ("sectie", "Sectie", 14 if wide else 12),
            ("veld", "Veld", 22 if wide else 16),
            ("geregistreerd", "Geregistreerd", value_width),
            ("dossier", "Dossier", value_width),
            ("oordeel", "Oordeel", 11),
        ):
            table.add_column(label, key=key, width=width)
        table.focus()
        backend = self.backend
        run_job(
            self,
            lambda: backend.plan(self.aanvraag_id, self.stap),
            self._show,
            group="plan",
            failed=lambda: self.dismiss(None),
        )

    def _show(self, view: DiffView) -> None:
        self.view = view
        kop = Text()
        kop.append(visible(STAP_LABELS[self.stap]), style="bold")
        kop.append(visible(f" · {view.naam}"))
        if view.versie_datum:
            kop.append(visible(f" · dossier van {view.versie_datum:%d-%m-%Y}"))
        self.query_one("#diff-kop", Static).update(kop)
        box = self.query_one("#waarschuwingen")
        if view.fouten or view.waarschuwingen:
            text = Text()
            for fout in view.fouten:
                text.append(visible(f"✗ {fout}"), style="bold red")
                text.append("\n")
            for waarschuwing in view.waarschuwingen:
                text.append(visible(f"! {waarschuwing}"), style="bold yellow")
                text.append("\n")
            if view.fouten:
                text.append("Dit dossier heeft fouten en kan niet geregistreerd worden.", style="bold")
            text.rstrip()
            self.query_one("#waarschuwing-tekst", Static).update(text)
            self.query_one("#gelezen").display = bool(view.waarschuwingen) and not view.fouten
            box.display = True
        if view.plaatsing is not None:
            for key, value in view.plaatsing.items():
                if self.query(f"#plaatsing-{key}"):
                    # An input shows its value raw: a control character is spelled out here (and
                    # stays spelled out if the user applies the form).
                    self.query_one(f"#plaatsing-{key}", Input).value = visible(value)
            self.query_one("#plaatsing").display = True
        self.refresh_table()

    def refresh_table(self) -> None:
        view = self.view
        if view is None:
            return
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.shown = list(view.regels)
        table.add_rows(self._cells(r) for r in self.shown)
        if self.shown:
            table.move_cursor(row=min(cursor, len(self.shown) - 1), animate=False)
        self._update_status()

    @on(DataTable.RowHighlighted)
    def _show_detail(self, event: DataTable.RowHighlighted) -> None:
        """The whole of both values of the line under the cursor: columns cut long values short."""
        if not 0 <= event.cursor_row < len(self.shown):
            return
        regel = self.shown[event.cursor_row]
        text = Text()
        text.append(visible(f"{regel.sectie} › {regel.veld}"), style="bold")
        if regel.keuze:
            text.append(visible(f"  (eigen keuze: {regel.keuze})"))
        text.append("\n")
        text.append(visible(f"  geregistreerd: {regel.geregistreerd or '—'}"))
        text.append("\n")
        text.append(visible(f"  dossier:       {regel.dossier or '—'}"))
        self.query_one("#diff-detail", Static).update(text)

    @staticmethod
    def _mark(regel: DiffRegel) -> str:
        if regel.wijzigt:
            return "✗" if regel.oordeel == "alleen geregistreerd" else "✓"
        return "·" if regel.kiesbaar else " "

    def _cells(self, regel: DiffRegel) -> list[str | Text]:
        style = VERDICT_STYLE.get(regel.oordeel, "")
        oordeel: str = regel.lijst or (
            "alleen reg." if regel.oordeel == "alleen geregistreerd" else regel.oordeel
        )
        if regel.keuze:
            oordeel += "*"
        return [
            plain(self._mark(regel)),
            plain(regel.sectie),
            plain(regel.veld),
            plain(regel.geregistreerd or "—", style="dim" if regel.oordeel == "nieuw" else ""),
            plain(regel.dossier or "—", style=style if regel.oordeel != "gelijk" else ""),
            plain(oordeel, style=style),
        ]

    def _update_status(self) -> None:
        view = self.view
        if view is None:
            return
        counts: dict[str, int] = {}
        for regel in view.regels:
            counts[regel.oordeel] = counts.get(regel.oordeel, 0) + 1
        text = Text("Modus: ")
        for mode in ("aanvullen", "overschrijven"):
            text.append(visible(f" {mode} "), style="reverse bold" if mode == view.mode else "dim")
        parts = [
            f"{counts[k]} {k}"
            for k in ("nieuw", "gewijzigd", "alleen geregistreerd", "gelijk")
            if k in counts
        ]
        text.append(visible("  " + (" · ".join(parts) or "geen velden")))
        if view.al_geregistreerd:
            text.append(" → al geregistreerd, niets te doen", style="bold")
        else:
            text.append(visible(f" → {view.wijzigingen} wijzigen"), style="bold")
        if view.keuzes:
            text.append(visible(f" ({len(view.keuzes)} eigen keuze(s) *)"))
        self.query_one("#modus", Static).update(text)
        self.query_one("#toepassen", Button).disabled = not self.can_apply()

    def can_apply(self) -> bool:
        view = self.view
        if view is None or view.fouten or self.busy:
            return False
        return not view.waarschuwingen or self.query_one("#gelezen", Checkbox).value

    @on(Checkbox.Changed, "#gelezen")
    def _acknowledged(self) -> None:
        self._update_status()

    def action_acknowledge(self) -> None:
        box = self.query_one("#gelezen", Checkbox)
        if box.display and self.query_one("#waarschuwingen").display:
            box.value = not box.value

    def _rechoose(self, mode: str, keuzes: dict[str, str]) -> None:
        if self.view is None:
            return
        try:
            self.view = self.backend.rechoose(self.view, mode, keuzes)
        except OsoError as exc:
            self.notify(exc.message, severity="error")
            return
        self.refresh_table()

    def action_toggle_mode(self) -> None:
        if self.view is not None:
            mode = "overschrijven" if self.view.mode == "aanvullen" else "aanvullen"
            self._rechoose(mode, dict(self.view.keuzes))

    def action_toggle_field(self) -> None:
        view = self.view
        if view is None or not self.shown:
            return
        index = self.query_one(DataTable).cursor_row
        regel = self.shown[index]
        if not regel.kiesbaar:
            return
        keuzes = dict(view.keuzes)
        keuzes[regel.sleutel] = regel.omgekeerd()
        self._rechoose(view.mode, keuzes)
        table = self.query_one(DataTable)
        if index + 1 < table.row_count:
            table.move_cursor(row=index + 1, animate=False)

    def placement(self) -> dict[str, str] | None:
        if self.view is None or self.view.plaatsing is None:
            return None
        return {
            key: self.query_one(f"#plaatsing-{key}", Input).value.strip() for key, _, _ in PLAATSING_VELDEN
        }

    @on(Input.Submitted, ".plaatsing")
    def _placement_changed(self) -> None:
        """The placement is part of the diff: plan again with what the user typed."""
        view = self.view
        plaatsing = self.placement()
        if view is None or plaatsing is None:
            return
        backend = self.backend

        def job() -> DiffView:
            fresh = backend.plan(self.aanvraag_id, self.stap, plaatsing=plaatsing)
            return backend.rechoose(fresh, view.mode, dict(view.keuzes))

        def done(fresh: DiffView) -> None:
            self.view = fresh
            self.refresh_table()

        run_job(self, job, done, group="plan")
        self.query_one(DataTable).focus()

    @on(Button.Pressed, "#toepassen")
    def action_apply(self) -> None:
        view = self.view
        if view is None or not self.can_apply():
            if view is not None and view.waarschuwingen and not view.fouten:
                self.notify("Lees eerst de waarschuwingen en vink ze af (w).", severity="warning")
            return
        toepassing = Toepassing(
            view=view,
            waarschuwingen_gezien=bool(view.waarschuwingen) and self.query_one("#gelezen", Checkbox).value,
            plaatsing=self.placement(),
        )
        backend = self.backend
        self.busy = True
        self._update_status()

        def done(melding: Melding) -> None:
            self.notify(melding.tekst, severity=melding.ernst, title="Toegepast")
            self.dismiss(melding)

        def failed() -> None:
            self.busy = False
            self._update_status()

        run_job(self, lambda: backend.apply(toepassing), done, group="toepassen", failed=failed)

    @on(Button.Pressed, "#annuleren")
    def action_cancel(self) -> None:
        self.dismiss(None)
