"""Lazy tables: opening the store parses only `_meta`, a table is parsed when first used, and a commit
copies the tables it did not change verbatim from the committed file, CRC-checked.

Asserted with parse counters (`CommittedState.loaded`), encode counters, bytes on disk and
tracemalloc peaks, never with timings.
"""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from oso_tui.cli import main
from oso_tui.store import Store, StoreCorruptError, StoreSchemaError
from oso_tui.store import storage as storage_module
from oso_tui.store.audit import record_audit
from oso_tui.store.files import TEMP_MARKER
from oso_tui.store.lazy import CommittedState, open_state
from oso_tui.store.manifest import parts_dir, read_manifest
from oso_tui.store.tables import AANVRAGEN, ALL_TABLES, AUDIT, HISTORIE, LEERLINGEN
from tests.store.legacy_layout import part_file, to_single_file

WANNEER = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

PUPILS = 1500


class Rij(BaseModel):
    id: str
    naam: str


class _Audit(BaseModel):
    id: str
    actie: str


def state_of(store: Store) -> CommittedState:
    state = store._storage.committed
    assert state is not None
    return state


def big_store(path: Path) -> Store:
    """A store whose leerlingen and historie tables dwarf aanvragen, like a real school's."""
    store = Store.open(path)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"a{i}", naam=f"Aanvraag {i}") for i in range(20)])
        tx.table(LEERLINGEN).insert_multiple(
            {"id": f"L{i}", "naam": f"Ëlla {i}", "gegevens": {"regels": [f"regel {j}" for j in range(40)]}}
            for i in range(PUPILS)
        )
        tx.table(HISTORIE).insert_multiple({"leerling": f"L{i}", "oud": "x" * 200} for i in range(PUPILS))
        record_audit(tx, user="jansen", actie="registreren", wanneer=WANNEER)
    return store


def segment(path: Path, name: str) -> bytes:
    """The bytes of one table as stored: its own file, or its line (`"name":{...}`) in a single file."""
    manifest = read_manifest(path)
    if manifest is not None:
        return b"".join((parts_dir(path) / p.file).read_bytes() for p in manifest.parts[name])
    prefix = f"{json.dumps(name)}:".encode()
    lines = [line.rstrip(b",") for line in path.read_bytes().split(b"\n")]
    (found,) = [line for line in lines if line.startswith(prefix)]
    return found


def stored(path: Path) -> dict[str, bytes]:
    """The manifest and every table file, as bytes."""
    found = {path.name: path.read_bytes()}
    return found | {p.name: p.read_bytes() for p in parts_dir(path).iterdir()}


def flip_inside(path: Path, name: str, old: bytes, new: bytes) -> dict[str, bytes]:
    """Damage one table in place without changing its size; returns every stored file afterwards."""
    assert len(old) == len(new)
    target = part_file(path, name, old)
    raw = target.read_bytes()
    at = raw.index(old)
    target.write_bytes(raw[:at] + new + raw[at + len(old) :])
    return stored(path)


def flip_in_line(path: Path, name: str, old: bytes, new: bytes) -> None:
    """The same damage in a single file of an older oso-tui."""
    assert len(old) == len(new)
    raw = path.read_bytes()
    start = raw.index(f"\n{json.dumps(name)}:".encode())
    at = raw.index(old, start)
    path.write_bytes(raw[:at] + new + raw[at + len(old) :])


def test_a_snapshot_of_aanvragen_parses_no_other_table(tmp_path: Path) -> None:
    big_store(tmp_path / "oso.json")
    fresh = Store.open(tmp_path / "oso.json")
    assert state_of(fresh).loaded == []
    with fresh.snapshot() as view:
        assert len(view.collection(AANVRAGEN, Rij).all()) == 20
        assert view.tables() == sorted({*ALL_TABLES, LEERLINGEN, HISTORIE})
        assert view.generation == fresh.generation()
    assert state_of(fresh).loaded == [AANVRAGEN]
    with fresh.snapshot() as view:
        view.collection(AANVRAGEN, Rij).all()
    assert state_of(fresh).loaded == [AANVRAGEN], "a second snapshot reuses the parsed table"


def test_opening_and_reading_a_small_table_stays_far_below_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    big_store(path)
    size = sum(len(b) for b in stored(path).values())
    tracemalloc.start()
    try:
        store = Store.open(path)
        with store.snapshot() as view:
            rows = view.collection(AANVRAGEN, Rij).all()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(rows) == 20
    assert size > 1_000_000
    assert peak < size / 10, f"piek {peak} bytes bij een bestand van {size} bytes"


