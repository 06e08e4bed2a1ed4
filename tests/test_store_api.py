"""The store's API as the other areas use it: typed collections, transactions, snapshots, raw files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.store import Store, StoreError
from oso_tui.store.audit import list_audit, record_audit
from oso_tui.store.tables import AANVRAGEN, AUDIT, HISTORIE


class Rij(BaseModel):
    id: str
    naam: str
    aantal: int = 0


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "oso.json")


def test_put_get_where_delete(store: Store) -> None:
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put(Rij(id="a", naam="Jan"))
        assert rows.put_many([Rij(id=f"b{i}", naam="Piet", aantal=i) for i in range(3)]) == 3
        assert rows.get("a") == Rij(id="a", naam="Jan")
    with store.snapshot() as view:
        rows_view = view.collection(AANVRAGEN, Rij)
        assert sorted(r.id for r in rows_view.all()) == ["a", "b0", "b1", "b2"]
        assert [r.id for r in rows_view.where(naam="Piet", aantal=2)] == ["b2"]
        assert rows_view.get("zz") is None
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put(Rij(id="a", naam="Jan", aantal=5))
        assert rows.delete("b0")
        assert not rows.delete("b0")
    with store.snapshot() as view:
        rows_view = view.collection(AANVRAGEN, Rij)
        assert rows_view.get("a") == Rij(id="a", naam="Jan", aantal=5)
        assert len(rows_view) == 3


def test_exception_inside_transaction_leaves_file_exactly_as_before(store: Store) -> None:
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a", naam="Jan"))
    before = store.path.read_bytes()
    with pytest.raises(KeyError), store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="b", naam="Piet"))
        tx.table(HISTORIE).insert({"x": 1})
        tx.collection(AANVRAGEN, Rij).delete("a")
        raise KeyError("stop")
    assert store.path.read_bytes() == before
    with store.snapshot() as view:
        assert [r.id for r in view.collection(AANVRAGEN, Rij).all()] == ["a"]
        assert len(view.table(HISTORIE)) == 0


def test_raw_update_that_is_rolled_back_does_not_leak_into_the_next_read(store: Store) -> None:
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a", naam="Jan"))
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.table(AANVRAGEN).update({"naam": "Gewijzigd"})
        raise RuntimeError
    with store.snapshot() as view:
        assert view.collection(AANVRAGEN, Rij).get("a") == Rij(id="a", naam="Jan")


def test_no_write_when_nothing_changed(store: Store) -> None:
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a", naam="Jan"))
    before = store.path.stat()
    generation = store.generation()
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.all()
        rows.put(Rij(id="a", naam="Jan"))
        tx.table(HISTORIE).remove(doc_ids=["99"])
    after = store.path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert store.generation() == generation


def test_generation_changes_with_every_commit_also_from_another_store_object(store: Store) -> None:
    other = Store.open(store.path)
    seen = {store.generation()}
    for i in range(5):
        with other.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put(Rij(id=f"r{i}", naam="x"))
        seen.add(store.generation())
    assert len(seen) == 6
    with store.snapshot() as view:
        assert len(view.collection(AANVRAGEN, Rij)) == 5


def test_snapshot_is_read_only(store: Store) -> None:
    with store.snapshot() as view:
        with pytest.raises(RuntimeError):
            view.collection(AANVRAGEN, Rij).put(Rij(id="a", naam="x"))
        with pytest.raises(RuntimeError):
            view.table(AANVRAGEN).insert({"id": "a"})


def test_nested_transaction_is_a_programming_error(store: Store) -> None:
    with store.transaction(), pytest.raises(RuntimeError), store.transaction():
        pass


def test_raw_inserts_get_fresh_ids_after_another_process_inserted(store: Store) -> None:
    other = Store.open(store.path)
    with store.transaction() as tx:
        tx.table(HISTORIE).insert_multiple([{"n": 1}, {"n": 2}])
    with other.transaction() as tx:
        tx.table(HISTORIE).insert({"n": 3})
    with store.transaction() as tx:
        tx.table(HISTORIE).insert({"n": 4})
    with store.snapshot() as view:
        assert sorted(d["n"] for d in view.table(HISTORIE).all()) == [1, 2, 3, 4]


def test_raw_dossiers_are_content_addressed_beside_the_database(store: Store) -> None:
    data = b"<?xml version='1.0'?><dossier/>"
    sha = store.put_raw(data)
    assert store.put_raw(data) == sha
    assert store.has_raw(sha)
    assert store.get_raw(sha) == data
    raw_file = store.raw_dir / f"{sha}.xml"
    assert stat.S_IMODE(raw_file.stat().st_mode) == 0o600
    assert data not in store.path.read_bytes()
    store.remove_raw(sha)
    assert not store.has_raw(sha)
    with pytest.raises(StoreError, match="ontbreekt"):
        store.get_raw(sha)
    with pytest.raises(ValueError):
        store.get_raw("../../etc/passwd")


def test_audit_entries_in_the_same_transaction(store: Store) -> None:
    with store.transaction() as tx:
        record_audit(tx, user="jansen", actie="registreren", pgn="123456782", detail="personalia")
        record_audit(tx, user="pietersen", actie="export")
    with store.snapshot() as view:
        assert [e.gebruiker for e in list_audit(view)] == ["jansen", "pietersen"]
        assert [e.actie for e in list_audit(view, pgn="123456782")] == ["registreren"]
        assert len(view.table(AUDIT)) == 2
