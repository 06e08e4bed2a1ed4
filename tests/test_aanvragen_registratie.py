"""The March/May year across areas: request, fetch, register step 1, renew, fetch May, same pupil."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from oso_tui import services
from oso_tui.exchange.folder import FolderExchange
from oso_tui.store import Store
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of

(BSN,) = valid_bsns(1, start=400_000_000)


def test_may_version_links_to_the_registered_pupil(tmp_path: Path) -> None:
    march = settings_for(tmp_path, date(2026, 3, 20))
    store = Store.open(march.db_path)
    inbox = march.inbox_dir
    inbox.mkdir()
    services.request(ctx_of(store, march, "jan"), pgn=BSN, geboortedatum=date(2014, 5, 1), brin="12AB")
    (inbox / "maart.xml").write_bytes(dossier_xml(BSN, datum=date(2026, 3, 10)))
    services.fetch(ctx_of(store, march, "jan"), FolderExchange(inbox))

    services.register(
        ctx_of(store, march, "jan"), pgn=BSN, stappen=["personalia"], accepteer_waarschuwingen=True
    )
    row = services.list_requests(ctx_of(store))[0]
    assert row.stappen == ["personalia"] and row.leerling_id is not None
    pupil = row.leerling_id

    may = settings_for(tmp_path, date(2026, 5, 25))
    services.renew(ctx_of(store, may, "jan"), pgns=[BSN], sinds=date(2026, 5, 1))
    (inbox / "mei.xml").write_bytes(dossier_xml(BSN, datum=date(2026, 5, 20), voornaam="Noortje"))
    report = services.fetch(ctx_of(store, may, "jan"), FolderExchange(inbox))
    assert [r.uitkomst for r in report.regels] == ["nieuwe versie"]

    rows = services.list_requests(ctx_of(store))
    assert len(rows) == 1
    assert (rows[0].leerling_id, rows[0].versiedatums, rows[0].status) == (
        pupil,
        [date(2026, 3, 10), date(2026, 5, 20)],
        "opgehaald",
    )
    versie, dossier = services.latest_dossier(ctx_of(store), BSN)
    assert versie.datum == date(2026, 5, 20) and dossier.leerling.roepnaam == "Noortje"
    assert services.count_statuses(ctx_of(store)).leerlingen == 1
