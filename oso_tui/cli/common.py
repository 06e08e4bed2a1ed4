"""Shared pieces of the command line: the Dutch argument parser and the per-run context."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, TYPE_CHECKING, NoReturn

from oso_tui.display import visible
from oso_tui.errors import UsageError
from oso_tui.masking import mask_pgn as mask_pgn
from oso_tui.settings import Settings

if TYPE_CHECKING:
    from oso_tui.cli.output import Cell

_ARGPARSE_NL: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"deze opties zijn verplicht: \1"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"\1: ongeldige keuze \2 (kies uit \3)"),
    (r"argument (.*?): expected one argument", r"\1 verwacht een waarde"),
    (r"argument (.*?): expected at least one argument", r"\1 verwacht minstens één waarde"),
    (r"argument (.*?): not allowed with argument (.*)", r"\1 kan niet samen met \2"),
    (r"one of the arguments (.*) is required", r"één van deze opties is verplicht: \1"),
    (r"argument (.*?): invalid (.*) value: (.*)", r"\1: ongeldige waarde \3"),
)


def translate_argparse(message: str) -> str:
    for pattern, replacement in _ARGPARSE_NL:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class DutchArgumentParser(argparse.ArgumentParser):
    """argparse with Dutch headings and error messages, exit code 2 on usage errors."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "gebruik:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "gebruik:", 1)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {visible(translate_argparse(message))}\n")


@dataclass
class Context:
    """What a command handler needs besides its arguments; settings are read on first use."""

    db: str | None = None
    config: str | None = None
    out: IO[str] = field(default_factory=lambda: sys.stdout)
    err: IO[str] = field(default_factory=lambda: sys.stderr)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        return cls(db=getattr(args, "db", None), config=getattr(args, "config", None))

    @cached_property
    def settings(self) -> Settings:
        return Settings.load(db=self.db, config=self.config)

    @cached_property
    def user(self) -> str:
        """The OS login: over SSH this is who is at the keyboard."""
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            raise UsageError("De gebruikersnaam van deze sessie kan niet bepaald worden.") from None

    def say(self, line: str = "") -> None:
        """One line on stdout; control characters in it are spelled out, so it stays one line."""
        print(visible(line), file=self.out)

    def warn(self, line: str) -> None:
        print(visible(line), file=self.err)

    def say_json(self, data: object, *, indent: int | None = 2) -> None:
        from oso_tui.cli.output import json_text

        print(json_text(data, indent=indent), file=self.out)

    def print_table(self, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
        from oso_tui.cli.output import print_table

        print_table(self.out, headers, rows)


Handler = Callable[[argparse.Namespace, "Context"], int]


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """`--db` and `--config`, accepted before and after the subcommand."""
    parser.add_argument(
        "--db",
        metavar="PAD",
        default=argparse.SUPPRESS,
        help="databasebestand (standaard: OSO_TUI_DB of de gegevensmap van de gebruiker)",
    )
    parser.add_argument(
        "--config",
        metavar="PAD",
        default=argparse.SUPPRESS,
        help="configuratiebestand (TOML) met regio, opslag en rollen",
    )


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help: str,
    handler: Handler,
) -> argparse.ArgumentParser:
    """A subcommand with the shared store options; the caller adds its own arguments."""
    parser = sub.add_parser(name, help=help, description=help)
    add_store_options(parser)
    parser.set_defaults(handler=handler)
    return parser
