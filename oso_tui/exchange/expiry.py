"""When OSO data expires: after the summer vacation that follows the day it was compiled.

The yearly OSO update in the summer makes data compiled before the vacation unavailable afterwards, so
waiting requests must be renewed and stored raw dossiers of that kind are purged. Vacation dates differ
per region (noord, midden, zuid) and come from `oso_tui/data/zomervakanties.toml`, where each year says
whether its dates were checked against the government's published list or are provisional; a school can
set its own dates per school year (`[school.zomervakanties]`), or an explicit cut-off date, in its
configuration.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from oso_tui.errors import UsageError
from oso_tui.settings import REGIONS, Settings

_DATA_FILE = resources.files("oso_tui.data").joinpath("zomervakanties.toml")
BRONNEN = ("rijksoverheid", "voorlopig")


@dataclass(frozen=True)
class Zomervakantie:
    """The summer vacation of one region: first and last day."""

    begin: date
    einde: date
    schooljaar: str = ""
    bron: str = "schatting"
    """"rijksoverheid" (checked), "voorlopig" (provisional), "school" (configured) or "schatting"."""

    @property
    def geschat(self) -> bool:
        return self.bron == "schatting"

    @property
    def vervaldatum(self) -> date:
        """The first day data compiled before this vacation is no longer available."""
        return self.einde + timedelta(days=1)


@cache
def vacation_table(path: Traversable = _DATA_FILE) -> dict[str, tuple[Zomervakantie, ...]]:
    """Summer vacations per region from the data file, in date order."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(
            f"De tabel met zomervakanties ({path.name}) kan niet gelezen worden: {exc}."
        ) from None
    table: dict[str, list[Zomervakantie]] = {region: [] for region in REGIONS}
    for entry in raw.get("zomervakantie", []):
        bron = entry.get("bron")
        if bron not in BRONNEN:
            raise UsageError(
                f"De tabel met zomervakanties ({path.name}) noemt bij {entry.get('schooljaar')} geen "
                "geldige bron; kies rijksoverheid of voorlopig."
            )
        for region in REGIONS:
            begin, einde = entry[region]
            table[region].append(
                Zomervakantie(date.fromisoformat(begin), date.fromisoformat(einde), entry["schooljaar"], bron)
            )
    return {region: tuple(sorted(rows, key=lambda v: v.begin)) for region, rows in table.items()}


def _vacations(region: str, eigen: Mapping[str, tuple[date, date]]) -> tuple[Zomervakantie, ...]:
    """The table's vacations of `region`, with the school's own dates in place of the table's."""
    return _merged(region, tuple(sorted(eigen.items())))


@lru_cache(maxsize=16)
def _merged(region: str, eigen: tuple[tuple[str, tuple[date, date]], ...]) -> tuple[Zomervakantie, ...]:
    """Remembered: a fetch asks once per request and once per dossier, always the same."""
    rows = {v.schooljaar: v for v in vacation_table()[region]}
    for schooljaar, (begin, einde) in eigen:
        rows[schooljaar] = Zomervakantie(begin, einde, schooljaar, "school")
    return tuple(sorted(rows.values(), key=lambda v: v.begin))


def _estimate(year: int) -> Zomervakantie:
    """A generous guess for a year missing from the table: ends on the first Sunday of September."""
    einde = date(year, 9, 1)
    einde += timedelta(days=(6 - einde.weekday()) % 7)
    return Zomervakantie(begin=date(year, 7, 1), einde=einde, schooljaar=f"{year - 1}-{year}")


def vacation_after(
    day: date, region: str, eigen: Mapping[str, tuple[date, date]] | None = None
) -> Zomervakantie:
    """The first summer vacation of `region` starting after `day`: data compiled that day expires with it.

    `eigen` holds the school's own dates per school year; they replace the table's for that year.
    """
    if region not in REGIONS:
        raise UsageError(f"Regio '{region}' is onbekend; kies noord, midden of zuid.")
    for vacation in _vacations(region, eigen or {}):
        if vacation.begin > day:
            return vacation
    year = day.year if day < date(day.year, 7, 1) else day.year + 1
    return _estimate(year)


def expiry_date(compiled: date, settings: Settings) -> date:
    """The first day on which data compiled on `compiled` is no longer available.

    An explicit cut-off in the settings wins for data compiled before it; later data follows the table.
    """
    if settings.cutoff is not None and compiled < settings.cutoff:
        return settings.cutoff
    return vacation_after(compiled, settings.region, settings.vacations).vervaldatum


def is_expired(compiled: date, settings: Settings, today: date | None = None) -> bool:
    """Whether data compiled on `compiled` has passed its summer vacation by `today` (default: settings)."""
    return (today or settings.today()) >= expiry_date(compiled, settings)


def last_expiry(today: date, settings: Settings) -> date:
    """The expiry day of the latest summer that has passed by `today`: what expiry has to catch up to.

    Data whose expiry day is after it has not expired yet, so once expiry ran for this day it has
    nothing to do until the next summer passes.
    """
    candidates = [expiry_date(date(year, 1, 1), settings) for year in (today.year - 1, today.year)]
    if settings.cutoff is not None:
        candidates.append(settings.cutoff)
    return max((day for day in candidates if day <= today), default=date.min)
