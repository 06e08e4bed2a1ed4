"""Schema versions of the database file and the migrations between them.

The version lives in the `_meta` table. Opening an older file migrates it after a backup; opening a
file from a newer oso-tui is refused, because this version would not know what it may change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oso_tui.store.lazy import META_ID, Data, Tables, meta_of
from oso_tui.store.tables import ALL_TABLES, META

SCHEMA_VERSION = 1


def schema_of(data: Tables) -> int:
    """Version 0 is a file without `_meta`: a plain TinyDB file from before the safe store."""
    version = meta_of(data).get("schema", 0)
    return version if isinstance(version, int) else 0


def _v0_to_v1(data: Data) -> Data:
    """Give a plain TinyDB file the meta table; its tables and documents stay as they are."""
    migrated: Data = {name: dict(table) for name, table in data.items() if name != "_default" or table}
    meta: dict[str, Any] = {"schema": 1, "generation": 0}
    migrated[META] = {META_ID: meta}
    return migrated


MIGRATIONS: dict[int, Callable[[Data], Data]] = {0: _v0_to_v1}
"""From version N to N+1; each returns a new state and leaves its input alone."""


def migrate(data: Data, target: int = SCHEMA_VERSION) -> Data:
    version = schema_of(data)
    while version < target:
        data = MIGRATIONS[version](data)
        version += 1
        meta = meta_of(data)
        meta["schema"] = version
        data[META] = {META_ID: meta}
    return data


def empty_state() -> Data:
    data: Data = {name: {} for name in ALL_TABLES}
    data[META] = {META_ID: {"schema": SCHEMA_VERSION, "generation": 0}}
    return data
