"""The store's API as the other areas use it: typed collections, transactions, snapshots, raw files."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.store import Store, StoreError
from oso_tui.store.audit import list_audit, record_audit
from oso_tui.store.manifest import read_manifest
from oso_tui.store.tables import AANVRAGEN, AUDIT, HISTORIE
from tests.store.legacy_layout import read_tables, to_single_file

WANNEER = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


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
        tx.table(AUDIT).remove(doc_ids=["99"])
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
        record_audit(
            tx, user="jansen", actie="registreren", pgn="123456782", detail="personalia", wanneer=WANNEER
        )
        record_audit(tx, user="pietersen", actie="export", wanneer=WANNEER)
    with store.snapshot() as view:
        assert [e.gebruiker for e in list_audit(view)] == ["jansen", "pietersen"]
        assert [e.actie for e in list_audit(view, pgn="123456782")] == ["registreren"]


def test_raw_nested_update_is_saved_and_a_rollback_leaves_nothing_behind(store: Store) -> None:
    from tinydb.operations import add

    with store.transaction() as tx:
        tx.table(HISTORIE).insert_multiple([{"lijst": [1]}, {"lijst": [5]}])
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.table(HISTORIE).update(add("lijst", [2]), doc_ids=["1"])
        raise RuntimeError
    with store.snapshot() as view:
        assert view.table(HISTORIE).get(doc_id="1") == {"lijst": [1]}
    with store.transaction() as tx:
        tx.table(HISTORIE).update(add("lijst", [2]), doc_ids=["1"])
    with store.transaction() as tx:
        tx.table(HISTORIE).insert({"lijst": []})
    reopened = Store.open(store.path)
    with reopened.snapshot() as view:
        assert [d["lijst"] for d in view.table(HISTORIE).all()] == [[1, 2], [5], []]


def test_random_actions_match_a_plain_model_and_the_file_on_disk(store: Store) -> None:
    """The in-memory caches (parsed state, per-document JSON) never drift from what is on disk."""
    import random

    rng = random.Random(7)
    expected: dict[str, Rij] = {}
    other = Store.open(store.path)
    for step in range(150):
        writer = other if step % 7 == 0 else store
        staged = dict(expected)
        fail = rng.random() < 0.15
        with pytest.raises(RuntimeError) if fail else _nothing(), writer.transaction() as tx:
            rows = tx.collection(AANVRAGEN, Rij)
            for _ in range(rng.randint(1, 4)):
                key = f"r{rng.randint(0, 30)}"
                choice = rng.random()
                if choice < 0.5:
                    staged[key] = Rij(id=key, naam=f"n{step}", aantal=rng.randint(0, 3))
                    rows.put(staged[key])
                elif choice < 0.7:
                    staged.pop(key, None)
                    rows.delete(key)
                elif key in staged:
                    tx.table(AANVRAGEN).update({"aantal": step}, doc_ids=[key])
                    staged[key] = staged[key].model_copy(update={"aantal": step})
            if fail:
                raise RuntimeError("afgebroken")
        if not fail:
            expected = staged
        with store.snapshot() as view:
            assert {r.id: r for r in view.collection(AANVRAGEN, Rij).all()} == expected
    with Store.open(store.path).snapshot() as view:
        assert {r.id: r for r in view.collection(AANVRAGEN, Rij).all()} == expected


def _nothing():  # type: ignore[no-untyped-def]
    import contextlib

    return contextlib.nullcontext()


def test_snapshot_generation_matches_the_cheap_check(store: Store) -> None:
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a", naam="x"))
    with store.snapshot() as view:
        assert view.generation == store.generation() == 1


def test_open_store_from_settings(tmp_path: Path) -> None:
    from oso_tui.settings import Settings
    from oso_tui.store import open_store

    (tmp_path / "map").mkdir()  # a named database's folder must exist: a typing error starts nothing
    settings = Settings.load(db=str(tmp_path / "map" / "oso.json"), env={})
    store = open_store(settings)
    assert store.path == tmp_path / "map" / "oso.json"
    assert store.path.is_file()


def test_threads_share_one_store_safely(store: Store) -> None:
    """The UI reads snapshots on one thread while a worker thread writes."""
    import threading

    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for i in range(40):
                with store.transaction() as tx:
                    tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"{name}{i}-{p}", naam="x") for p in "ab"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("t", "u")]
    for t in threads:
        t.start()
    seen = 0
    while any(t.is_alive() for t in threads):
        with store.snapshot() as view:
            count = len(view.collection(AANVRAGEN, Rij))
        assert count % 2 == 0 and count >= seen
        seen = count
    for t in threads:
        t.join()
    assert not errors
    with store.snapshot() as view:
        assert len(view.collection(AANVRAGEN, Rij)) == 160


def test_raw_insert_with_an_id_is_found_by_the_typed_collection(store: Store) -> None:
    with store.transaction() as tx:
        tx.table(AANVRAGEN).insert({"id": "L1", "naam": "Jan"})
        tx.table(AANVRAGEN).insert_multiple([{"id": "L2", "naam": "Piet"}, {"naam": "zonder id"}])
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        assert rows.get("L1") == Rij(id="L1", naam="Jan")
        rows.put(Rij(id="L2", naam="Klaas"))
        assert sorted(rows.ids()) == ["1", "L1", "L2"]
        with pytest.raises(ValueError, match="already exists"):
            tx.table(AANVRAGEN).insert({"id": "L1", "naam": "dubbel"})


def test_first_commit_after_reading_the_file_encodes_only_changed_tables(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oso_tui.store import storage

    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"a{i}", naam='Ëlla "x"\n') for i in range(5)])
        tx.table(HISTORIE).insert_multiple([{"n": i, "tekst": "regel\nnog een"} for i in range(5)])
        record_audit(tx, user="jansen", actie="export", wanneer=WANNEER)
    before = read_tables(store.path)
    files_before = set(store.parts_dir.iterdir())
    manifest_before = read_manifest(store.path)
    assert manifest_before is not None
    encoded: list[int] = []
    real = storage.encode_run

    def counting(table, keys, *rest):  # type: ignore[no-untyped-def]
        encoded.append(len(keys))
        return real(table, keys, *rest)

    monkeypatch.setattr(storage, "encode_run", counting)
    fresh = Store.open(store.path)
    with fresh.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a0", naam="Jan"))
    assert encoded == [], "a put encodes its own document, not a run of the table"
    files_after = set(store.parts_dir.iterdir())
    new_files = sorted(p.name.split(".")[0] for p in files_after - files_before)
    assert new_files == ["aanvragen", "index"], "one run and the commit's index file"
    named_before, named_after = manifest_before.files, read_manifest(store.path).files  # type: ignore[union-attr]
    assert [n.split(".")[0] for n in named_before - named_after] == ["aanvragen"]
    after = read_tables(store.path)
    before["aanvragen"]["a0"]["naam"] = "Jan"
    before["_meta"]["1"]["generation"] += 1
    assert after == before


def test_a_hand_formatted_file_is_read_and_rewritten_correctly(store: Store) -> None:
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many([Rij(id="a", naam="Jan"), Rij(id="b", naam="Piet")])
        tx.table(HISTORIE).insert({"n": 1})
    data = json.loads(to_single_file(store.path))
    store.path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    fresh = Store.open(store.path)
    with fresh.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).delete("a")
    with Store.open(store.path).snapshot() as view:
        assert [r.id for r in view.collection(AANVRAGEN, Rij).all()] == ["b"]
        assert view.table(HISTORIE).all() == [{"n": 1}]


def test_raw_written_without_fsync_is_complete_and_flushed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import oso_tui.store.files as files

    store = Store.open(tmp_path / "oso.json")
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])
    blobs = [f"<dossier nr='{i}'/>".encode() for i in range(20)]
    shas = [store.put_raw(blob, durable=False) for blob in blobs]
    assert fsyncs == []
    store.flush_raw()
    assert len(fsyncs) == 1
    assert [store.get_raw(sha) for sha in shas] == blobs
    assert not [p for p in store.raw_dir.iterdir() if files.is_temp(p)]


def test_flush_falls_back_to_sync_without_syncfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import oso_tui.store.files as files

    store = Store.open(tmp_path / "oso.json")
    store.put_raw(b"<dossier/>", durable=False)
    synced: list[bool] = []
    monkeypatch.setattr(files, "_syncfs", None)
    monkeypatch.setattr(files.os, "sync", lambda: synced.append(True))
    store.flush_raw()
    assert synced == [True]
