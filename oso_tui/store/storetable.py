"""The TinyDB table class of the store: text ids and updates that never change the committed state.

Kept apart from `storage.py`, which reads and commits the files; this is what TinyDB's tables do
with the documents of one transaction in memory.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from tinydb.table import Document, Table

__all__ = ["StoreTable"]


def _keyed(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """A record with an `id` keeps that id as its key, so typed collections find raw inserts too."""
    if isinstance(document, Mapping) and not isinstance(document, Document):
        key = document.get("id")
        if isinstance(key, str) and key:
            return Document(document, key)  # type: ignore[arg-type]
    return document


class StoreTable(Table):
    """A TinyDB table whose document ids are strings: the model's `id` for typed collections.

    Auto-numbered inserts (history, audit through the raw table) still get "1", "2", ...; and every
    update works on copies of the documents, so an aborted transaction never changes the committed
    state that snapshots and the next transaction start from.
    """

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        known: int | None = self._next_id
        if known is not None:
            next_id = known
        else:
            numbers = [int(k) for k in self._read_table() if k.isdigit()]
            next_id = max(numbers, default=0) + 1
        while str(next_id) in self._read_table():
            next_id += 1
        self._next_id = next_id + 1  # type: ignore[assignment]
        return str(next_id)

    _copy_docs = False

    def insert(self, document: Mapping[str, Any]) -> str:  # type: ignore[override]
        """Insert; a document with a text `id` is stored under that id, like `Collection.put`."""
        return cast(str, super().insert(_keyed(document)))

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[str]:  # type: ignore[override]
        return cast(list[str], super().insert_multiple(_keyed(d) for d in documents))

    def update(self, *args: Any, **kwargs: Any) -> list[str]:  # type: ignore[override]
        """TinyDB updates documents in place (operations like `add` even nested values); here it
        updates deep copies, and puts back the original of every document that did not change."""
        self._copy_docs = True
        try:
            return super().update(*args, **kwargs)  # type: ignore[return-value]
        finally:
            self._copy_docs = False

    def update_multiple(self, *args: Any, **kwargs: Any) -> list[str]:  # type: ignore[override]
        self._copy_docs = True
        try:
            return super().update_multiple(*args, **kwargs)  # type: ignore[return-value]
        finally:
            self._copy_docs = False

    def _update_table(self, updater: Any) -> None:
        if not self._copy_docs:
            self._update_copy(updater)
            return

        changed: list[str] = []

        def copying(table: dict[str, Any]) -> None:
            originals = dict(table)
            for key, doc in originals.items():
                table[key] = copy.deepcopy(doc)
            updater(table)
            for key, doc in table.items():
                original = originals.get(key)
                if original is not None and original == doc:
                    table[key] = original
                else:
                    changed.append(key)
            changed.extend(originals.keys() - table.keys())

        self._update_copy(copying, changed)

    def _update_copy(self, updater: Callable[[dict[str, Any]], None], keys: list[str] | None = None) -> None:
        """TinyDB's table update on a plain copy of the table: its ids are text already, so the two
        key conversions TinyDB makes (each a Python loop over the whole table) are not needed. The
        table read is never changed in place: a write always stages a new dict."""
        tables = self._storage.read()
        if tables is None:
            tables = {}
        try:
            raw = tables[self.name]
        except KeyError:
            raw = {}
        table = dict(raw)
        updater(table)
        tables[self.name] = table
        self._storage.write(tables)
        self.clear_cache()
        touch = getattr(self._storage, "touch", None)
        if touch is not None:
            # TinyDB's own insert, remove and truncate only add and remove documents
            touch(self.name, list(table.keys() ^ raw.keys()) if keys is None else keys)

    def reset_caches(self) -> None:
        """Forget the query cache and next id: another process may have changed the table."""
        self.clear_cache()
        self._next_id = None

    def replace_many(self, docs: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Insert or replace documents by id in one table update (one staged write for the batch)."""

        docs = list(docs)

        def updater(table: dict[str, Any]) -> None:
            for doc_id, doc in docs:
                table[doc_id] = doc

        self._update_copy(updater, [doc_id for doc_id, _ in docs])

    def delete_many(self, doc_ids: Iterable[str]) -> list[str]:
        removed: list[str] = []

        def updater(table: dict[str, Any]) -> None:
            for doc_id in doc_ids:
                if table.pop(doc_id, None) is not None:
                    removed.append(doc_id)

        self._update_copy(updater, removed)
        return removed

    def document(self, doc_id: str) -> Document | None:
        raw = self._read_table().get(doc_id)
        return None if raw is None else Document(raw, doc_id)  # type: ignore[arg-type]
