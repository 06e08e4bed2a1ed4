"""`oso-tui config show` and `oso-tui config check FILE`: what is in force, and is a file right.

On a school server one admin keeps a site-wide file for everyone, and each user may have an own file
on top of it; `show` lists every setting with the place it came from, so nobody has to guess which
file won. `check` reads a file the way the program will and names every problem in Dutch before the
file is put in place (exit 0 good, 1 problems, 2 unreadable).
"""

from __future__ import annotations

import argparse
import tomllib
from datetime import date
from pathlib import Path

from oso_tui.cli.common import COMMANDS, Context, Handler, add_store_options
from oso_tui.display import visible

KEYS: dict[str, dict[str, str]] = {
    "school": {
        "naam": "de naam van de school, bovenaan het overzicht",
        "regio": "noord, midden of zuid: bepaalt de zomervakantie",
        "zomervakantie_grens": "een eigen grens voor de zomervakantie (JJJJ-MM-DD)",
        "zomervakanties": "eigen data van de zomervakantie per schooljaar",
    },
    "opslag": {
        "database": "het databasebestand",
        "inbox": "de map waarin dossiers binnenkomen",
        "groep": "de groep die samen één database gebruikt (bestanden 0660)",
        "max_dossier_mb": "de grootste dossiergrootte die gelezen wordt, in MB",
        "max_csv_mb": "de grootste CSV met inschrijvingen die gelezen wordt, in MB",
    },
}


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    help_text = COMMANDS["config"].help
    parser = sub.add_parser("config", help=help_text, description=help_text)
    parser.set_defaults(handler=_usage(parser))
    actions = parser.add_subparsers(dest="config_command", metavar="ACTIE", title="acties")
    show = actions.add_parser(
        "show",
        help="toon alle instellingen en waar elke waarde vandaan komt",
        description="Toon alle instellingen (site-, eigen configuratie, omgeving, opties) met hun herkomst.",
    )
    add_store_options(show)
    show.set_defaults(handler=run_show)
    check = actions.add_parser(
        "check",
        help="controleer een configuratiebestand (TOML) voordat u het gebruikt",
        description="Controleer een configuratiebestand: 0 in orde, 1 fouten, 2 onleesbaar.",
    )
    check.add_argument("bestand", metavar="BESTAND", type=Path, help="het configuratiebestand (TOML)")
    check.set_defaults(handler=run_check)


def _usage(parser: argparse.ArgumentParser) -> Handler:
    def handler(args: argparse.Namespace, ctx: Context) -> int:
        parser.print_usage(ctx.err)
        ctx.warn("oso-tui config: kies een actie: show of check.")
        return 2

    return handler


def _origin(settings_origins: dict[str, str], key: str) -> str:
    return settings_origins.get(key, "standaard")


