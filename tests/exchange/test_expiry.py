"""Expiry across a summer vacation, for each region, with the clock and an explicit cut-off."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oso_tui.exchange.expiry import expiry_date, is_expired, vacation_after, vacation_table
from oso_tui.settings import REGIONS, Settings

MARCH = date(2026, 3, 10)
# Summer 2026 (school year 2025-2026): last days of the vacation per region.
END_2026 = {"noord": date(2026, 8, 16), "midden": date(2026, 8, 30), "zuid": date(2026, 8, 23)}


def _settings(region: str, **kwargs: object) -> Settings:
    return Settings(
        db_path=Path("/nonexistent/db.json"), config_path=Path("/nonexistent"), region=region, **kwargs
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("region", REGIONS)
def test_march_dossier_expires_the_day_after_the_regions_summer_vacation(region: str) -> None:
    settings = _settings(region)
    end = END_2026[region]
    assert expiry_date(MARCH, settings) == date(end.year, end.month, end.day + 1)
    assert not is_expired(MARCH, settings, end)
    assert is_expired(MARCH, settings, date(end.year, end.month, end.day + 1))
    # During the vacation the data is still there; in spring it certainly is.
    assert not is_expired(MARCH, settings, date(2026, 7, 20))
    assert not is_expired(MARCH, settings, date(2026, 5, 1))


@pytest.mark.parametrize("region", REGIONS)
def test_data_compiled_in_the_vacation_belongs_to_the_next_year(region: str) -> None:
    settings = _settings(region)
    during = date(2026, 8, 1)
    assert expiry_date(during, settings) > date(2027, 7, 1)
    assert not is_expired(during, settings, date(2026, 12, 1))


def test_regions_differ() -> None:
    dates = {expiry_date(MARCH, _settings(r)) for r in REGIONS}
    assert len(dates) == 3


def test_explicit_cutoff_overrides_the_table() -> None:
    settings = _settings("noord", cutoff=date(2026, 6, 1))
    assert expiry_date(MARCH, settings) == date(2026, 6, 1)
    assert is_expired(MARCH, settings, date(2026, 6, 1))
    assert not is_expired(MARCH, settings, date(2026, 5, 31))
    # Data compiled after the cut-off follows the table again.
    assert expiry_date(date(2026, 6, 15), settings) == date(2026, 8, 17)


def test_today_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OSO_TUI_TODAY", "2026-09-01")
    settings = Settings.load(db=str(tmp_path / "db.json"), config=None)
    assert settings.today() == date(2026, 9, 1)
    assert is_expired(MARCH, settings)


def test_years_beyond_the_table_get_a_generous_estimate() -> None:
    vacation = vacation_after(date(2040, 3, 1), "zuid")
    assert vacation.geschat
    assert vacation.einde.month == 9 and vacation.einde.weekday() == 6


def test_table_is_ordered_and_six_weeks_long() -> None:
    for region, rows in vacation_table().items():
        assert rows, region
        for row in rows:
            assert (row.einde - row.begin).days == 43, (region, row)
        assert list(rows) == sorted(rows, key=lambda v: v.begin)


def test_every_year_says_where_its_dates_come_from() -> None:
    bronnen = {row.schooljaar: row.bron for row in vacation_table()["noord"]}
    assert set(bronnen.values()) <= {"rijksoverheid", "voorlopig"}
    assert bronnen["2027-2028"] == "rijksoverheid"
    assert not any(row.geschat for rows in vacation_table().values() for row in rows)


def test_a_school_sets_its_own_dates_for_a_year_and_they_win(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[school]\nregio = "midden"\n[school.zomervakanties]\n"2025-2026" = ["2026-07-04", "2026-08-16"]\n',
        encoding="utf-8",
    )
    settings = Settings.load(db=str(tmp_path / "db.json"), config=str(config), env={})
    assert vacation_after(MARCH, "midden", settings.vacations).bron == "school"
    assert expiry_date(MARCH, settings) == date(2026, 8, 17)
    # Other years still follow the table.
    assert expiry_date(date(2027, 3, 1), settings) == vacation_after(date(2027, 3, 1), "midden").vervaldatum


def test_remembered_vacations_follow_the_dates_a_school_gives_each_time() -> None:
    eigen = {"2025-2026": (date(2026, 7, 4), date(2026, 8, 16))}
    later = {"2025-2026": (date(2026, 7, 11), date(2026, 8, 23))}
    assert vacation_after(MARCH, "midden").einde == END_2026["midden"]
    assert vacation_after(MARCH, "midden", eigen).einde == date(2026, 8, 16)
    assert vacation_after(MARCH, "midden", later).einde == date(2026, 8, 23)
    assert vacation_after(MARCH, "zuid", eigen).einde == date(2026, 8, 16)
    assert vacation_after(MARCH, "midden").einde == END_2026["midden"]


@pytest.mark.parametrize(
    "line",
    [
        '"2026" = ["2026-07-04", "2026-08-16"]',
        '"2025-2026" = ["2026-07-04"]',
        '"2025-2026" = ["2026-08-16", "2026-07-04"]',
        '"2025-2026" = ["2025-07-04", "2025-08-16"]',
        '"2025-2026" = ["4 juli", "2026-08-16"]',
    ],
)
def test_a_wrong_own_vacation_is_refused_in_dutch(tmp_path: Path, line: str) -> None:
    from oso_tui.errors import UsageError

    config = tmp_path / "config.toml"
    config.write_text(f"[school.zomervakanties]\n{line}\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"zomervakantie|Schooljaar|datum"):
        Settings.load(db=str(tmp_path / "db.json"), config=str(config), env={})