def test_a_transaction_on_a_small_table_writes_only_that_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "oso.json"
    big_store(path)
    before = {name: segment(path, name) for name in (LEERLINGEN, HISTORIE, AANVRAGEN, AUDIT)}
    encoded: list[int] = []
    real = storage_module.encode_run

    def counting(table, keys, *rest):  # type: ignore[no-untyped-def]
        encoded.append(len(keys))
        return real(table, keys, *rest)

    monkeypatch.setattr(storage_module, "encode_run", counting)
    fresh = Store.open(path)
    base = state_of(fresh)
    with fresh.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a20", naam="Aanvraag 20"))
    assert base.loaded == [], "een put leest de tabel niet"
    assert encoded == [], "a put encodes its own document, not a run of the table"
    assert segment(path, LEERLINGEN) == before[LEERLINGEN]
    assert segment(path, HISTORIE) == before[HISTORIE]
    assert segment(path, AUDIT) == before[AUDIT]
    assert segment(path, AANVRAGEN) != before[AANVRAGEN]
    after = state_of(fresh)
    assert after is not base and after.loaded == []
    with fresh.transaction() as tx:
        tx.table(AANVRAGEN).insert({"id": "a21", "naam": "Aanvraag 21"})
    assert after.loaded == [AANVRAGEN], "a write through TinyDB reads the table whole"
    latest = state_of(fresh)
    with fresh.transaction() as tx:
        assert len(tx.collection(AANVRAGEN, Rij).all()) == 22
    assert latest.loaded == [], "the table the commit wrote is known without parsing it again"
    with Store.open(path).snapshot() as view:
        assert len(view.table(LEERLINGEN)) == PUPILS
        assert view.table(LEERLINGEN).get(doc_id="L7")["naam"] == "Ëlla 7"  # type: ignore[index]
        assert len(view.table(AANVRAGEN)) == 22


