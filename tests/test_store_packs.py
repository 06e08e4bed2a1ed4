"""Raw dossiers packed per collective fetch: same guarantees as loose files, far fewer files.

Round trip, dedupe, crashes, damage, removal that really removes, two processes at once, file
modes, doctor, and expiry after a real fetch.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from oso_tui import services
from oso_tui.cli import main
from oso_tui.exchange.folder import FolderExchange
from oso_tui.store import RawBatch, Store, StoreCorruptError, StoreError, StoreWriteError
from oso_tui.store import packs as packs_module
from oso_tui.store import raw as raw_module
from oso_tui.store.files import TEMP_MARKER
from oso_tui.store.packs import is_pack
from oso_tui.store.tables import DOSSIERS
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of
from tests.store_helpers import other_group, run_worker
from tests.store_worker import blob


class Versie(BaseModel):
    id: str
    verwijderd: bool = False


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def packs_in(store: Store) -> list[Path]:
    if not store.raw_dir.exists():
        return []
    return sorted(p for p in store.raw_dir.iterdir() if is_pack(p.name))


def temps_in(store: Store) -> list[Path]:
    return sorted(p for p in store.raw_dir.iterdir() if TEMP_MARKER in p.name)


def on_disk(folder: Path, needle: bytes) -> list[Path]:
    """Every file under `folder` whose bytes contain `needle` (what `grep -rl` would find)."""
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def make_old(path: Path) -> None:
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))


def doctor(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["doctor", "--db", str(db), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "oso.json")


def put_all(store: Store, blobs: list[bytes], **kw: int) -> list[str]:
    with store.raw_batch(**kw) as batch:
        assert isinstance(batch, RawBatch)
        return [batch.put(b) for b in blobs]


# -- round trip and dedupe -------------------------------------------------------------------------


def test_many_dossiers_go_into_one_pack_and_come_back_exactly(store: Store) -> None:
    blobs = [blob("rond", i) for i in range(500)]
    shas = put_all(store, blobs)
    assert shas == [sha_of(b) for b in blobs]
    assert len(packs_in(store)) == 1
    assert not [p for p in store.raw_dir.iterdir() if p.suffix == ".xml"], "no loose files"
    assert not temps_in(store)
    # A fresh Store (another process) reads the same from the pack's index.
    other = Store.open(store.path)
    assert other.raw_ids() == sorted(set(shas))
    assert all(other.has_raw(s) for s in shas)
    assert all(other.get_raw(s) == b for s, b in zip(shas, blobs, strict=True))


def test_a_large_batch_starts_new_packs_past_the_limit(store: Store) -> None:
    blobs = [blob("groot", i) for i in range(300)]
    shas = put_all(store, blobs, limit=20_000)
    packs = packs_in(store)
    assert len(packs) > 3
    assert all(p.stat().st_size < 20_000 + 5_000 for p in packs), "limit + one dossier + index"
    assert all(store.get_raw(s) == b for s, b in zip(shas, blobs, strict=True))


def test_nothing_put_means_no_file_and_no_folder(store: Store) -> None:
    with store.raw_batch():
        pass
    assert not store.raw_dir.exists()


def test_a_dossier_already_stored_is_not_written_again(store: Store) -> None:
    loose = store.put_raw(blob("los", 1))
    first = put_all(store, [blob("a", i) for i in range(10)])
    assert len(packs_in(store)) == 1
    # Twice in one batch, already in a pack, already a loose file: nothing new to write.
    with store.raw_batch() as batch:
        batch.put(blob("a", 3))
        batch.put(blob("a", 3))
        batch.put(blob("los", 1))
    assert len(packs_in(store)) == 1, "a batch of known dossiers writes no pack"
    with store.raw_batch() as batch:
        batch.put(blob("a", 4))
        batch.put(blob("nieuw", 1))
        batch.put(blob("nieuw", 1))
    newest = max(packs_in(store), key=lambda p: p.stat().st_mtime_ns)
    assert newest.read_bytes().count(blob("nieuw", 1)) == 1
    assert blob("a", 4) not in newest.read_bytes()
    assert store.raw_ids() == sorted({loose, *first, sha_of(blob("nieuw", 1))})


# -- crashes ---------------------------------------------------------------------------------------


def test_an_exception_in_the_block_leaves_no_pack_and_no_temp(store: Store) -> None:
    class StopError(Exception):
        pass

    with pytest.raises(StopError), store.raw_batch() as batch:
        for i in range(50):
            batch.put(blob("half", i))
        assert temps_in(store), "the pack is being written under a temp name"
        raise StopError
    assert not packs_in(store)
    assert not temps_in(store)
    assert store.raw_ids() == []


def test_a_killed_fetch_leaves_only_a_temp_that_is_swept(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    worker = run_worker("crash", str(store.path), "40")
    _, err = worker.communicate(timeout=60)
    assert worker.returncode == 3, err
    assert not packs_in(store)
    [temp] = temps_in(store)
    assert store.raw_ids() == [] and not store.has_raw(sha_of(blob("crash", 0)))
    make_old(temp)
    # A fetch that is still reading holds the lock on its temp pack, however old the file looks.
    reader = os.open(temp, os.O_RDONLY)
    try:
        fcntl.flock(reader, fcntl.LOCK_EX)
        _, out = doctor(store.path, capsys, "--repair")
        assert temp.exists(), "a temp pack whose writer lives is never removed"
        with store.raw_batch() as batch:
            batch.put(blob("tussendoor", 1))
        assert temp.exists()
    finally:
        os.close(reader)
    _, out = doctor(store.path, capsys)
    assert "1 achtergebleven tijdelijk(e) bestand(en)" in out
    # The next fetch sweeps it as soon as no writer holds it: no hour of waiting.
    young = time.time() - 10
    os.utime(temp, (young, young))
    with Store.open(store.path).raw_batch():
        pass
    assert not temp.exists()


def test_a_full_disk_while_packing_is_a_dutch_error_and_leaves_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    calls = 0

    def failing_write(fd: int, data: bytes | memoryview) -> int:
        nonlocal calls
        calls += 1
        if calls > 5:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(packs_module.os, "write", failing_write)
    with pytest.raises(StoreWriteError, match="de schijf is vol"), store.raw_batch() as batch:
        for i in range(20):
            batch.put(blob("vol", i))
    assert not packs_in(store) and not temps_in(store)


# -- damage ----------------------------------------------------------------------------------------


def test_a_damaged_blob_is_refused_never_returned(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    blobs = [blob("heel", i) for i in range(5)]
    shas = put_all(store, blobs)
    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).put_many([Versie(id=s) for s in shas])
    [pack] = packs_in(store)
    data = bytearray(pack.read_bytes())
    at = bytes(data).index(blobs[2])
    data[at + 3] ^= 0x20
    pack.write_bytes(bytes(data))
    fresh = Store.open(store.path)
    with pytest.raises(StoreCorruptError, match="is beschadigd"):
        fresh.get_raw(shas[2])
    assert fresh.get_raw(shas[3]) == blobs[3]
    code, out = doctor(store.path, capsys)
    assert code == 1
    assert "1 dossierbestand(en) zijn beschadigd" in out


@pytest.mark.parametrize("damage", ["afgekapt", "index", "voettekst", "geen-pak"])
def test_a_damaged_pack_index_is_a_dutch_error_and_doctor_reports_it(
    store: Store, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    shas = put_all(store, [blob("x", i) for i in range(20)])
    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).put_many([Versie(id=s) for s in shas])
    [pack] = packs_in(store)
    data = bytearray(pack.read_bytes())
    if damage == "afgekapt":
        data = data[: len(data) - 100]
    elif damage == "index":
        data[len(data) - 56 - 48 * 3] ^= 0x01
    elif damage == "voettekst":
        data[-1] ^= 0x01
    else:
        data = bytearray(b"<dossier>geen pakbestand</dossier>")
    pack.write_bytes(bytes(data))
    fresh = Store.open(store.path)
    with pytest.raises(StoreError, match=r"ontbreekt.*pakbestand .* is beschadigd"):
        fresh.get_raw(shas[0])
    assert not fresh.has_raw(shas[0])
    code, out = doctor(store.path, capsys)
    assert code == 1
    assert "20 dossierbestand(en) ontbreken" in out
    assert f"pakbestand {pack.name}" in out and "bevatten mogelijk nog persoonsgegevens" in out
    # Purging still works for everything else and says what is wrong with the damaged pack.
    other = put_all(fresh, [blob("ander", 1)])
    fresh.remove_raw_many(other)
    assert not fresh.has_raw(other[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_damage_ever_gives_wrong_bytes_or_a_traceback(tmp_path: Path, data: st.DataObject) -> None:
    folder = tmp_path / str(time.perf_counter_ns())
    store = Store.open(folder / "oso.json")
    blobs = [blob("p", i) for i in range(8)]
    shas = put_all(store, blobs)
    [pack] = packs_in(store)
    raw = bytearray(pack.read_bytes())
    if data.draw(st.booleans(), label="afkappen"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="lengte")]
    else:
        for at in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=4), label="plekken"):
            raw[at] ^= data.draw(st.integers(1, 255), label="bits")
    pack.write_bytes(bytes(raw))
    fresh = Store.open(store.path)
    for sha, original in zip(shas, blobs, strict=True):
        try:
            assert fresh.get_raw(sha) == original
        except StoreError as exc:
            assert exc.message.startswith("Het dossierbestand")
    assert set(fresh.raw_ids()) <= set(shas)


# -- removal ---------------------------------------------------------------------------------------


def test_removing_a_packed_dossier_rewrites_the_pack_without_its_bytes(store: Store) -> None:
    blobs = [blob("weg", i) for i in range(10)]
    shas = put_all(store, blobs)
    [pack] = packs_in(store)
    pack.chmod(0o640)
    inode = pack.stat().st_ino
    store.remove_raw(shas[4])
    assert pack.stat().st_ino != inode, "a new file replaced the old one"
    assert pack.stat().st_mode & 0o777 == 0o640, "the rewrite keeps the mode"
    assert on_disk(store.path.parent, blobs[4]) == []
    assert not store.has_raw(shas[4])
    assert sha_of(blobs[4]) not in Store.open(store.path).raw_ids()
    assert all(store.get_raw(s) == b for s, b in zip(shas, blobs, strict=True) if s != shas[4])
    assert not temps_in(store)
    store.remove_raw_many(shas)
    assert packs_in(store) == [], "an empty pack is deleted"
    assert store.raw_ids() == []
    store.remove_raw(shas[0])  # already gone: fine


def test_remove_many_rewrites_each_pack_once_and_removes_every_copy(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    loose = store.put_raw(blob("b", 0))
    first = put_all(store, [blob("a", i) for i in range(30)])
    # Another process wrote the same dossier in its own pack at the same time: two copies.
    other = Store.open(store.path)
    with store.raw_batch() as one, other.raw_batch() as two:
        one.put(blob("dubbel", 1))
        one.put(blob("c", 1))
        two.put(blob("dubbel", 1))
        two.put(blob("b", 1))
    assert len(packs_in(store)) == 3
    rewrites: list[str] = []
    real = raw_module.rewrite_without

    def counting(path: Path, remove: set[str], mode: object) -> bool:
        rewrites.append(path.name)
        return real(path, remove, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(raw_module, "rewrite_without", counting)
    gone = [*first[:10], sha_of(blob("dubbel", 1)), loose, "0" * 64]
    store.remove_raw_many(gone)
    assert sorted(rewrites) == sorted(set(rewrites)), "each pack at most once"
    assert len(rewrites) == 3
    for b in [blob("a", i) for i in range(10)] + [blob("dubbel", 1), blob("b", 0)]:
        assert on_disk(store.path.parent, b) == []
    assert set(Store.open(store.path).raw_ids()) == {*first[10:], sha_of(blob("b", 1)), sha_of(blob("c", 1))}


def test_a_pack_that_would_only_repeat_a_colleagues_pack_is_not_stored(store: Store) -> None:
    """Two fetches of the same files at once: the one that finishes second stores nothing."""
    other = Store.open(store.path)
    same = [blob("zelfde", i) for i in range(5)]
    with store.raw_batch() as one, other.raw_batch() as two:
        for data in same:
            one.put(data)
            two.put(data)
    assert len(packs_in(store)) == 1 and not temps_in(store)
    assert all(store.get_raw(sha_of(data)) == data for data in same)
    with store.raw_batch() as again:
        for data in same:
            again.put(data)
    assert len(packs_in(store)) == 1, "a second fetch of the same files stores no pack"


def test_another_process_sees_added_and_rewritten_packs_at_once(store: Store) -> None:
    reader = Store.open(store.path)
    assert reader.raw_ids() == []
    blobs = [blob("c", i) for i in range(6)]
    shas = put_all(store, blobs)
    assert reader.get_raw(shas[5]) == blobs[5]
    store.remove_raw(shas[0])  # every later blob moves to a new offset
    assert not reader.has_raw(shas[0])
    assert reader.get_raw(shas[5]) == blobs[5]
    with pytest.raises(StoreError, match="ontbreekt"):
        reader.get_raw(shas[0])


def test_a_stale_index_never_returns_wrong_bytes(store: Store) -> None:
    """The folder looks unchanged (same mtime) after another process rewrote a pack: look again."""
    blobs = [blob("oud", i) for i in range(6)]
    shas = put_all(store, blobs)
    old = time.time_ns() - 7200 * 10**9
    os.utime(store.raw_dir, ns=(old, old))
    reader = Store.open(store.path)
    assert reader.get_raw(shas[5]) == blobs[5]  # the reader now trusts its index while the folder stays
    store.remove_raw(shas[0])  # every later blob moves
    os.utime(store.raw_dir, ns=(old, old))
    assert reader.get_raw(shas[5]) == blobs[5]
    assert reader.get_raw(shas[1]) == blobs[1]
    with pytest.raises(StoreError, match="ontbreekt"):
        reader.get_raw(shas[0])


# -- processes -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_processes_pack_while_two_others_purge(store: Store) -> None:
    doomed = [blob("weg", i) for i in range(60)]
    kept = [blob("blijft", i) for i in range(60)]
    put_all(store, doomed[:30] + kept[:30])
    put_all(store, kept[30:] + doomed[30:])
    doomed_shas = [sha_of(b) for b in doomed]
    workers = [run_worker("pack", str(store.path), prefix, "80", "4") for prefix in ("p1", "p2")]
    workers += [run_worker("purge", str(store.path), *doomed_shas[i::2]) for i in range(2)]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    fresh = Store.open(store.path)
    expected = kept + [blob(p, i) for p in ("p1", "p2", "gedeeld") for i in range(320)]
    assert all(fresh.get_raw(sha_of(b)) == b for b in expected)
    assert set(fresh.raw_ids()) == {sha_of(b) for b in expected}
    for b in doomed:
        assert on_disk(store.raw_dir, b) == [], "a concurrent rewrite brought a purged dossier back"
    assert not temps_in(fresh)
    assert len(packs_in(fresh)) <= 2 + 8


# -- modes -----------------------------------------------------------------------------------------


def test_packs_are_private(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        store = Store.open(tmp_path / "data" / "oso.json")
        shas = put_all(store, [blob("m", i) for i in range(3)])
        store.remove_raw(shas[0])
    finally:
        os.umask(old_umask)
    assert {p.stat().st_mode & 0o777 for p in store.raw_dir.iterdir()} == {0o600}
    assert store.raw_dir.stat().st_mode & 0o777 == 0o700


def test_packs_get_the_configured_group(tmp_path: Path) -> None:
    group = other_group()
    if group is None:
        pytest.skip("deze gebruiker zit in geen tweede groep om mee te testen")
    store = Store.open(tmp_path / "oso.json", group=group.gr_name)
    shas = put_all(store, [blob("g", i) for i in range(3)])
    store.remove_raw(shas[0])
    for path in store.raw_dir.iterdir():
        assert path.stat().st_mode & 0o777 == 0o660, path
        assert path.stat().st_gid == group.gr_gid, path


# -- doctor ----------------------------------------------------------------------------------------


def test_doctor_sees_packed_dossiers(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    kept, gone, orphan, purged = (blob(n, 1) for n in ("bewaard", "kwijt", "los", "opgeschoond"))
    shas = put_all(store, [kept, gone, orphan, purged])
    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).put_many(
            [Versie(id=shas[0]), Versie(id=shas[1]), Versie(id=shas[3], verwijderd=True)]
        )
    code, out = doctor(store.path, capsys)
    assert "2 recent opgeslagen dossierbestand(en) wachten nog" in out
    store.remove_raw(shas[1])
    [pack] = packs_in(store)
    make_old(pack)
    pack.chmod(0o644)
    code, out = doctor(store.path, capsys)
    assert code == 1
    assert "1 dossierbestand(en) ontbreken" in out
    assert "2 dossierbestand(en) horen bij geen enkele dossierversie" in out
    assert "andere rechten dan 0600" in out
    code, out = doctor(store.path, capsys, "--repair")
    assert "2 dossierbestand(en) zonder dossierversie verwijderd" in out
    assert store.raw_ids() == [shas[0]]
    assert on_disk(store.raw_dir, orphan) == [] and on_disk(store.raw_dir, purged) == []
    assert [p.stat().st_mode & 0o777 for p in packs_in(store)] == [0o600]
    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).delete(shas[1])
    code, out = doctor(store.path, capsys)
    assert code == 0, out
    assert "Alle 1 dossierbestanden zijn aanwezig en heel." in out


# -- the fetch and expiry --------------------------------------------------------------------------


def test_a_fetch_packs_its_dossiers_and_expiry_really_removes_them(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, date(2026, 3, 20))
    store = Store.open(settings.db_path)
    inbox = settings.inbox_dir
    inbox.mkdir()
    bsns = valid_bsns(12)
    raws = {}
    for n, pgn in enumerate(bsns):
        services.request(ctx_of(store, settings, "jan"), pgn=pgn, geboortedatum=date(2014, 5, 1), brin="12AB")
        raws[pgn] = dossier_xml(pgn, datum=date(2026, 3, 10 if n < 6 else 18))
        (inbox / f"{pgn}.xml").write_bytes(raws[pgn])
    report = services.fetch(ctx_of(store, settings, "jan"), FolderExchange(inbox))
    assert report.nieuw == 12
    [pack] = packs_in(store)
    assert not [p for p in store.raw_dir.iterdir() if p.suffix == ".xml"], "no loose files"
    assert all(on_disk(store.raw_dir, raw) == [pack] for raw in raws.values())

    # Data compiled before a cut-off expires on it; the later six stay.
    after = settings_for(tmp_path, date(2026, 3, 20), cutoff=date(2026, 3, 15))
    result = services.expire(ctx_of(store, after, "systeem"))
    assert len(result.opgeschoond) == 6
    for pgn in bsns[:6]:
        assert on_disk(store.raw_dir, raws[pgn]) == [], "purged bytes are still in the store's files"
        assert on_disk(store.path.parent, raws[pgn]) == on_disk(inbox, raws[pgn]), "only the exchange's copy"
    for pgn in bsns[6:]:
        versie, _ = services.latest_dossier(ctx_of(store), pgn)
        assert store.get_raw(versie.id) == raws[pgn]
