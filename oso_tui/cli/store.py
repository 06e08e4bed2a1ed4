"""Subcommands of this area; filled in as the area is built."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """No commands yet."""
