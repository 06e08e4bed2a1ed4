"""Reading the store lazily: a table is parsed only when something first uses it.

`open_state` opens the manifest of the folder layout (see `manifest.py`) or, for a store of an older
oso-tui, its single file. That single file is laid out as `{`, then one `"name":{...}` per line with
`_meta` first, then `}`; the `_meta` document carries an index with every other table's length and CRC-32,
stamped with the generation it was written for. Opening the file therefore parses only its first
line and checks that the lengths add up to the file size. A table's bytes are read from the open
descriptor when the table is first needed (every commit replaces the file, so the descriptor keeps
pointing at this version), checked against the CRC and shape-checked. A file in any other layout
(plain TinyDB, hand-formatted, an index that does not fit) is parsed whole, as before.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import weakref
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from oso_tui.store.checks import (
    INDEX_KEY,
    META_ID,
    Data,
    check_whole,
    corrupt_error,
    index_of,
    key_prefix,
    mismatch,
    not_a_file_error,
    parse,
    pread,
    read_error,
    stale_index,
    strip_index,
    well_shaped,
)
from oso_tui.store.errors import StoreCorruptError
from oso_tui.store.tables import META

__all__ = [
    "INDEX_KEY",
    "META_ID",
    "CommittedState",
    "Data",
    "FileIdentity",
    "Tables",
    "corrupt_error",
    "key_prefix",
    "meta_of",
    "not_a_file_error",
    "open_state",
    "parse",
    "read_identity",
]

Tables = Mapping[str, dict[str, Any]]
"""Tables by name, parsed or still to be parsed; readers must not mutate them."""

CHUNK = 1 << 20
PARSED_BUDGET = 4 * 1024 * 1024
"""Stored bytes of big tables a committed state keeps parsed (in memory some six times as much); the
oldest parsed goes first, never the last one parsed. A table of at most `SMALL_TABLE` bytes is always
kept: the counts, the meta data and the like are read on every screen."""
SMALL_TABLE = 256 * 1024
EVICTED: list[Callable[[dict[str, Any]], None]] = []
"""Told of every parsed table a state lets go, so caches keyed on it (indexes) let go too."""
_HEAD_BYTES = 64 * 1024
_PREFIX_BYTES = 512
_GENERATION_RE = re.compile(rb'"generation"\s*:\s*(\d+)')


@dataclass(frozen=True)
class FileIdentity:
    """What tells us cheaply whether the file changed since we read it.

    Every commit replaces the file (new inode) and raises the generation written near its start,
    so (inode, size, mtime, generation) changes with every commit, also when an inode is reused.
    """

    dev: int
    ino: int
    size: int
    mtime_ns: int
    generation: int | None


def _identity(st: os.stat_result, head: bytes) -> FileIdentity:
    match = _GENERATION_RE.search(head[:_PREFIX_BYTES])
    generation = int(match.group(1)) if match else None
    return FileIdentity(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, generation)


def read_identity(path: Path) -> FileIdentity | None:
    """Stat the file and read the generation from its first bytes; None when it does not exist."""
    try:
        with path.open("rb") as handle:
            return _identity(os.fstat(handle.fileno()), handle.read(_PREFIX_BYTES))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise read_error(path, exc) from None


def meta_of(data: Tables) -> dict[str, Any]:
    meta = data.get(META, {}).get(META_ID)
    return dict(meta) if isinstance(meta, Mapping) else {}


@dataclass(frozen=True)
class TableRange:
    """Where a table's segment `"name":{...}` lies in the file, its CRC-32 and its line number."""

    start: int
    length: int
    crc: int
    line: int


