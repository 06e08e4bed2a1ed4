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

from oso_tui import __version__
from oso_tui.cli.common import Context, DutchArgumentParser, add_store_options
from oso_tui.errors import OsoError

COMMAND_MODULES = ("check", "store", "aanvragen", "registratie", "tui")


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="oso-tui",
        description=(
            "Ontvang OSO-overstapdossiers van nieuwe leerlingen en registreer ze in drie stappen: "
            "personalia, schoolloopbaan en begeleiding. Zonder opdracht opent de terminal-app."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"oso-tui {__version__}", help="toon de versie en stop"
    )
    add_store_options(parser)
    parser.add_argument(
        "--startuptime",
        action="store_true",
        help="open de app, meet de tijd tot het eerste scherm, meld die op stderr en stop",
    )
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", title="opdrachten")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"oso_tui.cli.{name}")
        module.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        ctx = Context.from_args(args)
        handler = getattr(args, "handler", None)
        if handler is None:
            from oso_tui.cli.tui import run_default

            return run_default(args, ctx)
        return int(handler(args, ctx))
    except OsoError as exc:
        print(f"oso-tui: {exc.message}", file=sys.stderr)
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
            f"oso-tui: onverwachte programmafout ({type(exc).__name__}: {exc}). Er is niets "
            "half opgeslagen; meld dit aan de beheerder (OSO_TUI_DEBUG=1 toont details).",
            file=sys.stderr,
        )
        return 70
