"""The store on disk: a small manifest naming one immutable JSON file per table.

The database path holds the manifest (`{"formaat":...,"generation":N,...}` on one line, then its
CRC-32); the tables live in a folder beside it (`<naam>-tabellen/`), one file per table or shard,
named `<tabel>.<generatie>-<toeval>.json` and never changed once written. A commit writes only the
tables it changed, as new files, flushes them, then replaces the manifest in one rename: a reader
sees the old set of files or the new one. Files the manifest no longer names are removed afterwards.

Every file the manifest names must be there with its length (checked on opening) and its CRC
(checked when the table is first read). An unnamed file is a leftover of a killed writer only when
its generation says so (newer than the manifest: a commit that never landed; older: a clean-up that
never finished); those are ignored by readers and removed by the next writer under the lock. Any
other file in the folder is damage, like a missing or damaged one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import weakref
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from oso_tui.store.checks import META_ID, corrupt_error, pread, read_error, well_shaped
from oso_tui.store.errors import StoreCorruptError
from oso_tui.store.files import FileMode, is_temp
from oso_tui.store.lazy import CommittedState, FileIdentity
from oso_tui.store.tables import META

FORMAT = "oso-tui-manifest-1"
MANIFEST_HEAD = b'{"formaat":"oso-tui-manifest-'
PART_RE = re.compile(r"[a-z0-9_-]{1,60}\.(\d+)-[0-9a-f]{8}\.json")
_FOLDER_RE = re.compile(r"[A-Za-z0-9._-]{1,200}")
_MANIFEST_MAX = 16 * 1024 * 1024


def parts_dir(path: Path) -> Path:
    """The folder of a store's table files, beside its manifest."""
    return path.with_name(f"{path.stem}-tabellen")


def part_name(table: str, generation: int) -> str:
    """A new, unique file name for `table` written by the commit of `generation`."""
    slug = re.sub(r"[^a-z0-9_-]", "_", table.lower())[:40] or "tabel"
    return f"{slug}.{generation}-{secrets.token_hex(4)}.json"


@dataclass(frozen=True)
class Part:
    """One table's file as the manifest names it."""

    file: str
    length: int
    crc: int


@dataclass(frozen=True)
class Manifest:
    generation: int
    folder: str
    meta: dict[str, Any]
    parts: dict[str, Part]

    def encode(self, folder: str | None = None) -> bytes:
        """The manifest as stored: one JSON line, then the CRC-32 of that line."""
        body = json.dumps(
            {
                "formaat": FORMAT,
                "generation": self.generation,
                "map": folder or self.folder,
                "meta": self.meta,
                "tabellen": [[n, p.file, p.length, p.crc] for n, p in sorted(self.parts.items())],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        return body + b"\n%08x\n" % zlib.crc32(body)


def is_manifest(head: bytes) -> bool:
    return head.startswith(MANIFEST_HEAD)


def decode_manifest(raw: bytes) -> Manifest | None:
    """The manifest in `raw`, or None when it is cut off, damaged or not well-formed."""
    body, newline, rest = raw.partition(b"\n")
    if not newline or rest.strip() != b"%08x" % zlib.crc32(body):
        return None
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("formaat") != FORMAT:
        return None
    generation, folder, meta, tables = (doc.get(k) for k in ("generation", "map", "meta", "tabellen"))
    if not (
        isinstance(generation, int)
        and isinstance(folder, str)
        and _FOLDER_RE.fullmatch(folder)
        and folder not in (".", "..")
        and well_shaped(meta)
        and isinstance(tables, list)
    ):
        return None
    parts: dict[str, Part] = {}
    for entry in tables:
        if not (
            isinstance(entry, list)
            and len(entry) == 4
            and isinstance(entry[0], str)
            and entry[0] != META
            and isinstance(entry[1], str)
            and PART_RE.fullmatch(entry[1])
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in entry[2:])
            and entry[0] not in parts
        ):
            return None
        parts[entry[0]] = Part(entry[1], entry[2], entry[3])
    return Manifest(generation, folder, cast(dict[str, Any], meta), parts)


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at `path` if it is one and reads cleanly (for restore points and counts)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MANIFEST_MAX)
    except OSError:
        return None
    return decode_manifest(raw) if is_manifest(raw) else None


