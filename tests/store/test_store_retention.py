"""What the store keeps in memory: a lookup by id reads one file, not the table's bytes; a delete and a
search by a plain value in a big table parse only the files that hold them; every cache stays within
its byte budget however many files are read. Counted in tables parsed, files read and bytes kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.store import Store, lazy, pieces
from oso_tui.store.manifest import MAP_AFTER, PartsState, read_manifest
from oso_tui.store.tableindex import Part
from oso_tui.store.tables import AANVRAGEN
from tests.store_helpers import count_parses

ROWS = 300


class Rij(BaseModel):
    id: str
    naam: str
    groep: str = ""
    tekst: str = ""


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    pieces.FILE_BYTES.clear()
    pieces.KEYS.clear()
    pieces.SEARCHED.clear()
    pieces.PARSED_FILES.clear()
    yield
    pieces.FILE_BYTES.clear()
    pieces.KEYS.clear()
    pieces.SEARCHED.clear()
    pieces.PARSED_FILES.clear()


def filled(path: Path) -> Store:
    store = Store.open(path)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many(
            [Rij(id=f"r{i:03d}", naam=f"Rij {i}", groep=f"g{i % 7}", tekst="x" * 400) for i in range(ROWS)]
        )
    return store


def files(store: Store) -> list[str]:
    manifest = read_manifest(store.path)
    assert manifest is not None
    return [p.file for p in manifest.parts[AANVRAGEN]]


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The table files read from disk from now on, by name."""
    read: list[str] = []
    real = PartsState._chunk_bytes

    def counting(self: PartsState, name: str, part: Part) -> bytes:
        read.append(part.file)
        return real(self, name, part)

    monkeypatch.setattr(PartsState, "_chunk_bytes", counting)
    return read


def test_after_learning_the_keys_a_lookup_reads_only_the_file_that_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(filled(tmp_path / "oso.json").path)
    names = files(store)
    assert len(names) > 6, "the table lies in several files"
    pieces.FILE_BYTES.clear()
    pieces.KEYS.clear()
    pieces.SEARCHED.clear()
    pieces.PARSED_FILES.clear()
    read = count_reads(monkeypatch)
    parsed = count_parses(monkeypatch)
    with store.snapshot() as view:
        rows = view.collection(AANVRAGEN, Rij)
        assert rows.get("r010") is not None
        assert len(read) == len(names), "the first lookup reads (and checks) every file once"
        assert pieces.KEYS.used == 0, (
            "and searches their text: a command that looks up one document notes no keys"
        )
        read.clear()
        assert rows.get("r011") is not None
        assert len(read) >= len(names) - 1, "the second learns the keys of every file not kept"
        read.clear()
        assert rows.get("r250").naam == "Rij 250"  # type: ignore[union-attr]
        assert rows.get("weg") is None
        assert "r123" in rows
    assert len(read) <= 2, "one file per document found, none for an id no file holds"
    assert parsed == []
    manifest = read_manifest(store.path)
    assert manifest is not None
    largest = max(p.length for p in manifest.parts[AANVRAGEN])
    assert pieces.FILE_BYTES.used <= 3 * largest, "the files found in, not the table's bytes"


def test_the_keys_learnt_hold_across_a_commit_for_the_files_it_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(filled(tmp_path / "oso.json").path)
    with store.snapshot() as view:
        assert view.collection(AANVRAGEN, Rij).get("r001") is not None
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r100", naam="Anders"))
    read = count_reads(monkeypatch)
    with store.snapshot() as view:
        assert view.collection(AANVRAGEN, Rij).get("r100").naam == "Anders"  # type: ignore[union-attr]
    assert len(read) <= 3, "only the files the commit wrote are read again"


def test_a_delete_from_a_big_table_rewrites_only_the_file_that_held_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(filled(tmp_path / "oso.json").path)
    before = files(store)
    parsed = count_parses(monkeypatch)
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        assert rows.delete("r150") is True
        assert rows.delete("bestaat-niet") is False
        assert rows.get("r150") is None and "r150" not in rows, "the transaction sees its delete"
        assert len(rows) == ROWS - 1
    assert parsed == [], "no table was parsed whole"
    after = files(store)
    assert len(set(before) - set(after)) == 1 and len(after) == len(before)
    with Store.open(store.path).snapshot() as view:
        ids = [r.id for r in view.collection(AANVRAGEN, Rij).all()]
    assert ids == [f"r{i:03d}" for i in range(ROWS) if i != 150], "the rest in its order"


