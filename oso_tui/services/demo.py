"""Seeding a demo store through the demo exchange, so the whole March/May story can be shown at once.

The store is filled by the same services a school uses, travelling in time with a fixed "today":

- spring 2026: a request for a pupil whose school never prepares anything; after the summer it expires;
- March 2027: a collective request from the sample enrolments, one request with a wrong birth date
  (fetching it fails), one withdrawn request, one waiting request; fetching brings the March dossiers
  (among them a voorlopig dossier and one whose parents did not agree: dossiers with warnings); Noor van
  Wijngaarden is registered with personalia only;
- May 2027: Noor's request is renewed and her school prepares the May version (waiting to be fetched
  through the existing request); Liv Achterberg is requested late and her dossier is prepared too.

The demo's "today" is `DEMO_TODAY` (late May 2027) unless the settings fix another day. An earlier
"today" moves the whole story back so that it ends on that day (the sample dossiers keep their own
dates). The story is played in a staging store and copied into the real one in one transaction: a
demo that fails halfway leaves the database as it was.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from oso_tui import services
from oso_tui.exchange.demo import DemoExchange, sample_folder
from oso_tui.registration.steps import Plaatsing
from oso_tui.services.context import Context
from oso_tui.settings import DB_FILENAME, Settings
from oso_tui.store import Store, open_store

DEMO_TODAY = date(2027, 5, 25)
MAART = date(2027, 3, 15)
VORIG_VOORJAAR = date(2026, 3, 2)

NOOR = "377855017"  # March and May versions
LIV = "566776157"  # only a May version: requested late
ZOE = "526258020"  # requested with a wrong birth date: fetching fails
THIJS = "671351825"  # VOVO: withdrawn
ONBEKEND_2026 = "211110012"  # school never prepares anything: expires after the summer
ONBEKEND_2027 = "211110024"  # still waiting


def demo_settings(settings: Settings) -> Settings:
    """The settings the demo runs with: its own "today" unless one was fixed (OSO_TUI_TODAY)."""
    return settings if settings.fixed_today is not None else replace(settings, fixed_today=DEMO_TODAY)


def _on(settings: Settings, day: date) -> Settings:
    return replace(settings, fixed_today=day)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def story_shift(settings: Settings) -> timedelta:
    """How far the story moves back: so far that its last day is "today" when today is earlier."""
    return max(DEMO_TODAY - demo_settings(settings).today(), timedelta(0))


def seed(store: Store, settings: Settings, user: str) -> str:
    """Fill an empty store with the demo story; returns a one-line Dutch summary.

    All or nothing: the story is played in a staging store and copied over in one transaction.
    """
    if services.list_requests(Context(store, settings, user)):
        return "De database bevat al aanvragen; er is niets toegevoegd."
    if not store.is_empty():
        return "De database is niet leeg; er is niets toegevoegd."
    with tempfile.TemporaryDirectory(prefix="oso-tui-demo-") as folder:
        staging_settings = replace(settings, db_path=Path(folder) / DB_FILENAME, group=None)
        staging = open_store(staging_settings)
        summary = _play(staging, staging_settings, user)
        store.adopt(staging)
    return summary


def _play(store: Store, settings: Settings, user: str) -> str:
    shift = story_shift(settings)
    voorjaar = Context(store, _on(settings, VORIG_VOORJAAR - shift), user)
    services.request(
        voorjaar,
        pgn=ONBEKEND_2026,
        geboortedatum=date(2014, 9, 1),
        brin="99WZ",
        achternaam="Vermeulen",
    )

    maart_settings = _on(settings, MAART - shift)
    maart = Context(store, maart_settings, user)
    csv = (sample_folder() / "inschrijvingen.csv").read_bytes()
    keep = [line for line in csv.decode("utf-8-sig").splitlines() if not line.startswith((LIV, ZOE))]
    services.request_csv(maart, "\n".join(keep).encode("utf-8"))
    services.request(maart, pgn=ZOE, geboortedatum=date(2015, 9, 21), brin="99WF", achternaam="Çelik")
    services.request(
        maart,
        pgn=ONBEKEND_2027,
        geboortedatum=date(2015, 1, 9),
        brin="99WZ",
        achternaam="Pauwels",
    )
    services.withdraw(maart, pgn=THIJS)
    exchange = DemoExchange(settings=maart_settings)
    services.update_prepared(maart, exchange)
    services.fetch(maart, exchange, bevestig=True)
    services.register(
        maart.at(_at(MAART - shift, 9, 30)),
        pgn=NOOR,
        stappen=["personalia"],
        plaatsing=Plaatsing(schooljaar="2027-2028", leerjaar=1, opleiding="havo/vwo", klas="1B"),
    )

    mei_settings = demo_settings(settings)
    mei = Context(store, mei_settings, user)
    noor = services.get_request(mei, pgn=NOOR)
    services.renew(mei, ids=[noor.id], sinds=date(2027, 5, 1) - shift)
    services.request(mei, pgn=LIV, geboortedatum=date(2015, 6, 30), brin="99WA", achternaam="Achterberg")
    services.update_prepared(mei, DemoExchange(settings=mei_settings))
    services.expire(mei)
    telling = services.count_statuses(mei)
    return (
        f"Demo klaargezet: {telling.totaal} aanvragen, {telling.leerlingen} leerling geregistreerd; "
        "druk op h om de meiversie op te halen."
    )