def leftover(name: str, manifest: Manifest, named: set[str]) -> bool:
    """An unnamed file a killed writer left: a temp file, or a part of another generation."""
    if name in named:
        return False
    if name.startswith(".") and is_temp(Path(name)):
        return True
    match = PART_RE.fullmatch(name)
    return match is not None and int(match.group(1)) != manifest.generation


def strangers(folder: Path, manifest: Manifest) -> list[str]:
    """Files in the folder that the manifest does not name and no killed writer can have left."""
    named = {p.file for p in manifest.parts.values()}
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(n for n in names if n not in named and not leftover(n, manifest, named))


def remove_leftovers(folder: Path, manifest: Manifest) -> list[str]:
    """Remove what killed writers left in the folder; call under the store lock."""
    named = {p.file for p in manifest.parts.values()}
    removed = []
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return removed
    for name in names:
        if leftover(name, manifest, named):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                removed.append(name)
    return removed


def remove_unnamed(folder: Path, manifest: Manifest) -> None:
    """Remove every file the manifest does not name (after a restore, with the old ones kept aside)."""
    named = {p.file for p in manifest.parts.values()}
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name not in named:
                with contextlib.suppress(OSError):
                    (folder / name).unlink()


class _Gone(Exception):
    """A named file vanished: a writer replaced the manifest since we read it (or it is missing)."""

    def __init__(self, table: str, part: Part) -> None:
        super().__init__(table)
        self.table, self.part = table, part


class PartsState(CommittedState):
    """A committed state in the folder layout: each table read from its own file on first access.

    Every named file is opened when the state is opened, so the state stays readable after a writer
    removed files that a newer manifest no longer names.
    """

    def __init__(
        self,
        path: Path,
        restore_hint: Callable[[], str],
        fd: int,
        identity: FileIdentity,
        manifest: Manifest,
        folder: Path,
        fds: dict[str, int],
    ) -> None:
        super().__init__(path, restore_hint, fd, identity, [META, *manifest.parts], {}, {META: manifest.meta})
        self.manifest = manifest
        self.folder = folder
        self._fds = fds
        self._close_parts = weakref.finalize(self, _close_all, list(fds.values()))

    @property
    def lazy(self) -> bool:
        return True

    @property
    def size(self) -> int:
        """Bytes of the manifest and every table file it names."""
        return self.identity.size + sum(p.length for p in self.manifest.parts.values())

    def part(self, name: str) -> Part | None:
        return self.manifest.parts.get(name)

    def part_fd(self, name: str) -> int:
        return self._fds[name]

    def close(self) -> None:
        super().close()
        self._close_parts()

    def checked_bytes(self, name: str) -> bytes:
        """The table file's bytes, length and CRC checked; damage raises `StoreCorruptError`."""
        part = self.manifest.parts[name]
        raw = self._read_part(name, part)
        if len(raw) != part.length:
            raise self._part_damage(name, part, "heeft een andere lengte dan de inhoudsopgave zegt")
        if zlib.crc32(raw) != part.crc:
            raise self._part_damage(name, part, "klopt niet met haar controlegetal")
        return raw

    def stored_json(self, name: str) -> bytes | None:
        if name not in self.manifest.parts:
            return None
        try:
            return self.checked_bytes(name)
        except StoreCorruptError:
            return None

    def _read_part(self, name: str, part: Part) -> bytes:
        try:
            return pread(self._fds[name], part.length + 1, 0)
        except OSError as exc:
            raise read_error(self.folder / part.file, exc) from None

    def _part_damage(self, name: str, part: Part, what: str) -> StoreCorruptError:
        return corrupt_error(
            self.path, f"tabel '{name}' ({part.file}) {what}", self.restore_hint, tables=[name]
        )

    def _load(self, name: str) -> dict[str, Any]:
        raw = self.checked_bytes(name)
        part = self.manifest.parts[name]
        try:
            table = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            raise self._part_damage(name, part, "is geen geldige JSON") from None
        except RecursionError:
            raise self._part_damage(name, part, "heeft te diep geneste gegevens") from None
        if not well_shaped(table):
            raise self._part_damage(name, part, "heeft een onverwachte vorm")
        self.loaded.append(name)
        return cast(dict[str, Any], table)