def test_deleting_every_document_of_a_file_drops_the_file(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json")
    manifest = read_manifest(store.path)
    assert manifest is not None
    first = manifest.parts[AANVRAGEN][0]
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).delete_many([f"r{i:03d}" for i in range(first.count)])
    assert first.file not in files(store)
    assert len(files(store)) == len(manifest.parts[AANVRAGEN]) - 1
    with Store.open(store.path).snapshot() as view:
        rows = view.collection(AANVRAGEN, Rij)
        assert len(rows) == len(rows.all()) == ROWS - first.count


def test_a_put_and_a_delete_then_reading_the_table_whole_sees_both(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json")
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.delete("r002")
        rows.put(Rij(id="r003", naam="Drie"))
        whole = {r.id: r.naam for r in rows.all()}
        assert "r002" not in whole and whole["r003"] == "Drie" and len(whole) == ROWS - 1
    with store.snapshot() as view:
        assert view.collection(AANVRAGEN, Rij).get("r002") is None
        assert len(view.collection(AANVRAGEN, Rij).all()) == ROWS - 1


def test_a_failed_transaction_leaves_its_delete_unwritten(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json")
    before = files(store)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).delete("r010")
        raise RuntimeError("afgebroken")
    assert files(store) == before
    with store.snapshot() as view:
        assert view.collection(AANVRAGEN, Rij).get("r010") is not None


def test_a_search_by_a_plain_value_parses_only_the_files_that_hold_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(filled(tmp_path / "oso.json").path)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r200", naam="Uniek", groep="zeldzaam"))
    parsed = count_parses(monkeypatch)
    with store.snapshot() as view:
        rows = view.collection(AANVRAGEN, Rij)
        assert [r.id for r in rows.where(groep="zeldzaam")] == ["r200"]
        assert [r.id for r in rows.where(groep="g3")] == [f"r{i:03d}" for i in range(ROWS) if i % 7 == 3]
        assert rows.where(groep="g3", naam="Rij 10") == [
            Rij(id="r010", naam="Rij 10", groep="g3", tekst="x" * 400)
        ]
        assert rows.where(groep="niemand") == []
    with store.transaction() as tx:
        assert [r.id for r in tx.collection(AANVRAGEN, Rij).where(groep="zeldzaam")] == ["r200"]
    assert parsed == [], "no table was parsed whole"


def test_a_search_sees_the_transactions_own_puts(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json")
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put(Rij(id="r004", naam="Vier", groep="nieuw"))
        rows.delete("r011")
        assert [r.id for r in rows.where(groep="nieuw")] == ["r004"]
        assert "r011" not in [r.id for r in rows.where(groep="g4")]


def test_the_caches_stay_within_their_byte_budgets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces.FILE_BYTES, "budget", 40_000)
    monkeypatch.setattr(pieces.KEYS, "budget", 600)
    store = Store.open(filled(tmp_path / "oso.json").path)
    with store.snapshot() as view:
        rows = view.collection(AANVRAGEN, Rij)
        for i in range(0, ROWS, 3):
            assert rows.get(f"r{i:03d}") is not None
            assert pieces.FILE_BYTES.used <= 40_000 and pieces.KEYS.used <= 600
        assert rows.where(groep="g1")
    assert 0 < pieces.FILE_BYTES.used <= 40_000 and 0 < pieces.KEYS.used <= 600


def test_a_cached_file_is_not_used_for_another_file_of_the_same_name() -> None:
    cache: pieces._Budgeted[bytes] = pieces._Budgeted(1000)
    cache.put("map", Part("t.1-a.json", 3, 7, 1), b"abc", 3)
    assert cache.get("map", Part("t.1-a.json", 3, 7, 1)) == b"abc"
    assert cache.get("map", Part("t.1-a.json", 3, 8, 1)) is None, "another CRC: another file"
    assert cache.get("elders", Part("t.1-a.json", 3, 7, 1)) is None


def test_the_keys_of_a_file_include_every_top_level_key() -> None:
    raw = b'{"a":{"x":{"b":1}},"c-1":{"y":[{"d":{}}]},"e.f":{}}'
    keys = pieces.keys_of(raw)
    for key in ("a", "c-1", "e.f"):
        assert pieces.holds(keys, pieces.key_hash(key))
    assert not pieces.holds(keys, pieces.key_hash("zz"))


def big_tables(path: Path, names: list[str]) -> Store:
    store = Store.open(path)
    with store.transaction() as tx:
        for name in names:
            tx.table(name).insert_multiple(
                [{"id": f"{name}-{i:03d}", "naam": f"Rij {i}", "tekst": "x" * 400} for i in range(ROWS)]
            )
    return Store.open(path)


def test_a_state_keeps_big_parsed_tables_within_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy, "SMALL_TABLE", 1000)
    monkeypatch.setattr(lazy, "PARSED_BUDGET", 250_000)
    names = ["een", "twee", "drie", "vier"]
    store = big_tables(tmp_path / "oso.json", names)
    forgotten: list[int] = []
    monkeypatch.setattr(lazy, "EVICTED", [*lazy.EVICTED, lambda table: forgotten.append(len(table))])
    for _ in range(2):
        for name in names:
            with store.snapshot() as view:
                assert len(view.table(name).all()) == ROWS
                view.collection(name, Rij).where(naam="Rij 7")  # an index on the table
    state = store._storage.committed
    assert state is not None
    kept = [n for n in names if state.parsed(n) is not None]
    assert kept, "the last table parsed stays parsed"
    assert len(kept) == 1 or sum(state.stored_size(n) or 0 for n in kept) <= 250_000
    assert len(kept) < len(names), "not every table parsed stays parsed"
    assert forgotten, "the caches keyed on a table are told it is gone"


