"""Running backend calls off the UI thread, with Dutch errors as notifications.

Every service call may block (file lock, parsing, writing), so screens hand it to `run_job`, which
runs it in a thread worker and calls back on the UI thread. An `OsoError` becomes a notification with
its one Dutch sentence; anything else becomes a short Dutch report, never a traceback on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from oso_tui.errors import OsoError

T = TypeVar("T")


def run_job(
    node: DOMNode,
    job: Callable[[], T],
    done: Callable[[T], object],
    *,
    group: str,
    failed: Callable[[], object] | None = None,
) -> None:
    """Run `job` in a thread worker; `done(result)` or a notification (and `failed()`) on the UI thread."""
    app = node.app

    def report(message: str, title: str) -> None:
        app.notify(message, title=title, severity="error", timeout=8, markup=False)
        if failed is not None:
            failed()

    def finish(result: T) -> None:
        try:
            done(result)
        except Exception as exc:
            report(f"Onverwachte programmafout ({type(exc).__name__}: {exc}).", "Programmafout")

    def runner() -> None:
        try:
            result = job()
        except OsoError as exc:
            app.call_from_thread(report, exc.message, "Niet gelukt")
            return
        except Exception as exc:
            app.call_from_thread(
                report,
                f"Onverwachte programmafout ({type(exc).__name__}: {exc}). Er is niets half opgeslagen.",
                "Programmafout",
            )
            return
        app.call_from_thread(finish, result)

    node.run_worker(runner, thread=True, group=group, exclusive=True, exit_on_error=False)