def _close_all(fds: Iterable[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def open_parts(
    fd: int, identity: FileIdentity, path: Path, restore_hint: Callable[[], str]
) -> PartsState:
    """The state a manifest names, every named file opened and its length checked.

    Raises `_Gone` when a named file is not there (the caller reads the manifest again, in case a
    writer replaced it meanwhile), `StoreCorruptError` for any other damage.
    """
    raw = pread(fd, min(identity.size, _MANIFEST_MAX), 0)
    manifest = decode_manifest(raw)
    if manifest is None:
        raise corrupt_error(path, "de inhoudsopgave (manifest) is beschadigd", restore_hint)
    if manifest.meta.get(META_ID, {}).get("generation", manifest.generation) != manifest.generation:
        raise corrupt_error(path, "de inhoudsopgave (manifest) is beschadigd", restore_hint)
    folder = path.parent / manifest.folder
    fds: dict[str, int] = {}
    try:
        for name, part in manifest.parts.items():
            try:
                part_fd = os.open(folder / part.file, os.O_RDONLY | os.O_CLOEXEC)
            except (FileNotFoundError, NotADirectoryError):
                raise _Gone(name, part) from None
            except OSError as exc:
                raise read_error(folder / part.file, exc) from None
            fds[name] = part_fd
            if os.fstat(part_fd).st_size != part.length:
                raise corrupt_error(
                    path,
                    f"tabel '{name}' ({part.file}) heeft een andere lengte dan de inhoudsopgave zegt",
                    restore_hint,
                    tables=[name],
                )
        extra = strangers(folder, manifest)
        if extra:
            shown = ", ".join(extra[:3]) + (" en meer" if len(extra) > 3 else "")
            raise corrupt_error(
                path,
                f"in {folder.name} {'staat' if len(extra) == 1 else 'staan'} {shown}, dat de "
                "inhoudsopgave niet noemt",
                restore_hint,
            )
    except BaseException:
        _close_all(fds.values())
        raise
    return PartsState(path, restore_hint, fd, identity, manifest, folder, fds)


def missing_part(path: Path, gone: _Gone, restore_hint: Callable[[], str]) -> StoreCorruptError:
    return corrupt_error(
        path, f"tabel '{gone.table}' ({gone.part.file}) ontbreekt", restore_hint, tables=[gone.table]
    )


def missing_manifest(path: Path, restore_hint: Callable[[], str]) -> StoreCorruptError | None:
    """Damage when the manifest is gone but its table files are there: never a new empty store."""
    folder = parts_dir(path)
    try:
        names = [n for n in os.listdir(folder) if not is_temp(Path(n))]
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not names:
        return None
    return corrupt_error(
        path, f"de inhoudsopgave ontbreekt, terwijl {folder.name} nog tabellen bevat", restore_hint
    )


def write_part(path: Path, data: bytes, mode: FileMode) -> None:
    """Write a new table file under its own new name and flush it (a name is never reused)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, mode.mode)
        if mode.gid is not None:
            with contextlib.suppress(PermissionError):
                os.fchown(fd, -1, mode.gid)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
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
            if os.path.samefile(source, target):
                return False
        raise
    except OSError:
        write_part(target, source.read_bytes(), mode)
        return True
