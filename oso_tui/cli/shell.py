"""`oso-tui completion bash|zsh|fish` and `oso-tui man`: written from the same argparse parser.

Both walk the parser that `oso-tui --help` prints, so a new command or option appears in the
completion and the manual without anyone remembering to add it there.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from datetime import date

from oso_tui.cli.common import COMMANDS, Context

SHELLS = ("bash", "zsh", "fish")
PATH_METAVARS = {"PAD", "BESTAND", "MAP", "BESTAND/MAP"}


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "completion",
        help=COMMANDS["completion"].help,
        description=(
            "Schrijf de tab-aanvulling naar stdout. bash: oso-tui completion bash > "
            "/etc/bash_completion.d/oso-tui; zsh: in een map uit $fpath als _oso-tui; fish: "
            "oso-tui completion fish > ~/.config/fish/completions/oso-tui.fish"
        ),
    )
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh of fish")
    parser.set_defaults(handler=run_completion)
    man = sub.add_parser(
        "man",
        help=COMMANDS["man"].help,
        description="Schrijf de handleiding als man-pagina naar stdout, bijvoorbeeld: "
        "oso-tui man > /usr/local/share/man/man1/oso-tui.1",
    )
    man.set_defaults(handler=run_man)


@dataclass
class Option:
    flags: list[str]
    help: str
    takes_value: bool
    choices: list[str] = field(default_factory=list)
    path: bool = False
    metavar: str = ""


@dataclass
class Command:
    name: str
    help: str
    usage: str
    description: str
    options: list[Option]
    positionals: list[Option]
    commands: list[Command]


def _option(action: argparse.Action) -> Option:
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    return Option(
        flags=list(action.option_strings),
        help=action.help if isinstance(action.help, str) and action.help != argparse.SUPPRESS else "",
        takes_value=action.nargs != 0,
        choices=[str(c) for c in action.choices] if action.choices else [],
        path=metavar in PATH_METAVARS,
        metavar=metavar,
    )


def describe(parser: argparse.ArgumentParser, name: str = "oso-tui", help: str = "") -> Command:
    """The parser as plain data: options, positionals and subcommands, in the order --help shows them."""
    options: list[Option] = []
    positionals: list[Option] = []
    commands: list[Command] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for sub_name, sub_parser in action.choices.items():
                commands.append(describe(sub_parser, sub_name, helps.get(sub_name, "")))
        elif action.option_strings:
            if action.help != argparse.SUPPRESS:
                options.append(_option(action))
        else:
            positionals.append(_option(action))
    usage = parser.format_usage().partition(":")[2].strip()
    return Command(name, help, usage, parser.description or "", options, positionals, commands)


# -- completion -------------------------------------------------------------------------------------


def _words(command: Command) -> list[str]:
    return [c.name for c in command.commands] + [f for o in command.options for f in o.flags]


def _bash_cases(command: Command, key: str, lines: list[str]) -> None:
    value_cases: list[str] = []
    for option in command.options:
        if not option.takes_value:
            continue
        pattern = "|".join(f'"{key}:{flag}"' for flag in option.flags)
        if option.choices:
            words = " ".join(option.choices)
            value_cases.append(f'        {pattern}) COMPREPLY=($(compgen -W "{words}" -- "$cur")); return;;')
        elif option.path:
            value_cases.append(f'        {pattern}) COMPREPLY=($(compgen -f -- "$cur")); return;;')
        else:
            value_cases.append(f"        {pattern}) return;;")
    lines.extend(value_cases)
    for child in command.commands:
        _bash_cases(child, f"{key} {child.name}".strip(), lines)


def _bash_words(command: Command, key: str, lines: list[str]) -> None:
    words = _words(command)
    for positional in command.positionals:
        words += positional.choices
    lines.append(f'        "{key}") words="{" ".join(words)}";;')
    for child in command.commands:
        _bash_words(child, f"{key} {child.name}".strip(), lines)


def bash_completion(root: Command) -> str:
    children = [
        f'            "{key}") children="{" ".join(c.name for c in command.commands)}";;'
        for key, command in _keyed(root, "")
        if command.commands
    ]
    value_flags = sorted({f for c in _all(root) for o in c.options if o.takes_value for f in o.flags})
    cases: list[str] = []
    _bash_cases(root, "", cases)
    words: list[str] = []
    _bash_words(root, "", words)
    return "\n".join(
        [
            "# bash completion for oso-tui (oso-tui completion bash)",
            "_oso_tui() {",
            '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
            '    local key="" word i skip=0 words=""',
            "    for ((i = 1; i < COMP_CWORD; i++)); do",
            '        word="${COMP_WORDS[i]}"',
            "        if ((skip)); then skip=0; continue; fi",
            '        case " ' + " ".join(value_flags) + ' " in *" $word "*) skip=1; continue;; esac',
            '        local children=""',
            '        case "$key" in',
            *children,
            "        esac",
            '        if [[ " $children " == *" $word "* ]]; then key="${key:+$key }$word"; fi',
            "    done",
            '    case "$key:$prev" in',
            *cases,
            "    esac",
            '    case "$key" in',
            *words,
            "    esac",
            '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
            "}",
            "complete -o default -F _oso_tui oso-tui",
            "",
        ]
    )


def _keyed(command: Command, key: str) -> list[tuple[str, Command]]:
    """Every command with its key: the subcommand words that lead to it ("" for the program)."""
    found = [(key, command)]
    for child in command.commands:
        found += _keyed(child, f"{key} {child.name}".strip())
    return found


def zsh_completion(root: Command) -> str:
    """zsh runs the bash function through bashcompinit: one logic for both shells."""
    return "\n".join(
        [
            "#compdef oso-tui",
            "# zsh completion for oso-tui (oso-tui completion zsh)",
            "autoload -U +X bashcompinit && bashcompinit",
            bash_completion(root),
        ]
    )


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _all(command: Command) -> list[Command]:
    return [command, *(c for child in command.commands for c in _all(child))]


def fish_completion(root: Command) -> str:
    lines = ["# fish completion for oso-tui (oso-tui completion fish)", "complete -c oso-tui -f"]

    def emit(command: Command, condition: str) -> None:
        for option in command.options:
            parts = ["complete -c oso-tui", f"-n {_fish_quote(condition)}"]
            for flag in option.flags:
                parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
            if option.choices:
                parts.append(f"-xa {_fish_quote(' '.join(option.choices))}")
            elif option.path:
                parts.append("-rF")
            elif option.takes_value:
                parts.append("-x")
            if option.help:
                parts.append(f"-d {_fish_quote(option.help)}")
            lines.append(" ".join(parts))
        for positional in command.positionals:
            if positional.choices:
                lines.append(
                    f"complete -c oso-tui -n {_fish_quote(condition)} "
                    f"-xa {_fish_quote(' '.join(positional.choices))}"
                )
            elif positional.path:
                lines.append(f"complete -c oso-tui -n {_fish_quote(condition)} -F")
        children = " ".join(c.name for c in command.commands)
        offer = (
            "__fish_use_subcommand"
            if command is root
            else f"{condition}; and not __fish_seen_subcommand_from {children}"
        )
        for child in command.commands:
            lines.append(
                f"complete -c oso-tui -n {_fish_quote(offer)} -a {child.name} -d {_fish_quote(child.help)}"
            )
            emit(child, f"__fish_seen_subcommand_from {child.name}")

    emit(root, "__fish_use_subcommand")
    return "\n".join(lines) + "\n"


def run_completion(args: argparse.Namespace, ctx: Context) -> int:
    from oso_tui.cli import build_parser

    root = describe(build_parser())
    render = {"bash": bash_completion, "zsh": zsh_completion, "fish": fish_completion}[args.shell]
    ctx.out.write(render(root))
    return 0


# -- man page ---------------------------------------------------------------------------------------

ENVIRONMENT = (
    ("OSO_TUI_DB", "het databasebestand (zoals --db)"),
    ("OSO_TUI_CONFIG", "het eigen configuratiebestand (zoals --config)"),
    ("OSO_TUI_SITE_CONFIG", "het siteconfiguratiebestand in plaats van /etc/oso-tui/config.toml"),
    ("OSO_TUI_TODAY", "de datum van vandaag (JJJJ-MM-DD), voor demo's en tests"),
    ("OSO_TUI_STATE_DIR", "de map waarin oso-tui per gebruiker onthoudt welke meldingen al getoond zijn"),
    ("OSO_TUI_ADVIESCODES", "een eigen labeltabel voor de adviescodes"),
    ("NO_COLOR", "geen kleuren in de terminal-app"),
)
FILES = (
    ("/etc/oso-tui/config.toml", "de siteconfiguratie: regio, opslag en rollen voor iedereen"),
    ("~/.config/oso-tui/config.toml", "de eigen configuratie, boven de siteconfiguratie"),
    ("~/.local/share/oso-tui/oso-tui.json", "de database (met -dossiers/ en -reservekopieen/ ernaast)"),
)


def roff_escape(text: str) -> str:
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"(?m)^([.'])", r"\\&\1", text)


def _roff_option(option: Option) -> list[str]:
    flags = ", ".join(f"\\fB{roff_escape(f)}\\fR" for f in option.flags) or f"\\fI{option.metavar}\\fR"
    if option.flags and option.takes_value:
        value = option.metavar or ("{" + ",".join(option.choices) + "}" if option.choices else "WAARDE")
        flags += f" \\fI{roff_escape(value)}\\fR"
    return [".TP", flags, roff_escape(option.help or "")]


def man_page(root: Command, version: str, today: date) -> str:
    lines = [
        f'.TH OSO\\-TUI 1 "{today.isoformat()}" "oso\\-tui {roff_escape(version)}" "Gebruikershandleiding"',
        ".SH NAAM",
        "oso\\-tui \\- ontvang en registreer OSO\\-overstapdossiers van nieuwe leerlingen",
        ".SH OVERZICHT",
        f".B oso\\-tui\n{roff_escape(root.usage.removeprefix('oso-tui').strip())}",
        ".SH BESCHRIJVING",
        roff_escape(root.description),
        ".SH OPTIES",
    ]
    for option in root.options:
        lines += _roff_option(option)
    lines.append(".SH OPDRACHTEN")

    def emit(command: Command, prefix: str) -> None:
        name = f"{prefix} {command.name}".strip()
        lines.extend([".SS " + roff_escape(name), roff_escape(command.description or command.help)])
        lines.extend([".PP", f".B {roff_escape(command.usage)}"])
        for item in [*command.positionals, *command.options]:
            if item.flags and item.flags[0] in ("-h", "--db", "--config"):
                continue
            lines.extend(_roff_option(item))
        for child in command.commands:
            emit(child, name)

    for command in root.commands:
        emit(command, "")
    lines.append(".SH OMGEVING")
    for name, text in ENVIRONMENT:
        lines += [".TP", f"\\fB{roff_escape(name)}\\fR", roff_escape(text)]
    lines.append(".SH BESTANDEN")
    for name, text in FILES:
        lines += [".TP", f"\\fI{roff_escape(name)}\\fR", roff_escape(text)]
    lines += [
        ".SH AFSLUITCODES",
        "0 gelukt, 1 iets geweigerd, 2 verkeerd gebruik of een onleesbaar bestand.",
        ".SH ZIE OOK",
        "De README van oso\\-tui; \\fBoso\\-tui config show\\fR voor de geldende instellingen.",
    ]
    return "\n".join(lines) + "\n"


def run_man(args: argparse.Namespace, ctx: Context) -> int:
    from oso_tui import __version__
    from oso_tui.cli import build_parser

    ctx.out.write(man_page(describe(build_parser()), __version__, ctx.settings.today()))
    return 0
