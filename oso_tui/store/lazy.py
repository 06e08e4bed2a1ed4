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

import contextlib
import errno
import json
import mmap
import os
import re
import stat
import threading
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import os_reason
from oso_tui.store.tables import LEERLINGOVERZICHT, META, is_shard

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
    except OSError as exc:
        raise read_error(path, exc) from None


def meta_of(data: Tables) -> dict[str, Any]:
    meta = data.get(META, {}).get(META_ID)
    return dict(meta) if isinstance(meta, Mapping) else {}


def corrupt_error(
    path: Path, what: str, restore_hint: Callable[[], str], *, tables: Iterable[str] = ()
) -> StoreCorruptError:
    error = StoreCorruptError(
        f"Het databasebestand {path} is beschadigd ({what}) en is niet aangeraakt; {restore_hint()}"
    )
    error.tables = tuple(tables)
    error.what = what
    return error


def read_error(path: Path, exc: OSError) -> StoreError:
    """One Dutch sentence for a database file that cannot be read (never the OS's English text)."""
    if exc.errno == errno.EISDIR:
        return not_a_file_error(path, is_dir=True)
    reason = "geen leesrechten" if exc.errno in (errno.EACCES, errno.EPERM) else os_reason(exc)
    return StoreError(
        f"Het databasebestand {path} kan niet gelezen worden ({reason}); er is niets gewijzigd."
    )


def not_a_file_error(path: Path, *, is_dir: bool) -> StoreError:
    """A folder (or device, pipe) where the database file should be: refused, nothing is created in it."""
    if is_dir:
        return StoreError(
            f"Op de plek van het databasebestand {path} staat een map; oso-tui maakt daarin geen nieuwe "
            f"database. Geef het pad van het bestand zelf op (bijvoorbeeld {path / 'oso-tui.json'})."
        )
    return StoreError(f"{path} is geen gewoon bestand en kan geen database zijn; er is niets gewijzigd.")


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
            return _pread(self._fd, length, offset)
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
        if not _well_shaped(table):
            raise self._corrupt(f"tabel '{name}' heeft een onverwachte vorm", name)
        self.loaded.append(name)
        return cast(dict[str, Any], table)


def _strip_index(meta_table: dict[str, Any]) -> None:
    doc = meta_table.get(META_ID)
    if isinstance(doc, dict) and INDEX_KEY in doc:
        meta_table[META_ID] = {k: v for k, v in doc.items() if k != INDEX_KEY}


def _stale_index(meta_table: dict[str, Any]) -> bool:
    """An index written for another generation: an older oso-tui (before the index) rewrote the
    file and kept the key it did not know. Such a file is read whole, as any other layout."""
    doc = meta_table.get(META_ID)
    index = doc.get(INDEX_KEY) if isinstance(doc, dict) else None
    return isinstance(index, dict) and "generation" in index and index["generation"] != doc.get("generation")  # type: ignore[union-attr]


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


_META_LINE_MAX = 16 * 1024 * 1024
_KEY_RE = re.compile(rb'"(?:[^"\\\n]|\\.)*":')


def _meta_line(fd: int, head: bytes, size: int) -> tuple[bytes, int] | None:
    """The `_meta` line (without `{\n` and its newline) and the position of that newline."""
    newline = head.find(b"\n", 2)
    if newline < 0 and len(head) < size:
        head = _pread(fd, min(size, _META_LINE_MAX), 0)
        newline = head.find(b"\n", 2)
    return None if newline < 0 else (head[2:newline], newline)


def _listing(names: list[str], one: str, many: str) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:3]) + (" en meer" if len(names) > 3 else "")
    return f"tabel {shown} {one}" if len(names) == 1 else f"tabellen {shown} {many}"


def _compare_names(expected: list[str], found: list[str]) -> tuple[str, list[str]] | None:
    """What differs between the tables the index names and the tables in the file, in Dutch."""
    missing = [n for n in expected if n not in found]
    if missing:
        return _listing(missing, "ontbreekt", "ontbreken"), missing
    known = set(expected)
    extra = [n for n in found if n not in known]
    if extra:
        return _listing(extra, "staat niet in de inhoudsopgave", "staan niet in de inhoudsopgave"), extra
    if len(found) != len(set(found)):
        twice = sorted({n for n in found if found.count(n) > 1})
        return _listing(twice, "staat er twee keer in", "staan er twee keer in"), twice
    if found != expected:
        moved = [n for n, m in zip(expected, found, strict=True) if n != m]
        return "de tabellen staan in een andere volgorde dan in de inhoudsopgave", moved
    return None


