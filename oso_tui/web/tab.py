"""One browser tab's `oso-tui`, which ends when the server that started it ends.

textual-serve starts a process per tab; if the server is stopped (Ctrl+C, SIGTERM, a dropped SSH
session) those processes would run on, each holding the database's user and rights. On Linux the tab
asks the kernel for SIGTERM when its parent dies (the web driver turns that into a normal exit).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
SERVER_PID = "OSO_TUI_SERVE_PID"


def end_with_parent() -> None:
    """SIGTERM when the server dies; exit at once if it is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    expected = os.environ.get(SERVER_PID)
    if expected is not None and str(os.getppid()) != expected:
        raise SystemExit(0)


def main() -> int:
    end_with_parent()
    from oso_tui.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
