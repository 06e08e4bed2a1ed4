"""A commit costs what it changes, not what is stored: the bytes it writes and the size of the manifest
it rewrites stay about the same when the store holds twenty times as much (counted, not timed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.store import Store
from oso_tui.store.chunks import plan_runs
from oso_tui.store.doctor import diagnose
from oso_tui.store.manifest import read_manifest
from oso_tui.store.tableindex import Part
from oso_tui.store.tables import AANVRAGEN
from tests.store.legacy_layout import read_tables, stored, to_flat_manifest

SHARDS = 16


class Aanvraag(BaseModel):
    id: str
    pgn: str
    leerling_id: str | None = None
    tekst: str


def shard(i: int) -> str:
    return f"historie-{i % SHARDS:02x}"


def filled(db: Path, documents: int) -> Store:
    """A store with a request table of `documents` requests and as many history entries over shards."""
    store = Store.open(db)
    tekst = "x" * 500
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Aanvraag).put_many(
            Aanvraag(id=f"a{i:06d}", pgn=f"{i:09d}", tekst=tekst) for i in range(documents)
        )
        for i in range(documents):
            tx.table(shard(i)).insert({"pgn": f"{i:09d}", "tekst": tekst})
    return store


def one_step(store: Store, n: int) -> None:
    """What registering a step changes: one request linked, one history entry, one new request."""
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Aanvraag)
        found = rows.get(f"a{n:06d}")
        assert found is not None
        rows.put_many([found.model_copy(update={"leerling_id": f"l{n}"})])
        rows.put(Aanvraag(id=f"nieuw{n}", pgn=f"9{n:08d}", tekst="y" * 500))
        tx.table(shard(n)).insert({"pgn": f"{n:09d}", "tekst": "z" * 500})


def written_by_commit(store: Store, monkeypatch: pytest.MonkeyPatch, n: int) -> tuple[int, int]:
    """(bytes written, files fsynced) by one step's commit."""
    written: list[int] = []
    synced: list[int] = []
    real_write, real_fsync = os.write, os.fsync

    def counting_write(fd: int, data: bytes) -> int:
        written.append(real_write(fd, data))
        return written[-1]

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "write", counting_write)
    monkeypatch.setattr(os, "fsync", counting_fsync)
    try:
        one_step(store, n)
    finally:
        monkeypatch.setattr(os, "write", real_write)
        monkeypatch.setattr(os, "fsync", real_fsync)
    return sum(written), len(synced)


@pytest.mark.slow
def test_a_commit_writes_about_as_much_at_twenty_times_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = filled(tmp_path / "klein" / "oso.json", 1_000)
    large = filled(tmp_path / "groot" / "oso.json", 20_000)
    for store in (small, large):
        one_step(store, 1)  # the first step after the bulk fill cuts the runs for the grown tables
    small_bytes, small_syncs = written_by_commit(small, monkeypatch, 2)
    large_bytes, large_syncs = written_by_commit(large, monkeypatch, 2)
    large_store = sum(len(b) for b in stored(large.path).values())
    print(f"\neen stap schrijft {small_bytes} bytes bij 1000, {large_bytes} bij 20000 ({large_store})")
    # Two levels of index: a changed table's runs and its index file grow with the square root of the
    # table (runs of at least 16 KB, an index of at most about 512 runs), not with the store.
    assert large_bytes < 3 * small_bytes
    assert large_bytes < large_store / 100
    assert large_syncs <= small_syncs + 2


def test_the_manifest_names_one_file_per_table_however_large_the_store(tmp_path: Path) -> None:
    small = filled(tmp_path / "klein" / "oso.json", 200)
    large = filled(tmp_path / "groot" / "oso.json", 4_000)
    for store in (small, large):
        one_step(store, 1)
    manifest = read_manifest(large.path)
    assert manifest is not None
    runs = sum(len(chunks) for chunks in manifest.parts.values())
    assert runs > 4 * len(manifest.parts), "the large store has many runs per table"
    assert set(manifest.indexes) == set(manifest.parts)
    assert large.path.stat().st_size < 1.1 * small.path.stat().st_size + 64


