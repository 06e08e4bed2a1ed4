"""The store: TinyDB in one JSON file, safe for two users at once and for crashes.

Only this package touches the database file. Use `Store.open(path)`, then one
`store.transaction()` per user action and `store.snapshot()` for reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oso_tui.store.backups import RestorePolicy
from oso_tui.store.collection import Collection
from oso_tui.store.errors import (
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreReadOnlyError,
    StoreSchemaError,
    StoreWriteError,
)
from oso_tui.store.packs import RawBatch
from oso_tui.store.schema import SCHEMA_VERSION
from oso_tui.store.store import Snapshot, Store, Transaction

if TYPE_CHECKING:
    from oso_tui.settings import Settings

__all__ = [
    "SCHEMA_VERSION",
    "Collection",
    "RawBatch",
    "RestorePolicy",
    "Snapshot",
    "Store",
    "StoreBusyError",
    "StoreCorruptError",
    "StoreError",
    "StoreReadOnlyError",
    "StoreSchemaError",
    "StoreWriteError",
    "Transaction",
    "open_store",
]


def open_store(settings: Settings) -> Store:
    """The store the settings point at (`--db`, `OSO_TUI_DB`, config), with the configured group
    and restore points."""
    policy = RestorePolicy(
        every_writes=settings.backup_every_writes,
        every_minutes=settings.backup_every_minutes,
        keep=settings.backups_kept,
    )
    return Store.open(settings.db_path, group=settings.group, policy=policy)
