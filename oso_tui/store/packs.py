"""Pack files: the raw dossiers of one collective fetch in one file, with an index at its end.

Creating a thousand small files costs many times more than appending a thousand blobs to one open
file, so a fetch writes its dossiers into a pack. Layout (version 1, integers big-endian):

    header  b"OSOPAK" + version (2 bytes)
    blobs   the raw bytes of each dossier, one after another
    index   per blob: sha256 (32 bytes), offset (8), length (8)
    footer  index offset (8), blob count (8), sha256 of the index (32), b"OSOPAKIX"

A pack is written under a temp name and renamed only when it is complete and on disk, so a pack
under its final name is whole unless the disk damaged it; the footer and the index checksum catch
a damaged index, and every blob is checked against its sha256 whenever it is read. A pack is never
appended to after its rename; removing a blob rewrites the pack without it (temp file, fsync,
rename), so purged bytes are really gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from oso_tui.clock import system_now
from oso_tui.store.files import (
    FileMode,
    atomic_write,
    fsync_dir,
    hold_temp,
    os_reason,
    temp_name,
    write_error,
)

MAGIC = b"OSOPAK"
VERSION = 1
HEADER = MAGIC + struct.pack(">H", VERSION)
FOOTER_MAGIC = b"OSOPAKIX"
_ENTRY = struct.Struct(">32sQQ")
_FOOTER = struct.Struct(">QQ32s8s")
PACK_LIMIT = 64 * 1024 * 1024
"""A batch starts a new pack past this size, so rewriting a pack to remove one blob stays bounded."""

PACK_RE = re.compile(r"pak-\d{8}T\d{12}Z-[0-9a-f]{8}\.pak")
RACY_NS = 2_000_000_000
"""A folder changed this recently may change again within the same timestamp tick: look again."""


class PackEntry(NamedTuple):
    pack: str
    offset: int
    length: int


class PackDamagedError(Exception):
    """A pack whose header, footer or index does not hold together (only raised inside the store)."""


def is_pack(name: str) -> bool:
    return PACK_RE.fullmatch(name) is not None


def new_pack_name() -> str:
    stamp = system_now().strftime("%Y%m%dT%H%M%S%f")
    return f"pak-{stamp}Z-{secrets.token_hex(4)}.pak"


def read_index(path: Path) -> dict[str, tuple[int, int]]:
    """sha -> (offset, length) from the pack's trailer; PackDamagedError if it does not hold together."""
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        return _read_index(handle.fileno(), size, path.name)


def _read_index(fd: int, size: int, name: str) -> dict[str, tuple[int, int]]:
    if size < len(HEADER) + _FOOTER.size:
        raise PackDamagedError(f"het pakbestand {name} is te kort (afgebroken of beschadigd)")
    header = os.pread(fd, len(HEADER), 0)
    if header[: len(MAGIC)] != MAGIC:
        raise PackDamagedError(f"het bestand {name} is geen pakbestand van oso-tui")
    if header != HEADER:
        raise PackDamagedError(f"het pakbestand {name} heeft een onbekende versie (werk oso-tui bij)")
    index_offset, count, checksum, end = _FOOTER.unpack(os.pread(fd, _FOOTER.size, size - _FOOTER.size))
    index_length = count * _ENTRY.size
    if (
        end != FOOTER_MAGIC
        or index_offset < len(HEADER)
        or index_offset + index_length + _FOOTER.size != size
    ):
        raise PackDamagedError(f"de inhoudsopgave van het pakbestand {name} is beschadigd of afgebroken")
    index = os.pread(fd, index_length, index_offset)
    if len(index) != index_length or hashlib.sha256(index).digest() != checksum:
        raise PackDamagedError(f"de inhoudsopgave van het pakbestand {name} is beschadigd")
    entries: dict[str, tuple[int, int]] = {}
    for digest, offset, length in _ENTRY.iter_unpack(index):
        if offset < len(HEADER) or offset + length > index_offset:
            raise PackDamagedError(f"de inhoudsopgave van het pakbestand {name} wijst buiten het bestand")
        entries[digest.hex()] = (offset, length)
    return entries


