"""What every screen shares: the typed way to the app and its backend, and how failed work is reported.

Background work is a Textual worker (`@work(thread=True, exclusive=True, exit_on_error=False)`) that
posts a typed message with its result. A worker that raises ends in the ERROR state; the screen that
ran it turns that into one notification: an `OsoError` with its Dutch sentence, anything else as a
short report, never a traceback on screen. `work_failed(group)` then lets the screen undo a busy state.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from rich.style import Style
from textual import on
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import ProgressBar
from textual.worker import Worker, WorkerState

from oso_tui.display import visible
from oso_tui.errors import OsoError
from oso_tui.screens.viewmodels import AfgebrokenError
from oso_tui.widgets.watchers import forget_closed_styles, prune_watchers

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

    from oso_tui.app import OsoApp
    from oso_tui.screens.viewmodels import Backend

R = TypeVar("R")
T = TypeVar("T")


def oso_app(node: DOMNode) -> OsoApp:
    """The running app with its real type: backend, cursor blink, generation bookkeeping."""
    return cast("OsoApp", node.app)


def report_failure(node: DOMNode, worker: Worker[object]) -> None:
    """One notification for a worker that raised."""
    exc = worker.error
    if isinstance(exc, OsoError):
        message, title = exc.message, "Niet gelukt"
    else:
        message = f"Onverwachte programmafout ({type(exc).__name__}: {exc}). Er is niets half opgeslagen."
        title = "Programmafout"
    node.app.notify(message, title=title, severity="error", timeout=8, markup=False)


class Resultaat(Message, Generic[T]):
    """What a worker produced, posted to the screen that started it; each use is its own subclass."""

    def __init__(self, value: T) -> None:
        super().__init__()
        self.value = value


class Voortgang(Message):
    """How far a long job is; a newer one replaces an older one still waiting in the queue."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Voortgang)


TONES = ("goed", "let-op", "let-op-sterk", "fout", "stil")


def _tone_css(name: str) -> str:
    return f"""
    {name} > .toon--goed {{ color: ansi_green; }}
    {name} > .toon--let-op {{ color: ansi_yellow; }}
    {name} > .toon--let-op-sterk {{ color: ansi_yellow; text-style: bold; }}
    {name} > .toon--fout {{ color: ansi_red; text-style: bold; }}
    {name} > .toon--stil {{ text-style: dim; }}
    """


FOOTER_FIRST = ("app.help", "app.quit")
"""Shown first in every footer, so help and quit stay visible at 80 columns; other keys are in help."""


def help_and_quit_first(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    first = {k: v for k, v in bindings.items() if v.binding.id in FOOTER_FIRST}
    first = dict(sorted(first.items(), key=lambda item: FOOTER_FIRST.index(item[1].binding.id or "")))
    return {**first, **{k: v for k, v in bindings.items() if k not in first}}


class OsoScreen(Screen[R]):
    """A full screen of oso-tui.

    Its tones (good, attention, error, quiet) are component classes, so a theme or `NO_COLOR` decides
    their look in CSS; cells and headings ask for them with `tone("goed")`.
    """

    DEFAULT_CSS = _tone_css("OsoScreen")
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"toon--{t}" for t in TONES}

    def tone(self, name: str) -> Style:
        return self.get_component_rich_style(f"toon--{name}", partial=True)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's order: help and quit first (the footer cuts off at the right)."""
        return help_and_quit_first(super().active_bindings)

    @property
    def backend(self) -> Backend:
        return oso_app(self).backend

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_failure(self, event.worker)
            self.work_failed(event.worker.group)

    def on_screen_resume(self) -> None:
        """The screens closed before this one let go of what the app and this screen still held of
        them (see `widgets.watchers`)."""
        prune_watchers(self.app, self)
        forget_closed_styles()

    def work_failed(self, group: str) -> None:
        """A worker of this group raised (already reported): leave any busy state."""


class ProgressScreen(OsoScreen[None]):
    """A screen with a long job: a progress bar `#voortgang`, and Escape that asks the job to stop.

    The job's progress callback (`progress`, in the worker thread) raises `AfgebrokenError` once the
    user asked; the backend stops where the store is whole.
    """

    def __init__(self) -> None:
        super().__init__()
        self.stop = threading.Event()
        self.busy = False

    def progress(self, done: int, total: int) -> None:
        """Runs in the worker thread: report, or stop when the user pressed Escape."""
        if self.stop.is_set():
            raise AfgebrokenError
        self.post_message(Voortgang(done, total))

    def stop_job(self) -> bool:
        """Escape during a long job: ask it to stop (True), or there is none (False)."""
        if not self.busy:
            return False
        self.stop.set()
        self.query_one("#voortgang", ProgressBar).border_title = "Afbreken…"
        return True

    def _start_progress(self, title: str) -> None:
        self.stop.clear()
        self.busy = True
        bar = self.query_one("#voortgang", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        bar.border_title = visible(title)

    @on(Voortgang)
    def _advanced(self, message: Voortgang) -> None:
        self.query_one("#voortgang", ProgressBar).update(total=message.total, progress=message.done)

    def _stop_progress(self) -> None:
        self.busy = False
        self.query_one("#voortgang").display = False


class OsoDialog(ModalScreen[R]):
    """A dialog of oso-tui that talks to the backend; tones as on `OsoScreen`."""

    DEFAULT_CSS = _tone_css("OsoDialog")
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"toon--{t}" for t in TONES}

    def tone(self, name: str) -> Style:
        return self.get_component_rich_style(f"toon--{name}", partial=True)

    @property
    def backend(self) -> Backend:
        return oso_app(self).backend

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_failure(self, event.worker)
            self.work_failed(event.worker.group)

    def work_failed(self, group: str) -> None:
        """A worker of this group raised (already reported): leave any busy state."""
