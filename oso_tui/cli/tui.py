"""Starting the terminal app: `oso-tui` alone, `oso-tui demo`, `--startuptime`."""

from __future__ import annotations

import argparse

from oso_tui.cli.common import Context
from oso_tui.errors import UsageError


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """No commands yet."""


def run_default(args: argparse.Namespace, ctx: Context) -> int:
    raise UsageError("De terminal-app is nog niet beschikbaar; gebruik een opdracht (zie --help).")