class CommittedState(Mapping[str, dict[str, Any]]):
    """One committed version of the file: its tables by name, each parsed on first access.

    Immutable from the outside; parsing is guarded by a lock because the UI thread and a worker
    thread share the same state. `loaded` names the tables parsed from the file, in order, so tests
    can prove what was (not) parsed.
    """

    def __init__(
        self,
        path: Path,
        restore_hint: Callable[[], str],
        fd: int,
        identity: FileIdentity,
        names: list[str],
        ranges: dict[str, TableRange],
        parsed: dict[str, dict[str, Any]],
    ) -> None:
        self.path = path
        self.restore_hint = restore_hint
        self.identity = identity
        self.loaded: list[str] = []
        self._fd = fd
        self._names = names
        self._name_set = frozenset(names)
        self._ranges = ranges
        self._parsed = parsed
        self._big: dict[str, int] = {}
        """The big tables parsed, in the order they were, with their stored size."""
        self._lock = threading.Lock()
        self._close = weakref.finalize(self, os.close, fd)

    # -- Mapping ------------------------------------------------------------------------------

    def __getitem__(self, name: str) -> dict[str, Any]:
        table = self._parsed.get(name)
        if table is not None:
            return table
        if name not in self._name_set:
            raise KeyError(name)
        with self._lock:
            table = self._parsed.get(name)
            if table is None:
                table = self._load(name)
                self._parsed[name] = table
                self._keep(name)
        return table

    def __contains__(self, name: object) -> bool:
        return name in self._name_set

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    # -- what the writer and doctor need --------------------------------------------------------

    @property
    def lazy(self) -> bool:
        """True when tables are read from their byte ranges (our own indexed layout)."""
        return bool(self._ranges) or self._names == [META]

    def parsed(self, name: str) -> dict[str, Any] | None:
        """The table if it was parsed already; never parses."""
        return self._parsed.get(name)

    def range(self, name: str) -> TableRange | None:
        return self._ranges.get(name)

    def adopt(self, tables: Mapping[str, dict[str, Any]]) -> None:
        """Take over tables known to equal what was just written, so they need no parse."""
        with self._lock:
            for name, table in tables.items():
                if name in self._name_set and name != META and name not in self._parsed:
                    self._parsed[name] = table
                    self._keep(name)

    def stored_size(self, name: str) -> int | None:
        """The table's stored bytes when it can be read again by itself (else None: never let go)."""
        rng = self._ranges.get(name)
        return None if rng is None else rng.length

    def _keep(self, name: str) -> None:
        """Note a table just parsed or adopted; let go of the oldest big ones beyond the budget."""
        size = self.stored_size(name)
        if size is None or size <= SMALL_TABLE:
            return
        self._big[name] = size
        total = sum(self._big.values())
        for oldest in list(self._big):
            if total <= PARSED_BUDGET or oldest == name:
                break
            total -= self._big.pop(oldest)
            dropped = self._parsed.pop(oldest, None)
            if dropped is not None:
                for forget in EVICTED:
                    forget(dropped)

    def verify(self) -> dict[str, int]:
        """Check every table (parse, shape, CRC) one at a time without keeping them; record counts."""
        counts: dict[str, int] = {}
        for name in self._names:
            table = self._parsed.get(name)
            counts[name] = len(table if table is not None else self._load(name))
        return counts

    def stored_json(self, name: str) -> bytes | None:
        """The table's JSON object exactly as stored, CRC-checked, without parsing it.

        None when this state has no byte range for the table (another layout) or the bytes do not
        check out: then parsing the table (`self[name]`) says what is wrong.
        """
        rng = self._ranges.get(name)
        if rng is None:
            return None
        prefix = key_prefix(name)
        try:
            raw = pread(self._fd, rng.length, rng.start)
        except OSError:
            return None
        if len(raw) != rng.length or not raw.startswith(prefix) or zlib.crc32(raw) != rng.crc:
            return None
        return raw[len(prefix) :]

    def document(self, name: str, doc_id: str) -> tuple[bool, Any]:
        """(True, the document or None) when this state can answer without parsing the table;
        (False, None) when only the parsed table can tell."""
        table = self._parsed.get(name)
        return (True, table.get(doc_id)) if table is not None else (False, None)

    def count(self, name: str) -> int | None:
        """The number of documents in the table when known without parsing it, else None."""
        table = self._parsed.get(name)
        return None if table is None else len(table)

    def stored_objects(self, name: str) -> Iterator[bytes] | None:
        """The table as stored, as one or more JSON objects that together hold its documents.

        None as for `stored_json`; iterating raises `StoreCorruptError` when a piece does not check out.
        Reading a big table a piece at a time keeps a reader's peak memory at the size of a piece.
        """
        raw = self.stored_json(name)
        return None if raw is None else iter((raw,))

    def table_chunks(self, name: str) -> Iterator[bytes]:
        """The table's segment as stored, in chunks, for a verbatim copy; its CRC is checked at the end,
        so a damaged table is never copied into a new file without notice."""
        rng = self._ranges[name]
        crc = 0
        position, end = rng.start, rng.start + rng.length
        while position < end:
            chunk = self._read(min(CHUNK, end - position), position)
            if not chunk:
                raise self._corrupt("het einde ontbreekt")
            crc = zlib.crc32(chunk, crc)
            position += len(chunk)
            yield chunk
        if crc != rng.crc:
            raise self._corrupt(f"tabel '{name}' klopt niet met haar controlegetal", name)

    def file_chunks(self) -> Iterator[bytes]:
        """The whole file as stored (for a backup), checking the CRC of every table on the way."""
        position = 0
        for name in self._names:
            rng = self._ranges.get(name)
            if rng is None:
                continue
            yield from self._plain_chunks(position, rng.start)
            yield from self.table_chunks(name)
            position = rng.start + rng.length
        yield from self._plain_chunks(position, self.identity.size)

    def close(self) -> None:
        """Close the descriptor now instead of when the state is garbage-collected."""
        self._close()

    # -- internals ------------------------------------------------------------------------------

    def _plain_chunks(self, position: int, end: int) -> Iterator[bytes]:
        while position < end:
            chunk = self._read(min(CHUNK, end - position), position)
            if not chunk:
                raise self._corrupt("het einde ontbreekt")
            position += len(chunk)
            yield chunk

    def _read(self, length: int, offset: int) -> bytes:
        try:
            return pread(self._fd, length, offset)
        except OSError as exc:
            raise read_error(self.path, exc) from None

    def _corrupt(self, what: str, table: str | None = None) -> StoreCorruptError:
        return corrupt_error(self.path, what, self.restore_hint, tables=[table] if table else [])

    def _load(self, name: str) -> dict[str, Any]:
        """Read, check and parse one table from its byte range."""
        rng = self._ranges[name]
        raw = self._read(rng.length + 2, rng.start - 1)
        prefix = key_prefix(name)
        where = f"fout in regel {rng.line}"
        if len(raw) != rng.length + 2:
            raise self._corrupt("het einde ontbreekt")
        if raw[:1] != b"\n" or raw[-1:] not in (b",", b"\n") or not raw.startswith(prefix, 1):
            raise self._corrupt(f"geen geldige JSON: {where}, waar tabel '{name}' hoort", name)
        view = memoryview(raw)
        crc_ok = zlib.crc32(view[1:-1]) == rng.crc
        try:
            text = str(view[1 + len(prefix) : -1], "utf-8")
            view.release()
            del raw
            table = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self._corrupt(f"geen geldige JSON: {where}", name) from None
        except RecursionError:
            raise self._corrupt("te diep geneste gegevens") from None
        if not crc_ok:
            raise self._corrupt(f"tabel '{name}' klopt niet met haar controlegetal", name)
        if not well_shaped(table):
            raise self._corrupt(f"tabel '{name}' heeft een onverwachte vorm", name)
        self.loaded.append(name)
        return cast(dict[str, Any], table)


