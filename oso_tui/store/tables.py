"""Names of the tables in the store; every area uses these constants, never string literals."""

from __future__ import annotations

import zlib

AANVRAGEN = "aanvragen"
DOSSIERS = "dossiers"
LEERLINGEN = "leerlingen"
LEERLINGOVERZICHT = "leerlingoverzicht"
"""One small row per pupil (id, pgn, name, registered steps): what lists need without the pupil's data."""
HISTORIE = "historie"
AUDIT = "audit"
"""The open part of the audit log; sealed parts live in files beside the database (see `audit.py`)."""
AUDIT_PARTS = "auditdelen"
"""One row per sealed part of the audit log: file name, count, sha256."""
UITWISSELMAPPEN = "uitwisselmappen"
"""The exchange folders fetched from, so the summer purge finds every file it moved or wrote there."""

META = "_meta"
"""Internal table with one document: schema version and commit generation."""

ALL_TABLES = (AANVRAGEN, DOSSIERS, LEERLINGOVERZICHT, AUDIT)
"""The tables a new store starts with; pupil records and history live in shards (see `shard_of`)."""

SHARDS = 64
"""Pupil records and their history are spread over this many tables each, by PGN.

The store rewrites a changed table whole and parses a table whole when it is first read: with
5,000 pupils one pupil table would be ~40 MB, so a registration would re-encode all of it and
opening one pupil would parse all of them. A shard holds ~1/64 of that.
"""


def shard_of(table: str, pgn: str) -> str:
    """The shard of `table` (LEERLINGEN or HISTORIE) that holds this pupil's documents."""
    return f"{table}-{zlib.crc32(pgn.encode()) % SHARDS:02x}"


def all_shards(table: str) -> list[str]:
    return [f"{table}-{i:02x}" for i in range(SHARDS)]


def is_shard(name: str) -> bool:
    """A pupil or history shard, e.g. `leerlingen-03`: tables only the safe store ever wrote."""
    base, dash, number = name.rpartition("-")
    return bool(dash) and base in (LEERLINGEN, HISTORIE) and len(number) == 2
