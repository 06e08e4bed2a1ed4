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

if TYPE_CHECKING:
    from oso_tui.cli.output import Cell
    from oso_tui.settings import Settings
    from oso_tui.store import Store


@dataclass(frozen=True)
class Opdracht:
    """A subcommand: the module of this package that adds it, and its one line of help."""

    module: str
    help: str


COMMANDS: dict[str, Opdracht] = {
    "check": Opdracht(
        "check",
        "controleer OSO-dossiers (XML) op structuur en regels; een map controleert alle .xml-bestanden erin",
    ),
    "doctor": Opdracht(
        "store",
        "controleer de database (JSON, schemaversie, dossierbestanden, rechten, tijdelijke bestanden)",
    ),
    "request": Opdracht("aanvragen", "vraag een dossier aan: één leerling, of collectief met --csv"),
    "renew": Opdracht("aanvragen", "hernieuw aanvragen, zodat een nieuwer dossier opgehaald kan worden"),
    "withdraw": Opdracht("aanvragen", "trek de open aanvraag van een leerling in"),
    "fetch": Opdracht("aanvragen", "haal klaargezette dossiers op en koppel ze aan de aanvragen"),
    "status": Opdracht("aanvragen", "aantallen aanvragen per status, leerlingen en dossiers zonder aanvraag"),
    "list": Opdracht("aanvragen", "alle aanvragen, één regel per aanvraag"),
    "register": Opdracht("registratie", "registreer een leerling uit het laatste dossier, per stap"),
    "undo": Opdracht("registratie", "maak de laatste registratie van een leerling ongedaan"),
    "history": Opdracht("registratie", "toon de registratiehistorie van een leerling"),
    "show": Opdracht("registratie", "toon een geregistreerde leerling per stap, met herkomst"),
    "export": Opdracht("registratie", "exporteer geregistreerde leerlingen (CSV of JSON)"),
    "audit": Opdracht("registratie", "toon het auditlog (rol beheer)"),
    "bijlagen": Opdracht("registratie", "toon de bijlagen van het laatste dossier of bewaar ze in een map"),
    "todo": Opdracht(
        "werklijst",
        "wat nog te registreren is: per leerling de open stappen en stappen met een nieuwere dossierversie",
    ),
    "demo": Opdracht(
        "tui", "open de app op een verse demo-database met voorbeelddossiers (met --db blijft die bewaard)"
    ),
    "serve": Opdracht(
        "serve", "toon de app in een webbrowser (voor demo's; alleen op 127.0.0.1, met een toegangssleutel)"
    ),
    "overzicht": Opdracht(
        "overzicht",
        "maak het klassenoverzicht om af te drukken (HTML of PDF): per klas elke leerling met advies, "
        "toets, stappen en (rol zorg) begeleiding",
    ),
    "config": Opdracht(
        "config", "toon de geldende instellingen en hun herkomst, of controleer een configuratiebestand"
    ),
    "completion": Opdracht("shell", "schrijf de tab-aanvulling voor bash, zsh of fish naar stdout"),
    "man": Opdracht("shell", "schrijf de handleiding als man-pagina (roff) naar stdout"),
}
"""Every subcommand in the order `--help` lists them. The parser loads only the module of the command
that is run; the others appear by name and help alone, so `--help` imports none of them."""

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
        from oso_tui.settings import Settings

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


def apply_summer(store: Store, ctx: Context) -> None:
    """Expiry runs before every command that opens the store: no command uses data that is gone.

    After the first command of a season this reads one small record; the notice comes once.
    """
    from oso_tui import services
    from oso_tui.store.errors import StoreReadOnlyError

    try:
        result = services.expire(services.Context(store, ctx.settings, ctx.user))
    except StoreReadOnlyError as exc:
        # Reading a read-only store still answers; that the summer rule could not run is said plainly.
        ctx.warn(f"oso-tui: Opschonen na de zomervakantie kon niet: {exc.message}")
        return
    if result.iets_gedaan:
        ctx.warn(f"oso-tui: {result.melding()} ({result.samenvatting()})")


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
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, handler: Handler
) -> argparse.ArgumentParser:
    """A subcommand with the shared store options (its help from `COMMANDS`); the caller adds its own
    arguments."""
    help = COMMANDS[name].help
    parser = sub.add_parser(name, help=help, description=help)
    add_store_options(parser)
    parser.set_defaults(handler=handler)
    return parser