_META_LINE_MAX = 16 * 1024 * 1024


def _meta_line(fd: int, head: bytes, size: int) -> tuple[bytes, int] | None:
    """The `_meta` line (without `{\n` and its newline) and the position of that newline."""
    newline = head.find(b"\n", 2)
    if newline < 0 and len(head) < size:
        head = pread(fd, min(size, _META_LINE_MAX), 0)
        newline = head.find(b"\n", 2)
    return None if newline < 0 else (head[2:newline], newline)


def _indexed(
    fd: int, identity: FileIdentity, head: bytes, path: Path, restore_hint: Callable[[], str]
) -> CommittedState | None:
    """The state of a file in our indexed layout, having parsed only `_meta`.

    None for a file that does not claim this layout (no index in a first `_meta` line): that one is
    parsed whole. A file that claims it must match its index exactly, every table present, in order,
    with its length; anything else raises a `StoreCorruptError` that names the tables concerned.
    """
    if not head.startswith(b'{\n"_meta":'):
        return None
    found = _meta_line(fd, head, identity.size)
    if found is None:
        return None
    line, newline = found
    more = line.endswith(b",")
    try:
        wrapped = json.loads(b"{" + (line[:-1] if more else line) + b"}")
    except (ValueError, RecursionError):
        return None  # parsing the whole file says where the JSON breaks
    if not isinstance(wrapped, dict) or list(wrapped) != [META] or not well_shaped(wrapped[META]):
        return None
    meta_table = cast(dict[str, Any], wrapped[META])
    doc = meta_table.get(META_ID)
    if not isinstance(doc, dict) or INDEX_KEY not in doc or stale_index(meta_table):
        return None
    index = index_of(meta_table)
    if index is None:
        raise corrupt_error(path, "de inhoudsopgave in de eerste regel (_meta) is beschadigd", restore_hint)
    names = [META]
    ranges: dict[str, TableRange] = {}
    position = newline + 1
    for number, (name, length, crc) in enumerate(index):
        if name in ranges:
            raise corrupt_error(
                path, f"tabel '{name}' staat twee keer in de inhoudsopgave", restore_hint, tables=[name]
            )
        ranges[name] = TableRange(position, length, crc, line=number + 3)
        names.append(name)
        position += length + 2
    end = position + 1 if index else newline + 3
    if more != bool(index) or end != identity.size or pread(fd, 3, identity.size - 3) != b"\n}\n":
        raise mismatch(fd, identity.size, index, end, path, restore_hint)
    strip_index(meta_table)
    return CommittedState(path, restore_hint, fd, identity, names, ranges, {META: meta_table})


