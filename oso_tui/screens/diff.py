"""The dossier diff of one step: registered and dossier values side by side, choose, then apply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Button, Checkbox, Header, Input, Static

from oso_tui.errors import OsoError, RefusedError
from oso_tui.screens.base import OsoScreen, Resultaat, oso_app
from oso_tui.screens.diffrijen import (
    PLAATSING_VELDEN,
    VERDICT_CLASS,
    Rij,
    cellen,
    detail,
    intussen_gewijzigd,
    rijen,
    sleutel,
    status_regel,
    taken,
    telling,
    verborgen_gelijk,
)
from oso_tui.screens.omzetten import herkies
from oso_tui.screens.viewmodels import STAP_LABELS, DiffView, Melding, NietOvergenomen, Toepassing
from oso_tui.widgets.messages import StoreChanged
from oso_tui.widgets.plain import plain, visible
from oso_tui.widgets.tabel import Cell, Column, RowTable, VirtualTable
from oso_tui.widgets.voet import Voet


class Gepland(Resultaat[DiffView]):
    """The diff of the step, planned (again)."""


class Toegepast(Resultaat[Melding]):
    """The step is applied."""


class Herpland(Resultaat[DiffView]):
    """The diff planned again on fresh data: the store changed, or applying was refused."""


class VerschilTabel(RowTable):
    """The diff's rows, each verdict in its colour; drawn on demand, so opening the diff builds no
    widget or renderable per cell."""

    DEFAULT_CSS = """
    VerschilTabel > .oordeel--nieuw { color: ansi_green; text-style: bold; }
    VerschilTabel > .oordeel--gewijzigd { color: ansi_yellow; text-style: bold; }
    VerschilTabel > .oordeel--alleen-geregistreerd { text-style: italic; }
    VerschilTabel > .oordeel--gelijk { text-style: dim; }
    VerschilTabel > .waarde--leeg { text-style: dim; }
    VerschilTabel > .niet-overgenomen { text-style: italic dim; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | {
        *VERDICT_CLASS.values(),
        "waarde--leeg",
        "niet-overgenomen",
    }


class DiffScreen(OsoScreen[Melding | None]):
    """Dismisses with the result of applying, or None when cancelled."""

    DEFAULT_CSS = """
    DiffScreen > .nadruk { text-style: bold; }
    DiffScreen > .toelichting { text-style: italic; }
    DiffScreen > .modus--gekozen { text-style: reverse bold; }
    DiffScreen > .modus--ander { text-style: dim; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"nadruk", "toelichting", "modus--gekozen", "modus--ander"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="verschil.annuleren"),
        Binding("m", "toggle_mode", "Modus", id="verschil.modus", tooltip="Aanvullen of overschrijven."),
        Binding(
            "space", "toggle_field", "Kies", id="verschil.veld", tooltip="Dit veld wel of niet overnemen."
        ),
        Binding("t", "apply", "Toepassen", id="verschil.toepassen"),
        Binding(
            "g", "hide_gelijk", "Gelijk weg", id="verschil.gelijk-weg", tooltip="Verberg gelijke velden."
        ),
        Binding(
            "g", "show_gelijk", "Gelijk tonen", id="verschil.gelijk-tonen", tooltip="Toon gelijke velden."
        ),
        Binding("v", "toggle_detail", "Detail", id="verschil.detail", show=False),
        Binding("w", "acknowledge", "Gelezen", id="verschil.gelezen", show=False),
    ]

    def __init__(self, aanvraag_id: str, stap: str) -> None:
        super().__init__()
        self.aanvraag_id = aanvraag_id
        self.stap = stap
        self.shown: list[Rij] = []
        self.cells: list[list[Cell]] = []
        """The cells of the rows shown, to write only what a new choice changes."""
        self.gelijk_verbergen = False
        self.first_plan = True
        self.refused = False
        self.planned: dict[str, str] | None = None
        """The placement the shown diff was planned with: a form typed since then is planned first."""
        self.form: dict[str, str] = {}
        """The placement form as last filled from a plan: what differs from it, the user typed."""

    view: var[DiffView | None] = var(None, init=False, always_update=True)
    busy: var[bool] = var(False, init=False)

    def watch_view(self) -> None:
        self.refresh_table()

    def watch_busy(self) -> None:
        self._update_status()

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
        yield VerschilTabel(id="verschillen", zebra=False)
        yield Static("", id="diff-detail")
        with Horizontal(classes="knoppen", id="diff-knoppen"):
            yield Button("Annuleren", id="annuleren")
            yield Button("Toepassen", id="toepassen", variant="primary", disabled=True)
        # Compact: at 80 columns every key of this screen, "g" and "v" too, fits beside help and quit.
        yield Voet(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = oso_app(self).blink
        self.query_one("#waarschuwingen").display = False
        self.query_one("#plaatsing").display = False
        table = self.query_one(VerschilTabel)
        wide = self.app.size.width >= 100
        value_width = max(10, (self.app.size.width - (66 if wide else 58)) // 2)
        table.set_columns(
            [
                Column("kies", "✓", 1),
                Column("sectie", "Sectie", 14 if wide else 12),
                Column("veld", "Veld", 22 if wide else 16),
                Column("geregistreerd", "Geregistreerd", value_width),
                Column("dossier", "Dossier", value_width),
                Column("oordeel", "Oordeel", 11),
            ]
        )
        table.focus()
        self._plan(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan")
    def _plan(
        self,
        plaatsing: dict[str, str] | None,
        mode: str = "",
        keuzes: dict[str, str] | None = None,
        typed: dict[str, str] | None = None,
    ) -> None:
        """Plan the step; with a placement the user typed, keep the mode and choices made so far."""
        view = self.backend.plan(self.aanvraag_id, self.stap, plaatsing=plaatsing)
        if mode:
            view = herkies(view, mode, taken(view, typed or {}, keuzes or {}))
        self.post_message(Gepland(view))

    @work(thread=True, exclusive=True, exit_on_error=False, group="herplan")
    def _replan(self, typed: dict[str, str], mode: str, keuzes: dict[str, str]) -> None:
        """Plan again on fresh data; keep what the user typed, the mode and the choices that still apply."""
        view = self.backend.plan(self.aanvraag_id, self.stap)
        if typed and view.plaatsing is not None:
            view = self.backend.plan(self.aanvraag_id, self.stap, plaatsing={**view.plaatsing, **typed})
        kiesbaar = {r.sleutel for r in view.regels if r.kiesbaar}
        keuzes = {k: v for k, v in keuzes.items() if k in kiesbaar}
        view = herkies(view, mode, taken(view, typed, keuzes))
        self.post_message(Herpland(view))

    @work(thread=True, exclusive=True, exit_on_error=False, group="toepassen")
    def _apply(self, toepassing: Toepassing) -> None:
        try:
            self.post_message(Toegepast(self.backend.apply(toepassing)))
        except RefusedError:
            self.refused = True  # read in `work_failed`: the diff is planned again on fresh data
            raise

    @on(Toegepast)
    def _applied(self, message: Toegepast) -> None:
        self.notify(message.value.tekst, severity=message.value.ernst, title="Toegepast")
        self.dismiss(message.value)

    def work_failed(self, group: str) -> None:
        if group == "plan" and self.first_plan:
            self.dismiss(None)
        elif group == "toepassen":
            self.busy = False
            if self.refused:
                self.refused = False
                self.replan()

    def typed(self) -> dict[str, str]:
        """The placement fields the user changed since the form was last filled from a plan."""
        return {k: v for k, v in (self.placement() or {}).items() if v != self.form.get(k, "")}

    def replan(self) -> None:
        view = self.view
        if view is not None and not self.busy:
            self._replan(self.typed(), view.mode, dict(view.keuzes))

    @on(StoreChanged)
    def _store_changed(self) -> None:
        """Another user changed the store: if it is this pupil, the diff follows (see `_replanned`)."""
        self.replan()

    @on(Herpland)
    def _replanned(self, message: Herpland) -> None:
        old, new = self.view, message.value
        if old is None:
            return
        changed = intussen_gewijzigd(old, new)
        if not changed and old.versie_id == new.versie_id:
            return
        typed = self.typed()
        self._fill_form(new, skip=typed)
        self._header(new)
        self.view = new
        what = "; ".join(changed) if changed else "er is een nieuwere dossierversie"
        self.notify(
            f"Deze leerling is intussen door een andere gebruiker gewijzigd ({what}). "
            "Het verschil is bijgewerkt; bekijk het en pas opnieuw toe.",
            title="Intussen gewijzigd",
            severity="warning",
            timeout=10,
        )

    @on(Gepland)
    def _planned(self, message: Gepland) -> None:
        if self.first_plan:
            self.first_plan = False
            self._show(message.value)
        else:
            self.view = message.value

    def _show(self, view: DiffView) -> None:
        self._header(view)
        box = self.query_one("#waarschuwingen")
        if view.fouten or view.waarschuwingen:
            text = Text()
            for fout in view.fouten:
                text.append(visible(f"✗ {fout}"), style=self.tone("fout"))
                text.append("\n")
            for waarschuwing in view.waarschuwingen:
                text.append(visible(f"! {waarschuwing}"), style=self.tone("let-op-sterk"))
                text.append("\n")
            if view.fouten:
                text.append(
                    "Dit dossier heeft fouten en kan niet geregistreerd worden.", style=self.toon("nadruk")
                )
            text.rstrip()
            self.query_one("#waarschuwing-tekst", Static).update(text)
            self.query_one("#gelezen").display = bool(view.waarschuwingen) and not view.fouten
            box.display = True
        if view.plaatsing is not None:
            self._fill_form(view)
            self.query_one("#plaatsing").display = True
        self.view = view

    def _header(self, view: DiffView) -> None:
        kop = Text()
        kop.append(visible(STAP_LABELS[self.stap]), style=self.toon("nadruk"))
        kop.append(visible(f" · {view.naam}"))
        if view.versie_datum:
            kop.append(visible(f" · dossier van {view.versie_datum:%d-%m-%Y}"))
        self.query_one("#diff-kop", Static).update(kop)

    def _fill_form(self, view: DiffView, skip: Mapping[str, str] | None = None) -> None:
        """The placement form from a plan, except the fields in `skip` (what the user typed)."""
        if view.plaatsing is None:
            return
        for key, value in view.plaatsing.items():
            if self.query(f"#plaatsing-{key}") and key not in (skip or {}):
                # An input shows its value raw: a control character is spelled out here (and
                # stays spelled out if the user applies the form).
                self.query_one(f"#plaatsing-{key}", Input).value = visible(value)
        self.form = {k: visible(v).strip() for k, v in view.plaatsing.items()}
        self.planned = self.placement_of(view)

    def refresh_table(self) -> None:
        """The rows again; the cursor stays on the same line where it still shows, else near it."""
        view = self.view
        if view is None:
            return
        table = self.query_one(VerschilTabel)
        cursor = table.cursor_row
        current = sleutel(self.shown[cursor]) if 0 <= cursor < len(self.shown) else None
        shown = rijen(view, gelijk_verbergen=self.gelijk_verbergen)
        cells = [cellen(r) for r in shown]
        same_rows = [sleutel(r) for r in shown] == [sleutel(r) for r in self.shown]
        if shown and same_rows and table.row_count == len(shown):
            self._update_cells(shown, cells, cursor)
            return
        self.shown, self.cells = shown, cells
        table.show(cells)
        keys = [sleutel(r) for r in self.shown]
        if self.shown:
            row = keys.index(current) if current in keys else min(cursor, len(self.shown) - 1)
            table.move_cursor(row)
            self._detail(self.shown[table.cursor_row])
        else:
            self.query_one("#diff-detail", Static).update("Geen velden om te tonen.")
        self._update_status()

    def _update_cells(self, shown: list[Rij], cells: list[list[Cell]], cursor: int) -> None:
        """The same rows with other choices (a mode toggle, a field chosen): only the rows that
        changed are written and drawn again; the table keeps its rows, its layout and its cursor."""
        table = self.query_one(VerschilTabel)
        for row, (before, after) in enumerate(zip(self.cells, cells, strict=True)):
            if after != before:
                table.update(row, after)
        cursor_changed = 0 <= cursor < len(shown) and shown[cursor] != self.shown[cursor]
        self.shown, self.cells = shown, cells
        if cursor_changed:
            self._detail(shown[cursor])
        self._update_status()

    @on(VirtualTable.Highlighted, "#verschillen")
    def _show_detail(self, event: VirtualTable.Highlighted) -> None:
        """The whole of the line under the cursor, wrapped: columns cut long values short."""
        if 0 <= event.row < len(self.shown):
            self._detail(self.shown[event.row])

    def _detail(self, rij: Rij) -> None:
        pane = self.query_one("#diff-detail", Static)
        text = detail(rij, self.toon)
        width = max(10, (pane.size.width or self.app.size.width) - 2)
        if len(text.wrap(self.app.console, width)) > 5 and not pane.has_class("groot"):
            text = detail(rij, self.toon, hint="  · v: alles tonen")
        pane.update(text)
        self.call_after_refresh(self.cursor_in_view)

    def cursor_in_view(self) -> None:
        """The pane below grows with the value it shows and the table shrinks: scroll so that the
        cursor row stays on screen."""
        table = self.query_one(VerschilTabel)
        if table.row_count:
            table.move_cursor(table.cursor_row)

    def on_resize(self) -> None:
        self.call_after_refresh(self.cursor_in_view)

    def toon(self, naam: str) -> Style:
        """The style of one of this screen's component classes (emphasis lives in CSS)."""
        return self.get_component_rich_style(naam, partial=True)

    def _update_status(self) -> None:
        view = self.view
        if view is None:
            return
        verborgen = verborgen_gelijk(view.regels, self.gelijk_verbergen)
        text = status_regel(view, telling(view, verborgen), self.toon)
        if text.cell_len > self.size.width - 2:
            # At 80 columns the count of values not taken over goes: their own section shows them.
            text = status_regel(view, telling(view, verborgen, niet_overgenomen=False), self.toon)
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
            self.view = herkies(self.view, mode, keuzes)
        except OsoError as exc:
            self.notify(exc.message, severity="error")

    def action_toggle_mode(self) -> None:
        if self.view is not None:
            mode = "overschrijven" if self.view.mode == "aanvullen" else "aanvullen"
            self._rechoose(mode, dict(self.view.keuzes))

    def action_toggle_field(self) -> None:
        view = self.view
        if view is None or not self.shown:
            return
        table = self.query_one(VerschilTabel)
        index = table.cursor_row
        regel = self.shown[index]
        if isinstance(regel, NietOvergenomen) or not regel.kiesbaar:
            return
        keuzes = dict(view.keuzes)
        keuzes[regel.sleutel] = regel.omgekeerd()
        self._rechoose(view.mode, keuzes)
        if index + 1 < table.row_count:
            table.move_cursor(index + 1)

    def action_hide_gelijk(self) -> None:
        """Hide the equal lines: at 80x24 the changes then fit on one screen."""
        self._gelijk(verbergen=True)

    def action_show_gelijk(self) -> None:
        self._gelijk(verbergen=False)

    def _gelijk(self, *, verbergen: bool) -> None:
        self.gelijk_verbergen = verbergen
        self.refresh_table()
        self.refresh_bindings()

    def action_toggle_detail(self) -> None:
        """The detail pane large (the whole of a long value) or small (more rows of the table)."""
        self.query_one("#diff-detail").toggle_class("groot")
        cursor = self.query_one(VerschilTabel).cursor_row
        if 0 <= cursor < len(self.shown):
            self._detail(self.shown[cursor])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Of the two "g" bindings, the footer shows (and "g" runs) the one that says what it does now."""
        if action == "hide_gelijk":
            return not self.gelijk_verbergen
        if action == "show_gelijk":
            return self.gelijk_verbergen
        return True

    def placement(self) -> dict[str, str] | None:
        return self.placement_of(self.view)

    def placement_of(self, view: DiffView | None) -> dict[str, str] | None:
        if view is None or view.plaatsing is None:
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
        self._plan(plaatsing, view.mode, dict(view.keuzes), self.typed())
        self.planned = plaatsing
        self.query_one(VerschilTabel).focus()

    @on(Button.Pressed, "#toepassen")
    def action_apply(self) -> None:
        view = self.view
        if view is None or not self.can_apply():
            if view is not None and view.waarschuwingen and not view.fouten:
                self.notify("Lees eerst de waarschuwingen en vink ze af (w).", severity="warning")
            return
        if self.placement() != self.planned:
            self._placement_changed()
            self.notify("De plaatsing is gewijzigd; bekijk het verschil en pas dan toe.", severity="warning")
            return
        toepassing = Toepassing(
            view=view,
            waarschuwingen_gezien=bool(view.waarschuwingen) and self.query_one("#gelezen", Checkbox).value,
            plaatsing=self.placement(),
        )
        self.busy = True
        self._apply(toepassing)

    @on(Button.Pressed, "#annuleren")
    def action_cancel(self) -> None:
        self.dismiss(None)