def read_blob(path: Path, offset: int, length: int) -> bytes | None:
    """The bytes at `offset`, or None when the pack is gone or shorter (a rewrite meanwhile)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        data = os.pread(fd, length, offset)
    finally:
        os.close(fd)
    return data if len(data) == length else None


def trailer(entries: Iterable[tuple[str, int, int]], index_offset: int) -> bytes:
    index = b"".join(_ENTRY.pack(bytes.fromhex(sha), offset, length) for sha, offset, length in entries)
    count = len(index) // _ENTRY.size
    return index + _FOOTER.pack(index_offset, count, hashlib.sha256(index).digest(), FOOTER_MAGIC)


# -- the index cache ---------------------------------------------------------------------------


_Stamp = tuple[int, int, int]


@dataclass
class PackIndex:
    """Which blob is in which pack, read lazily from the trailers and kept per Store.

    Another process may add or rewrite packs at any time; the cache looks again when the folder
    changed (its mtime, with a margin for changes within one timestamp tick) and rereads only the
    packs whose size, mtime or inode changed. A stale answer is harmless for reading: every blob is
    checked against its sha256 and a mismatch makes the reader look again. Removal always rescans.
    """

    folder: Path
    packs: dict[str, _Stamp] = field(default_factory=dict)
    entries: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    damaged: dict[str, str] = field(default_factory=dict)
    by_sha: dict[str, list[PackEntry]] = field(default_factory=dict)
    _folder_stamp: tuple[int, int] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, *, force: bool = False) -> None:
        with self._lock:
            self._refresh(force)

    def _refresh(self, force: bool) -> None:
        started = time.time_ns()
        try:
            st = self.folder.stat()
        except FileNotFoundError:
            self._replace({}, {}, {})
            self._folder_stamp = None
            return
        stamp = (st.st_ino, st.st_mtime_ns)
        if not force and stamp == self._folder_stamp:
            return
        found: dict[str, _Stamp] = {}
        with contextlib.suppress(FileNotFoundError), os.scandir(self.folder) as scan:
            for entry in scan:
                if not is_pack(entry.name):
                    continue
                with contextlib.suppress(FileNotFoundError):
                    pst = entry.stat(follow_symlinks=False)
                    found[entry.name] = (pst.st_size, pst.st_mtime_ns, pst.st_ino)
        entries: dict[str, dict[str, tuple[int, int]]] = {}
        damaged: dict[str, str] = {}
        for name, pstamp in found.items():
            if self.packs.get(name) == pstamp and name in self.entries:
                entries[name] = self.entries[name]
            elif self.packs.get(name) == pstamp and name in self.damaged:
                damaged[name] = self.damaged[name]
            else:
                try:
                    entries[name] = read_index(self.folder / name)
                except FileNotFoundError:
                    continue
                except PackDamagedError as exc:
                    damaged[name] = str(exc)
                except OSError as exc:
                    damaged[name] = f"het pakbestand {name} kan niet gelezen worden ({os_reason(exc)})"
        self._replace(found, entries, damaged)
        # Changed within the last tick or two: the same mtime may hide a later change, so look again.
        self._folder_stamp = stamp if started - st.st_mtime_ns > RACY_NS else None

    def _replace(
        self,
        packs: dict[str, _Stamp],
        entries: dict[str, dict[str, tuple[int, int]]],
        damaged: dict[str, str],
    ) -> None:
        by_sha: dict[str, list[PackEntry]] = {}
        for name in sorted(entries):
            for sha, (offset, length) in entries[name].items():
                by_sha.setdefault(sha, []).append(PackEntry(name, offset, length))
        self.packs, self.entries, self.damaged, self.by_sha = packs, entries, damaged, by_sha

    def lookup(self, sha: str, *, force: bool = False) -> list[PackEntry]:
        with self._lock:
            self._refresh(force)
            return list(self.by_sha.get(sha, ()))

    def shas(self) -> set[str]:
        with self._lock:
            self._refresh(False)
            return set(self.by_sha)

    def holders(self, shas: set[str]) -> dict[str, set[str]]:
        """pack name -> which of `shas` it holds, after a full fresh look (for removal)."""
        with self._lock:
            self._refresh(True)
            found: dict[str, set[str]] = {}
            for sha in shas:
                for entry in self.by_sha.get(sha, ()):
                    found.setdefault(entry.pack, set()).add(sha)
            return found

    def known(self, sha: str) -> bool:
        """In a pack as of the last look (no new look: for many questions in a row)."""
        with self._lock:
            return sha in self.by_sha

    def added(self, name: str, entries: dict[str, tuple[int, int]]) -> None:
        """A pack this process just wrote: known at once, without reading its trailer back."""
        with self._lock:
            try:
                pst = (self.folder / name).stat()
            except FileNotFoundError:
                return
            packs = dict(self.packs)
            packs[name] = (pst.st_size, pst.st_mtime_ns, pst.st_ino)
            all_entries = dict(self.entries)
            all_entries[name] = entries
            self._replace(packs, all_entries, dict(self.damaged))


# -- writing -----------------------------------------------------------------------------------


class _OpenPack:
    """A pack being written under its temp name."""

    def __init__(self, folder: Path, mode: FileMode) -> None:
        self.name = new_pack_name()
        self.final = folder / self.name
        self.temp = temp_name(self.final)
        self.entries: dict[str, tuple[int, int]] = {}
        self.size = 0
        self.fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            hold_temp(self.fd)  # a sweep sees the writer is alive however long the fetch takes
            os.fchmod(self.fd, mode.mode)
            if mode.gid is not None:
                with contextlib.suppress(PermissionError):
                    os.fchown(self.fd, -1, mode.gid)
            self._write(HEADER)
        except BaseException:
            self.discard()
            raise

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        self.size += len(data)

    def append(self, sha: str, data: bytes) -> None:
        offset = self.size
        self._write(data)
        self.entries[sha] = (offset, len(data))

    def finish(self) -> None:
        """Trailer, fsync, rename: after this the pack is complete on disk under its final name."""
        index_offset = self.size
        self._write(trailer(((s, o, n) for s, (o, n) in self.entries.items()), index_offset))
        os.fsync(self.fd)
        os.close(self.fd)
        self.fd = -1
        self.temp.rename(self.final)

    def discard(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
        with contextlib.suppress(OSError):
            self.temp.unlink(missing_ok=True)


class RawBatch:
    """Raw dossiers of one collective action, appended to one pack; use `Store.raw_batch()`.

    `put` appends as the dossiers come, so memory stays flat however many there are. Nothing is
    visible to others until the block ends; then the pack is complete, on disk and renamed. A pack
    that passed `limit` is finished at once and a new one begun; if the block then fails, the
    finished pack stays (its dossiers are unreferenced, which doctor reports and removes later),
    the unfinished one is removed.
    """

    def __init__(
        self,
        folder: Path,
        mode: FileMode,
        index: PackIndex,
        *,
        limit: int = PACK_LIMIT,
        prepare: Callable[[], None] = lambda: None,
        lock: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
    ) -> None:
        self.folder = folder
        self.prepare = prepare
        self.lock = lock
        self.mode = mode
        self.index = index
        self.limit = limit
        self._open: _OpenPack | None = None
        self._seen: set[str] = set()
        self.written: list[str] = []
        """Names of the packs this batch finished."""
        index.refresh()
        # One look at the folder instead of a stat per dossier; one stored meanwhile is merely stored twice.
        self._loose: set[str] = set()
        with contextlib.suppress(FileNotFoundError), os.scandir(folder) as scan:
            self._loose = {e.name for e in scan if e.name.endswith(".xml")}

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store `data` under its sha256 (returned); a dossier that is stored already is not written.

        `sha256` is the digest of exactly `data` when the caller computed it already (reading does).
        """
        sha = sha256 if sha256 is not None else hashlib.sha256(data).hexdigest()
        if sha in self._seen:
            return sha
        self._seen.add(sha)
        if self._stored_elsewhere(sha, len(data)):
            return sha
        target = self._open.final if self._open is not None else self.folder / "pak"
        try:
            if self._open is not None and self._open.size >= self.limit:
                self._finish()
            if self._open is None:
                if not self.written:
                    self.prepare()
                self._open = _OpenPack(self.folder, self.mode)
                target = self._open.final
            self._open.append(sha, data)
        except OSError as exc:
            self.abort()
            raise write_error(exc, target) from None
        return sha

    def _stored_elsewhere(self, sha: str, length: int) -> bool:
        name = f"{sha}.xml"
        if name in self._loose:
            with contextlib.suppress(OSError):
                return (self.folder / name).stat().st_size == length or self.index.known(sha)
        return self.index.known(sha)

    def _finish(self) -> None:
        """Complete the open pack, unless a colleague's fetch stored every one of its dossiers meanwhile.

        Under the pack lock the index is read afresh: a pack that would only duplicate packs already
        there is dropped, so fetching the same files twice, also at once, stores them once.
        """
        pack, self._open = self._open, None
        if pack is None:
            return
        try:
            with self.lock():
                self.index.refresh(force=True)
                if all(self.index.known(sha) for sha in pack.entries):
                    pack.discard()
                    return
                pack.finish()
                fsync_dir(self.folder)
        except BaseException:
            pack.discard()
            raise
        self.written.append(pack.name)
        self.index.added(pack.name, pack.entries)

    def close(self) -> None:
        """Finish the open pack (if anything was put): complete, on disk, under its final name."""
        target = self._open.final if self._open is not None else self.folder / "pak"
        try:
            self._finish()
        except OSError as exc:
            raise write_error(exc, target) from None

    def abort(self) -> None:
        """Remove the unfinished pack; nothing of it was ever visible."""
        pack, self._open = self._open, None
        if pack is not None:
            pack.discard()


