"""The March/May year across areas: request, fetch, register step 1, renew, fetch May, same pupil."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from oso_tui.exchange.folder import FolderExchange
from oso_tui.services import aanvragen as svc
from oso_tui.services import registratie
from oso_tui.store import Store
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns

(BSN,) = valid_bsns(1, start=400_000_000)


def test_may_version_links_to_the_registered_pupil(tmp_path: Path) -> None:
    march = settings_for(tmp_path, date(2026, 3, 20))
    store = Store.open(march.db_path)
    inbox = march.inbox_dir
    inbox.mkdir()
    svc.request_one(store, march, "jan", pgn=BSN, geboortedatum=date(2014, 5, 1), brin="12AB")
    (inbox / "maart.xml").write_bytes(dossier_xml(BSN, datum=date(2026, 3, 10)))
    svc.fetch(store, march, FolderExchange(inbox), "jan")

    registratie.registreer(
        store, march, "jan", pgn=BSN, stappen=["personalia"], accepteer_waarschuwingen=True
    )
    row = svc.list_requests(store)[0]
    assert row.stappen == ["personalia"] and row.leerling_id is not None
    pupil = row.leerling_id

    may = settings_for(tmp_path, date(2026, 5, 25))
    svc.renew(store, may, "jan", pgns=[BSN], sinds=date(2026, 5, 1))
    (inbox / "mei.xml").write_bytes(dossier_xml(BSN, datum=date(2026, 5, 20), voornaam="Noortje"))
    report = svc.fetch(store, may, FolderExchange(inbox), "jan")
    assert [r.uitkomst for r in report.regels] == ["nieuwe versie"]

    rows = svc.list_requests(store)
    assert len(rows) == 1
    assert (rows[0].leerling_id, rows[0].versiedatums, rows[0].status) == (
        pupil,
        [date(2026, 3, 10), date(2026, 5, 20)],
        "opgehaald",
    )
    versie, dossier = svc.latest_dossier(store, BSN)
    assert versie.datum == date(2026, 5, 20) and dossier.leerling.roepnaam == "Noortje"
    assert svc.status_counts(store).leerlingen == 1
