"""Shared by the store tests: worker processes that use a store, a second group to test with, and a count
of the tables parsed whole."""

from __future__ import annotations

import grp
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from oso_tui.store.manifest import PartsState

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


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tables parsed whole from now on, in order (filled as they are parsed)."""
    seen: list[str] = []
    real = PartsState._load

    def counting(self: PartsState, name: str) -> dict[str, Any]:
        seen.append(name)
        return real(self, name)

    monkeypatch.setattr(PartsState, "_load", counting)
    return seen