# -- removing ----------------------------------------------------------------------------------


def rewrite_without(path: Path, remove: set[str], mode: FileMode) -> bool:
    """Rewrite the pack at `path` without the blobs in `remove`; delete it when nothing is left.

    Atomic like every store write: temp file, fsync, rename, fsync of the folder; the file keeps
    its mode and group. Returns whether the pack changed. PackDamagedError if its index is unreadable.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        entries = _read_index(fd, os.fstat(fd).st_size, path.name)
        if not remove & entries.keys():
            return False
        kept = [(sha, offset, length) for sha, (offset, length) in entries.items() if sha not in remove]
        if not kept:
            path.unlink()
            fsync_dir(path.parent)
            return True
        atomic_write(path, _rewritten(fd, kept), mode)
        return True
    finally:
        os.close(fd)


def _rewritten(fd: int, kept: list[tuple[str, int, int]]) -> Iterator[bytes]:
    yield HEADER
    position = len(HEADER)
    placed: list[tuple[str, int, int]] = []
    for sha, offset, length in kept:
        data = os.pread(fd, length, offset)
        if len(data) != length:
            raise PackDamagedError("een pakbestand werd korter tijdens het herschrijven")
        yield data
        placed.append((sha, position, length))
        position += length
    yield trailer(placed, position)
