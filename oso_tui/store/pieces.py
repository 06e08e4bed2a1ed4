"""Finding documents in a table's files without parsing the table and without keeping its bytes.

A lookup by id used to keep every file of the table in memory to search its text: at 20,000 pupils the
requests, the dossier versions and the overview alone held some 35 MB. Here each file is read once
(checked against its length and CRC) to note which keys it holds, as a sorted array of their CRC-32s
(four bytes per document); a lookup then reads only the file whose array names the key. A search by
a field's value reads the files one at a time and parses only those whose text holds it.

Both caches are keyed by folder and file name and checked against the file's length and CRC in the
manifest: a file is never changed once written, so what was learnt of it holds across commits and
states. Each is bounded by a byte budget, least recently used first out.
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar, cast

from oso_tui.store.checks import well_shaped
from oso_tui.store.tableindex import Part

FILE_BYTES_BUDGET = 12 * 1024 * 1024
"""File bytes kept for lookups and commits into big tables (a file of a run is some 16-20 KB)."""
KEYS_BUDGET = 4 * 1024 * 1024
"""Key arrays kept: four bytes per document, so a million documents' worth."""
SEARCH_CACHED_MAX = FILE_BYTES_BUDGET // 2
"""A search by value through a table bigger than this does not push its files into the byte cache."""

PLAIN_ID = re.compile(r"[A-Za-z0-9_.:+-]{1,200}")
"""An id that JSON writes in one way only, so its stored key can be found as text; another id is
looked up in the parsed table."""
_FIRST_KEY = re.compile(rb'\{"([A-Za-z0-9_.:+-]{1,200})":\{')
_NEXT_KEY = re.compile(rb'\},"([A-Za-z0-9_.:+-]{1,200})":\{')
"""A document's key follows the end of the document before it (or the file's opening brace); a nested
key that matches as well only makes a file a candidate that its parse then rules out."""

Read = Callable[[Part], bytes]
"""Reads one file of the table, checked against its length and CRC (`StoreCorruptError` if not)."""

V = TypeVar("V")


class _Budgeted(Generic[V]):
    """Values by (folder, file), each valid for the file's (length, crc), within a byte budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self._items: OrderedDict[tuple[str, str], tuple[int, int, V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, folder: str, part: Part) -> V | None:
        key = (folder, part.file)
        with self._lock:
            hit = self._items.get(key)
            if hit is None or (hit[0], hit[1]) != (part.length, part.crc):
                return None
            self._items.move_to_end(key)
            return hit[2]

    def put(self, folder: str, part: Part, value: V, size: int) -> None:
        key = (folder, part.file)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.used -= old[3]
            if size > self.budget:
                return
            self._items[key] = (part.length, part.crc, value, size)
            self.used += size
            while self.used > self.budget:
                _, dropped = self._items.popitem(last=False)
                self.used -= dropped[3]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.used = 0


PARSED_FILES_BUDGET = 1024 * 1024
"""Stored bytes of the files whose parsed documents are kept for lookups (parsed, some five times as
much): a fetch of 10,000 dossiers looks up one document of each, a few dozen in the same file."""

FILE_BYTES: _Budgeted[bytes] = _Budgeted(FILE_BYTES_BUDGET)
KEYS: _Budgeted[array[int]] = _Budgeted(KEYS_BUDGET)
PARSED_FILES: _Budgeted[dict[str, Any]] = _Budgeted(PARSED_FILES_BUDGET)


def key_hash(key: str | bytes) -> int:
    return zlib.crc32(key.encode() if isinstance(key, str) else key)


def keys_of(raw: bytes) -> array[int]:
    """The sorted CRC-32s of the keys a file's text may hold at its top level."""
    found = _NEXT_KEY.findall(raw)
    first = _FIRST_KEY.match(raw)
    if first is not None:
        found.append(first.group(1))
    return array("I", sorted(map(zlib.crc32, found)))


def holds(keys: array[int], wanted: int) -> bool:
    index = bisect_left(keys, wanted)
    return index < len(keys) and keys[index] == wanted


