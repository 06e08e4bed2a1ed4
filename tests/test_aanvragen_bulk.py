"""A collective request and fetch of 1,000 generated dossiers: complete, linked, and in seconds."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from benchmarks.generate import generate
from oso_tui import services
from oso_tui.exchange.folder import FolderExchange
from oso_tui.store import Store
from tests.aanvraag_helpers import settings_for
from tests.service_context import ctx_of

N = 1000


def test_collective_request_and_fetch_of_1000_dossiers(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    generate(N, inbox, seed=11)
    csv = inbox / "inschrijvingen.csv"
    csv = csv.rename(tmp_path / "inschrijvingen.csv")
    settings = settings_for(tmp_path, date(2027, 6, 1))
    store = Store.open(settings.db_path)

    started = time.perf_counter()
    made = services.request_csv(ctx_of(store, settings, "jan"), csv)
    assert (len(made.gemaakt), len(made.overgeslagen), len(made.geweigerd)) == (N, 0, 0)

    seen: list[tuple[int, int]] = []
    report = services.fetch(
        ctx_of(store, settings, "jan"),
        FolderExchange(inbox),
        progress=lambda done, total, _: seen.append((done, total)),
    )
    elapsed = time.perf_counter() - started
    assert report.telling["opgehaald"] == N, report.samenvatting()
    assert seen[0] == (1, N) and seen[-1] == (N, N) and len(seen) == N
    assert not list(inbox.iterdir()), "the store holds every dossier: no copy stays in the inbox"

    counts = services.count_statuses(ctx_of(store))
    assert counts.per_status["opgehaald"] == N and counts.dossiers == N
    rows = services.list_requests(ctx_of(store))
    assert len(rows) == N and all(r.versies == 1 and r.naam for r in rows)
    # Generous bound for a shared CI machine; measured at a few seconds.
    assert elapsed < 60, f"1,000 dossiers took {elapsed:.1f}s"

    again = services.fetch(ctx_of(store, settings, "jan"), FolderExchange(inbox))
    assert again.regels == []
