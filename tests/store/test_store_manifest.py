"""Each kind of damage to the folder layout (manifest and table files), from the command line.

For each kind: every command refuses (exit 1, one Dutch sentence), the manifest, every table file and
every restore point stay byte-identical, and `oso-tui doctor` names what is wrong. Leftovers of a
killed writer are no damage: they are ignored, and removed under the lock.
"""

from __future__ import annotations

import dataclasses
import threading
import zlib
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.store import Store, chunks
from oso_tui.store.manifest import read_manifest
from oso_tui.store.tableindex import encode_index
from oso_tui.store.tables import AANVRAGEN
from tests.store.test_store_damage_kinds import (
    COMMANDS,
    PUPILS,
    SHARD,
    assert_every_command_refuses,
    env,
    files_of,
    request_args,
    run,
    school,
)

__all__ = ["env"]

READING_AANVRAGEN = [c for c in COMMANDS if c not in (["audit"], ["status"])]
"""The commands that read the table of requests (length and CRC are checked when a table is read);
`status` reads the counts record instead."""


def table_file(db: Path, table: str) -> Path:
    manifest = read_manifest(db)
    assert manifest is not None
    (part, *_) = manifest.parts[table]
    return db.parent / manifest.folder / part.file


def doctor(capsys: pytest.CaptureFixture[str], db: Path) -> str:
    before = files_of(db)
    code, out, _ = run(capsys, db, "doctor", "--repair")
    assert code == 1, out
    assert "De database is gezond" not in out
    assert files_of(db) == before, "doctor --repair leaves damage alone"
    return out


def test_a_missing_table_file_is_refused_and_doctor_names_the_backup_that_holds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    backup = Store.open(db).backups()[0]
    gone = table_file(db, SHARD)
    gone.unlink()
    words = f"tabel '{SHARD}' ({gone.name}) ontbreekt"
    assert_every_command_refuses(capsys, db, words)
    _, _, err = run(capsys, db, "status")
    assert f"--terugzetten {backup.name}" in err and "bevat 3 aanvragen en 0 leerlingen" in err
    out = doctor(capsys, db)
    assert words in out
    assert f"Tabel '{SHARD}' staat heel in de reservekopie {backup.name}" in out
    assert not gone.exists(), "a missing part is never re-created"


def test_a_damaged_table_file_is_refused_when_read_and_named_by_doctor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    part = table_file(db, AANVRAGEN)
    raw = part.read_bytes()
    part.write_bytes(raw.replace(b'"brin":"12AB"', b'"brin":"12AC"', 1))
    before = files_of(db)
    for command in READING_AANVRAGEN:
        code, _, err = run(capsys, db, *command)
        assert code == 1 and f"tabel '{AANVRAGEN}' ({part.name}) klopt niet met haar controlegetal" in err
        assert files_of(db) == before
    out = doctor(capsys, db)
    assert f"tabel '{AANVRAGEN}' ({part.name}) klopt niet met haar controlegetal" in out
    assert f"Tabel '{AANVRAGEN}' staat heel in de reservekopie" in out


def index_file(db: Path, table: str) -> Path:
    manifest = read_manifest(db)
    assert manifest is not None
    return db.parent / manifest.folder / manifest.indexes[table].file


def test_a_damaged_index_file_is_refused_and_named_by_doctor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    index = index_file(db, SHARD)
    raw = index.read_bytes()
    index.write_bytes(raw.replace(b",", b" ", 1))  # the same length, another CRC
    words = f"({index.name}) klopt niet met haar controlegetal"
    assert_every_command_refuses(capsys, db, words)
    assert words in doctor(capsys, db)
    assert index.read_bytes() == raw.replace(b",", b" ", 1), "never written over"


def test_a_missing_index_file_is_refused_and_never_re_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    gone = index_file(db, SHARD)
    gone.unlink()
    words = f"({gone.name}) ontbreekt"
    assert_every_command_refuses(capsys, db, words)
    assert words in doctor(capsys, db)
    assert not gone.exists()


@pytest.mark.parametrize("kind", ["vreemde-naam", "zelfde-generatie"])
def test_an_extra_file_in_the_table_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    db = school(tmp_path, capsys)
    manifest = read_manifest(db)
    assert manifest is not None
    name = f"{SHARD}.json" if kind == "vreemde-naam" else f"{SHARD}.{manifest.generation}-0badc0de.json"
    (db.parent / manifest.folder / name).write_bytes(table_file(db, SHARD).read_bytes())
    words = f"in {manifest.folder} staat {name}, dat de inhoudsopgave niet noemt"
    assert_every_command_refuses(capsys, db, words)
    assert words in doctor(capsys, db)


def test_a_missing_manifest_is_refused_and_never_a_new_empty_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    db.unlink()
    words = "de inhoudsopgave ontbreekt, terwijl oso-tabellen nog tabellen bevat"
    assert_every_command_refuses(capsys, db, words)
    assert not db.exists()
    out = doctor(capsys, db)
    assert words in out and "Doctor repareert dit niet zelf" in out
    assert not db.exists()


