"""The `oso-tui` command line: one entry point, headless commands for IT staff and scripts.

Each area of the product adds its own subcommands from a module in this package (see
`COMMAND_MODULES`); every handler receives the parsed arguments and a `Context` and returns an exit
code. Errors are one Dutch sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from oso_tui.cli.common import Context, DutchArgumentParser, add_store_options
from oso_tui.display import visible
from oso_tui.errors import OsoError

COMMAND_MODULES = (
    "check",
    "store",
    "aanvragen",
    "registratie",
    "tui",
    "serve",
    "overzicht",
    "config",
    "shell",
)
_VALUE_OPTIONS = ("--db", "--config")
_FLAG_OPTIONS = ("--startuptime",)


def _global_options(parser: argparse.ArgumentParser) -> None:
    add_store_options(parser)
    parser.add_argument(
        "--startuptime",
        action="store_true",
        help="open de app, meet de tijd tot het eerste scherm, meld die op stderr en stop",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="oso-tui",
        description=(
            "Ontvang OSO-overstapdossiers van nieuwe leerlingen en registreer ze in drie stappen: "
            "personalia, schoolloopbaan en begeleiding. Zonder opdracht opent de terminal-app."
        ),
    )
    from oso_tui import __version__

    parser.add_argument(
        "--version", action="version", version=f"oso-tui {__version__}", help="toon de versie en stop"
    )
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", title="opdrachten")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"oso_tui.cli.{name}")
        module.add_commands(sub)
    return parser


class _NeedsFullParserError(Exception):
    """The arguments need the full parser (a command, help, an abbreviation, an error)."""


class _GlobalOnlyParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NeedsFullParserError(message)


def parse_without_command(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain start of the app (only global options, each spelled in full),
    parsed without importing every command's module and building its parser, which would cost
    the app's start-up a tenth of a second; None for anything else, which `build_parser` handles.
    The result equals what the full parser gives for the same arguments.
    """
    index = 0
    while index < len(argv):
        token = argv[index]
        option, joined, _ = token.partition("=")
        if token in _VALUE_OPTIONS:
            index += 2
        elif token in _FLAG_OPTIONS or (joined and option in _VALUE_OPTIONS):
            index += 1
        else:
            return None
    parser = _GlobalOnlyParser(prog="oso-tui", add_help=False, allow_abbrev=False)
    _global_options(parser)
    try:
        args = parser.parse_args(argv)
    except _NeedsFullParserError:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = parse_without_command(arguments)
    parser = build_parser() if args is None else None
    try:
        if parser is not None:
            args = parser.parse_args(arguments)
        assert args is not None
        ctx = Context.from_args(args)
        handler = getattr(args, "handler", None)
        if handler is None:
            from oso_tui.cli.tui import run_default

            return run_default(args, ctx)
        return int(handler(args, ctx))
    except OsoError as exc:
        print(f"oso-tui: {visible(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("oso-tui: afgebroken.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("OSO_TUI_DEBUG"):
            raise
        print(
            f"oso-tui: onverwachte programmafout ({type(exc).__name__}: {visible(str(exc))}). Er is niets "
            "half opgeslagen; meld dit aan de beheerder (OSO_TUI_DEBUG=1 toont details).",
            file=sys.stderr,
        )
        return 70
