"""The cyclic garbage collector around bulk work that makes no cycles worth collecting.

A collective fetch allocates a little per dossier for thousands of dossiers while the store's
models and the app stay alive; every few hundred allocations the collector walked all of them
again, about a tenth of the fetch at 10,000 dossiers. Reference counting still frees what the work
drops, so pausing the collector for the duration costs no memory; it runs again when the work ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
