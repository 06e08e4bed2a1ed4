"""The clock-sensitive paths hold at any hour: the wall clock is injected, never the real one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui import services
from oso_tui.clock import Clock
from oso_tui.exchange.folder import FolderExchange
from oso_tui.exchange.models import DossierVersie
from oso_tui.registration.steps import Plaatsing
from oso_tui.services import rollen
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.store.audit import list_audit
from oso_tui.store.tables import DOSSIERS
from tests import aanvraag_helpers, registratie_data
from tests.registratie_data import PGN
from tests.service_context import ctx_of


class Proef(BaseModel):
    id: str


HOURS = [(0, 30), (9, 59), (10, 1), (23, 59)]
PLAATSING = Plaatsing(schooljaar="2027-2028", leerjaar=1, opleiding="havo/vwo", klas="1B")


@pytest.fixture(autouse=True)
def _quiet_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollen, "_announced", True)


def at(settings: Settings, hour: int, minute: int) -> Settings:
    """The same settings with a wall clock that always says this time of day (on another day too)."""
    return replace(settings, wall=lambda: datetime(2030, 1, 2, hour, minute, tzinfo=UTC))


@pytest.mark.parametrize(("hour", "minute"), HOURS)
def test_the_clock_keeps_a_fixed_day_at_any_hour(hour: int, minute: int) -> None:
    clock = Clock(fixed_today=date(2027, 3, 14), wall=lambda: datetime(2030, 1, 2, hour, minute, tzinfo=UTC))
    assert clock.today() == date(2027, 3, 14)
    assert clock.now().date() == clock.today()
    free = Clock(wall=lambda: datetime(2030, 1, 2, hour, minute, tzinfo=UTC))
    assert (
        free.now().date()
        == free.today()
        == datetime(2030, 1, 2, hour, minute, tzinfo=UTC).astimezone().date()
    )


@pytest.mark.parametrize(("hour", "minute"), HOURS)
def test_register_undo_history_and_audit_keep_their_order(tmp_path: Path, hour: int, minute: int) -> None:
    settings = at(registratie_data.make_settings(tmp_path), hour, minute)
    store = Store.open(settings.db_path)
    registratie_data.aanvraag(store)
    registratie_data.ontvang(store, registratie_data.dossier_xml(), datum="2027-03-01")
    # An explicit moment at 10:00 on the fixed day, then the clock's own time (earlier or later).
    ten = datetime(2027, 3, 14, 10, 0).astimezone()  # 10:00 local time
    services.register(
        ctx_of(store, settings, "admin").at(ten), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING
    )
    undone = services.undo(ctx_of(store, settings, "admin"), pgn=PGN)
    assert undone.leerling_verwijderd
    assert services.get_pupil(ctx_of(store), PGN) is None
    services.register(ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"], plaatsing=PLAATSING)
    services.register(ctx_of(store, settings, "admin").at(ten), pgn=PGN, stappen=["loopbaan"])
    latest = services.undo(ctx_of(store, settings, "admin"), pgn=PGN)
    assert latest.stap == "loopbaan", "undo without a step takes the last one written, not the latest hour"

    history = services.history(ctx_of(store, settings, "admin"), pgn=PGN)
    assert [(m.soort, m.stap) for m in history] == [
        ("registratie", "personalia"),
        ("ongedaan", "personalia"),
        ("registratie", "personalia"),
        ("registratie", "loopbaan"),
        ("ongedaan", "loopbaan"),
    ]
    assert [m.volgnummer for m in history] == sorted(m.volgnummer for m in history)
    with store.snapshot() as view:
        entries = list_audit(view)
    assert [e.actie for e in entries] == ["registreren", "ongedaan", "registreren", "registreren", "ongedaan"]
    assert {e.wanneer.date() for e in entries} == {settings.today()}


@pytest.mark.parametrize(("hour", "minute"), HOURS)
def test_fetch_and_expiry_record_the_configured_day(tmp_path: Path, hour: int, minute: int) -> None:
    maart = date(2026, 3, 20)
    settings = at(aanvraag_helpers.settings_for(tmp_path, maart), hour, minute)
    store = Store.open(settings.db_path)
    settings.inbox_dir.mkdir()
    [pgn] = aanvraag_helpers.valid_bsns(1)
    services.request(
        ctx_of(store, settings, "jan"),
        pgn=pgn,
        geboortedatum=date(2014, 5, 1),
        brin="12AB",
        achternaam="Jansen",
    )
    (settings.inbox_dir / "noor.xml").write_bytes(aanvraag_helpers.dossier_xml(pgn))
    report = services.fetch(ctx_of(store, settings, "jan"), FolderExchange(settings.inbox_dir))
    assert [r.uitkomst for r in report.regels] == ["opgehaald"]
    with store.snapshot() as view:
        [versie] = view.collection(DOSSIERS, DossierVersie).all()
    assert versie.ontvangen.date() == maart

    september = replace(settings, fixed_today=date(2026, 9, 1))
    result = services.expire(ctx_of(store, september, "jan"))
    assert len(result.opgeschoond) == 1
    with store.snapshot() as view:
        entries = list_audit(view)
    assert [(e.actie, e.wanneer.date()) for e in entries] == [
        ("ophalen", maart),
        ("opschonen", date(2026, 9, 1)),
    ]


def test_the_store_sequence_grows_within_and_across_commits(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    seen: list[int] = []
    for _ in range(3):
        with store.transaction() as tx:
            seen += [tx.sequence(), tx.sequence()]
            tx.collection("proef", Proef).put(Proef(id=str(len(seen))))
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    reopened = Store.open(tmp_path / "oso.json")
    with reopened.transaction() as tx:
        assert tx.sequence() > seen[-1], "another process continues where the file left off"