def test_a_transaction_holds_what_it_read_when_the_state_lets_go_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy, "SMALL_TABLE", 1000)
    monkeypatch.setattr(lazy, "PARSED_BUDGET", 1000)
    store = big_tables(tmp_path / "oso.json", ["een", "twee"])
    before = read_manifest(store.path)
    assert before is not None and len(before.parts["een"]) > 4
    with store.transaction() as tx:
        rows = tx.table("een")
        assert len(rows.all()) == ROWS
        assert len(tx.table("twee").all()) == ROWS  # the state lets go of "een" now
        state = store._storage.committed
        assert state is not None and state.parsed("een") is None
        rows.update({"naam": "Gewijzigd"}, doc_ids=["een-150"])
    after = read_manifest(store.path)
    assert after is not None
    changed = {p.file for p in after.parts["een"]} - {p.file for p in before.parts["een"]}
    assert len(changed) == 1, "only the run that holds the document is written anew"
    assert after.parts["twee"] == before.parts["twee"]
    with Store.open(store.path).snapshot() as view:
        assert view.table("een").get(doc_id="een-150")["naam"] == "Gewijzigd"  # type: ignore[index]


def test_each_gives_the_models_of_scan_one_stored_file_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(filled(tmp_path / "oso.json").path)
    parsed = count_parses(monkeypatch)
    with store.snapshot() as view:
        rows = view.collection(AANVRAGEN, Rij)
        each = rows.each()
        first = next(each)
        assert first.id == "r000"
        read = count_reads(monkeypatch)
        assert next(each).id == "r001" and read == [], "the next model of the same file reads nothing"
        assert [first, rows.get("r001"), *each] == rows.scan()
    assert parsed == []


def test_many_lookups_in_one_state_go_straight_to_their_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fetch of 10,000 dossiers looks up one document of each: after a few lookups the state maps the
    table's keys to their files, and a lookup no longer asks every file of the table."""
    store = Store.open(filled(tmp_path / "oso.json").path)
    names = files(store)
    asked: list[object] = []
    real = pieces.KEYS.get

    def counting(folder: str, part: Part) -> object:
        asked.append(part)
        return real(folder, part)

    monkeypatch.setattr(pieces.KEYS, "get", counting)
    parses: list[bytes] = []
    real_parse = pieces.parse_file
    monkeypatch.setattr(pieces, "parse_file", lambda raw: parses.append(raw) or real_parse(raw))
    with store.snapshot() as view:
        rows = view.collection(AANVRAGEN, Rij)
        for i in range(MAP_AFTER):
            assert rows.get(f"r{i * 20:03d}") is not None
        asked.clear()
        parses.clear()
        for i in range(40):
            assert rows.get(f"r{i * 5:03d}").naam == f"Rij {i * 5}"  # type: ignore[union-attr]
        assert rows.get("weg") is None
    assert asked == [], "the map answers where a key is"
    assert len(parses) <= len(names), "and each file found is parsed once"