def test_transaction_start_does_not_parse_anything(tmp_path: Path) -> None:
    big_store(tmp_path / "oso.json")
    fresh = Store.open(tmp_path / "oso.json")
    before = fresh.path.stat()
    with fresh.transaction() as tx:
        assert LEERLINGEN in tx.tables()
    assert state_of(fresh).loaded == []
    after = fresh.path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_snapshot_keeps_reading_its_own_version_after_another_commit(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    store = big_store(path)
    reader = Store.open(path)
    with reader.snapshot() as view:
        with store.transaction() as tx:
            tx.table(LEERLINGEN).update({"naam": "Gewijzigd"}, doc_ids=["L3"])
            tx.collection(AANVRAGEN, Rij).delete("a1")
        assert view.table(LEERLINGEN).get(doc_id="L3")["naam"] == "Ëlla 3"  # type: ignore[index]
        assert view.collection(AANVRAGEN, Rij).get("a1") is not None
    with reader.snapshot() as view:
        assert view.table(LEERLINGEN).get(doc_id="L3")["naam"] == "Gewijzigd"  # type: ignore[index]
        assert view.collection(AANVRAGEN, Rij).get("a1") is None


def test_damage_in_an_unparsed_table_is_caught_when_read_and_never_copied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "oso.json"
    store = big_store(path)
    damaged = flip_inside(path, LEERLINGEN, b"regel 17", b"regel 71")
    fresh = Store.open(path)
    with fresh.snapshot() as view:
        assert len(view.collection(AANVRAGEN, Rij).all()) == 20
        with pytest.raises(StoreCorruptError) as exc:
            view.table(LEERLINGEN).all()
    message = exc.value.message
    assert "beschadigd" in message and "niet aangeraakt" in message and "leerlingen" in message
    assert "controlegetal" in message and "reservekopie" in message

    with fresh.transaction() as tx:
        record_audit(
            tx, user="jansen", actie="bekijken-zorg", wanneer=WANNEER
        )  # appends to the audit journal only
    assert stored(path) == damaged
    with pytest.raises(StoreCorruptError, match="controlegetal"), fresh.transaction() as tx:
        record_audit(tx, user="jansen", actie="export", wanneer=WANNEER)
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a20", naam="Aanvraag 20"))
    assert stored(path) == damaged
    assert not [p for p in tmp_path.iterdir() if TEMP_MARKER in p.name]

    with pytest.raises(StoreCorruptError, match="controlegetal"):
        store.backup("handmatig")
    assert not [p for p in store.backup_dir.iterdir() if TEMP_MARKER in p.name]

    code = main(["doctor", "--db", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "leerlingen" in out and "beschadigd" in out
    assert stored(path) == damaged


def test_broken_json_inside_an_unparsed_table_names_its_file(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    big_store(path)
    flip_inside(path, HISTORIE, b'"oud":', b'"oud" ')
    with Store.open(path).snapshot() as view:
        assert len(view.table(LEERLINGEN)) == PUPILS
        with pytest.raises(StoreCorruptError) as exc:
            view.table(HISTORIE).all()
    damaged = part_file(path, HISTORIE, b'"oud" ')
    assert f"tabel 'historie' ({damaged.name})" in exc.value.message
    assert "controlegetal" in exc.value.message


def test_broken_json_inside_an_unparsed_table_of_a_single_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    big_store(path)
    to_single_file(path)
    flip_in_line(path, HISTORIE, b'"oud":', b'"oud" ')
    line = [n for n, text in enumerate(path.read_bytes().split(b"\n"), 1) if text.startswith(b'"historie"')]
    with Store.open(path).snapshot() as view:
        assert len(view.table(LEERLINGEN)) == PUPILS
        with pytest.raises(StoreCorruptError, match=f"geen geldige JSON: fout in regel {line[0]}"):
            view.table(HISTORIE).all()


def test_a_file_without_index_is_parsed_whole_and_gets_an_index_at_the_next_commit(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    big_store(path)
    to_single_file(path)
    lines = path.read_bytes().split(b"\n")
    meta = json.loads(b"{" + lines[1].rstrip(b",") + b"}")
    del meta["_meta"]["1"]["index"]
    lines[1] = json.dumps(meta, separators=(",", ":"))[1:-1].encode() + b","
    path.write_bytes(b"\n".join(lines))
    old = Store.open(path)
    assert not state_of(old).lazy
    with old.snapshot() as view:
        assert len(view.table(LEERLINGEN)) == PUPILS
    with old.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="x"))
    fresh = Store.open(path)
    assert state_of(fresh).lazy
    with fresh.snapshot() as view:
        assert len(view.collection(AANVRAGEN, Rij)) == 21
        assert len(view.table(LEERLINGEN)) == PUPILS


def test_an_index_left_stale_by_an_older_writer_is_ignored_not_taken_for_damage(tmp_path: Path) -> None:
    """An older oso-tui keeps the index key but not its contents; the generation stamp tells."""
    path = tmp_path / "oso.json"
    store = big_store(path)
    generation = store.generation()
    to_single_file(path)
    raw = path.read_bytes()
    raw = raw.replace(f'"generation":{generation},'.encode(), f'"generation":{generation + 1},'.encode(), 1)
    path.write_bytes(raw)
    flip_in_line(path, LEERLINGEN, b"regel 17", b"regel 71")
    stale = Store.open(path)
    assert not state_of(stale).lazy
    with stale.snapshot() as view:
        assert view.generation == generation + 1
        assert "regel 71" in view.table(LEERLINGEN).get(doc_id="L0")["gegevens"]["regels"]  # type: ignore[index]


def test_doctor_checks_every_table_of_a_lazy_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "oso.json"
    big_store(path)
    code = main(["doctor", "--db", str(path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{20 + 2 * PUPILS + 1} records" in out


def test_open_state_of_a_missing_file_is_none(tmp_path: Path) -> None:
    assert open_state(tmp_path / "nergens.json", lambda: "") is None


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="telt open bestanden via /proc")
def test_every_replaced_version_closes_its_descriptor(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    reader = Store.open(tmp_path / "oso.json")

    def open_files() -> int:
        return len(list(Path("/proc/self/fd").iterdir()))

    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a", naam="x"))
    start = open_files()
    for i in range(40):
        with store.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put(Rij(id=f"r{i}", naam="x"))
        with reader.snapshot() as view:
            assert len(view.collection(AANVRAGEN, Rij)) == i + 2
    assert open_files() <= start + 1


@given(flips=st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 255)), min_size=1, max_size=3))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_damage_to_an_indexed_file_is_reported_or_harmless_never_a_crash(
    tmp_path: Path, flips: list[tuple[int, int]]
) -> None:
    path = tmp_path / "fuzz" / "oso.json"
    good = tmp_path / "goed.json"
    if not good.exists():
        store = Store.open(path)
        with store.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"a{i}", naam=f"Ëlla {i}") for i in range(30)])
            tx.table(HISTORIE).insert_multiple({"n": i} for i in range(30))
        good.write_bytes(path.read_bytes())
    damaged = bytearray(good.read_bytes())
    for position, value in flips:
        damaged[position % len(damaged)] = value
    path.write_bytes(bytes(damaged))
    try:
        store = Store.open(path)
        with store.snapshot() as view:
            for name in view.tables():
                view.table(name).all()
    except (StoreCorruptError, StoreSchemaError):
        return


def test_a_read_error_on_a_table_is_a_clear_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from oso_tui.store import StoreError, lazy

    big_store(tmp_path / "oso.json")
    fresh = Store.open(tmp_path / "oso.json")

    def failing(fd: int, length: int, offset: int) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(lazy.os, "pread", failing)
    with fresh.snapshot() as view, pytest.raises(StoreError, match="kan niet gelezen worden"):
        view.table(LEERLINGEN).all()
