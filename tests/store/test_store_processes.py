"""Two users at once and writers killed mid-write: the store never loses or half-writes a transaction."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oso_tui.store import Store, leftovers
from oso_tui.store.files import TEMP_MARKER
from oso_tui.store.leftovers import PART_RE
from oso_tui.store.manifest import read_manifest
from tests.store_helpers import run_worker
from tests.store_worker import Rij, check, one_transaction


@pytest.mark.slow
def test_two_processes_300_transactions_each_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "oso.json"
    Store.open(db)
    workers = [run_worker("many", str(db), prefix, "300") for prefix in ("p1", "p2")]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    assert check(db, "p1") == 299
    assert check(db, "p2") == 299
    with Store.open(db).snapshot() as view:
        rows = view.collection("aanvragen", Rij)
        assert len(rows) == 2 * (300 * 3 + 1)


@pytest.mark.slow
def test_writer_killed_at_random_moments_60_times(tmp_path: Path) -> None:
    db = tmp_path / "oso.json"
    worker = run_worker("kill", str(db), "60", "20261129")
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    landed, mid_write = (int(n) for n in out.split())
    assert landed >= 10, "de schrijver kwam te weinig aan schrijven toe om iets te bewijzen"
    assert mid_write > 0, "geen enkele kill viel midden in een schrijfactie"
    print(f"{landed + 1} transacties, {mid_write} van 60 kills midden in het schrijven")
    assert check(db, "k") == landed
    store = Store.open(db)
    one_transaction(store, "k", landed + 1)
    assert not [p for p in tmp_path.iterdir() if TEMP_MARKER in p.name]
    manifest = read_manifest(db)
    assert manifest is not None
    unfinished = [
        p.name
        for p in store.parts_dir.iterdir()
        if (m := PART_RE.fullmatch(p.name)) is None or int(m.group(1)) > manifest.generation
    ]
    assert unfinished == [], "what killed commits left is gone after the next one"


def _killed_before_the_manifest(db: Path, prefix: str) -> None:
    """Another process: a writer that wrote its table files and is killed before its manifest."""
    worker = run_worker("half", str(db), prefix)
    _, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err


def unfinished(store: Store) -> list[str]:
    manifest = read_manifest(store.path)
    assert manifest is not None
    return [
        p.name
        for p in store.parts_dir.iterdir()
        if (m := PART_RE.fullmatch(p.name)) is not None and int(m.group(1)) > manifest.generation
    ]


def test_a_writer_that_committed_last_itself_still_sweeps_what_a_killed_writer_left(tmp_path: Path) -> None:
    """The writer lists the folder only when another can have left something; a killed writer's files
    carry the generation of the next commit and would be damage once it lands."""
    db = tmp_path / "oso.json"
    store = Store.open(db)
    one_transaction(store, "a", 0)
    one_transaction(store, "a", 1)  # this store committed last: its own state, no listing
    folder = store.parts_dir.stat()
    _killed_before_the_manifest(db, "b")
    os.utime(store.parts_dir, ns=(folder.st_atime_ns, folder.st_mtime_ns))  # as if in the same tick
    assert unfinished(store), "the killed writer left files of the next generation"
    assert store.lock_path.stat().st_size > 0, "and its mark"
    one_transaction(store, "a", 2)
    assert unfinished(store) == []
    assert store.lock_path.stat().st_size == 0
    assert check(db, "a") == 2 and check(db, "b") == -1
    with Store.open(db).snapshot() as view:
        assert view.tables()  # opens: nothing unnamed of the current generation


def test_files_another_writer_put_in_the_folder_are_seen_without_a_mark(tmp_path: Path) -> None:
    """A writer of an older version leaves no mark: the folder's changed time makes the sweep list it."""
    db = tmp_path / "oso.json"
    store = Store.open(db)
    one_transaction(store, "a", 0)
    manifest = read_manifest(db)
    assert manifest is not None
    stray = store.parts_dir / f"aanvragen.{manifest.generation + 1}-0badc0de.json"
    stray.write_bytes(b"{}")
    one_transaction(store, "a", 1)
    assert not stray.exists()
    assert check(db, "a") == 1


def test_a_writer_removes_the_files_its_own_commits_retired_without_listing_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "oso.json"
    store = Store.open(db)
    one_transaction(store, "a", 0)
    before = {p.name for p in store.parts_dir.iterdir()}
    monkeypatch.setattr(leftovers, "SUPERSEDED_GRACE", 0.0)
    one_transaction(store, "a", 1)
    listed: list[object] = []
    real = os.listdir

    def listing(path: str | os.PathLike[str] = ".") -> list[str]:
        if Path(path) == store.parts_dir:
            listed.append(path)
        return real(path)

    monkeypatch.setattr(os, "listdir", listing)
    one_transaction(store, "a", 2)
    assert listed == [], "nobody else wrote: the folder is not listed"
    now = {p.name for p in store.parts_dir.iterdir()}
    manifest = read_manifest(db)
    assert manifest is not None
    assert not (before - manifest.files) & now, "what an earlier commit stopped naming is gone"
    assert before - now, "and there was something to remove"


def test_a_retired_file_the_manifest_names_again_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restore point can name a file again that a commit had retired: the sweep asks the manifest."""
    db = tmp_path / "oso.json"
    store = Store.open(db)
    one_transaction(store, "a", 0)
    one_transaction(store, "a", 1)
    manifest = read_manifest(db)
    assert manifest is not None
    monkeypatch.setattr(leftovers, "SUPERSEDED_GRACE", 0.0)
    store._sweeper.retired |= set(manifest.files)  # as if every named file had been retired once
    one_transaction(store, "a", 2)
    assert check(db, "a") == 2, "nothing the manifests named went"
