"""The terminal app's start-up: the cyclic garbage collector waits until the request list is painted.

Start-up builds objects that live for the whole session (modules, widgets, the list's rows) and little
cyclic garbage, yet every few hundred allocations the collector walked them all again: with 5,000
requests that was a tenth of a second before the first paint. So collection is paused from the start
of the app until the list shows its rows. What start-up built is then frozen (`gc.freeze`), so the
first collections after the paint do not walk all of it at once either; a while later, when the user
is reading the list, it is unfrozen, and the normal collector also clears start-up's few cycles.
"""

from __future__ import annotations

import gc

SETTLE_SECONDS = 10.0
"""After this long the start-up objects rejoin normal collection (and a pause that was never ended
by a paint, say because the list could not be read, ends)."""

_paused = False
_frozen = False


def pause_gc() -> None:
    """Stop cyclic collection for the start-up (reference counting frees memory as always)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Collect again, if `pause_gc` stopped it, with what start-up built frozen; idempotent."""
    global _paused, _frozen
    if _paused:
        _paused = False
        gc.freeze()
        _frozen = True
        gc.enable()


def settle_gc() -> None:
    """End the start-up for the collector: resume if still paused, and unfreeze; idempotent."""
    global _frozen
    resume_gc()
    if _frozen:
        _frozen = False
        gc.unfreeze()
