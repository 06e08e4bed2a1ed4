"""The store: TinyDB tables in a folder of JSON files under one manifest, safe for two users at once
and for crashes (see `manifest.py`).

Only this package touches the database files. Use `Store.open(path)`, then one
`store.transaction()` per user action and `store.snapshot()` for reading.
"""

from __future__ import annotations

from pathlib import Path
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
from oso_tui.store.manifest import parts_dir
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
    "store_exists",
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


def store_exists(path: Path) -> bool:
    """Whether a store is at `path`: its manifest (or older single file), or a table folder whose
    manifest is missing (opening it then says so, instead of a new empty store)."""
    return path.exists() or parts_dir(path).exists()
