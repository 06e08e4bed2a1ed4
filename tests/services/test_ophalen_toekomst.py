"""A dossier dated after today (by the one clock) is fetched with a Dutch warning, never silently."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from oso_tui import services
from oso_tui.exchange.folder import FolderExchange
from oso_tui.records import aanvragen, dossiers
from oso_tui.store import Store
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of

TODAY = date(2026, 3, 20)
(BSN,) = valid_bsns(1)
WARNING = (
    "Het dossier is gedateerd op 21-03-2026, na vandaag (20-03-2026); controleer de datum met de school: "
    "een later dossier met de juiste datum lijkt anders ouder dan dit."
)


def _fetch_one(tmp_path: Path, datum: date) -> tuple[services.FetchReport, Store]:
    settings = settings_for(tmp_path, TODAY)
    store = Store.open(settings.db_path)
    settings.inbox_dir.mkdir()
    ctx = ctx_of(store, settings, "jan")
    services.request(ctx, pgn=BSN, geboortedatum=date(2014, 5, 1), brin="12AB", achternaam="Jansen")
    (settings.inbox_dir / "dossier.xml").write_bytes(dossier_xml(BSN, datum=datum))
    return services.fetch(ctx, FolderExchange(settings.inbox_dir)), store


def test_a_dossier_dated_tomorrow_is_fetched_with_a_warning(tmp_path: Path) -> None:
    report, store = _fetch_one(tmp_path, TODAY + timedelta(days=1))
    assert [(r.uitkomst, r.reden) for r in report.regels] == [("opgehaald", WARNING)]
    with store.snapshot() as view:
        (aanvraag,) = aanvragen.all(view)
        (versie,) = dossiers.all(view)
    assert aanvraag.versies == [versie.id]
    assert WARNING in versie.waarschuwingen, "shown, and acknowledged, before registering"


def test_a_dossier_dated_today_has_no_such_warning(tmp_path: Path) -> None:
    report, store = _fetch_one(tmp_path, TODAY)
    assert [(r.uitkomst, r.reden) for r in report.regels] == [("opgehaald", "")]
    with store.snapshot() as view:
        (versie,) = dossiers.all(view)
    assert not any("na vandaag" in w for w in versie.waarschuwingen)
