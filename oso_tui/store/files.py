"""Crash-safe file writing with the permissions a store file must keep.

Every file the store writes goes through `atomic_write`: a temp file in the same folder, fsync,
`os.replace`, fsync of the folder. A reader therefore sees the old file or the new one, never a mix,
and a killed writer leaves at most a temp file that `remove_stale_temps` cleans up later.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import grp
import os
import secrets
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from oso_tui.clock import file_seconds
from oso_tui.store.errors import StoreWriteError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

TEMP_MARKER = ".tmp-"
"""Temp files are named `.<target name>.tmp-<pid>-<random>`; nothing else uses this marker."""

UNLOCKED_GRACE_SECONDS = 5.0
"""A writer locks its temp file right after creating it; one unlocked for this long has no writer."""


@dataclass(frozen=True)
class FileMode:
    """Mode and owning group for new files; rewrites keep what the existing file has."""

    mode: int = 0o600
    gid: int | None = None

    @classmethod
    def for_group(cls, group: str | None) -> FileMode:
        if not group:
            return cls()
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise StoreWriteError(
                f"De groep '{group}' uit de configuratie bestaat niet op deze computer."
            ) from None
        return cls(mode=0o660, gid=gid)

    @property
    def dir_mode(self) -> int:
        """Folders: only the owner, or owner and group with setgid so new files inherit the group."""
        return 0o2770 if self.gid is not None else 0o700


def temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_MARKER}{os.getpid()}-{secrets.token_hex(4)}")


def is_temp(path: Path) -> bool:
    return path.name.startswith(".") and TEMP_MARKER in path.name


def hold_temp(fd: int) -> None:
    """Mark a temp file as being written: the lock lives as long as the writer, and dies with it."""
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def writer_gone(path: Path, *, now: float | None = None) -> bool:
    """No process holds the temp file's lock and it is older than a few seconds: a killed writer's."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        age = (now if now is not None else file_seconds()) - os.fstat(fd).st_mtime
        if age < UNLOCKED_GRACE_SECONDS:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable: without this a power cut can bring back the old name."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush everything written in `folder`'s file system to disk, then the folder itself.

    One flush after many `atomic_write(..., durable=False)` costs a fraction of an fsync per file;
    Linux offers syncfs for just this file system, elsewhere os.sync flushes them all.
    """
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if _syncfs is None or _syncfs(fd) != 0:
            os.sync()
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_files(paths: Sequence[Path]) -> None:
    """Flush these new files to disk together, before anything names them.

    fsyncs issued side by side share the file system's journal commits: the few files of one commit
    cost about what one costs, where one after the other each waited for its own."""
    if len(paths) <= 1:
        for path in paths:
            _fsync_path(path)
        return
    for future in [_flusher().submit(_fsync_path, path) for path in paths]:
        future.result()


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@functools.cache
def _flusher() -> ThreadPoolExecutor:
    from concurrent.futures import (
        ThreadPoolExecutor,  # only writers need it: a read-only command starts faster
    )

    return ThreadPoolExecutor(max_workers=8, thread_name_prefix="oso-fsync")


def _load_syncfs() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return cast(Callable[[int], int], libc.syncfs)
    except (OSError, AttributeError):
        return None


_syncfs = _load_syncfs()


def os_reason(exc: OSError) -> str:
    """A Dutch reason for an OS error while reading or changing a file (never the system's English)."""
    reasons = {
        errno.ENOSPC: "de schijf is vol",
        errno.EROFS: "het bestandssysteem is alleen-lezen",
        errno.EACCES: "geen toegang",
        errno.EPERM: "geen toestemming",
        errno.EFBIG: "het bestand is groter dan dit systeem toestaat",
        errno.EIO: "een lees- of schrijffout van de schijf",
        errno.ENOENT: "het bestand bestaat niet (meer)",
        errno.EISDIR: "het is een map",
    }
    code = exc.errno or 0
    return reasons.get(code, f"systeemfout {errno.errorcode.get(code, code)}")


def write_error(exc: OSError, path: Path) -> StoreWriteError:
    """One Dutch sentence for an OS error while saving; the old file is always intact then."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        reason = "de schijf is vol"
    elif code == errno.EROFS:
        reason = "het bestandssysteem is alleen-lezen"
    elif code in (errno.EACCES, errno.EPERM):
        reason = f"u mag niet schrijven in {path.parent}"
    elif code == errno.EFBIG:
        reason = "het bestand wordt groter dan dit systeem toestaat (grens op de bestandsgrootte)"
    elif code == errno.EIO:
        reason = "een schrijffout van de schijf"
    elif code == errno.ENOENT:
        reason = f"de map {path.parent} bestaat niet (meer)"
    elif code in (errno.ENOTDIR, errno.EISDIR):
        reason = f"{path.parent} is geen map"
    else:
        # never the system's English text: the errno name is what IT staff can look up
        reason = f"systeemfout {errno.errorcode.get(code or 0, code)}"
    return StoreWriteError(f"Opslaan in {path} is mislukt ({reason}); er is niets gewijzigd.")


def ensure_dir(folder: Path, mode: FileMode) -> None:
    """Create a store folder with restrictive permissions (an existing folder is left as it is)."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(mode.dir_mode)
    except OSError as exc:
        raise write_error(exc, folder / "x") from None
    if mode.gid is not None:
        with contextlib.suppress(PermissionError):
            os.chown(folder, -1, mode.gid)


def atomic_write(
    path: Path,
    data: bytes | Iterable[bytes],
    mode: FileMode,
    *,
    durable: bool = True,
    new: bool = False,
) -> None:
    """Replace `path` by `data` (bytes, or chunks of bytes) in one step, keeping mode and group.

    Chunks are written as they come, so a large database never exists twice in memory as bytes.
    With `durable=False` the caller flushes many files at once with `sync_folder` afterwards.
    `new` says the caller just saw that `path` does not exist: it gets `mode` without a second look.

    On any failure the temp file is removed and the old file is untouched; an OSError is
    translated into a `StoreWriteError`, anything else (raised by the chunk source) passes through.
    """
    file_mode, gid = mode.mode, (mode.gid if mode.gid is not None else -1)
    if not new:
        with contextlib.suppress(FileNotFoundError):
            current = path.stat()
            file_mode, gid = stat.S_IMODE(current.st_mode), current.st_gid
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            hold_temp(fd)
            os.fchmod(fd, file_mode)
            if gid != -1:
                _chown_group(fd, gid)
            for chunk in [data] if isinstance(data, bytes) else data:
                view = memoryview(chunk)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise write_error(exc, path) from None
    except BaseException:
        # e.g. a chunk source that found damage while copying: the old file stays, no temp file
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    if durable:
        with contextlib.suppress(OSError):
            fsync_dir(path.parent)


def _chown_group(fd: int, gid: int) -> None:
    """Keep the group; a user outside that group cannot, and doctor reports the difference."""
    with contextlib.suppress(PermissionError):
        os.fchown(fd, -1, gid)


def remove_stale_temps(
    folder: Path, *, prefix: str = "", older_than: float = 0.0, unlocked: bool = False
) -> list[Path]:
    """Remove temp files a killed writer left behind; returns what was removed.

    For the database file this runs under the store lock (no writer can be busy), so
    `older_than` is 0; with `unlocked` only files whose writer is gone (`writer_gone`) are taken;
    otherwise only files older than `older_than` seconds.
    """
    removed: list[Path] = []
    now = file_seconds()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith("." + prefix) and TEMP_MARKER in name):
            continue
        try:
            if unlocked and not writer_gone(Path(entry.path), now=now):
                continue
            if older_than and now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            Path(entry.path).unlink()
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def write_part(path: Path, data: bytes, mode: FileMode, *, durable: bool = True) -> None:
    """Write a new table file under its own new name and flush it (a name is never reused); with
    `durable=False` the caller flushes many at once with `sync_folder`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, mode.mode)
        if mode.gid is not None:
            with contextlib.suppress(PermissionError):
                os.fchown(fd, -1, mode.gid)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def link_or_copy(source: Path, target: Path, mode: FileMode) -> bool:
    """Give `source` a second name `target` (a hard link: no bytes copied), or copy it where links
    fail; False when `target` already is that very file."""
    try:
        os.link(source, target)
        return True
    except FileExistsError:
        with contextlib.suppress(OSError):
            if source.samefile(target):
                return False
        raise
    except OSError:
        write_part(target, source.read_bytes(), mode)
        return True
