"""A plain `oso-tui` (only global options) is parsed without loading every command's module.

The shortcut must give exactly what the full parser gives, and hand everything else (a command, help,
an abbreviation, a mistake) to the full parser, so behaviour and messages stay the same.
"""

from __future__ import annotations

import pytest

from oso_tui.cli import build_parser, parse_without_command

PLAIN = [
    [],
    ["--startuptime"],
    ["--db", "x.json"],
    ["--db=x.json", "--startuptime"],
    ["--config", "c.toml", "--db", "d.json"],
    ["--db", "x", "--db", "y"],
    ["--db", "request"],
    ["--db=", "--config=c=d"],
]
NOT_PLAIN = [
    ["request"],
    ["--db", "x", "list"],
    ["-h"],
    ["--help"],
    ["--version"],
    ["--db"],
    ["--db", "-h"],
    ["--db", "--startuptime"],
    ["--start"],
    ["--startuptime=ja"],
    ["--", "--db"],
    ["demo", "--db", "x"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_arguments_parse_as_the_full_parser_parses_them(argv: list[str]) -> None:
    assert parse_without_command(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", NOT_PLAIN, ids=" ".join)
def test_everything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert parse_without_command(argv) is None
