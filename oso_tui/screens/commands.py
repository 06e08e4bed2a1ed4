"""The command palette (ctrl+p): the main actions by their Dutch names."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from oso_tui.screens.viewmodels import STATUSES

if TYPE_CHECKING:
    from oso_tui.app import OsoApp

Command = tuple[str, Callable[[], object], str]


class OsoCommands(Provider):
    """Actions of the screen on top, plus the ones that always work."""

    def commands(self) -> list[Command]:
        app = cast("OsoApp", self.app)
        screen = self.screen
        found: list[Command] = []
        from oso_tui.screens.aanvragen import RequestListScreen

        if isinstance(screen, RequestListScreen):
            found += [
                ("Nieuwe aanvraag", screen.action_new_request, "Vraag het dossier van één leerling aan."),
                (
                    "Collectieve aanvraag uit CSV",
                    screen.action_csv_request,
                    "Vraag dossiers aan voor een lijst inschrijvingen.",
                ),
                ("Dossiers ophalen", screen.action_fetch, "Haal klaargezette dossiers op."),
                ("Aanvraag vernieuwen", screen.action_renew, "Vraag een nieuwer dossier aan (geselecteerd)."),
                ("Aanvraag intrekken", screen.action_withdraw, "Trek de geselecteerde aanvragen in."),
                ("Zoeken", screen.action_search, "Filter de lijst op tekst."),
                ("Filter wissen", screen.action_clear_filter, "Toon alle aanvragen."),
                ("Lijst verversen", screen.action_reload, "Lees de gegevens opnieuw."),
            ]
            for status in STATUSES:
                found.append(
                    (
                        f"Toon status: {status}",
                        partial(screen.set_status_filter, status),
                        f"Alleen aanvragen met status {status}.",
                    )
                )
            for stap in ("personalia", "loopbaan", "begeleiding"):
                found.append(
                    (
                        f"Registreer {stap} voor selectie",
                        partial(screen.register_selected, stap),
                        f"Stap {stap} voor alle geselecteerde aanvragen.",
                    )
                )
        found += [
            ("Hulp", app.action_help, "Toetsen en de werkwijze maart/mei."),
            ("Stoppen", app.action_quit, "Sluit oso-tui af."),
        ]
        return found

    async def discover(self) -> Hits:
        for name, runnable, help_text in self.commands():
            yield DiscoveryHit(name, runnable, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, runnable, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), runnable, help=help_text)


class OsoPalette(CommandPalette):
    """Textual's command palette in Dutch: its prompt and its "nothing found" line."""

    def __init__(self) -> None:
        super().__init__(placeholder="Zoek een opdracht…", id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("Geen opdracht gevonden", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
