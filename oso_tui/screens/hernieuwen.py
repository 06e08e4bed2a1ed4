"""The renew dialog: which "sinds" date a renewed request asks for, with the default shown and changeable.

By default a renewal asks for every version newer than the last one received for that request; the
user may type another date (dd-mm-jjjj, d-m-jjjj or ISO), checked as it is typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from oso_tui.datums import parse_datum, toon_datum
from oso_tui.screens.base import Resultaat
from oso_tui.screens.modals import OsoModal
from oso_tui.screens.viewmodels import Melding
from oso_tui.widgets.plain import plain


class StandaardGelezen(Resultaat[date | None]):
    """The default "sinds" of the one request: the date of its newest version received, or None."""


class Hernieuwd(Resultaat[Melding]):
    """The renewal is stored."""


class RenewModal(OsoModal[Melding]):
    """Renew one request or a selection; Enter renews with the date shown (empty: the default)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="hernieuwen.annuleren"),
    ]

    def __init__(self, ids: Sequence[str], wie: str, today: date) -> None:
        super().__init__()
        self.ids = list(ids)
        self.wie = wie
        self.today = today
        self.standaard: date | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialoog", id="hernieuwen"):
            yield Static(plain(f"Hernieuwde aanvraag voor {self.wie}"), classes="titel")
            yield Static(self._uitleg(), id="standaard")
            with Horizontal(classes="veld"):
                yield Static("Sinds (dd-mm-jjjj)", classes="label")
                yield Input(placeholder="leeg: de standaard", id="sinds")
            yield Static("", id="sinds-melding")
            yield Static("Enter vernieuwt · Escape annuleert", classes="toetsen")
            with Horizontal(classes="knoppen"):
                yield Button("Annuleren", id="nee")
                yield Button("Vernieuwen", id="ja", variant="primary")

    def _uitleg(self) -> str:
        if len(self.ids) > 1:
            return (
                "Standaard per aanvraag: elke versie die nieuwer is dan de laatst ontvangen versie van "
                "die aanvraag. Vul een datum in om voor alle aanvragen dezelfde te gebruiken."
            )
        if self.standaard is None:
            return "Standaard: nog geen versie ontvangen, dus elk klaargezet dossier telt."
        return (
            f"Standaard: sinds {toon_datum(self.standaard)}, de datum van de laatst ontvangen versie. "
            "Een dossier dat daarvan verschilt en niet ouder is, telt als nieuw."
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sinds", Input).focus()
        if len(self.ids) == 1:
            self._read_default(self.ids[0])

    @work(thread=True, exclusive=True, exit_on_error=False, group="standaard")
    def _read_default(self, aanvraag_id: str) -> None:
        self.post_message(StandaardGelezen(self.backend.default_sinds(aanvraag_id)))

    @on(StandaardGelezen)
    def _default_read(self, message: StandaardGelezen) -> None:
        self.standaard = message.value
        self.query_one("#standaard", Static).update(self._uitleg())
        field = self.query_one("#sinds", Input)
        if message.value is not None and not field.value:
            field.value = toon_datum(message.value)
            field.cursor_position = len(field.value)

    def check(self, value: str) -> str | None:
        """The Dutch complaint about the typed date, or None when it is empty or fine."""
        if not value.strip():
            return None
        try:
            chosen = parse_datum(value)
        except ValueError as exc:
            return f"{exc}."
        if chosen > self.today:
            return f"{toon_datum(chosen)} ligt in de toekomst; kies vandaag of eerder."
        return None

    @on(Input.Changed, "#sinds")
    def _changed(self, event: Input.Changed) -> None:
        problem = self.check(event.value)
        melding = self.query_one("#sinds-melding", Static)
        melding.update(plain(f"✗ {problem}", style="bold") if problem else "")
        melding.set_class(bool(problem), "fout")
        self.query_one("#ja", Button).disabled = bool(problem)

    def chosen(self) -> date | None:
        """The date to renew with: None means the default (per request)."""
        value = self.query_one("#sinds", Input).value
        if not value.strip():
            return None
        picked = parse_datum(value)
        return None if picked == self.standaard else picked

    @on(Input.Submitted, "#sinds")
    @on(Button.Pressed, "#ja")
    def action_renew(self) -> None:
        button = self.query_one("#ja", Button)
        if button.disabled:
            return
        button.disabled = True
        self._renew(self.chosen())

    @work(thread=True, exclusive=True, exit_on_error=False, group="hernieuwen")
    def _renew(self, sinds: date | None) -> None:
        self.post_message(Hernieuwd(self.backend.renew(self.ids, sinds)))

    @on(Hernieuwd)
    def _renewed(self, message: Hernieuwd) -> None:
        self.dismiss(message.value)

    def work_failed(self, group: str) -> None:
        if group == "hernieuwen":
            self.query_one("#ja", Button).disabled = False

    @on(Button.Pressed, "#nee")
    def _cancel(self) -> None:
        self.dismiss(None)
