"""When the cyclic garbage collector runs: not while the app starts, not during bulk work.

Both build many objects and hardly any reference cycles, while every few hundred allocations the
collector walked everything alive again.

Start-up builds objects that live for the whole session (modules, widgets, the list's rows): with
5,000 requests the collector took a tenth of a second before the first paint. So collection is
paused from the start of the app until the list shows its rows. What start-up built is then frozen
(`gc.freeze`), so the first collections after the paint do not walk all of it at once either; a
while later, when the user is reading the list, it is unfrozen, and the normal collector also
clears start-up's few cycles.

A collective fetch allocates a little per dossier for thousands of dossiers while the store's
models and the app stay alive: the collector took about a tenth of a fetch of 10,000 dossiers.
Reference counting still frees what the work drops, so `paused()` costs no memory; collection
resumes when the work ends.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

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


_lock = threading.Lock()
_depth = 0  # nested or concurrent bulk work: the collector resumes when the last one ends
_ours = False  # whether the collector was running when the first one began


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection within the block; a collector someone else stopped stays stopped."""
    global _depth, _ours
    with _lock:
        if _depth == 0:
            _ours = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _ours:
                gc.enable()


def pausing(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """`paused()` around every call of `func`: for work whose size the input decides.

    Registering a dossier with 20,000 rows builds some hundred thousand objects; with the collector
    walking them again and again, time grew faster than the dossier.
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with paused():
            return func(*args, **kwargs)

    return wrapper
