"""The store on disk: a small manifest naming, per table, the index file that names its runs.

The database path holds the manifest (`{"formaat":...,"generation":N,...}` on one line, then its
CRC-32); the tables live in a folder beside it (`<naam>-tabellen/`), each table in runs of documents
of about `CHUNK_BYTES` (see `chunks.py`), one file per run, and index files that name the runs of the
tables (see `tableindex.py`); every file is named `<tabel>.<generatie>-<toeval>.json` and never changed
once written. A commit writes only the runs that changed and one index file for their tables, as new
files, flushes them, then replaces the manifest in one rename: a reader sees the old set of files or
the new one. So the manifest holds one entry per table, and a commit writes about as much in a store
of 20,000 pupils as in one of 1,000. Files the manifest no longer names are removed
`SUPERSEDED_GRACE` seconds later, under the lock.

Every file the manifest names must be there (checked on opening: the index files are read then, each
checked against its length and CRC), with its length and its CRC (checked when the table is first
read). An unnamed file is a leftover of a killed writer only when its generation says so (newer
than the manifest: a commit that never landed; older: a clean-up that never finished); those are
ignored by readers and removed by the next writer under the lock. Any other file in the folder is
damage, like a missing or damaged one (see `leftovers.py`).
"""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from oso_tui.store import pieces
from oso_tui.store.checks import corrupt_error, pread, read_error, well_shaped
from oso_tui.store.errors import StoreBusyError, StoreCorruptError, StoreError
from oso_tui.store.lazy import CommittedState, FileIdentity
from oso_tui.store.tableindex import (
    Chunks,
    IndexDamageError,
    Part,
    Runs,
    chunks_of,
    parse_index,
    part_of,
)
from oso_tui.store.tables import META

FORMAT = "oso-tui-manifest-2"
FORMAT_FLAT = "oso-tui-manifest-1"
"""The first format named every run in the manifest itself; it is read as before and the next commit
writes the two-level format (index files for every table, the runs stay as they are)."""
MANIFEST_HEAD = b'{"formaat":"oso-tui-manifest-'
_FOLDER_RE = re.compile(r"[A-Za-z0-9._-]{1,200}")
MANIFEST_MAX = 16 * 1024 * 1024
FSYNC_EACH = 16
"""A commit flushes up to this many new files one by one; beyond that (a migration, a big collective
action) it flushes the file system once, which costs far less than thousands of fsyncs."""
CHUNK_BYTES = 16 * 1024
"""A table is stored in files of at least this size (see `tableindex.run_bytes`), so a commit rewrites
only the runs of documents that changed: a registration costs about the same in a store of 500 pupils
as in one of 20,000."""


def parts_dir(path: Path) -> Path:
    """The folder of a store's table files, beside its manifest."""
    return path.with_name(f"{path.stem}-tabellen")


def part_name(table: str, generation: int) -> str:
    """A new, unique file name for `table` written by the commit of `generation`."""
    slug = re.sub(r"[^a-z0-9_-]", "_", table.lower())[:40] or "tabel"
    return f"{slug}.{generation}-{secrets.token_hex(4)}.json"


