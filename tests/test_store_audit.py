"""The audit log in parts: a write touches only the open part, the whole log still reads, and a
missing or damaged sealed part is refused and reported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from oso_tui.cli import main
from oso_tui.store import Store, StoreCorruptError
from oso_tui.store.audit import (
    PART_SIZE,
    AuditEntry,
    add_audit_entries,
    audit_dir,
    audit_parts,
    list_audit,
    record_audit,
)
from oso_tui.store.tables import AUDIT, AUDIT_PARTS
from tests.store_helpers import run_worker

START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


def entries(n: int, offset: int = 0) -> list[AuditEntry]:
    return [
        AuditEntry(
            id=f"e{offset + i:07d}",
            wanneer=START + timedelta(seconds=offset + i),
            gebruiker="ib",
            actie="bekijken-zorg",
            pgn=f"{(offset + i) % 7}",
        )
        for i in range(n)
    ]


def part_files(store: Store) -> dict[str, bytes]:
    folder = audit_dir(store)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_a_long_log_is_sealed_in_parts_and_reads_whole(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        add_audit_entries(tx, entries(2 * PART_SIZE + 500))
    with store.snapshot() as view:
        parts = audit_parts(view)
        assert [p.aantal for p in parts] == [PART_SIZE, PART_SIZE]
        assert len(view.table(AUDIT)) == 500
        everything = list_audit(view)
        assert [e.id for e in everything] == [e.id for e in entries(2 * PART_SIZE + 500)]
        assert len(list_audit(view, pgn="3")) == len([e for e in everything if e.pgn == "3"])
    sealed = part_files(store)
    assert len(sealed) == 2

    with store.transaction() as tx:
        record_audit(tx, user="ict", actie="export", wanneer=START + timedelta(days=1))
    assert {k: v for k, v in part_files(store).items() if k.startswith("deel-")} == sealed
    with store.snapshot() as view:
        assert len(list_audit(view)) == 2 * PART_SIZE + 501
        assert list_audit(view)[-1].actie == "export"


def test_writing_one_entry_parses_only_the_open_part(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        add_audit_entries(tx, entries(5 * PART_SIZE + 10))
    size = store.path.stat().st_size
    fresh = Store.open(store.path)
    base = fresh._storage.committed
    assert base is not None
    with fresh.transaction() as tx:
        record_audit(tx, user="ict", actie="export", wanneer=START)
    assert set(base.loaded) <= {AUDIT, AUDIT_PARTS}, "only the open part and the list of parts"
    assert store.path.stat().st_size == size
    with fresh.snapshot() as view:
        assert len(list_audit(view)) == 5 * PART_SIZE + 11


def test_viewing_care_data_appends_to_the_journal_and_never_rewrites_the_file(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        tx.table("aanvragen").insert({"id": "a", "naam": "x"})
    before = store.path.read_bytes()
    generation = store.generation()
    for i in range(3):
        with store.transaction() as tx:
            record_audit(tx, user="ib", actie="bekijken-zorg", pgn=str(i), wanneer=START)
    assert store.path.read_bytes() == before and store.generation() == generation
    [journal] = [p for p in audit_dir(store).iterdir() if p.name.startswith("open-")]
    assert len(journal.read_bytes().splitlines()) == 3
    with store.snapshot() as view:
        assert [e.pgn for e in list_audit(view)] == ["0", "1", "2"]
    with store.transaction() as tx:
        record_audit(tx, user="ib", actie="registreren", pgn="9", wanneer=START)
        tx.table("aanvragen").insert({"id": "b", "naam": "y"})
    assert store.path.read_bytes() != before, "an action with its audit entry is one database write"
    with store.snapshot() as view:
        assert [e.pgn for e in list_audit(view)] == ["0", "1", "2", "9"]


def test_a_journal_line_cut_off_by_a_crash_is_ignored_and_a_damaged_one_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(tmp_path / "oso.json")
    for i in range(2):
        with store.transaction() as tx:
            record_audit(tx, user="ib", actie="bekijken-zorg", pgn=str(i), wanneer=START)
    [journal] = [p for p in audit_dir(store).iterdir() if p.name.startswith("open-")]
    whole = journal.read_bytes()
    journal.write_bytes(whole + whole.splitlines()[0][:30])  # a kill in the middle of an append
    with store.snapshot() as view:
        assert [e.pgn for e in list_audit(view)] == ["0", "1"]
    with store.transaction() as tx:
        record_audit(tx, user="ib", actie="bekijken-zorg", pgn="2", wanneer=START)
    with store.snapshot() as view:
        assert [e.pgn for e in list_audit(view)] == ["0", "1", "2"]
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(lines[0].replace(b'"0"', b'"7"') + b"".join(lines[1:]))
    with store.snapshot() as view, pytest.raises(StoreCorruptError, match="regel 1"):
        list_audit(view)
    assert main(["doctor", "--db", str(store.path)]) == 1
    assert f"Het auditjournaal {journal} is beschadigd in regel 1" in capsys.readouterr().out


def test_sealing_takes_the_journal_along(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        add_audit_entries(tx, entries(PART_SIZE - 2))
        tx.table("aanvragen").insert({"id": "a", "naam": "x"})
    for i in range(4):
        with store.transaction() as tx:
            record_audit(tx, user="ib", actie="bekijken-zorg", wanneer=START + timedelta(days=1, seconds=i))
    with store.snapshot() as view:
        parts = audit_parts(view)
        assert [p.aantal for p in parts] == [PART_SIZE]
        assert len(list_audit(view)) == PART_SIZE + 2
    journals = sorted(p.name for p in audit_dir(store).iterdir() if p.name.startswith("open-"))
    assert journals[-1] == "open-000002.jsonl"
    with store.transaction() as tx:
        add_audit_entries(tx, entries(PART_SIZE, offset=10_000))
    assert "open-000001.jsonl" not in {p.name for p in audit_dir(store).iterdir()}
    with store.snapshot() as view:
        assert len(list_audit(view)) == 2 * PART_SIZE + 2


def test_an_older_store_with_one_big_audit_table_is_sealed_at_its_next_entry(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json")
    old = entries(3 * PART_SIZE + 200)
    with store.transaction() as tx:
        tx.table(AUDIT).insert_multiple(e.model_dump(mode="json") for e in old)
    with store.transaction() as tx:
        record_audit(tx, user="ict", actie="export", wanneer=START + timedelta(days=9))
    with store.snapshot() as view:
        assert [p.aantal for p in audit_parts(view)] == [PART_SIZE, PART_SIZE, PART_SIZE, 200]
        assert len(view.table(AUDIT)) == 1
        assert [e.id for e in list_audit(view)][:-1] == [e.id for e in old]


@pytest.mark.parametrize("damage", ["weg", "beschadigd"])
def test_a_missing_or_damaged_part_is_refused_and_doctor_names_it(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        add_audit_entries(tx, entries(2 * PART_SIZE + 1))
    with store.snapshot() as view:
        first = audit_parts(view)[0]
    path = audit_dir(store) / first.bestand
    if damage == "weg":
        path.unlink()
        words = "ontbreekt"
    else:
        raw = bytearray(path.read_bytes())
        raw[100] ^= 1
        path.write_bytes(bytes(raw))
        words = "is beschadigd"
    with store.snapshot() as view, pytest.raises(StoreCorruptError, match=words):
        list_audit(view)
    with store.transaction() as tx:
        record_audit(tx, user="ict", actie="export", wanneer=START)
    code = main(["doctor", "--db", str(store.path)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"Het auditdeel {path} {words}" in out


def test_doctor_counts_the_parts_and_reports_an_unlisted_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        add_audit_entries(tx, entries(PART_SIZE + 1))
    assert main(["doctor", "--db", str(store.path)]) == 0
    assert "Het auditlog: 1 afgesloten deel en 1 open regel, alle heel." in capsys.readouterr().out
    (audit_dir(store) / "deel-000009-deadbeef.json").write_bytes(b"{}")
    assert main(["doctor", "--db", str(store.path), "--repair"]) == 0
    out = capsys.readouterr().out
    assert "1 auditdeel staat niet in de database (deel-000009-deadbeef.json)" in out
    assert (audit_dir(store) / "deel-000009-deadbeef.json").exists(), "audit data is never removed"


def test_two_processes_viewing_care_data_at_once_lose_no_entry(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    Store.open(path)
    workers = [run_worker("audit", str(path), prefix, "550") for prefix in ("ib", "mentor")]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    store = Store.open(path)
    with store.snapshot() as view:
        details = [e.detail for e in list_audit(view)]
        assert len(audit_parts(view)) == 1, "the open part was sealed on the way"
    assert sorted(details) == sorted(f"{p}-{i}" for p in ("ib", "mentor") for i in range(550))
    assert main(["doctor", "--db", str(path)]) == 0