def _file_tables(fd: int, size: int) -> list[tuple[str, int]]:
    """(name, segment length) of every table line after `_meta`, as they are in the file."""
    found: list[tuple[str, int]] = []
    with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as view:
        start = view.find(b"\n", 2) + 1
        while 0 < start < size:
            end = view.find(b"\n", start)
            end = size if end < 0 else end
            match = _KEY_RE.match(view[start : min(end, start + 4096)])
            if match:
                with contextlib.suppress(ValueError):
                    name = json.loads(match.group(0)[:-1])
                    if isinstance(name, str):
                        found.append((name, end - start - (view[end - 1 : end] == b",")))
            start = end + 1
    return found


def _mismatch(
    fd: int,
    identity: FileIdentity,
    index: list[tuple[str, int, int]],
    expected_end: int,
    path: Path,
    restore_hint: Callable[[], str],
) -> StoreCorruptError:
    """Say what in a file that claims the indexed layout does not fit its index."""
    size = identity.size
    if size < expected_end and _pread(fd, 3, size - 3) != b"\n}\n":
        return corrupt_error(path, "het einde ontbreekt", restore_hint)
    try:
        found = _file_tables(fd, size)
    except (OSError, ValueError):
        found = []
    names = [n for n, _ in found]
    difference = _compare_names([n for n, _, _ in index], names)
    if difference is not None:
        return corrupt_error(path, difference[0], restore_hint, tables=difference[1])
    parse(_pread(fd, size, 0), path, restore_hint)
    lengths = dict(found)
    wrong = [n for n, length, _ in index if lengths.get(n) != length]
    if wrong:
        return corrupt_error(
            path,
            _listing(wrong, "heeft een andere lengte", "hebben een andere lengte")
            + " dan de inhoudsopgave zegt",
            restore_hint,
            tables=wrong,
        )
    return corrupt_error(path, "het bestand eindigt anders dan de inhoudsopgave zegt", restore_hint)


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
    if not isinstance(wrapped, dict) or list(wrapped) != [META] or not _well_shaped(wrapped[META]):
        return None
    meta_table = cast(dict[str, Any], wrapped[META])
    doc = meta_table.get(META_ID)
    if not isinstance(doc, dict) or INDEX_KEY not in doc or _stale_index(meta_table):
        return None
    index = _index_of(meta_table)
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
    if more != bool(index) or end != identity.size or _pread(fd, 3, identity.size - 3) != b"\n}\n":
        raise _mismatch(fd, identity, index, end, path, restore_hint)
    _strip_index(meta_table)
    return CommittedState(path, restore_hint, fd, identity, names, ranges, {META: meta_table})


def _check_whole(data: Data, raw: bytes, path: Path, restore_hint: Callable[[], str]) -> None:
    """A file read whole: only a plain TinyDB file from before the safe store may lack `_meta`, and
    a `_meta` with an index must name exactly the tables the file holds."""
    meta = data.get(META)
    if meta is None:
        if raw.startswith(b'{\n"') or any(is_shard(n) or n == LEERLINGOVERZICHT for n in data):
            raise corrupt_error(
                path, "de eerste regel met _meta (schemaversie en inhoudsopgave) ontbreekt", restore_hint
            )
        return
    doc = meta.get(META_ID)
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise corrupt_error(path, "_meta heeft geen schemaversie", restore_hint)
    if not isinstance(doc, dict) or INDEX_KEY not in doc or _stale_index(meta):
        return
    index = _index_of(meta)
    if index is None:
        raise corrupt_error(path, "de inhoudsopgave in _meta is beschadigd", restore_hint)
    difference = _compare_names([n for n, _, _ in index], [n for n in data if n != META])
    if difference is not None:
        raise corrupt_error(path, difference[0], restore_hint, tables=difference[1])


def open_state(path: Path, restore_hint: Callable[[], str]) -> CommittedState | None:
    """Open the committed file at `path` (None when it does not exist).

    Raises `StoreCorruptError` when the file cannot be a store, `StoreError` when it cannot be read
    or is not a file at all.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise read_error(path, exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_a_file_error(path, is_dir=stat.S_ISDIR(st.st_mode))
        head = _pread(fd, min(st.st_size, _HEAD_BYTES), 0)
        identity = _identity(st, head)
        state = _indexed(fd, identity, head, path, restore_hint)
        if state is not None:
            return state
        raw = _pread(fd, st.st_size, 0)
        data = parse(raw, path, restore_hint)
        _check_whole(data, raw[:8], path, restore_hint)
        del raw
        if isinstance(data.get(META), dict):
            _strip_index(data[META])
        return CommittedState(path, restore_hint, fd, identity, list(data), {}, data)
    except OSError as exc:
        os.close(fd)
        raise read_error(path, exc) from None
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