@dataclass(frozen=True)
class Manifest:
    """The manifest: the meta table, and per table its index file (`indexes`) and the runs that file
    names (`parts`, decoded per table on first use when read from disk). A manifest of the first
    format named every run itself and has no `indexes`."""

    generation: int
    folder: str
    meta: dict[str, Any]
    parts: Mapping[str, Chunks]
    indexes: dict[str, Part] = field(default_factory=dict)

    def encode(self, folder: str | None = None) -> bytes:
        """The manifest as stored: one JSON line (one entry per table: its index file), then the
        CRC-32 of that line. A manifest of the first format (no index files: a restore point of a store
        not yet upgraded) is written in that format."""
        if self.indexes:
            if self.indexes.keys() != self.parts.keys():
                raise ValueError("elke tabel in de inhoudsopgave heeft een indexbestand nodig")
            formaat = FORMAT
            tables = [[n, e.file, e.length, e.crc, e.count] for n, e in sorted(self.indexes.items())]
        else:
            formaat = FORMAT_FLAT
            tables = [
                [n, [[p.file, p.length, p.crc, p.count] for p in chunks]]
                for n, chunks in sorted(self.parts.items())
            ]
        body = json.dumps(
            {
                "formaat": formaat,
                "generation": self.generation,
                "map": folder or self.folder,
                "meta": self.meta,
                "tabellen": tables,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        return body + b"\n%08x\n" % zlib.crc32(body)

    @functools.cached_property
    def files(self) -> frozenset[str]:
        """Every file the manifest names: index files and runs (read from the index files without
        decoding every table's runs)."""
        if isinstance(self.parts, Runs):
            return frozenset(self.parts.files()).union(self.index_files())
        parts = chain(chain.from_iterable(self.parts.values()), self.indexes.values())
        return frozenset(map(attrgetter("file"), parts))

    def index_files(self) -> set[str]:
        return {e.file for e in self.indexes.values()}


def is_manifest(head: bytes) -> bool:
    return head.startswith(MANIFEST_HEAD)


def decode_manifest(raw: bytes, base: Path) -> Manifest | None:
    """The manifest in `raw` (in folder `base`), or None when it is cut off, damaged or not
    well-formed. Every index file it names is read and checked against its length and CRC; a table's
    runs are decoded from it when the table is first asked for (see `Runs`). Raises `PartGoneError`
    when an index file is not there, `IndexDamageError` when one does not check out."""
    body, newline, rest = raw.partition(b"\n")
    if not newline or rest.strip() != b"%08x" % zlib.crc32(body):
        return None
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("formaat") not in (FORMAT, FORMAT_FLAT):
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
    flat = doc["formaat"] == FORMAT_FLAT
    parts: dict[str, Chunks] = {}
    indexes: dict[str, Part] = {}
    for entry in tables:
        if not (isinstance(entry, list) and len(entry) == (2 if flat else 5) and isinstance(entry[0], str)):
            return None
        name = entry[0]
        if name == META or name in parts or name in indexes:
            return None
        if flat:
            chunks = chunks_of(entry[1])
            if chunks is None:
                return None
            parts[name] = chunks
        else:
            index = part_of(entry[1:])
            if index is None:
                return None
            indexes[name] = index
    runs: Mapping[str, Chunks] = Runs(indexes, _read_indexes(base / folder, indexes)) if indexes else parts
    return Manifest(generation, folder, cast(dict[str, Any], meta), runs, indexes)


def _read_indexes(folder: Path, indexes: dict[str, Part]) -> dict[str, dict[str, Any]]:
    """Every index file the tables' entries name, by file name: each read once, checked against its
    length and CRC and parsed; its tables' runs are checked when decoded (see `Runs`)."""
    by_file: dict[str, list[str]] = {}
    for name in sorted(indexes):
        by_file.setdefault(indexes[name].file, []).append(name)
    docs: dict[str, dict[str, Any]] = {}
    for file, names in by_file.items():
        entry = indexes[names[0]]
        if any((indexes[n].length, indexes[n].crc) != (entry.length, entry.crc) for n in names):
            raise IndexDamageError(names, entry, "staat met verschillende lengtes in de inhoudsopgave")
        try:
            with (folder / file).open("rb") as handle:
                raw = handle.read(entry.length + 1)
        except FileNotFoundError:
            raise PartGoneError(names[0], entry) from None
        found, what = parse_index(raw, entry)
        if found is None:
            raise IndexDamageError(names, entry, what)
        docs[file] = found
    return docs


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at `path` if it is one and reads cleanly, index files included (for restore
    points and counts)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MANIFEST_MAX)
        manifest = decode_manifest(raw, path.parent) if is_manifest(raw) else None
        if manifest is not None and isinstance(manifest.parts, Runs):
            manifest.parts.decode_all()
    except (OSError, PartGoneError, IndexDamageError):
        return None
    return manifest


MAP_AFTER = 8
"""Lookups in one table of one state after which the state maps the table's keys to their files."""

_WHERE_MAX = 4096
"""Lookups a state remembers the place of (see `PartsState.where`)."""


class PartGoneError(Exception):
    """A named file is not there: a writer replaced the manifest since we read it (or it is missing)."""

    def __init__(self, table: str, part: Part) -> None:
        super().__init__(table)
        self.table, self.part = table, part


class PartsState(CommittedState):
    """A committed state in the folder layout: each table read from its own files on first access."""

    def __init__(
        self,
        path: Path,
        restore_hint: Callable[[], str],
        fd: int,
        identity: FileIdentity,
        manifest: Manifest,
        folder: Path,
        listed: set[str] | None = None,
    ) -> None:
        names = [META, *manifest.parts]
        super().__init__(path, restore_hint, fd, identity, names, {}, {META: manifest.meta})
        self.manifest = manifest
        self.folder = folder
        self._lookups: dict[str, int] = {}
        self._key_maps: dict[str, dict[int, list[int]]] = {}
        """Per table, where each key's hash is (see `files_holding`)."""
        self._where: dict[tuple[str, str], int | None] = {}
        """Where a lookup found a document: (table, id) to the index of its file, None when the
        table does not hold it. A registration looks up its pupil, request and version and then puts
        them: the commit goes straight to the file instead of searching the table's bytes again."""
        self._base = os.path.join(folder, "")  # noqa: PTH118 - a run's path is joined as text: thousands per table
        self._listed = listed

    def take_listing(self) -> set[str] | None:
        """The folder's listing taken when this state was opened, once (for the writers' sweep of
        leftovers, which then need not list the folder again); None when there is none."""
        listed, self._listed = self._listed, None
        return listed

    @property
    def lazy(self) -> bool:
        return True

    @property
    def size(self) -> int:
        """Bytes of the manifest and every table file it names."""
        runs = sum(p.length for c in self.manifest.parts.values() for p in c)
        return self.identity.size + runs + sum(e.length for e in self.manifest.indexes.values())

    def part(self, name: str) -> Chunks | None:
        return self.manifest.parts.get(name)

    def stored_size(self, name: str) -> int | None:
        chunks = self.manifest.parts.get(name)
        return None if chunks is None else sum(p.length for p in chunks)

    def checked_bytes(self, name: str) -> bytes:
        """The table as one JSON object, from its files, each length- and CRC-checked."""
        chunks = self.manifest.parts[name]
        inner = [self._chunk_bytes(name, part)[1:-1] for part in chunks]
        return b"{" + b",".join(i for i in inner if i) + b"}"

    def stored_json(self, name: str) -> bytes | None:
        if name not in self.manifest.parts:
            return None
        try:
            return self.checked_bytes(name)
        except StoreCorruptError:
            return None

    def document(self, name: str, doc_id: str) -> tuple[bool, Any]:
        """One document found in the table's files without parsing the table: only the file that holds
        its key is read and parsed (see `pieces.py`)."""
        answered, doc = super().document(name, doc_id)
        if answered or name not in self.manifest.parts or not pieces.PLAIN_ID.fullmatch(doc_id):
            return answered, doc
        known, at = self.where(name, doc_id)
        if known and at is None:
            return True, None
        try:  # every file checked, so a damaged one is reported as reading the table would
            if known and at is not None:
                hits = {at: self.piece(name, at)}
            else:
                hits = self.files_holding(name, [doc_id])
        except StoreCorruptError:
            return False, None
        chunks = self.manifest.parts[name]
        for index, raw in hits.items():
            found = pieces.parsed_file(str(self.folder), chunks[index], raw)
            if found is None:
                return False, None
            if doc_id in found:
                self._remember(name, doc_id, index)
                return True, found[doc_id]
        self._remember(name, doc_id, None)
        return True, None

    def where(self, name: str, doc_id: str) -> tuple[bool, int | None]:
        """Whether a lookup in this state already searched for the document, and the index of the
        file that holds it (None: the table does not)."""
        key = (name, doc_id)
        return (True, self._where[key]) if key in self._where else (False, None)

    def _remember(self, name: str, doc_id: str, index: int | None) -> None:
        if len(self._where) >= _WHERE_MAX:  # a state that is read for long, never committed past
            self._where.clear()
        self._where[name, doc_id] = index

    def piece(self, name: str, index: int) -> bytes:
        """One of the table's files as checked bytes, from the byte-bounded cache of `pieces.py`: the
        next commit into the table reads only the files this one wrote."""
        part = self.manifest.parts[name][index]
        return pieces.file_bytes(str(self.folder), part, functools.partial(self._chunk_bytes, name))

    def files_holding(self, name: str, ids: list[str]) -> dict[int, bytes]:
        """The table's files that may hold one of `ids`, by their place, as checked bytes. After
        `MAP_AFTER` lookups in a table the state gathers its files' keys in one map: a fetch of 10,000
        dossiers looks up one document of each, and asked every file of the table each time."""
        read = functools.partial(self._chunk_bytes, name)
        chunks = self.manifest.parts.get(name, ())
        folder = str(self.folder)
        mapped = self._key_maps.get(name)
        if mapped is not None and all(pieces.PLAIN_ID.fullmatch(i) for i in ids):
            places = sorted({at for i in ids for at in mapped.get(pieces.key_hash(i), ())})
            return {at: pieces.file_bytes(folder, chunks[at], read) for at in places}
        found = pieces.files_holding(folder, chunks, ids, read)
        self._lookups[name] = self._lookups.get(name, 0) + 1
        if self._lookups[name] >= MAP_AFTER:
            built = pieces.key_map(folder, chunks)
            if built is not None:
                self._key_maps[name] = built
        return found

    def search(self, name: str, needles: list[bytes]) -> Iterator[tuple[str, Any]] | None:
        """The documents whose stored text holds every one of `needles` (and maybe others), in table
        order, parsing only the files that hold them; None when the parsed table is at hand or only
        parsing it can tell."""
        chunks = self.manifest.parts.get(name)
        if chunks is None or self.parsed(name) is not None:
            return None
        read = functools.partial(self._chunk_bytes, name)
        try:
            return pieces.search(str(self.folder), chunks, needles, read)
        except StoreCorruptError:
            return None

    def count(self, name: str) -> int | None:
        """The manifest's number of documents (its index entry's, without decoding the runs)."""
        entry = self.manifest.indexes.get(name)
        if entry is not None:
            return entry.count
        chunks = self.manifest.parts.get(name)
        return super().count(name) if chunks is None else sum(p.count for p in chunks)

    def stored_objects(self, name: str) -> Iterator[bytes] | None:
        """Each of the table's files in turn, length- and CRC-checked: a reader of 20,000 requests
        holds one file of them at a time, not the whole table."""
        chunks = self.manifest.parts.get(name)
        if chunks is None:
            return None
        return (self._chunk_bytes(name, part) for part in chunks)

    def _chunk_bytes(self, name: str, part: Part) -> bytes:
        path = self._base + part.file
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                raw = pread(fd, part.length + 1, 0)
            finally:
                os.close(fd)
        except FileNotFoundError:
            raise self._gone(name, part) from None
        except OSError as exc:
            raise read_error(Path(path), exc) from None
        if len(raw) != part.length:
            raise self._part_damage(name, part, "heeft een andere lengte dan de inhoudsopgave zegt")
        if zlib.crc32(raw) != part.crc:
            raise self._part_damage(name, part, "klopt niet met haar controlegetal")
        if raw[:1] != b"{" or raw[-1:] != b"}":
            raise self._part_damage(name, part, "is geen geldige JSON")
        return raw

    def _gone(self, name: str, part: Part) -> StoreError:
        """A file gone after opening: damage if the current manifest still names it, else replaced."""
        current = read_manifest(self.path)
        if current is not None and part.file in current.files:
            return missing_part(self.path, PartGoneError(name, part), self.restore_hint)
        return StoreBusyError(
            "De gegevens zijn intussen door een andere gebruiker gewijzigd; probeer het opnieuw."
        )

    def _part_damage(self, name: str, part: Part, what: str) -> StoreCorruptError:
        return corrupt_error(
            self.path, f"tabel '{name}' ({part.file}) {what}", self.restore_hint, tables=[name]
        )

    def _load(self, name: str) -> dict[str, Any]:
        raw = self.checked_bytes(name)
        try:
            table = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            raise corrupt_error(
                self.path, f"tabel '{name}' is geen geldige JSON", self.restore_hint, tables=[name]
            ) from None
        except RecursionError:
            raise corrupt_error(
                self.path, f"tabel '{name}' heeft te diep geneste gegevens", self.restore_hint, tables=[name]
            ) from None
        if not well_shaped(table) or len(table) != sum(p.count for p in self.manifest.parts[name]):
            raise corrupt_error(
                self.path, f"tabel '{name}' heeft een onverwachte vorm", self.restore_hint, tables=[name]
            )
        self.loaded.append(name)
        return cast(dict[str, Any], table)


def missing_part(path: Path, gone: PartGoneError, restore_hint: Callable[[], str]) -> StoreCorruptError:
    return corrupt_error(
        path, f"tabel '{gone.table}' ({gone.part.file}) ontbreekt", restore_hint, tables=[gone.table]
    )
