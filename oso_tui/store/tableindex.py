"""The second level of the manifest: index files that name the runs of the tables.

A commit writes one index file for the tables it changed, a JSON object `{table: [[file, length, crc,
count], ...]}`; the manifest names, per table, the index file that holds its runs (with that file's
length and CRC-32 and the table's number of documents). So a commit writes the manifest (one entry per
table: it does not grow with the number of pupils), the runs that changed and one index file; a table
it did not change keeps the entry of an older index file. An index file, like a run, is never changed
once written, and goes when no table's entry names it any more.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Part:
    """One file of a table as the manifest names it: a run of the table's documents (or, for an
    index file, the table's number of documents). With slots: opening a store of 20,000 pupils makes
    tens of thousands."""

    file: str
    length: int
    crc: int
    count: int


Chunks = tuple[Part, ...]
"""A table's files in order; together they hold its documents in the table's order."""


def plain_file(file: object) -> bool:
    """A plain file name in the table folder (no path, no hidden file)."""
    return (
        type(file) is str
        and file.endswith(".json")
        and file[:1] not in ("", ".")
        and "/" not in file
        and "\0" not in file
    )


def part_of(item: object) -> Part | None:
    """`[file, length, crc, count]` as a Part, or None when malformed (checked fast: a big store
    names thousands)."""
    if type(item) is not list or len(item) != 4:
        return None
    file, length, crc, count = item
    if not (
        plain_file(file)
        and type(length) is int
        and type(crc) is int
        and type(count) is int
        and length >= 0
        and crc >= 0
        and count >= 0
    ):
        return None
    return Part(file, length, crc, count)


def chunks_of(entry: object) -> Chunks | None:
    """The files of one table from their JSON list, or None when an entry is malformed."""
    if type(entry) is not list:
        return None
    found = []
    for item in entry:
        part = part_of(item)
        if part is None:
            return None
        found.append(part)
    return tuple(found)


def encode_index(tables: dict[str, Chunks]) -> bytes:
    return json.dumps(
        {n: [[p.file, p.length, p.crc, p.count] for p in chunks] for n, chunks in sorted(tables.items())},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


MALFORMED = "is geen geldige lijst van tabelbestanden"


def parse_index(raw: bytes, entry: Part) -> tuple[dict[str, Any] | None, str]:
    """An index file as its JSON object, checked against the file's length and CRC in the manifest's
    entry; else None and what is wrong. Its tables' entries are checked when `Runs` decodes them."""
    if len(raw) != entry.length:
        return None, "heeft een andere lengte dan de inhoudsopgave zegt"
    if zlib.crc32(raw) != entry.crc:
        return None, "klopt niet met haar controlegetal"
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict):
        return None, MALFORMED
    return doc, ""


class IndexDamageError(Exception):
    """An index file the manifest names does not check out (only raised inside the store)."""

    def __init__(self, tables: list[str], part: Part, what: str) -> None:
        super().__init__(tables[0])
        self.tables, self.part, self.what = tables, part, what


class Runs(Mapping[str, Chunks]):
    """Per table the runs its index file names, decoded when the table is first asked for.

    The index files were read and checked against their length and CRC when the manifest was read;
    a table's entries are checked (each `[file, length, crc, count]`, and their number of documents
    against the manifest's) on its first use. A command that reads a handful of tables of a store of
    20,000 pupils so builds a few thousand entries, not the thirty thousand of every table.
    `on_damage` turns what does not check out into the store's error (else `IndexDamageError`).
    """

    def __init__(self, indexes: Mapping[str, Part], docs: Mapping[str, dict[str, Any]]) -> None:
        """`docs`: every index file `indexes` names, parsed, by file name."""
        self._indexes = indexes
        self._docs = docs
        self._decoded: dict[str, Chunks] = {}
        self.on_damage: Callable[[IndexDamageError], Exception] | None = None

    def __getitem__(self, name: str) -> Chunks:
        chunks = self._decoded.get(name)
        if chunks is None:
            try:
                chunks = self._decoded[name] = self._decode(name, self._indexes[name])
            except IndexDamageError as damage:
                if self.on_damage is None:
                    raise
                raise self.on_damage(damage) from None
        return chunks

    def __contains__(self, name: object) -> bool:
        return name in self._indexes

    def __iter__(self) -> Iterator[str]:
        return iter(self._indexes)

    def __len__(self) -> int:
        return len(self._indexes)

    def decoded(self) -> int:
        """How many tables have been decoded so far."""
        return len(self._decoded)

    def _decode(self, name: str, entry: Part) -> Chunks:
        """The table's runs; its entry in the parsed index file is replaced by them, so the states
        that share the file (after a commit, see `carried`) decode it once and hold it once."""
        doc = self._docs[entry.file]
        listed = doc.get(name)
        if listed is None:
            raise IndexDamageError([name], entry, "noemt deze tabel niet")
        chunks = listed if type(listed) is tuple else chunks_of(listed)
        if chunks is None:
            raise IndexDamageError([name], entry, MALFORMED)
        doc[name] = chunks
        if sum(p.count for p in chunks) != entry.count:
            raise IndexDamageError([name], entry, "noemt een ander aantal records dan de inhoudsopgave")
        return chunks

    def carried(self, indexes: Mapping[str, Part], written: Mapping[str, Chunks]) -> Runs:
        """The runs after a commit with these index entries that wrote the runs of `written`: every
        other table keeps its entry, so its runs stay as decoded here, or undecoded."""
        files = {e.file for e in indexes.values()}
        runs = Runs(indexes, {f: doc for f, doc in self._docs.items() if f in files})
        runs._decoded = {
            n: c for n, c in self._decoded.items() if n in indexes and indexes[n] == self._indexes.get(n)
        }
        runs._decoded.update(written)
        runs.on_damage = self.on_damage
        return runs

    def decode_all(self) -> None:
        """Every table decoded now (raises the first damage found)."""
        for name in self._indexes:
            self[name]

    def files(self) -> set[str]:
        """The names of every run the tables name, without decoding them (a malformed entry may
        add a name no file has, or leave one out: the caller decodes the tables when a name is not
        in the folder, which reports the damage)."""
        found: set[str] = set()
        for name, entry in self._indexes.items():
            chunks = self._decoded.get(name)
            if chunks is not None:
                found.update([p.file for p in chunks])
                continue
            listed = self._docs[entry.file].get(name)
            try:
                if type(listed) is tuple:
                    found.update([p.file for p in listed])
                    continue
                if type(listed) is not list:
                    raise TypeError(name)
                found.update([file for file, _length, _crc, _count in listed])
            except (TypeError, ValueError):
                found.update([p.file for p in self[name]])  # decoding it reports the damage
        return found
