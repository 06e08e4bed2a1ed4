"""Reading the database file lazily: a table is parsed only when something first uses it.

The writer (`storage.py`) lays the file out as `{`, then one `"name":{...}` per line with `_meta`
first, then `}`; the `_meta` document carries an index with every other table's length and CRC-32,
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
import threading
import weakref
import zlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.tables import META

Data = dict[str, dict[str, Any]]
"""The whole database: table name -> document id -> document."""

Tables = Mapping[str, dict[str, Any]]
"""Tables by name, parsed or still to be parsed; readers must not mutate them."""

META_ID = "1"
INDEX_KEY = "index"
"""Key of the table index in the `_meta` document; the store never sees it."""

CHUNK = 1 << 20
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


def meta_of(data: Tables) -> dict[str, Any]:
    meta = data.get(META, {}).get(META_ID)
    return dict(meta) if isinstance(meta, Mapping) else {}


def corrupt_error(path: Path, what: str, restore_hint: Callable[[], str]) -> StoreCorruptError:
    return StoreCorruptError(
        f"Het databasebestand {path} is beschadigd ({what}) en is niet aangeraakt; {restore_hint()}"
    )


def _well_shaped(table: object) -> bool:
    return isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())


def parse(raw: bytes, path: Path, restore_hint: Callable[[], str]) -> Data:
    """Parse and shape-check a whole file, or raise a Dutch `StoreCorruptError` that says how to restore."""

    def corrupt(what: str) -> StoreCorruptError:
        return corrupt_error(path, what, restore_hint)

    if not raw.strip():
        raise corrupt("het bestand is leeg")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise corrupt("geen geldige UTF-8-tekst") from None
    except json.JSONDecodeError as exc:
        where = "het einde ontbreekt" if exc.pos >= len(raw.rstrip()) else f"fout in regel {exc.lineno}"
        raise corrupt(f"geen geldige JSON: {where}") from None
    except RecursionError:
        raise corrupt("te diep geneste gegevens") from None
    if not isinstance(data, dict):
        raise corrupt("de inhoud is geen verzameling tabellen")
    for name, table in data.items():
        if not _well_shaped(table):
            raise corrupt(f"tabel '{name}' heeft een onverwachte vorm")
    return cast(Data, data)


def key_prefix(name: str) -> bytes:
    """How the writer starts a table's segment: `"name":`."""
    return f"{json.dumps(name)}:".encode()


def _pread(fd: int, length: int, offset: int) -> bytes:
    """Exactly `length` bytes at `offset` (fewer only at the end of the file)."""
    parts: list[bytes] = []
    while length > 0:
        part = os.pread(fd, min(length, 1 << 30), offset)
        if not part:
            break
        parts.append(part)
        length -= len(part)
        offset += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


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
                if name in self._name_set and name != META:
                    self._parsed.setdefault(name, table)

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
            raw = _pread(self._fd, rng.length, rng.start)
        except OSError:
            return None
        if len(raw) != rng.length or not raw.startswith(prefix) or zlib.crc32(raw) != rng.crc:
            return None
        return raw[len(prefix) :]

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
            raise self._corrupt(f"tabel '{name}' klopt niet met haar controlegetal")

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
            return _pread(self._fd, length, offset)
        except OSError as exc:
            raise StoreError(
                f"Het databasebestand {self.path} kan niet gelezen worden ({exc.strerror})."
            ) from None

    def _corrupt(self, what: str) -> StoreCorruptError:
        return corrupt_error(self.path, what, self.restore_hint)

    def _load(self, name: str) -> dict[str, Any]:
        """Read, check and parse one table from its byte range."""
        rng = self._ranges[name]
        raw = self._read(rng.length + 2, rng.start - 1)
        prefix = key_prefix(name)
        where = f"fout in regel {rng.line}"
        if len(raw) != rng.length + 2:
            raise self._corrupt("het einde ontbreekt")
        if raw[:1] != b"\n" or raw[-1:] not in (b",", b"\n") or not raw.startswith(prefix, 1):
            raise self._corrupt(f"geen geldige JSON: {where}")
        view = memoryview(raw)
        crc_ok = zlib.crc32(view[1:-1]) == rng.crc
        try:
            text = str(view[1 + len(prefix) : -1], "utf-8")
            view.release()
            del raw
            table = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self._corrupt(f"geen geldige JSON: {where}") from None
        except RecursionError:
            raise self._corrupt("te diep geneste gegevens") from None
        if not crc_ok:
            raise self._corrupt(f"tabel '{name}' klopt niet met haar controlegetal")
        if not _well_shaped(table):
            raise self._corrupt(f"tabel '{name}' heeft een onverwachte vorm")
        self.loaded.append(name)
        return cast(dict[str, Any], table)


