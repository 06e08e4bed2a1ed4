"""The placement for new pupils in a collective personalia registration, asked once for the selection.

Pupils already placed keep their placement; the fields are checked as they are typed.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from oso_tui.errors import OsoError
from oso_tui.registration.steps import plaatsing_uit
from oso_tui.screens.modals import OsoModal
from oso_tui.widgets.plain import plain

VELDEN = (
    ("schooljaar", "Schooljaar", "jjjj-jjjj, bijv. 2027-2028"),
    ("leerjaar", "Leerjaar", "1 t/m 6"),
    ("opleiding", "Opleiding", "bijv. havo"),
    ("klas", "Klas", "bijv. 1B"),
)


class PlacementModal(OsoModal[dict[str, str]]):
    """Returns the typed placement (empty fields left out); Escape cancels the registration."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="plaatsing.annuleren"),
    ]

    def __init__(self, wie: str) -> None:
        super().__init__()
        self.wie = wie
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialoog", id="plaatsing-collectief"):
            yield Static(plain(f"Personalia registreren (aanvullen) voor {self.wie}"), classes="titel")
            yield Static(
                "Plaatsing voor nieuwe leerlingen, één keer voor de hele selectie. Leerlingen die al "
                "geplaatst zijn houden hun plaatsing. Dossiers met waarschuwingen worden overgeslagen: "
                "open die afzonderlijk.",
                id="vraag",
            )
            for key, label, placeholder in VELDEN:
                with Horizontal(classes="veld"):
                    yield Static(label, classes="label")
                    yield Input(placeholder=placeholder, id=key)
            yield Static("", id="plaatsing-melding")
            yield Static("Tab: volgend veld · Enter registreert · Escape annuleert", classes="toetsen")
            with Horizontal(classes="knoppen"):
                yield Button("Annuleren", id="nee")
                yield Button("Registreren", id="ja", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#schooljaar", Input).focus()

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#{key}", Input).value.strip() for key, _, _ in VELDEN}

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        try:
            plaatsing_uit({name: event.value})
            self.errors.pop(name, None)
        except OsoError as exc:
            self.errors[name] = exc.message
        melding = self.query_one("#plaatsing-melding", Static)
        shown = next(iter(self.errors.values()), "")
        melding.update(plain(f"✗ {shown}", style="bold") if shown else "")
        melding.set_class(bool(shown), "fout")
        self.query_one("#ja", Button).disabled = bool(self.errors)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        """Enter goes to the next field; on the last one it registers."""
        keys = [key for key, _, _ in VELDEN]
        name = event.input.id or ""
        if name in keys and keys.index(name) + 1 < len(keys):
            self.query_one(f"#{keys[keys.index(name) + 1]}", Input).focus()
        else:
            self._submit()

    @on(Button.Pressed, "#ja")
    def _submit(self) -> None:
        if not self.errors:
            self.dismiss({k: v for k, v in self.values().items() if v})

    @on(Button.Pressed, "#nee")
    def _cancel(self) -> None:
        self.dismiss(None)
