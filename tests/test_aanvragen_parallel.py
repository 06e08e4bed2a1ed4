"""Two sessions fetching the same inbox at once: every dossier linked once, no file lost."""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.exchange.folder import FolderExchange
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.store import Store
from oso_tui.store.tables import AANVRAGEN, DOSSIERS
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of

TODAY = date(2026, 3, 20)
N = 40


def _fetch_in_process(tmp: str, user: str) -> int:
    settings = settings_for(Path(tmp), TODAY)
    store = Store.open(settings.db_path)
    report = services.fetch(ctx_of(store, settings, user), FolderExchange(settings.inbox_dir))
    return report.nieuw


@pytest.mark.slow
def test_two_processes_fetch_the_same_inbox(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, TODAY)
    store = Store.open(settings.db_path)
    settings.inbox_dir.mkdir()
    pgns = valid_bsns(N, start=300_000_000)
    data = b"pgn;geboortedatum;brin\n" + "".join(f"{p};2014-05-01;12AB\n" for p in pgns).encode()
    services.request_csv(ctx_of(store, settings, "jan"), data)
    for pgn in pgns:
        (settings.inbox_dir / f"{pgn}.xml").write_bytes(dossier_xml(pgn))

    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        new = pool.starmap(_fetch_in_process, [(str(tmp_path), "jan"), (str(tmp_path), "piet")])

    assert sum(new) == N, "each dossier is stored by exactly one of the two sessions"
    with store.snapshot() as view:
        aanvragen = view.collection(AANVRAGEN, Aanvraag).all()
        versies = view.collection(DOSSIERS, DossierVersie).all()
    assert len(versies) == N
    assert all(a.status == "opgehaald" and len(a.versies) == 1 for a in aanvragen)
    assert all(store.has_raw(v.id) for v in versies)
    assert not list(settings.inbox_dir.glob("*.xml")), "the store holds each file: the inbox copy went"
    assert not (settings.inbox_dir / "rejected").exists(), "no session refused a file the other took"
