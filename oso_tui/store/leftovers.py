"""What writers leave in a store's table folder, and which of it is damage.

A file the manifest does not name is a leftover of a writer when its generation says so: newer than the
manifest (a commit that never landed, because its writer was killed) or older (a file a commit stopped
naming, kept `SUPERSEDED_GRACE` seconds for readers of the manifest before). Writers remove leftovers
under the store lock before they commit; any other file in the folder is damage.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from oso_tui.clock import file_seconds
from oso_tui.store.files import is_temp

if TYPE_CHECKING:
    from oso_tui.store.manifest import Manifest, PartsState

PART_RE = re.compile(r"[a-z0-9_-]{1,60}\.(\d+)-[0-9a-f]{8}\.json")
SUPERSEDED_GRACE = 120.0
"""Seconds a part stays after a commit stopped naming it, for readers of the manifest before."""
FULL_SWEEP_SECONDS = 600.0
"""A writer that committed last itself lists the folder at most this often (see `Sweeper`)."""


def _generation_of(name: str) -> int | None:
    match = PART_RE.fullmatch(name)
    return int(match.group(1)) if match else None


def leftover(name: str, manifest: Manifest, named: frozenset[str]) -> bool:
    """An unnamed file a writer left: a temp file, or a part of another generation (a commit that
    never landed, or one the manifest no longer names)."""
    if name in named:
        return False
    if name.startswith(".") and is_temp(Path(name)):
        return True
    generation = _generation_of(name)
    return generation is not None and generation != manifest.generation


def listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)  # noqa: PTH208 - names only, in C: a big store's folder holds thousands
    except (FileNotFoundError, NotADirectoryError):
        return []


def strangers(names: AbstractSet[str], manifest: Manifest) -> list[str]:
    """Files in the folder that the manifest does not name and no writer can have left."""
    named = manifest.files
    return sorted(n for n in names - named if not leftover(n, manifest, named))


def stale_leftovers(
    folder: Path,
    manifest: Manifest,
    *,
    grace: float | None = None,
    names: AbstractSet[str] | None = None,
    named: AbstractSet[str] | None = None,
) -> list[str]:
    """What writers left in the folder that no reader can need any more.

    A part of a commit that never landed at once; one a newer manifest replaced once it was replaced
    `grace` seconds ago, so a reader that opened the older manifest can still read it. `names` is the
    folder's listing when the caller has one taken since `manifest` was committed (a file left after
    it is then removed by a later sweep); `named`, which of `names` the manifest names, when the
    caller knows (else every file the manifest names).
    """
    named = manifest.files if named is None else frozenset(named)
    now = file_seconds()
    grace = SUPERSEDED_GRACE if grace is None else grace
    found = []
    base = os.fspath(folder)
    for name in sorted((set(listing(folder)) if names is None else names) - named):
        if not leftover(name, manifest, named):
            continue
        generation = _generation_of(name)
        if generation is not None and generation < manifest.generation:
            try:  # a plain stat: the files of the last two minutes' commits are looked at each time
                if now - os.stat(os.path.join(base, name)).st_mtime < grace:  # noqa: PTH116, PTH118
                    continue
            except OSError:
                continue
        found.append(name)
    return found


def remove_leftovers(
    folder: Path,
    manifest: Manifest,
    *,
    grace: float | None = None,
    names: AbstractSet[str] | None = None,
    named: AbstractSet[str] | None = None,
) -> list[str]:
    """Remove `stale_leftovers`; call under the store lock."""
    removed: list[str] = []
    for name in stale_leftovers(folder, manifest, grace=grace, names=names, named=named):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
            removed.append(name)
    return removed


def retire(folder: Path, files: Iterable[str]) -> None:
    """Mark parts a commit no longer names: their time says when, for `remove_leftovers`."""
    for name in files:
        with contextlib.suppress(OSError):
            os.utime(folder / name)


def remove_unnamed(folder: Path, manifest: Manifest) -> None:
    """Remove every file the manifest does not name (after a restore, with the old ones kept aside)."""
    named = manifest.files
    for name in listing(folder):
        if name not in named:
            with contextlib.suppress(OSError):
                (folder / name).unlink()


class Sweeper:
    """One process's sweeps of one store's table folder, before each of its commits.

    Leftovers must go before a commit: a killed writer's files carry the generation the next commit
    writes, and once that commit lands they would look like damage. Listing the folder finds them, but
    at 20,000 pupils it holds some 27,000 files (15 ms a commit). So the folder is listed only when
    another writer can have left something: when the state was just read from disk (its opening listed
    the folder anyway), when the folder changed since this process's last commit, or when a writer's
    mark in the lock file says it was killed halfway. Otherwise only the files this process's own
    commits stopped naming are looked at, and the whole folder every `FULL_SWEEP_SECONDS`.
    """

    def __init__(self, lock_path: Path) -> None:
        self.lock_path = lock_path
        self.retired: set[str] = set()
        self._listed_at = -FULL_SWEEP_SECONDS
        self._folder_after: tuple[Path, int] | None = None

    def sweep(self, state: PartsState) -> None:
        """Remove what writers left that no reader needs; call under the store lock."""
        names = state.take_listing()
        if names is None and self._must_list(state.folder):
            names = set(listing(state.folder))
        if names is not None:
            self._listed_at = time.monotonic()
            self.retired &= names
        if names is None:  # which retired files are named again (a restore) is asked per table
            named = _named(state.manifest, self.retired)
            removed = remove_leftovers(state.folder, state.manifest, names=self.retired, named=named)
        else:
            removed = remove_leftovers(state.folder, state.manifest, names=names)
        self.retired.difference_update(removed)
        if names is not None and self._marked():
            with contextlib.suppress(OSError):
                os.truncate(self.lock_path, 0)

    @contextmanager
    def writing(self, folder: Path) -> Iterator[None]:
        """Around a commit's writes: a mark in the lock file that only a writer killed halfway leaves,
        and afterwards the folder's time, which another writer's files would change."""
        with contextlib.suppress(OSError):
            fd = os.open(self.lock_path, os.O_WRONLY | os.O_CLOEXEC)
            try:
                os.pwrite(fd, b"schrijft\n", 0)
            finally:
                os.close(fd)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.truncate(self.lock_path, 0)
            self._folder_after = (folder, _mtime(folder))

    def _must_list(self, folder: Path) -> bool:
        return (
            self._folder_after != (folder, _mtime(folder))
            or self._marked()
            or time.monotonic() - self._listed_at >= FULL_SWEEP_SECONDS
        )

    def _marked(self) -> bool:
        try:
            return self.lock_path.stat().st_size > 0
        except OSError:
            return True


def _named(manifest: Manifest, names: AbstractSet[str]) -> set[str]:
    """Which of these files the manifest names, asking only the tables their names say they belong to."""
    named = set(names) & manifest.index_files()
    tables: dict[str, set[str]] = {}
    for name in names - named:
        tables.setdefault(name.partition(".")[0], set()).add(name)
    for table, files in tables.items():
        named |= files & {part.file for part in manifest.parts.get(table, ())}
    return named


def _mtime(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return -1
