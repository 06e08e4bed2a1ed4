"""The `oso-tui` command line: one entry point, headless commands for IT staff and scripts.

Each area of the product adds its own subcommands from a module in this package (see `COMMANDS` in
`common.py`); every handler receives the parsed arguments and a `Context` and returns an exit code.
A run builds only the subparsers of the command it runs (the others by name and help alone), so
`--help` and `--version` import no command module, and a command imports only what it uses. Errors
are one Dutch sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from typing import NoReturn

from oso_tui.cli.common import COMMANDS, Context, DutchArgumentParser, add_store_options
from oso_tui.collector import paused
from oso_tui.display import visible
from oso_tui.errors import OsoError

COMMAND_MODULES = tuple(dict.fromkeys(opdracht.module for opdracht in COMMANDS.values()))
_VALUE_OPTIONS = ("--db", "--config")
_FLAG_OPTIONS = ("--startuptime",)
RUNS_ON = frozenset({"serve", "demo"})
"""Commands that run until the user stops them (the app in a browser, the demo app)."""


def _global_options(parser: argparse.ArgumentParser) -> None:
    add_store_options(parser)
    parser.add_argument(
        "--startuptime",
        action="store_true",
        help="open de app, meet de tijd tot het eerste scherm, meld die op stderr en stop",
    )


def build_parser(modules: Iterable[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The parser; the commands of `modules` with all their options, every other command by name
    and help only (enough for `--help` and for a mistyped command's message). By default: all of
    them, as the completion and the man page need."""
    parser = DutchArgumentParser(
        prog="oso-tui",
        description=(
            "Ontvang OSO-overstapdossiers van nieuwe leerlingen en registreer ze in drie stappen: "
            "personalia, schoolloopbaan en begeleiding. Zonder opdracht opent de terminal-app."
        ),
    )
    parser.add_argument("--version", action=_Version, help="toon de versie en stop")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", title="opdrachten")
    loaded = set(modules)
    for name, opdracht in COMMANDS.items():
        if opdracht.module in loaded:
            loaded.discard(opdracht.module)
            importlib.import_module(f"oso_tui.cli.{opdracht.module}").add_commands(sub)
        elif name not in sub.choices:
            sub.add_parser(name, help=opdracht.help, description=opdracht.help)
    return parser


def parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser for these arguments: with the module of every word in them that names a command
    (normally one), so parsing gives what the full parser gives."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    return build_parser({COMMANDS[w].module for w in words if w in COMMANDS})


def installed_version() -> str:
    """The installed version, read from the package's METADATA file where `importlib.metadata` would
    find it first; that module (which parses the file as e-mail, costing more than the rest of
    `oso-tui --version`) only when there is no such file."""
    from pathlib import Path

    for folder in sys.path:
        try:
            found = sorted(Path(folder or ".").glob("oso_tui-*.dist-info/METADATA"))
        except OSError:
            continue
        for metadata in found:
            try:
                with metadata.open(encoding="utf-8") as lines:
                    for line in lines:
                        if not line.strip():
                            break
                        if line.startswith("Version:"):
                            return line.partition(":")[2].strip()
            except OSError:
                continue
    from oso_tui import __version__

    return __version__


class _Version(argparse.Action):
    """`--version`: the version is read from the package's metadata only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> NoReturn:
        print(f"oso-tui {installed_version()}")
        parser.exit()


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
    """Run one command. Importing its module, opening the store and the command itself build many
    objects and hardly any reference cycles, so a command runs with cyclic collection paused (see
    `collector.py`: it walked everything alive again every few hundred allocations, about a tenth of
    a command at 20,000 pupils); the app and `RUNS_ON` keep the collector as they run for hours.
    A command run as its own process (no `argv`) ends right after: what it built is frozen, so the
    collector does not walk it all once more on the way out."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = parse_without_command(arguments)
    try:
        with paused():
            if args is None:
                args = parser_for(arguments).parse_args(arguments)
            ctx = Context.from_args(args)
            handler = getattr(args, "handler", None)
            if handler is not None and args.command not in RUNS_ON:
                try:
                    return int(handler(args, ctx))
                finally:
                    if argv is None:
                        gc.freeze()
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