def test_a_commit_replaces_only_the_index_files_of_the_tables_it_changed(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json", 300)
    before = read_manifest(store.path)
    assert before is not None
    one_step(store, 7)
    after = read_manifest(store.path)
    assert after is not None
    changed = {n for n in after.indexes if after.indexes[n] != before.indexes.get(n)}
    assert changed == {AANVRAGEN, shard(7)}
    for name in set(before.parts) - changed:
        assert after.parts[name] == before.parts[name]


def test_a_store_in_the_first_manifest_format_opens_and_is_upgraded_by_the_first_change(
    tmp_path: Path,
) -> None:
    db = tmp_path / "oso.json"
    filled(db, 300)
    expected = read_tables(db)
    flat = to_flat_manifest(db)
    runs_before = read_manifest(db)
    assert runs_before is not None and not runs_before.indexes
    store = Store.open(db)
    assert read_tables(db) == expected
    with store.snapshot() as view:
        assert len(view.collection(AANVRAGEN, Aanvraag)) == 300
    report = diagnose(db)
    assert not [line for line in report.lines if line.status == "probleem"], report.render()
    assert db.read_bytes() == flat, "reading never upgrades"

    one_step(store, 3)

    after = read_manifest(db)
    assert after is not None and set(after.indexes) == set(after.parts)
    assert db.read_bytes().startswith(b'{"formaat":"oso-tui-manifest-2"')
    for name, chunks in runs_before.parts.items():
        if name not in (AANVRAGEN, shard(3)):
            assert after.parts[name] == chunks, "the upgrade keeps every run as it is"
    kept = [b for b in store.backup_list() if b.reason == "voor-inhoudsopgave"]
    assert len(kept) == 1 and read_tables(kept[0].path) == expected, "a restore point of the old format"
    tables = read_tables(db)
    assert len(tables[AANVRAGEN]) == 301 and tables[AANVRAGEN]["a000003"]["leerling_id"] == "l3"
    report = diagnose(db)
    assert not [line for line in report.lines if line.status == "probleem"], report.render()


def test_index_files_of_an_upgrade_that_never_landed_are_leftovers(tmp_path: Path) -> None:
    """A writer killed after writing the index files, before replacing the manifest: the old manifest
    stands, and its files are ignored by readers and removed by the next writer."""
    db = tmp_path / "oso.json"
    filled(db, 100)
    to_flat_manifest(db)
    copy = tmp_path / "kopie"
    copy.mkdir()
    for path in tmp_path.glob("oso*"):
        if path.is_file():
            (copy / path.name).write_bytes(path.read_bytes())
    folder = db.parent / "oso-tabellen"
    (copy / "oso-tabellen").mkdir()
    for path in folder.iterdir():
        (copy / "oso-tabellen" / path.name).write_bytes(path.read_bytes())
    one_step(Store.open(copy / "oso.json"), 1)
    upgraded = read_manifest(copy / "oso.json")
    assert upgraded is not None
    for entry in upgraded.indexes.values():
        if not (folder / entry.file).exists():
            (folder / entry.file).write_bytes((copy / "oso-tabellen" / entry.file).read_bytes())
    expected = read_tables(db)
    store = Store.open(db)
    assert read_tables(db) == expected
    one_step(store, 2)
    assert not [e for e in upgraded.indexes.values() if (folder / e.file).exists()], "removed first"
    report = diagnose(db)
    assert not [line for line in report.lines if line.status == "probleem"], report.render()
    tables = read_tables(db)
    assert tables[AANVRAGEN]["a000002"]["leerling_id"] == "l2"


def test_finding_by_a_field_matches_a_scan_after_every_kind_of_change(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Aanvraag).put_many(
            Aanvraag(id=f"a{i:03d}", pgn=f"p{i % 7}", tekst="") for i in range(60)
        )

    def check() -> None:
        with store.snapshot() as view:
            rows = view.collection(AANVRAGEN, Aanvraag)
            every = rows.all()
            for pgn in [f"p{i}" for i in range(9)]:
                assert rows.where(pgn=pgn) == [r for r in every if r.pgn == pgn], pgn
            for lid in (None, "l1", "l2"):
                assert rows.where(leerling_id=lid) == [r for r in every if r.leerling_id == lid]

    check()
    steps = [
        lambda rows: rows.put(Aanvraag(id="a010", pgn="p8", tekst="")),  # moves to another value
        lambda rows: rows.put(Aanvraag(id="a003", pgn="p3", tekst="anders")),  # same value, new object
        lambda rows: rows.delete("a020"),
        lambda rows: rows.put(Aanvraag(id="a999", pgn="p1", tekst="")),  # new at the end
        lambda rows: rows.put_many(
            [Aanvraag(id=f"a{i:03d}", pgn="p2", leerling_id="l1", tekst="") for i in (50, 5, 30)]
        ),
        lambda rows: rows.put(Aanvraag(id="a005", pgn="p2", leerling_id="l2", tekst="")),
    ]
    for step in steps:
        with store.transaction() as tx:
            step(tx.collection(AANVRAGEN, Aanvraag))
        check()


def test_the_runs_planned_from_the_touched_documents_equal_those_of_a_full_comparison() -> None:
    base = {f"k{i:03d}": {"n": i} for i in range(100)}
    old = tuple(Part(f"t.1-{i:08x}.json", 1000, 0, 10) for i in range(10))
    table = dict(base)
    table["k015"] = {"n": -15}
    table["k016"] = dict(base["k016"])  # an equal copy: its run is kept
    del table["k042"]
    table["nieuw"] = {"n": 1000}
    touched = {"k015", "k016", "k042", "nieuw"}
    full = plan_runs(table, old, base)
    assert plan_runs(table, old, base, touched=touched) == full
    assert [kept for kept, _ in full].count(None) == 3, "the runs of k015 and k042, and the last"
    # touched sets that do not add up are not trusted
    assert plan_runs(table, old, base, touched={"k015", "nieuw"}) == full
