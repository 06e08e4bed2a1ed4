"""The inter-process lock: one writer at a time, with a bounded wait.

`flock` on a separate lock file (never on the database file itself, which is replaced on every
commit) is held for the whole read-modify-write. The kernel drops it when a process dies, so a
killed writer never leaves the store locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from oso_tui.store.errors import StoreBusyError
from oso_tui.store.files import FileMode, write_error


@contextmanager
def exclusive_lock(lock_path: Path, mode: FileMode, timeout: float, *, for_path: Path) -> Iterator[None]:
    """Hold an exclusive flock on `lock_path`, waiting at most `timeout` seconds.

    Errors name `for_path` (the database), which is what the user knows about.
    """
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, mode.mode)
    except OSError as exc:
        raise write_error(exc, for_path) from None
    try:
        _set_mode(fd, mode)
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusyError() from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _set_mode(fd: int, mode: FileMode) -> None:
    """A lock file made by one staff member must be usable by the others in the group."""
    st = os.fstat(fd)
    if st.st_uid != os.geteuid():
        return
    try:
        if mode.gid is not None and st.st_gid != mode.gid:
            os.fchown(fd, -1, mode.gid)
        if st.st_mode & 0o777 != mode.mode:
            os.fchmod(fd, mode.mode)
    except OSError:
        pass
