"""Opening the store does what a command needs, not what the store holds (counted, never timed).

Opening reads the manifest and its index files (length and CRC checked) and compares the folder with
the names they give, but decodes no table's runs: a table's entries are decoded and checked when the
table is first read. A commit carries the entries of the tables it did not change undecoded, and the
writer's sweep of leftovers uses the listing the state was opened with.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest

from oso_tui.store import Store, StoreCorruptError
from oso_tui.store import tableindex as tableindex_module
from oso_tui.store.doctor import diagnose
from oso_tui.store.lazy import open_state
from oso_tui.store.manifest import PartsState, read_manifest
from oso_tui.store.tableindex import Part, Runs
from oso_tui.store.tables import AANVRAGEN
from tests.store.legacy_layout import stored
from tests.store.test_store_growth import SHARDS, filled, shard


def no_hint() -> str:
    return ""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "oso.json"
    filled(db, 1500).backup("handmatig")  # so that no commit below makes its own restore point
    return db


def runs_of(state: object) -> Runs:
    assert isinstance(state, PartsState) and isinstance(state.manifest.parts, Runs)
    return state.manifest.parts


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every run entry decoded from an index file (each table's entries go through `part_of`)."""
    seen: list[object] = []
    real = tableindex_module.part_of

    def counting(item: object) -> Part | None:
        seen.append(item)
        return real(item)

    monkeypatch.setattr(tableindex_module, "part_of", counting)
    return seen


def test_opening_decodes_no_table_and_reading_one_decodes_only_its_runs(
    db: Path, decoded: list[object]
) -> None:
    manifest = read_manifest(db)
    assert manifest is not None
    every = sum(len(chunks) for chunks in manifest.parts.values())
    assert len(manifest.parts[AANVRAGEN]) > 10 and every > 2 * len(manifest.parts[AANVRAGEN])
    decoded.clear()
    state = open_state(db, no_hint)
    runs = runs_of(state)
    assert runs.decoded() == 0
    assert decoded == [], "no run's entry decoded"
    decoded.clear()
    store = Store.open(db)
    with store.snapshot() as view:
        assert len(view.table(shard(3)).all()) == 1500 // SHARDS + (1500 % SHARDS > 3)
    committed = store._storage.committed
    assert runs_of(committed).decoded() == 1
    assert len(decoded) == len(manifest.parts[shard(3)])


def test_a_count_is_the_manifests_and_decodes_nothing(db: Path) -> None:
    state = open_state(db, no_hint)
    assert state is not None
    assert state.count(AANVRAGEN) == 1500
    assert runs_of(state).decoded() == 0


def test_a_commit_decodes_only_the_tables_it_changes(db: Path, decoded: list[object]) -> None:
    before = read_manifest(db)
    assert before is not None
    rows = len(stored_table(db, shard(1)))
    store = Store.open(db)
    decoded.clear()
    with store.transaction() as tx:
        tx.table(shard(1)).insert({"pgn": "123456782"})
    assert len(decoded) == len(before.parts[shard(1)]), "the changed table's runs, none of the others"
    runs = runs_of(store._storage.committed)
    assert runs.decoded() == 1
    after = read_manifest(db)
    assert after is not None
    assert dict(runs.items()) == dict(after.parts.items()), "what it carried is what it wrote"
    assert len(stored_table(db, shard(1))) == rows + 1


def stored_table(db: Path, table: str) -> list[object]:
    with Store.open(db).snapshot() as view:
        return list(view.table(table).all())


def test_a_writer_lists_the_table_folder_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = db.parent / "oso-tabellen"
    listed: list[str] = []
    real = os.listdir

    def counting(path: str | os.PathLike[str] = ".") -> list[str]:
        if Path(path) == folder:
            listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", counting)
    store = Store.open(db)
    with store.transaction() as tx:
        tx.table(shard(2)).insert({"pgn": "123456782"})
    assert len(listed) == 1, "opening lists it; the sweep of leftovers before the commit reuses that"
    with store.transaction() as tx:
        tx.table(shard(2)).insert({"pgn": "123456783"})
    assert len(listed) == 1, "after its own commit nobody else wrote: no need to list the folder again"
    other = Store.open(db)
    with other.transaction() as tx:
        tx.table(shard(3)).insert({"pgn": "123456784"})
    with store.transaction() as tx:
        tx.table(shard(2)).insert({"pgn": "123456785"})
    assert len(listed) == 3, "the other writer's opening, and this one's reading of the new state"