def _strip_index(meta_table: dict[str, Any]) -> None:
    doc = meta_table.get(META_ID)
    if isinstance(doc, dict) and INDEX_KEY in doc:
        meta_table[META_ID] = {k: v for k, v in doc.items() if k != INDEX_KEY}


def _index_of(meta_table: dict[str, Any]) -> list[tuple[str, int, int]] | None:
    """The table index, if it is well-formed and written for this very generation."""
    doc = meta_table.get(META_ID)
    if not isinstance(doc, dict):
        return None
    index = doc.get(INDEX_KEY)
    if not isinstance(index, dict) or index.get("generation") != doc.get("generation"):
        return None
    entries = index.get("tables")
    if not isinstance(entries, list):
        return None
    found: list[tuple[str, int, int]] = []
    for entry in entries:
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and entry[0] != META
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in entry[1:])
        ):
            return None
        found.append((entry[0], entry[1], entry[2]))
    return found


def _indexed(
    fd: int, identity: FileIdentity, head: bytes, path: Path, restore_hint: Callable[[], str]
) -> CommittedState | None:
    """The state of a file in our indexed layout, having parsed only `_meta`; None for anything else."""
    if not head.startswith(b'{\n"_meta":'):
        return None
    newline = head.find(b"\n", 2)
    if newline < 0:
        return None
    line = head[2:newline]
    more = line.endswith(b",")
    try:
        wrapped = json.loads(b"{" + (line[:-1] if more else line) + b"}")
    except (ValueError, RecursionError):
        return None
    if not isinstance(wrapped, dict) or list(wrapped) != [META] or not _well_shaped(wrapped[META]):
        return None
    meta_table = cast(dict[str, Any], wrapped[META])
    index = _index_of(meta_table)
    if index is None or more != bool(index):
        return None
    names = [META]
    ranges: dict[str, TableRange] = {}
    position = newline + 1
    for number, (name, length, crc) in enumerate(index):
        if name in ranges:
            return None
        ranges[name] = TableRange(position, length, crc, line=number + 3)
        names.append(name)
        position += length + 2
    end = position + 1 if index else newline + 3
    if end != identity.size or _pread(fd, 3, identity.size - 3) != b"\n}\n":
        return None
    _strip_index(meta_table)
    return CommittedState(path, restore_hint, fd, identity, names, ranges, {META: meta_table})


def open_state(path: Path, restore_hint: Callable[[], str]) -> CommittedState | None:
    """Open the committed file at `path` (None when it does not exist).

    Raises `StoreCorruptError` when the file cannot be a store, `StoreError` when it cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"Het databasebestand {path} kan niet gelezen worden ({exc.strerror}).") from None
    try:
        st = os.fstat(fd)
        head = _pread(fd, min(st.st_size, _HEAD_BYTES), 0)
        identity = _identity(st, head)
        state = _indexed(fd, identity, head, path, restore_hint)
        if state is not None:
            return state
        data = parse(_pread(fd, st.st_size, 0), path, restore_hint)
        if isinstance(data.get(META), dict):
            _strip_index(data[META])
        return CommittedState(path, restore_hint, fd, identity, list(data), {}, data)
    except OSError as exc:
        os.close(fd)
        raise StoreError(f"Het databasebestand {path} kan niet gelezen worden ({exc.strerror}).") from None
    except BaseException:
        os.close(fd)
        raise


_UNTOUCHED = object()


class Overlay(MutableMapping[str, dict[str, Any]]):
    """A transaction's view: the committed tables, with the ones TinyDB replaced or dropped on top.

    `TransactionMiddleware.begin` used to copy the base with `dict(base)`, which would parse every
    table; the overlay parses a table only when TinyDB reads it.
    """

    def __init__(self, base: Tables) -> None:
        self.base = base
        self.local: dict[str, dict[str, Any]] = {}
        self.dropped: set[str] = set()

    def __getitem__(self, name: str) -> dict[str, Any]:
        table = self.local.get(name, _UNTOUCHED)
        if table is not _UNTOUCHED:
            return cast(dict[str, Any], table)
        if name in self.dropped:
            raise KeyError(name)
        return self.base[name]

    def __setitem__(self, name: str, table: dict[str, Any]) -> None:
        self.local[name] = table
        self.dropped.discard(name)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.local.pop(name, None)
        if name in self.base:
            self.dropped.add(name)

    def __contains__(self, name: object) -> bool:
        return name in self.local or (name not in self.dropped and name in self.base)

    def __iter__(self) -> Iterator[str]:
        for name in self.base:
            if name not in self.dropped:
                yield name
        for name in self.local:
            if name not in self.base:
                yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def touched(self, name: str) -> bool:
        """Whether TinyDB replaced or dropped this table (reading does not count)."""
        return name in self.local or name in self.dropped