def test_a_manifest_that_names_a_wrong_length_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    manifest = read_manifest(db)
    assert manifest is not None
    (part, *rest) = manifest.parts[AANVRAGEN]
    wrong = dataclasses.replace(part, length=part.length + 7)
    index = manifest.indexes[AANVRAGEN]
    parts = {**manifest.parts, AANVRAGEN: (wrong, *rest)}
    sharing = [n for n, e in manifest.indexes.items() if e.file == index.file]
    raw = encode_index({n: parts[n] for n in sharing})
    (db.parent / manifest.folder / index.file).write_bytes(raw)
    indexes = {
        n: dataclasses.replace(e, length=len(raw), crc=zlib.crc32(raw)) if n in sharing else e
        for n, e in manifest.indexes.items()
    }
    db.write_bytes(dataclasses.replace(manifest, parts=parts, indexes=indexes).encode())
    words = f"tabel '{AANVRAGEN}' ({part.file}) heeft een andere lengte dan de inhoudsopgave zegt"
    before = files_of(db)
    for command in READING_AANVRAGEN:
        code, _, err = run(capsys, db, *command)
        assert code == 1 and words in err, (command, err)
        assert files_of(db) == before
    assert words in doctor(capsys, db)


def test_a_damaged_manifest_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = school(tmp_path, capsys)
    raw = db.read_bytes()
    db.write_bytes(raw.replace(b'"leerlingen-03"', b'"leerlingen-04"', 1))
    assert_every_command_refuses(capsys, db, "de inhoudsopgave (manifest) is beschadigd")
    assert "de inhoudsopgave (manifest) is beschadigd" in doctor(capsys, db)


def test_leftovers_of_a_killed_commit_are_ignored_and_removed_under_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    manifest = read_manifest(db)
    assert manifest is not None
    folder = db.parent / manifest.folder
    unfinished = folder / f"{AANVRAGEN}.{manifest.generation + 1}-0badc0de.json"
    unfinished.write_bytes(b'{"half')
    unfinished.chmod(0o600)
    code, out, _ = run(capsys, db, "status")
    assert code == 0 and "3 aanvragen" in out
    code, out, _ = run(capsys, db, "doctor")
    assert code == 0 and "De database is gezond." in out
    assert (
        f"1 achtergebleven tabelbestand(en) van een afgebroken wijziging (bijvoorbeeld {unfinished.name})"
        in out
    )
    assert run(capsys, db, *request_args(PUPILS[3]))[0] == 0
    assert not unfinished.exists(), "the next writer removes it under the lock"


def test_a_read_only_table_folder_is_respected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = school(tmp_path, capsys)
    folder = db.parent / "oso-tabellen"
    folder.chmod(0o500)
    try:
        before = files_of(db)
        code, _, err = run(capsys, db, *request_args(PUPILS[3]))
        assert code == 1
        assert f"De map met tabellen {folder} is alleen-lezen (rechten 0500)" in err
        assert "er is niets gewijzigd" in err
        assert files_of(db) == before
        code, out, _ = run(capsys, db, "status")
        assert code == 0 and "3 aanvragen" in out, "reading still works"
    finally:
        folder.chmod(0o700)


class Rij(BaseModel):
    id: str
    n: int


def test_readers_that_race_a_writer_read_a_whole_version(tmp_path: Path) -> None:
    """Other processes' readers open the manifest while a writer replaces it and retires files."""
    db = tmp_path / "oso.json"
    writer = Store.open(db)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(60):
                with writer.transaction() as tx:
                    tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"r{i}-{j}", n=i) for j in range(40)])
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    seen = 0
    while thread.is_alive():
        with Store.open(db).snapshot() as view:  # a new Store: nothing cached, like another process
            count = len(view.collection(AANVRAGEN, Rij).all())
        assert count % 40 == 0 and count >= seen
        seen = count
    thread.join()
    assert not errors
    with Store.open(db).snapshot() as view:
        assert len(view.collection(AANVRAGEN, Rij)) == 60 * 40


def test_a_commit_that_adds_many_documents_cuts_them_for_the_grown_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk commit (a migration, a collective action) into a small store must not leave the store
    with thousands of small files, which every later commit rewriting that table would name again."""
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 1024)
    monkeypatch.setattr(chunks, "MAX_PARTS", 20)
    db = tmp_path / "oso.json"
    store = Store.open(db)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"r{j:05d}", n=j) for j in range(10)])
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"s{j:05d}", n=j) for j in range(5000)])
    manifest = read_manifest(db)
    assert manifest is not None
    runs = manifest.parts[AANVRAGEN]
    assert sum(p.count for p in runs) == 5010
    stored = sum(p.length for p in runs)
    assert stored > 50 * 1024, "the table is far larger than 20 runs of the smallest size"
    assert len(runs) <= 25, f"{len(runs)} files for a table of {stored} bytes"