def damage_entry(db: Path, table: str, entry: list[object]) -> Path:
    """Rewrite `table`'s entries in its index file as `entry` (a whole new index file with a CRC the
    manifest names, so only the entries themselves are wrong); the index file."""
    manifest = read_manifest(db)
    assert manifest is not None
    index = manifest.indexes[table]
    path = db.parent / manifest.folder / index.file
    doc = json.loads(path.read_bytes())
    doc[table] = entry
    raw = json.dumps(doc, separators=(",", ":")).encode()
    path.write_bytes(raw)
    body = json.loads(db.read_bytes().split(b"\n")[0])
    for row in body["tabellen"]:
        if row[1] == index.file:
            row[2], row[3] = len(raw), zlib.crc32(raw)
    line = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    db.write_bytes(line + b"\n%08x\n" % zlib.crc32(line))
    return path


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("negatieve-lengte", "is geen geldige lijst van tabelbestanden"),
        ("ander-aantal", "noemt een ander aantal records dan de inhoudsopgave"),
    ],
)
def test_a_malformed_entry_is_damage_when_its_table_is_read_and_doctor_names_it(
    db: Path, kind: str, words: str
) -> None:
    manifest = read_manifest(db)
    assert manifest is not None
    part, *rest = manifest.parts[shard(5)]
    bad = (
        [part.file, -1, part.crc, part.count]
        if kind == "negatieve-lengte"
        else [part.file, part.length, part.crc, 0]
    )
    index = damage_entry(db, shard(5), [bad, *([p.file, p.length, p.crc, p.count] for p in rest)])
    before = stored(db)
    assert read_manifest(db) is None, "a restore point's manifest is checked whole"
    with Store.open(db).snapshot() as view:
        assert len(view.table(AANVRAGEN)) == 1500, "a table whose entries check out reads as ever"
        with pytest.raises(StoreCorruptError) as raised:
            view.table(shard(5)).all()
    assert f"tabel '{shard(5)}' ({index.name}) {words}" in raised.value.message
    assert raised.value.tables == (shard(5),)
    report = "\n".join(diagnose(db).render())
    assert f"tabel '{shard(5)}' ({index.name}) {words}" in report
    assert stored(db) == before, "nothing was written over"


def test_a_malformed_entry_of_a_missing_shape_is_refused_on_opening(db: Path) -> None:
    """Entries that do not even give a file name cannot be compared with the folder: opening says so."""
    manifest = read_manifest(db)
    assert manifest is not None
    index = damage_entry(db, shard(6), [[p.file, p.length] for p in manifest.parts[shard(6)]])
    with pytest.raises(StoreCorruptError) as raised:
        open_state(db, no_hint)
    assert (
        f"tabel '{shard(6)}' ({index.name}) is geen geldige lijst van tabelbestanden" in raised.value.message
    )


def test_every_shard_opens_lazily_after_many_commits(db: Path) -> None:
    store = Store.open(db)
    for i in range(SHARDS):
        with store.transaction() as tx:
            tx.table(shard(i)).insert({"pgn": f"{i:09d}"})
    state = open_state(db, no_hint)
    runs = runs_of(state)
    assert runs.decoded() == 0
    manifest = read_manifest(db)
    assert manifest is not None
    assert dict(runs.items()) == dict(manifest.parts.items())
    assert runs.decoded() == len(manifest.parts)


def test_states_that_share_an_index_file_decode_a_table_once(db: Path, decoded: list[object]) -> None:
    """The state a commit leaves carries the older state's parsed index files: whichever decodes a
    table first, the other finds the same runs and decodes nothing."""
    state = open_state(db, no_hint)
    older = runs_of(state)
    assert isinstance(state, PartsState)
    newer = older.carried(state.manifest.indexes, {})
    decoded.clear()
    first = newer[shard(7)]
    assert len(decoded) == len(first) > 0
    assert older[shard(7)] is first
    assert len(decoded) == len(first), "decoded once for both"
    assert set(older.files()) == set(newer.files())


def test_a_table_with_a_malformed_entry_is_never_dropped_or_rewritten(db: Path) -> None:
    """A commit that changes or drops such a table reads its entries first, and is refused."""
    manifest = read_manifest(db)
    assert manifest is not None
    part, *rest = manifest.parts[shard(5)]
    damage_entry(
        db,
        shard(5),
        [[part.file, -1, part.crc, part.count], *([p.file, p.length, p.crc, p.count] for p in rest)],
    )
    before = stored(db)
    store = Store.open(db)
    with pytest.raises(StoreCorruptError), store.transaction() as tx:
        tx._db.drop_table(shard(5))  # the TinyDB under the transaction: no command drops a table
    with pytest.raises(StoreCorruptError), store.transaction() as tx:
        tx.table(shard(5)).insert({"pgn": "123456782"})
    assert stored(db) == before
    with store.transaction() as tx:
        tx.table(shard(6)).insert({"pgn": "123456782"})
    assert read_manifest(db) is None, "the damage stays where it was, for doctor to name"
