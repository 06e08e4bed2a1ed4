"""A snapshot answers one document, a count and a scan from the stored files, parsing no table.

Counted with `CommittedState.loaded` (tables parsed) and the pieces a scan validates, never timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui.store import Store, StoreCorruptError
from oso_tui.store.manifest import read_manifest
from oso_tui.store.tables import AANVRAGEN
from tests.store.legacy_layout import part_file
from tests.store.test_store_scan import Kop, docs, filled, state_of

N = 1500


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    filled(path, docs(N))
    manifest = read_manifest(path)
    assert manifest is not None and len(manifest.parts[AANVRAGEN]) > 10
    return path


def test_get_contains_and_len_in_a_snapshot_parse_no_table(path: Path) -> None:
    store = Store.open(path)
    with store.snapshot() as view:
        coll = view.collection(AANVRAGEN, Kop)
        found = [coll.get(f"a{i}") for i in (0, 777, N - 1)]
        assert coll.get("a99999") is None
        assert "a5" in coll and "a99999" not in coll and 5 not in coll
        assert len(coll) == N
    assert state_of(store).loaded == []
    with Store.open(path).snapshot() as view:
        every = {k.id: k for k in view.collection(AANVRAGEN, Kop).all()}
    assert found == [every["a0"], every["a777"], every[f"a{N - 1}"]]


def test_an_id_that_only_appears_inside_a_document_is_not_found(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    records = docs(3)
    records[1]["versies"] = ['"a7":', "a7"]
    filled(path, records)
    with Store.open(path).snapshot() as view:
        assert view.collection(AANVRAGEN, Kop).get("a7") is None


def test_a_damaged_file_is_reported_by_get_as_by_all(path: Path) -> None:
    damaged = part_file(path, AANVRAGEN, b'"a777"')
    raw = damaged.read_bytes()
    damaged.write_bytes(raw.replace(b"a777", b"a778", 1))
    for how in ("get", "all"):
        with Store.open(path).snapshot() as view, pytest.raises(StoreCorruptError) as raised:
            coll = view.collection(AANVRAGEN, Kop)
            coll.get("a1") if how == "get" else coll.all()
        assert AANVRAGEN in raised.value.message


def test_scan_validates_one_stored_file_at_a_time(path: Path) -> None:
    store = Store.open(path)
    manifest = read_manifest(path)
    assert manifest is not None
    with store.snapshot() as view:
        state = state_of(store)
        pieces = state.stored_objects(AANVRAGEN)
        assert pieces is not None
        sizes = [len(p) for p in pieces]
        assert len(sizes) == len(manifest.parts[AANVRAGEN])
        assert max(sizes) < sum(sizes) / 10
        scanned = view.collection(AANVRAGEN, Kop).scan()
    assert state.loaded == []
    with Store.open(path).snapshot() as view:
        assert scanned == view.collection(AANVRAGEN, Kop).all()


def test_a_transaction_reads_an_untouched_table_by_id_without_parsing_it(path: Path) -> None:
    store = Store.open(path)
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Kop)
        before = coll.get("a777")
        assert before is not None and state_of(store).loaded == []
        coll.put(before.model_copy(update={"naam": "Veranderd"}))
        changed = coll.get("a777")
        assert changed is not None and changed.naam == "Veranderd"
    with Store.open(path).snapshot() as view:
        stored = view.collection(AANVRAGEN, Kop).get("a777")
        assert stored is not None and stored.naam == "Veranderd"


def test_an_id_json_could_write_in_more_ways_is_looked_up_in_the_parsed_table(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    records = docs(3)
    records[1]["id"] = "é/\\x"
    filled(path, records)
    store = Store.open(path)
    with store.snapshot() as view:
        found = view.collection(AANVRAGEN, Kop).get("é/\\x")
    assert found is not None and found.naam == records[1]["naam"]
    assert state_of(store).loaded == [AANVRAGEN]