def file_bytes(folder: str, part: Part, read: Read, *, cache: bool = True) -> bytes:
    raw = FILE_BYTES.get(folder, part)
    if raw is None:
        raw = read(part)
        if cache:
            FILE_BYTES.put(folder, part, raw, len(raw))
    return raw


SEARCHED: set[tuple[str, str]] = set()
"""(folder, table) of the tables a lookup searched by text once: the next lookup learns their keys."""
SEARCHED_MAX = 4096


def files_holding(folder: str, chunks: tuple[Part, ...], ids: list[str], read: Read) -> dict[int, bytes]:
    """The files (by their place in `chunks`) that may hold one of `ids`, as checked bytes.

    Every file of the table is read (and checked) until its keys are known, so damage anywhere is
    reported as reading the table would; after that only the candidates are read. The first lookup in
    a table searches the files' text for the key, which costs less than noting every key: a command
    that looks up one document and exits never pays for that. The second lookup in the table notes the
    keys, for the lookups after it. An id that is not plain text makes every file a candidate."""
    everything = any(not PLAIN_ID.fullmatch(i) for i in ids)
    wanted = [key_hash(i) for i in ids]
    needles = [json.dumps(i).encode() + b":" for i in ids]
    table = (folder, chunks[0].file.partition(".")[0]) if chunks else (folder, "")
    learn = table in SEARCHED
    if not learn:
        if len(SEARCHED) >= SEARCHED_MAX:
            SEARCHED.clear()
        SEARCHED.add(table)
    found: dict[int, bytes] = {}
    for index, part in enumerate(chunks):
        keys = KEYS.get(folder, part)
        raw = None
        if keys is None:
            raw = file_bytes(folder, part, read, cache=False)
            if learn:
                keys = keys_of(raw)
                KEYS.put(folder, part, keys, keys.itemsize * len(keys) + 64)
        if keys is None:
            hit = everything or any(needle in raw for needle in needles)  # type: ignore[operator]
        else:
            hit = everything or any(holds(keys, h) for h in wanted)
        if hit:
            if raw is not None:
                FILE_BYTES.put(folder, part, raw, len(raw))
            found[index] = raw if raw is not None else file_bytes(folder, part, read)
    return found


def key_map(folder: str, chunks: tuple[Part, ...]) -> dict[int, list[int]] | None:
    """Each key's hash to the places of the files that may hold it, when every file's keys are known."""
    found: dict[int, list[int]] = {}
    for index, part in enumerate(chunks):
        keys = KEYS.get(folder, part)
        if keys is None:
            return None
        for hashed in keys:
            found.setdefault(hashed, []).append(index)
    return found


def parsed_file(folder: str, part: Part, raw: bytes) -> dict[str, Any] | None:
    """`parse_file` of one file of a table, kept within `PARSED_FILES_BUDGET`: the documents are read,
    never changed, by whoever looks them up."""
    found = PARSED_FILES.get(folder, part)
    if found is None:
        found = parse_file(raw)
        if found is not None:
            PARSED_FILES.put(folder, part, found, len(raw))
    return found


def parse_file(raw: bytes) -> dict[str, Any] | None:
    """One file's documents, or None when its text is not a table (the caller parses the table, which
    says what is wrong)."""
    try:
        found = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return cast(dict[str, Any], found) if well_shaped(found) else None


def search(
    folder: str, chunks: tuple[Part, ...], needles: list[bytes], read: Read
) -> Iterator[tuple[str, Any]] | None:
    """The documents of the files whose text holds every one of `needles`, in table order (a superset
    of those whose fields have these values); None when a file does not parse as a table."""
    cache = sum(p.length for p in chunks) <= SEARCH_CACHED_MAX
    found: list[Mapping[str, Any]] = []
    for part in chunks:
        raw = file_bytes(folder, part, read, cache=cache)
        if all(needle in raw for needle in needles):
            table = parse_file(raw)
            if table is None:
                return None
            found.append(table)
    return (item for table in found for item in table.items())
