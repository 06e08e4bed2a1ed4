"""Two users at once and writers killed mid-write: the store never loses or half-writes a transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui.store import Store
from oso_tui.store.files import TEMP_MARKER
from oso_tui.store.leftovers import PART_RE
from oso_tui.store.manifest import read_manifest
from tests.store_helpers import run_worker
from tests.store_worker import Rij, check, one_transaction


@pytest.mark.slow
def test_two_processes_300_transactions_each_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "oso.json"
    Store.open(db)
    workers = [run_worker("many", str(db), prefix, "300") for prefix in ("p1", "p2")]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    assert check(db, "p1") == 299
    assert check(db, "p2") == 299
    with Store.open(db).snapshot() as view:
        rows = view.collection("aanvragen", Rij)
        assert len(rows) == 2 * (300 * 3 + 1)


@pytest.mark.slow
def test_writer_killed_at_random_moments_60_times(tmp_path: Path) -> None:
    db = tmp_path / "oso.json"
    worker = run_worker("kill", str(db), "60", "20261129")
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    landed, mid_write = (int(n) for n in out.split())
    assert landed >= 10, "de schrijver kwam te weinig aan schrijven toe om iets te bewijzen"
    assert mid_write > 0, "geen enkele kill viel midden in een schrijfactie"
    print(f"{landed + 1} transacties, {mid_write} van 60 kills midden in het schrijven")
    assert check(db, "k") == landed
    store = Store.open(db)
    one_transaction(store, "k", landed + 1)
    assert not [p for p in tmp_path.iterdir() if TEMP_MARKER in p.name]
    manifest = read_manifest(db)
    assert manifest is not None
    unfinished = [
        p.name
        for p in store.parts_dir.iterdir()
        if (m := PART_RE.fullmatch(p.name)) is None or int(m.group(1)) > manifest.generation
    ]
    assert unfinished == [], "what killed commits left is gone after the next one"
