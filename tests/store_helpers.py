"""Shared by the store tests: worker processes that use a store, and a second group to test with."""

from __future__ import annotations

import grp
import os
import subprocess
import sys
from pathlib import Path

WORKER = Path(__file__).with_name("store_worker.py")
REPO = Path(__file__).resolve().parents[1]


def run_worker(*args: str) -> subprocess.Popen[str]:
    """tests/store_worker.py in its own process, with a bare environment."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def other_group() -> grp.struct_group | None:
    """A group other than the user's own that files can be given to (None: skip the test)."""
    mine = set(os.getgroups()) | {os.getegid()}
    for group in grp.getgrall():
        if group.gr_gid != os.getegid() and (os.geteuid() == 0 or group.gr_gid in mine):
            return group
    return None