def open_state(path: Path, restore_hint: Callable[[], str]) -> CommittedState | None:
    """Open the committed state at `path` (None when there is none): a manifest and the table files
    it names (see `manifest.py`), or a single file of an older oso-tui.

    Raises `StoreCorruptError` when it cannot be a store, `StoreError` when it cannot be read or is
    not a file at all. A table file that vanished because a writer replaced the manifest meanwhile
    makes it read the new manifest.
    """
    from oso_tui.store import manifest  # manifest builds on this module

    last: FileIdentity | None = None
    while True:
        try:
            return _open_once(path, restore_hint)
        except manifest.PartGoneError as gone:
            identity = read_identity(path)
            if identity is None or identity == last:
                raise manifest.missing_part(path, gone, restore_hint) from None
            last = identity


def _open_once(path: Path, restore_hint: Callable[[], str]) -> CommittedState | None:
    from oso_tui.store import manifest, opening

    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        damage = opening.missing_manifest(path, restore_hint)
        if damage is not None:
            raise damage from None
        return None
    except OSError as exc:
        raise read_error(path, exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_a_file_error(path, is_dir=stat.S_ISDIR(st.st_mode))
        head = pread(fd, min(st.st_size, _HEAD_BYTES), 0)
        identity = _identity(st, head)
        if manifest.is_manifest(head):
            return opening.open_parts(fd, identity, path, restore_hint)
        state = _indexed(fd, identity, head, path, restore_hint)
        if state is not None:
            return state
        raw = pread(fd, st.st_size, 0)
        data = parse(raw, path, restore_hint)
        check_whole(data, raw[:8], path, restore_hint)
        del raw
        if isinstance(data.get(META), dict):
            strip_index(data[META])
        return CommittedState(path, restore_hint, fd, identity, list(data), {}, data)
    except OSError as exc:
        os.close(fd)
        raise read_error(path, exc) from None
    except BaseException:
        os.close(fd)
        raise
