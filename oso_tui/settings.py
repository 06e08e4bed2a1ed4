"""Where things live and how this school is set up: paths, region, roles, and "today".

Values come from, in order: command-line options, environment variables (`OSO_TUI_DB`,
`OSO_TUI_TODAY`, `OSO_TUI_CONFIG`), the user's TOML config file, the site-wide config file that one
admin keeps for everyone on a school server (`/etc/oso-tui/config.toml` or `oso-tui/config.toml` in the
XDG system config folders; `OSO_TUI_SITE_CONFIG` names another), and defaults from platformdirs.
Roles are the exception: when the site file sets `[rollen]`, those hold and a user's own file cannot
widen them. `Settings.origins` says where each value came from (`oso-tui config show`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from oso_tui.clock import Clock, system_now
from oso_tui.errors import UsageError

APP_NAME = "oso-tui"
REGIONS = ("noord", "midden", "zuid")
ROLES = ("administratie", "zorg", "beheer")
DEFAULT_MAX_DOSSIER_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_CSV_BYTES = 20 * 1024 * 1024
DB_FILENAME = "oso-tui.json"
SITE_ENV = "OSO_TUI_SITE_CONFIG"
DEFAULT = "standaard"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def site_config_candidates(env: Mapping[str, str]) -> list[Path]:
    """Where a site-wide config may live, most specific first; `OSO_TUI_SITE_CONFIG` replaces them all."""
    explicit = env.get(SITE_ENV)
    if explicit is not None:
        return [Path(explicit)] if explicit else []
    folders = [Path("/etc")]
    xdg = env.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    folders += [Path(part) for part in xdg.split(os.pathsep) if part and Path(part).is_absolute()]
    return [folder / APP_NAME / "config.toml" for folder in folders]


def site_config_path(env: Mapping[str, str] | None = None) -> Path | None:
    """The site-wide config file in force: the first candidate that exists."""
    env = os.environ if env is None else env
    return next((path for path in site_config_candidates(env) if path.is_file()), None)


def default_state_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where per-user remembered things live (which notices were shown); `OSO_TUI_STATE_DIR` overrides."""
    env = os.environ if env is None else env
    explicit = env.get("OSO_TUI_STATE_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_state_path

    return user_state_path(APP_NAME, appauthor=False)


def parse_iso_date(value: str, what: str) -> date:
    """A YYYY-MM-DD date, or a Dutch usage error naming `what`."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{what} '{value}' is geen geldige datum (verwacht JJJJ-MM-DD).") from None


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved once at start-up."""

    db_path: Path
    config_path: Path
    config_found: bool = False
    inbox: Path | None = None
    region: str = "midden"
    cutoff: date | None = None
    vacations: Mapping[str, tuple[date, date]] = field(default_factory=dict)
    """The school's own summer vacation per school year ("2027-2028"), first and last day."""
    group: str | None = None
    max_dossier_bytes: int = DEFAULT_MAX_DOSSIER_BYTES
    max_csv_bytes: int = DEFAULT_MAX_CSV_BYTES
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fixed_today: date | None = None
    backup_every_writes: int = 25
    backup_every_minutes: float = 60.0
    backups_kept: int = 10
    site_config_path: Path | None = None
    school_naam: str | None = None
    origins: Mapping[str, str] = field(default_factory=dict)
    wall: Callable[[], datetime] = field(default=system_now, compare=False, repr=False)
    """The wall clock behind `clock`; tests replace it to run at any hour."""

    @property
    def clock(self) -> Clock:
        """The one clock every use case takes "today" and "now" from."""
        return Clock(fixed_today=self.fixed_today, wall=self.wall)

    @property
    def data_dir(self) -> Path:
        return self.db_path.parent

    @property
    def inbox_dir(self) -> Path:
        return self.inbox if self.inbox is not None else self.data_dir / "inbox"

    def today(self) -> date:
        """The date the program works with; tests and demos travel in time via OSO_TUI_TODAY."""
        return self.clock.today()

    @classmethod
    def load(
        cls,
        db: str | os.PathLike[str] | None = None,
        config: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        env = os.environ if env is None else env
        explicit = bool(config or env.get("OSO_TUI_CONFIG"))
        config_path = Path(config or env.get("OSO_TUI_CONFIG") or default_config_path())
        site_path = site_config_path(env)
        site = _read_config(site_path, explicit=False) if site_path is not None else {}
        own = _read_config(config_path, explicit=explicit)
        layers = ([(site_path, site)] if site_path is not None else []) + [(config_path, own)]
        values, origins = merge_layers(layers)
        school, opslag = values["school"], values["opslag"]

        def origin(key: str) -> Path:
            return Path(origins.get(key, str(config_path)))

        db_value: object = db or env.get("OSO_TUI_DB") or opslag.get("database")
        if db:
            origins["opslag.database"] = "optie --db"
        elif env.get("OSO_TUI_DB"):
            origins["opslag.database"] = "omgeving OSO_TUI_DB"
        db_path = Path(str(db_value)) if db_value else default_data_dir() / DB_FILENAME
        if db_path.is_dir() and (db_path / DB_FILENAME).is_file():
            db_path = db_path / DB_FILENAME  # a folder holding a database; never a new one inside

        region = str(school.get("regio", "midden")).lower()
        if region not in REGIONS:
            raise UsageError(
                f"Regio '{region}' in {origin('school.regio')} is onbekend; kies noord, midden of zuid."
            )
        cutoff_value = school.get("zomervakantie_grens")
        cutoff = parse_iso_date(str(cutoff_value), "zomervakantie_grens") if cutoff_value else None
        vacations_from = origin("school.zomervakanties")
        vacations = _parse_vacations(_table(school, "zomervakanties", vacations_from), vacations_from)
        today_value = env.get("OSO_TUI_TODAY")
        fixed_today = parse_iso_date(today_value, "OSO_TUI_TODAY") if today_value else None
        if fixed_today is not None:
            origins["vandaag"] = "omgeving OSO_TUI_TODAY"
        inbox_value = opslag.get("inbox")
        max_mb = opslag.get("max_dossier_mb", DEFAULT_MAX_DOSSIER_BYTES // (1024 * 1024))
        if isinstance(max_mb, bool) or not isinstance(max_mb, int | float) or max_mb <= 0:
            raise UsageError(
                f"max_dossier_mb in {origin('opslag.max_dossier_mb')} moet een positief getal zijn."
            )
        max_csv_mb = opslag.get("max_csv_mb", DEFAULT_MAX_CSV_BYTES // (1024 * 1024))
        if isinstance(max_csv_mb, bool) or not isinstance(max_csv_mb, int | float) or max_csv_mb <= 0:
            raise UsageError(f"max_csv_mb in {origin('opslag.max_csv_mb')} moet een positief getal zijn.")
        group = opslag.get("groep")
        every_writes = _positive(opslag, "reservekopie_na_schrijfacties", 25, origin)
        every_minutes = _positive(opslag, "reservekopie_na_minuten", 60, origin)
        kept = _positive(opslag, "reservekopieen_bewaren", 10, origin)
        return cls(
            db_path=db_path,
            config_path=config_path,
            config_found=bool(own) or bool(site),
            inbox=Path(str(inbox_value)) if inbox_value else None,
            region=region,
            cutoff=cutoff,
            vacations=vacations,
            group=str(group) if group else None,
            max_dossier_bytes=int(max_mb * 1024 * 1024),
            max_csv_bytes=int(max_csv_mb * 1024 * 1024),
            roles=_parse_roles(values["rollen"], origin("rollen")),
            fixed_today=fixed_today,
            backup_every_writes=int(every_writes),
            backup_every_minutes=float(every_minutes),
            backups_kept=max(int(kept), 1),
            site_config_path=site_path,
            school_naam=str(school["naam"]) if school.get("naam") else None,
            origins=origins,
        )


def _positive(table: Mapping[str, object], key: str, default: float, origin: Callable[[str], Path]) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise UsageError(f"{key} in {origin(f'opslag.{key}')} moet een positief getal zijn.")
    return value


TABLES = ("school", "opslag", "rollen")


def merge_layers(
    layers: Sequence[tuple[Path, Mapping[str, object]]],
) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """The config files merged key by key, later over earlier, with the file each value came from.

    `[rollen]` is taken whole from the first file that has it: roles the site admin set cannot be widened
    by a user's own file.
    """
    values: dict[str, dict[str, object]] = {name: {} for name in TABLES}
    origins: dict[str, str] = {}
    for path, raw in layers:
        for name in TABLES:
            table = _table(raw, name, path)
            if name == "rollen":
                if table and not values["rollen"]:
                    values["rollen"] = dict(table)
                    origins["rollen"] = str(path)
                continue
            for key, value in table.items():
                values[name][key] = value
                origins[f"{name}.{key}"] = str(path)
    return values, origins


def _read_config(path: Path, *, explicit: bool) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        if explicit:
            raise UsageError(f"Het configuratiebestand {path} bestaat niet.") from None
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Het configuratiebestand {path} is geen geldige TOML: {exc}.") from None
    except OSError as exc:
        raise UsageError(
            f"Het configuratiebestand {path} kan niet gelezen worden ({exc.strerror})."
        ) from None


def _table(raw: Mapping[str, object], name: str, path: Path) -> dict[str, object]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise UsageError(f"[{name}] in {path} moet een tabel zijn.")
    return value


def _parse_roles(table: Mapping[str, object], path: Path) -> dict[str, tuple[str, ...]]:
    roles: dict[str, tuple[str, ...]] = {}
    for user, value in table.items():
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise UsageError(f"De rollen van '{user}' in {path} moeten een lijst van namen zijn.")
        unknown = [n for n in names if n not in ROLES]
        if unknown:
            raise UsageError(
                f"Onbekende rol '{unknown[0]}' voor '{user}' in {path}; "
                "kies uit administratie, zorg en beheer."
            )
        roles[user] = tuple(names)
    return roles


def _parse_vacations(table: Mapping[str, object], path: Path) -> dict[str, tuple[date, date]]:
    """`"2027-2028" = ["2028-07-15", "2028-08-27"]`: a school year and its vacation's first and last day."""
    vacations: dict[str, tuple[date, date]] = {}
    for schooljaar, value in table.items():
        years = schooljaar.split("-")
        if (
            len(years) != 2
            or not all(y.isdigit() and len(y) == 4 for y in years)
            or (int(years[1]) != int(years[0]) + 1)
        ):
            raise UsageError(
                f"Schooljaar '{schooljaar}' onder [school.zomervakanties] in {path} "
                "moet de vorm 2027-2028 hebben."
            )
        if not isinstance(value, list) or len(value) != 2:
            raise UsageError(
                f"De zomervakantie van {schooljaar} in {path} moet twee datums zijn: "
                "de eerste en de laatste dag."
            )
        begin, einde = (parse_iso_date(str(v), f"De zomervakantie van {schooljaar}") for v in value)
        if not (begin < einde and begin.year == einde.year == int(years[1])):
            raise UsageError(
                f"De zomervakantie van {schooljaar} in {path} moet in de zomer van {years[1]} liggen, "
                "met de eerste dag vóór de laatste."
            )
        vacations[schooljaar] = (begin, einde)
    return vacations
