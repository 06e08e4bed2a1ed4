"""The fetch dialog: which inbox folder the dossiers come from, shown and changeable before fetching.

A school usually fetches from the folder in its configuration; on a given day it may fetch from another
(a USB stick, a colleague's export). The folder typed here counts for this session only, so the
configuration stays the one place that says where the inbox is.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from oso_tui.display import visible
from oso_tui.screens.modals import OsoModal, dialoog
from oso_tui.widgets.plain import plain

MAX_COUNTED = 10_000
"""Count XML files up to this many: a folder the user typed may be huge, and the count is a hint."""


def describe_folder(folder: Path) -> tuple[bool, str]:
    """Whether dossiers can be fetched from `folder`, and one Dutch line that says what is there."""
    try:
        if not folder.is_dir():
            return False, "Deze map bestaat niet." if not folder.exists() else "Dit is geen map."
        count = 0
        for entry in folder.iterdir():
            if entry.suffix.lower() == ".xml" and entry.is_file():
                count += 1
                if count >= MAX_COUNTED:
                    return True, f"Meer dan {MAX_COUNTED - 1} XML-bestanden in deze map."
    except OSError as exc:
        return False, f"Deze map is niet te lezen ({exc.strerror or 'onbekende fout'})."
    if count == 0:
        return True, "Geen XML-bestanden in deze map; er is dan niets op te halen."
    return True, f"{count} XML-bestand{'' if count == 1 else 'en'} in deze map."


class FetchModal(OsoModal[Path]):
    """Shows the inbox folder; Enter fetches from the folder shown, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="ophalen.annuleren"),
    ]

    def __init__(self, inbox: Path) -> None:
        super().__init__()
        self.inbox = inbox

    def compose(self) -> ComposeResult:
        with dialoog("ophalen", "Enter haalt op · Escape annuleert", breed=True):
            yield Static("Dossiers ophalen", classes="titel")
            yield Static(
                "Uit deze map worden de klaargezette dossiers gelezen. Een andere map geldt alleen "
                "voor deze sessie; vast instellen kan met opslag.inbox in de configuratie.",
                id="uitleg",
            )
            with Horizontal(classes="veld"):
                yield Static("Map", classes="label")
                yield Input(visible(str(self.inbox)), id="map")
            yield Static("", id="map-melding")
            with Horizontal(classes="knoppen"):
                yield Button("Annuleren", id="nee")
                yield Button("Ophalen", id="ja", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        field = self.query_one("#map", Input)
        field.focus()
        field.cursor_position = len(field.value)
        self._show(field.value)

    def chosen(self) -> Path:
        """The folder typed; the configured one when the field still shows it (its text may be escaped)."""
        value = self.query_one("#map", Input).value.strip()
        return self.inbox if value == visible(str(self.inbox)) else Path(value).expanduser()

    def _show(self, value: str) -> None:
        ok, text = describe_folder(self.chosen()) if value.strip() else (False, "Vul een map in.")
        melding = self.query_one("#map-melding", Static)
        melding.update(plain(text if ok else f"✗ {text}"))
        melding.set_class(not ok, "fout")
        self.query_one("#ja", Button).disabled = not ok

    @on(Input.Changed, "#map")
    def _changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#map")
    @on(Button.Pressed, "#ja")
    def action_fetch(self) -> None:
        if not self.query_one("#ja", Button).disabled:
            self.dismiss(self.chosen())

    @on(Button.Pressed, "#nee")
    def _no(self) -> None:
        self.dismiss(None)
