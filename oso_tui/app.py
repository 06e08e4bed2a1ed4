"""The Textual app: themes, global keys, the command palette, and change polling. Nothing else.

The request list is the default screen and owns its own layout and keys; every screen gets its data
through a `Backend` (see `oso_tui.screens.viewmodels`), never from the store.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from oso_tui.collector import SETTLE_SECONDS, resume_gc, settle_gc
from oso_tui.display import visible
from oso_tui.screens.base import Resultaat, report_failure
from oso_tui.screens.commands import OsoCommands
from oso_tui.screens.viewmodels import Backend
from oso_tui.widgets.messages import DataChanged, StoreChanged, Verlopen

if TYPE_CHECKING:
    from textual.worker import Worker


class GeneratieGezien(Resultaat[int]):
    """The store's generation as just read."""


class OsoApp(App[None]):
    """oso-tui: receive OSO dossiers and register new pupils in three steps."""

    CSS_PATH = "app.tcss"
    TITLE = "oso-tui"
    SUB_TITLE = "OSO-dossiers ontvangen en registreren"
    COMMANDS: ClassVar = {OsoCommands}
    COMMAND_PALETTE_DISPLAY = "^p"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Stoppen", id="app.quit", priority=True, tooltip="Sluit oso-tui af."),
        Binding("f1", "help", "Hulp", id="app.help", tooltip="Toetsen en werkwijze (ook met ?)."),
        Binding("question_mark", "help", "Hulp", id="app.help-vraagteken", show=False),
        Binding(
            "ctrl+p",
            "command_palette",
            "Opdrachten",
            id="app.commands",
            show=False,
            priority=True,
            tooltip="Zoek een opdracht.",
        ),
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        blink: bool = True,
        poll_seconds: float | None = 2.0,
        startup_probe: bool = False,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.blink = blink
        self.poll_seconds = poll_seconds
        self.startup_probe = startup_probe
        self.notice = notice
        self.first_paint: float | None = None
        self.known_generation: int | None = None
        self.theme = "textual-dark"

    def get_default_screen(self) -> Screen[None]:
        from oso_tui.screens.aanvragen import RequestListScreen

        return RequestListScreen()

    def on_mount(self) -> None:
        self.set_timer(SETTLE_SECONDS, settle_gc, name="opruimen")
        if self.notice:
            self.notify(self.notice, severity="warning", timeout=10)
        if self.poll_seconds and not self.startup_probe:
            self.set_interval(self.poll_seconds, self.check_for_changes, name="herladen")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is text, never markup: its sentence often names a pupil, a school or a
        file, and those come from outside. Control characters in it are shown, not sent."""
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="generatie")
    def check_for_changes(self) -> None:
        """Apply the summer rule, then tell the screens when another user changed the store, so they
        reload without a restart."""
        self.apply_expiry()
        self.post_message(GeneratieGezien(self.backend.generation()))

    def apply_expiry(self, *, reload: bool = True) -> None:
        """In a worker thread: expire after the summer; the notice goes to the app once it did something
        (the service is idempotent, so a later call finds nothing and says nothing)."""
        melding = self.backend.expire()
        if melding is not None:
            self.post_message(Verlopen(melding, self.backend.generation(), reload))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            report_failure(self, event.worker)

    @on(GeneratieGezien)
    def _generation_seen(self, message: GeneratieGezien) -> None:
        generation = message.value
        previous, self.known_generation = self.known_generation, generation
        if previous is not None and generation != previous:
            for screen in self.screen_stack:
                screen.post_message(StoreChanged(generation))

    @on(Verlopen)
    def _expired(self, message: Verlopen) -> None:
        """Our own change, not another user's: one plain notice, and every screen reloads."""
        self.known_generation = message.generation
        self.notify(message.melding, title="Aanvragen verlopen", severity="warning", timeout=20)
        for screen in self.screen_stack if message.reload else ():
            screen.post_message(DataChanged())

    def remember_generation(self, generation: int) -> None:
        """After our own change: no reload notice for it."""
        self.known_generation = generation

    def list_painted(self) -> None:
        """The request list has its rows: after the next paint start-up is over (see `oso_tui.collector`);
        with --startuptime, note that moment and stop."""
        if self.first_paint is not None:
            return

        def painted() -> None:
            if self.first_paint is None:
                self.first_paint = time.perf_counter()
                resume_gc()
                if self.startup_probe:
                    self.exit()

        self.call_after_refresh(painted)

    def action_command_palette(self) -> None:
        """The palette with its prompt in Dutch (see `OsoPalette`)."""
        from textual.command import CommandPalette

        from oso_tui.screens.commands import OsoPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(OsoPalette())

    def action_help(self) -> None:
        from oso_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
