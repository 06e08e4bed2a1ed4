"""The terminal app's start-up: the cyclic garbage collector waits until the request list is painted.

Start-up builds objects that live for the whole session (modules, widgets, the list's rows) and next
to no cyclic garbage, yet every few hundred allocations the collector walks them all again; with
5,000 requests that was a tenth of a second before the first paint. It is paused only from the
start of the app until the list shows its rows, with a time limit in case it never does, and what
start-up built is then frozen: long-lived, it need not be walked again (CPython's own advice for
state built once at start-up, see `gc.freeze`).
"""

from __future__ import annotations

import gc

GC_PAUSE_LIMIT = 10.0
"""Seconds after which the app resumes collecting even if the list was never painted."""

_paused = False


def pause_gc() -> None:
    """Stop cyclic collection for the start-up (reference counting frees memory as always)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Collect again, if `pause_gc` stopped it; harmless to call more than once.

    What start-up built is first moved out of the collector's sight (`gc.freeze`): it lives for the
    session, and the first collections would otherwise walk all of it at once right after the paint.
    """
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
