"""A plain `oso-tui` (only global options) is parsed without loading every command's module, and a
command loads only its own.

The shortcuts must give exactly what the full parser gives, and hand everything else (a command, help,
an abbreviation, a mistake) to a parser that knows it, so behaviour and messages stay the same.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from oso_tui.cli import COMMAND_MODULES, build_parser, parse_without_command, parser_for
from oso_tui.cli.common import COMMANDS
from oso_tui.cli.shell import describe

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


HEAVY = ("textual", "pydantic", "lxml", "tinydb", "rich")


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_no_command_and_no_heavy_package(option: str) -> None:
    """`oso-tui --help` and `--version` load the command line's own light modules only: no command
    module, and none of Textual, pydantic, lxml, TinyDB or Rich."""
    code = (
        "import json, sys\n"
        "import oso_tui.cli\n"
        "try:\n"
        f"    oso_tui.cli.main([{option!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(json.loads(done.stderr))
    assert "oso-tui" in done.stdout
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    assert not {f"oso_tui.cli.{name}" for name in COMMAND_MODULES} & modules
    assert "oso_tui.settings" not in modules
    assert "importlib.metadata" not in modules, "the version is read from its file directly"


def test_help_lists_every_command_as_the_full_parser_does() -> None:
    """The light parser's --help is word for word the full parser's."""
    assert parser_for(["--help"]).format_help() == build_parser().format_help()
    assert list(COMMANDS) == [c.name for c in describe(build_parser()).commands]


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--json"],
        ["--db", "x.json", "register", "--pgn", "123456782", "--stap", "alle", "--modus", "overschrijven"],
        ["show", "--pgn", "123456782", "--config", "c.toml"],
        ["request", "--pgn", "123456782", "--geboortedatum", "01-01-2014", "--brin", "12AB"],
        ["config", "show"],
    ],
    ids=" ".join,
)
def test_a_command_parses_with_only_its_own_module_as_with_all(argv: list[str]) -> None:
    parsed, full = parser_for(argv).parse_args(argv), build_parser().parse_args(argv)
    assert vars(parsed).keys() == vars(full).keys()
    assert {k: v for k, v in vars(parsed).items() if k != "handler"} == {
        k: v for k, v in vars(full).items() if k != "handler"
    }
    assert parsed.handler.__qualname__ == full.handler.__qualname__


def test_a_command_loads_its_own_module_only() -> None:
    code = (
        "import json, sys\n"
        "import oso_tui.cli\n"
        "oso_tui.cli.parser_for(['status', '--json'])\n"
        "import oso_tui.services.listing, oso_tui.services.expiring\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    modules = set(json.loads(out))
    assert "oso_tui.cli.aanvragen" in modules
    assert not {"oso_tui.cli.registratie", "oso_tui.cli.check", "oso_tui.cli.serve"} & modules
    assert not {m for m in modules if m.split(".")[0] in ("textual", "lxml")}
    assert "oso_tui.dossier.models" not in modules, "counting requests reads no dossier"


def test_the_version_is_the_installed_packages() -> None:
    from importlib.metadata import version

    from oso_tui.cli import installed_version

    assert installed_version() == version("oso-tui")
