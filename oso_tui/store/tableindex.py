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
from dataclasses import dataclass


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


def decode_index(raw: bytes, entry: Part) -> tuple[dict[str, Chunks] | None, str]:
    """The runs of every table an index file holds, checked against the file's length and CRC in the
    manifest's entry; else None and what is wrong."""
    if len(raw) != entry.length:
        return None, "heeft een andere lengte dan de inhoudsopgave zegt"
    if zlib.crc32(raw) != entry.crc:
        return None, "klopt niet met haar controlegetal"
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict):
        return None, "is geen geldige lijst van tabelbestanden"
    found: dict[str, Chunks] = {}
    for name, entry_list in doc.items():
        chunks = chunks_of(entry_list)
        if chunks is None:
            return None, "is geen geldige lijst van tabelbestanden"
        found[name] = chunks
    return found, ""