def run_show(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    origins = dict(settings.origins)
    site = settings.site_config_path
    ctx.say(f"siteconfiguratie:  {site if site is not None else 'geen (zoekt /etc/oso-tui/config.toml)'}")
    own = "gevonden" if settings.config_path.is_file() else "bestaat niet"
    ctx.say(f"eigen configuratie: {settings.config_path} ({own})")
    ctx.say("")
    rows: list[tuple[str, str, str]] = [
        ("school.naam", settings.school_naam or "(geen)", _origin(origins, "school.naam")),
        ("school.regio", settings.region, _origin(origins, "school.regio")),
        (
            "school.zomervakantie_grens",
            settings.cutoff.isoformat() if settings.cutoff else "(uit de tabel per regio)",
            _origin(origins, "school.zomervakantie_grens"),
        ),
        (
            "school.zomervakanties",
            ", ".join(
                f"{jaar}: {a:%d-%m}/{b:%d-%m-%Y}" for jaar, (a, b) in sorted(settings.vacations.items())
            )
            or "(uit de tabel per regio)",
            _origin(origins, "school.zomervakanties"),
        ),
        ("opslag.database", str(settings.db_path), _origin(origins, "opslag.database")),
        ("opslag.inbox", str(settings.inbox_dir), _origin(origins, "opslag.inbox")),
        ("opslag.groep", settings.group or "(geen: alleen de eigenaar)", _origin(origins, "opslag.groep")),
        (
            "opslag.max_dossier_mb",
            f"{settings.max_dossier_bytes / (1024 * 1024):g}",
            _origin(origins, "opslag.max_dossier_mb"),
        ),
        (
            "opslag.max_csv_mb",
            f"{settings.max_csv_bytes / (1024 * 1024):g}",
            _origin(origins, "opslag.max_csv_mb"),
        ),
        ("vandaag", settings.today().isoformat(), _origin(origins, "vandaag").replace("standaard", "klok")),
    ]
    if settings.roles:
        for user, names in sorted(settings.roles.items()):
            rows.append((f"rollen.{user}", ", ".join(names), _origin(origins, "rollen")))
    else:
        rows.append(("rollen", "(geen: de lokale gebruiker heeft alle rechten)", "standaard"))
    width = max(len(key) for key, _, _ in rows)
    for key, value, origin in rows:
        ctx.say(visible(f"{key.ljust(width)}  {value}  [{origin}]"))
    return 0


def check_config(raw: dict[str, object]) -> tuple[list[str], list[str]]:
    """Errors and warnings in one parsed config file, in Dutch, each naming the key."""
    from oso_tui.settings import REGIONS, ROLES

    errors: list[str] = []
    warnings: list[str] = []
    for name, value in raw.items():
        if name not in (*KEYS, "rollen"):
            warnings.append(
                f"[{name}] is onbekend en wordt genegeerd (bekend: [school], [opslag], [rollen])."
            )
        elif not isinstance(value, dict):
            errors.append(f"[{name}] moet een tabel zijn.")
    for table, keys in KEYS.items():
        values = raw.get(table)
        if not isinstance(values, dict):
            continue
        for key in values:
            if key not in keys:
                warnings.append(f"{table}.{key} is onbekend en wordt genegeerd.")
    school = raw.get("school") if isinstance(raw.get("school"), dict) else {}
    opslag = raw.get("opslag") if isinstance(raw.get("opslag"), dict) else {}
    assert isinstance(school, dict) and isinstance(opslag, dict)
    if "regio" in school and str(school["regio"]).lower() not in REGIONS:
        errors.append(f"school.regio '{school['regio']}' is onbekend; kies noord, midden of zuid.")
    if "zomervakantie_grens" in school:
        grens = school["zomervakantie_grens"]
        if not isinstance(grens, date):
            try:
                date.fromisoformat(str(grens))
            except ValueError:
                errors.append(f"school.zomervakantie_grens '{grens}' is geen geldige datum (JJJJ-MM-DD).")
    if "zomervakanties" in school:
        errors += _vacation_errors(school["zomervakanties"])
    if "naam" in school and not isinstance(school["naam"], str):
        errors.append("school.naam moet een tekst zijn.")
    for key in ("database", "inbox", "groep"):
        if key in opslag and (not isinstance(opslag[key], str) or not opslag[key]):
            errors.append(f"opslag.{key} moet een tekst zijn.")
    for key in ("max_dossier_mb", "max_csv_mb"):
        mb = opslag.get(key, 1)
        if isinstance(mb, bool) or not isinstance(mb, int | float) or mb <= 0:
            errors.append(f"opslag.{key} moet een positief getal zijn.")
    rollen = raw.get("rollen")
    if isinstance(rollen, dict):
        for user, value in rollen.items():
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                errors.append(f'rollen.{user} moet een lijst van rollen zijn, bijvoorbeeld ["zorg"].')
                continue
            for unknown in (n for n in names if n not in ROLES):
                errors.append(
                    f"rollen.{user}: de rol '{unknown}' is onbekend; kies uit administratie, zorg en beheer."
                )
    return errors, warnings


def _vacation_errors(table: object) -> list[str]:
    from oso_tui.errors import UsageError
    from oso_tui.settings import _parse_vacations

    if not isinstance(table, dict):
        return ["[school.zomervakanties] moet een tabel zijn."]
    errors = []
    for schooljaar, value in table.items():
        try:
            _parse_vacations({schooljaar: value}, Path("dit bestand"))
        except UsageError as exc:
            errors.append(exc.message.replace(" in dit bestand", ""))
    return errors


def run_check(args: argparse.Namespace, ctx: Context) -> int:
    path: Path = args.bestand
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        ctx.warn(f"oso-tui: {path} bestaat niet.")
        return 2
    except UnicodeDecodeError:
        ctx.warn(f"oso-tui: {path} is geen UTF-8-tekst.")
        return 2
    except OSError as exc:
        ctx.warn(f"oso-tui: {path} kan niet gelezen worden ({exc.strerror}).")
        return 2
    except tomllib.TOMLDecodeError as exc:
        ctx.say(f"{path}: fout: geen geldige TOML ({exc}).")
        return 1
    errors, warnings = check_config(raw)
    for line in errors:
        ctx.say(visible(f"{path}: fout: {line}"))
    for line in warnings:
        ctx.say(visible(f"{path}: waarschuwing: {line}"))
    if not errors and not warnings:
        ctx.say(f"{path}: in orde.")
    return 1 if errors else 0
