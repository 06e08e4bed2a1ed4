"""Damaged files, newer schemas, failing disks and permissions: a clear Dutch message, data intact."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from tinydb import Query, TinyDB

from oso_tui.store import (
    Store,
    StoreBusyError,
    StoreCorruptError,
    StoreSchemaError,
    StoreWriteError,
)
from oso_tui.store import files as store_files
from oso_tui.store.audit import journal_path, list_audit, record_audit
from oso_tui.store.backups import RestorePolicy
from oso_tui.store.manifest import read_manifest
from oso_tui.store.storage import parse
from oso_tui.store.tables import AANVRAGEN, HISTORIE
from tests.store.legacy_layout import to_single_file
from tests.store_helpers import other_group


class Rij(BaseModel):
    id: str
    naam: str


def filled_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"r{i}", naam=f"leerling {i}") for i in range(20)])
    return store


def names(store: Store) -> list[str]:
    with store.snapshot() as view:
        return sorted(r.id for r in view.collection(AANVRAGEN, Rij).all())


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        (lambda raw: raw[: len(raw) // 2], "het einde ontbreekt"),
        (lambda raw: b"", "het bestand is leeg"),
        (lambda raw: raw.replace(b'"naam"', b'"naam', 1), "geen geldige JSON"),
        (lambda raw: b"[1, 2, 3]", "geen verzameling tabellen"),
        (lambda raw: b"\xff\xfe" + raw, "UTF-8"),
    ],
    ids=["afgekapt", "leeg", "kapot", "lijst", "codering"],
)
def test_damaged_file_is_reported_and_never_overwritten(tmp_path: Path, damage, what: str) -> None:  # type: ignore[no-untyped-def]
    store = filled_store(tmp_path)
    to_single_file(store.path)  # the reader of the older single file, with a copy of it as backup
    store.backup("handmatig")
    damaged = damage(store.path.read_bytes())
    store.path.write_bytes(damaged)
    with pytest.raises(StoreCorruptError) as exc:
        Store.open(store.path)
    message = exc.value.message
    assert what in message
    assert "beschadigd" in message and "niet aangeraakt" in message
    assert f"--terugzetten {store.backups()[0].name}" in message
    assert "bevat 20 aanvragen" in message and "wat daarna veranderde gaat verloren" in message
    with pytest.raises(StoreCorruptError), store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="x"))
    assert store.path.read_bytes() == damaged
    restored = store.backups()[0].read_bytes()
    store.path.write_bytes(restored)
    assert len(names(Store.open(store.path))) == 20


def test_corrupt_file_without_backups_says_so(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    path.write_text('{"aanvragen": {', encoding="utf-8")
    with pytest.raises(StoreCorruptError, match="nog geen reservekopie"):
        Store.open(path)
    assert path.read_text(encoding="utf-8") == '{"aanvragen": {'


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    store = filled_store(tmp_path)
    manifest = read_manifest(store.path)
    assert manifest is not None
    manifest.meta["1"]["schema"] = 99
    store.path.write_bytes(manifest.encode())
    before = store.path.read_bytes()
    with pytest.raises(StoreSchemaError, match="nieuwere versie van oso-tui") as exc:
        Store.open(store.path)
    assert "schema 99" in exc.value.message
    with pytest.raises(StoreSchemaError), store.transaction():
        pass
    assert store.path.read_bytes() == before


def test_plain_tinydb_file_is_migrated_after_a_backup_by_the_first_write(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    with TinyDB(path) as old:
        old.table(AANVRAGEN).insert({"id": "a", "naam": "Jan"})
        old.table(HISTORIE).insert_multiple([{"n": 1}, {"n": 2}])
    before = path.read_bytes()
    store = Store.open(path)
    with store.snapshot() as view:
        assert [r.naam for r in view.collection(AANVRAGEN, Rij).all()] == ["Jan"]
    with store.transaction():
        pass
    with store.transaction() as tx:
        record_audit(tx, user="ib", actie="bekijken-zorg", wanneer=datetime(2027, 1, 4, 8, 0, tzinfo=UTC))
    assert path.read_bytes() == before, "reading, an empty transaction and a care view never migrate"
    assert store.backups() == []
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="b", naam="Piet"))
    backups = store.backups()
    assert len(backups) == 1 and "voor-migratie-v0" in backups[0].name
    assert backups[0].read_bytes() == before
    manifest = read_manifest(path)
    assert manifest is not None and manifest.meta["1"]["schema"] == 1
    with store.snapshot() as view:
        assert sorted(r.naam for r in view.collection(AANVRAGEN, Rij).all()) == ["Jan", "Piet"]
        assert [e.actie for e in list_audit(view)] == ["bekijken-zorg"]
    with store.transaction() as tx:
        tx.table(HISTORIE).insert({"n": 3})
    with store.snapshot() as view:
        assert sorted(d["n"] for d in view.table(HISTORIE).all()) == [1, 2, 3]


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ('{"boodschappen": {"1": {"melk": 2}}}', "tabel 'boodschappen' hoort niet bij een oso-tui-database"),
        ('{\n"aanvragen":{},\n"dossiers":{}\n}\n', "de eerste regel met _meta"),
        ('{"_meta": {"1": {"generation": 3}}, "aanvragen": {}}', "_meta heeft geen schemaversie"),
    ],
    ids=["vreemd", "zonder-meta", "zonder-schema"],
)
def test_a_file_that_is_no_store_of_any_version_is_damage_not_an_old_version(
    tmp_path: Path, content: str, what: str
) -> None:
    path = tmp_path / "oso.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreCorruptError, match=what):
        Store.open(path)
    assert path.read_text(encoding="utf-8") == content
    assert not (tmp_path / "oso-reservekopieen").exists()


def test_full_disk_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = filled_store(tmp_path)
    before = store.path.read_bytes()
    real_write = os.write

    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_files.os, "write", full)
    with pytest.raises(StoreWriteError, match="de schijf is vol") as exc, store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="x"))
    assert "er is niets gewijzigd" in exc.value.message
    monkeypatch.setattr(store_files.os, "write", real_write)
    assert store.path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if store_files.TEMP_MARKER in p.name]
    assert "nieuw" not in names(store)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="x"))
    assert "nieuw" in names(store)


def test_read_only_folder_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = filled_store(tmp_path)
    before = store.path.read_bytes()
    if os.geteuid() == 0:
        # root ignores folder permissions; simulate what the kernel says on a read-only mount
        real_open = os.open

        def read_only(path: str | Path, flags: int, mode: int = 0o777) -> int:
            if flags & os.O_CREAT:
                raise OSError(errno.EROFS, "Read-only file system")
            return real_open(path, flags, mode)

        monkeypatch.setattr(store_files.os, "open", read_only)
        expected = "alleen-lezen"
    else:
        tmp_path.chmod(0o500)
        expected = "u mag niet schrijven"
    try:
        with pytest.raises(StoreWriteError, match=expected), store.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="x"))
        assert len(names(store)) == 20
    finally:
        tmp_path.chmod(0o700)
    assert store.path.read_bytes() == before


def test_busy_store_gives_the_dutch_message_after_a_bounded_wait(tmp_path: Path) -> None:
    store = filled_store(tmp_path)
    impatient = Store.open(store.path, lock_timeout=0.3)
    fd = os.open(store.lock_path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        start = time.monotonic()
        with pytest.raises(StoreBusyError) as exc, impatient.transaction():
            pass
        waited = time.monotonic() - start
    finally:
        os.close(fd)
    assert exc.value.message == "De database is bezet door een andere gebruiker; probeer het zo opnieuw."
    assert 0.3 <= waited < 2
    with impatient.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="x"))


def test_temp_files_of_a_killed_writer_are_removed_at_the_next_transaction(tmp_path: Path) -> None:
    store = filled_store(tmp_path)
    leftover = tmp_path / f".oso.json{store_files.TEMP_MARKER}999-dead"
    leftover.write_bytes(b'{"half')
    with store.transaction():
        pass
    assert not leftover.exists()


def test_query_cache_is_fresh_in_every_transaction(tmp_path: Path) -> None:
    store = filled_store(tmp_path)
    other = Store.open(store.path)
    with store.transaction() as tx:
        assert tx.table(HISTORIE).search(Query().n == 1) == []
    with other.transaction() as tx:
        tx.table(HISTORIE).insert({"n": 1})
    with store.transaction() as tx:
        assert len(tx.table(HISTORIE).search(Query().n == 1)) == 1


def test_new_files_are_private(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        store = filled_store(tmp_path / "data")
        store.backup("handmatig")
        store.put_raw(b"<dossier/>")
    finally:
        os.umask(old_umask)
    assert mode_of(store.path) == 0o600
    assert mode_of(store.lock_path) == 0o600
    assert mode_of(store.backups()[0]) == 0o600
    assert all(mode_of(p) == 0o600 for p in store.raw_dir.iterdir())
    assert mode_of(store.path.parent) == 0o700
    assert mode_of(store.raw_dir) == 0o700


def test_rewrite_keeps_mode_and_group(tmp_path: Path) -> None:
    store = filled_store(tmp_path)
    store.path.chmod(0o640)
    ino = store.path.stat().st_ino
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="x"))
    assert store.path.stat().st_ino != ino
    assert mode_of(store.path) == 0o640


def test_configured_group_gets_0660_and_is_kept_on_rewrite(tmp_path: Path) -> None:
    group = other_group()
    if group is None:
        pytest.skip("deze gebruiker zit in geen tweede groep om mee te testen")
    store = Store.open(tmp_path / "data" / "oso.json", group=group.gr_name)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="a", naam="x"))
    sha = store.put_raw(b"<dossier/>")
    store.backup("handmatig")
    with store.transaction() as tx:
        record_audit(tx, user="ib", actie="bekijken-zorg", wanneer=datetime(2027, 1, 4, 8, 0, tzinfo=UTC))
    journal = journal_path(store, 1)
    for path in (store.path, store.lock_path, store.raw_dir / f"{sha}.xml", store.backups()[0], journal):
        assert mode_of(path) == 0o660, path
        assert path.stat().st_gid == group.gr_gid, path
    assert mode_of(store.path.parent) == 0o2770
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="b", naam="y"))
    assert mode_of(store.path) == 0o660
    assert store.path.stat().st_gid == group.gr_gid


def test_unknown_group_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreWriteError, match="De groep 'bestaatniet' uit de configuratie bestaat niet"):
        Store.open(tmp_path / "oso.json", group="bestaatniet")


def test_restore_points_follow_the_policy_and_stay_bounded(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json", policy=RestorePolicy(every_writes=3, every_minutes=600, keep=4))
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r0", naam="x"))
    assert store.backups() == [], "the empty store of a first start is no restore point"
    for i in range(1, 4):
        with store.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put(Rij(id=f"r{i}", naam="x"))
    first = store.backup_list()
    assert [(b.generation, b.reason) for b in first] == [(1, "periodiek")]
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r4", naam="x"))
    assert [b.generation for b in store.backup_list()] == [4, 1], "three writes after the last one"
    with store.transaction(restore_point="collectief") as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r5", naam="x"))
    newest = store.backup_list()[0]
    assert (newest.generation, newest.reason) == (5, "voor-collectief")
    with store.transaction(restore_point="collectief"):
        pass
    assert store.backup_list()[0] == newest, "a collective action that changed nothing needs none"
    for _ in range(5):
        store.backup("handmatig")
    assert len(store.backups()) == 4


def test_a_restore_point_is_due_after_m_minutes(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "oso.json", policy=RestorePolicy(every_writes=100, every_minutes=30))
    for i in range(2):
        with store.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put(Rij(id=f"r{i}", naam="x"))
    (only,) = store.backups()
    old = only.with_name(only.name.replace(only.name.split("-")[1], "20000101T000000000000"))
    only.rename(old)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r9", naam="x"))
    assert len(store.backups()) == 2 and store.backups()[1] == old


@given(
    cut=st.integers(min_value=0, max_value=10_000),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=3),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_truncation_is_detected_and_damage_never_crashes(
    tmp_path: Path, cut: int, flips: list[tuple[int, int]]
) -> None:
    path = tmp_path / "oso.json"
    if not path.exists():
        store = Store.open(path)
        with store.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"r{i}", naam=f"Ëlla {i}") for i in range(30)])
    good = path.read_bytes()
    restore = lambda: "herstel."  # noqa: E731
    if cut < len(good.rstrip()):
        with pytest.raises(StoreCorruptError, match="beschadigd"):
            parse(good[:cut], path, restore)
    damaged = bytearray(good)
    for position, value in flips:
        damaged[position % len(damaged)] = value
    try:
        data = parse(bytes(damaged), path, restore)
    except StoreCorruptError:
        return
    assert isinstance(data, dict)
