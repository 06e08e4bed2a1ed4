"""The store: TinyDB in one JSON file, safe for two users at once and for crashes.

Only this package touches the database file. Use `Store.open(path)`, then one
`store.transaction()` per user action and `store.snapshot()` for reading.
"""

from oso_tui.store.collection import Collection
from oso_tui.store.errors import (
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreSchemaError,
    StoreWriteError,
)
from oso_tui.store.schema import SCHEMA_VERSION
from oso_tui.store.store import Snapshot, Store, Transaction

__all__ = [
    "SCHEMA_VERSION",
    "Collection",
    "Snapshot",
    "Store",
    "StoreBusyError",
    "StoreCorruptError",
    "StoreError",
    "StoreSchemaError",
    "StoreWriteError",
    "Transaction",
]
