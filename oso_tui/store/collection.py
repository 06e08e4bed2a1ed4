"""Typed collections: pydantic models in and out, TinyDB documents keyed by the model's `id`."""

from __future__ import annotations

import json
import operator
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, compress
from typing import Any, Generic, Protocol, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python

from oso_tui.store.errors import StoreCorruptError
from oso_tui.store.lazy import EVICTED
from oso_tui.store.storage import derived
from oso_tui.store.storetable import StoreTable

M = TypeVar("M", bound=BaseModel)

StoredJson = Callable[[], Iterator[bytes] | None]
"""Gives a table as stored, as JSON objects that together hold its documents (each CRC-checked as it
comes; `StoreCorruptError` when one does not), or None when only parsing can tell."""


class Patch(Protocol):
    """Stages puts (a document None: a delete) without reading the table (True), or declines (False):
    then they go through TinyDB."""

    def __call__(self, docs: Sequence[tuple[str, dict[str, Any] | None]], *, new: bool) -> bool: ...


Search = Callable[[list[bytes]], Iterator[tuple[str, Any]] | None]
"""The documents whose stored text holds every one of these byte strings (and maybe others), in table
order, without parsing the whole table; None when only the parsed table can tell."""

Lookup = Callable[[str], tuple[bool, Any]]
"""Finds one stored document without parsing its table: (True, document or None), or (False, None)
when only the parsed table can tell."""

_PLAIN = re.compile(r"[A-Za-z0-9_.:+-]{1,200}")

_TABLE_ADAPTERS: dict[type[BaseModel], TypeAdapter[Any]] = {}


def _table_adapter(model: type[M]) -> TypeAdapter[dict[str, M]]:
    """Validates a whole table (document id -> document) as models of one type; built once per type."""
    adapter = _TABLE_ADAPTERS.get(model)
    if adapter is None:
        adapter = _TABLE_ADAPTERS[model] = TypeAdapter(dict[str, model])  # type: ignore[valid-type]
    return cast(TypeAdapter[dict[str, M]], adapter)


Index = dict[Any, list[str]]
_INDEXES: OrderedDict[tuple[str, str], tuple[dict[str, Any], Index]] = OrderedDict()
_INDEXES_KEPT = 8
_INDEX_LOCK = threading.Lock()
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _forget_indexes(table: dict[str, Any]) -> None:
    """A table the committed state let go of: its indexes go too, so they do not keep it alive."""
    with _INDEX_LOCK:
        for key, (indexed, _index) in list(_INDEXES.items()):
            if indexed is table:
                del _INDEXES[key]


EVICTED.append(_forget_indexes)


def is_hashable(value: Any) -> bool:
    """A JSON scalar, which an index can hold (a list or object is looked for by a scan)."""
    return type(value) in _SCALARS


def field_index(name: str, table: dict[str, Any], field: str) -> Index:
    """Document ids by the value of one field, in table order.

    Kept per table name and field: a committed table is never changed in place (a write makes a new
    dict, whose unchanged documents are the very same objects), so the index of the next version is the
    last one patched with the documents that are not the same objects, found in C. Looking up the
    requests of a pupil then costs a dictionary lookup, not a pass over 20,000 documents.
    """
    key = (name, field)
    with _INDEX_LOCK:
        hit = _INDEXES.get(key)
        if hit is not None:
            _INDEXES.move_to_end(key)
    if hit is not None and hit[0] is table:
        return hit[1]
    index = _patched(name, hit[0], hit[1], table, field) if hit is not None else None
    if index is None:
        index = _built(table, field)
    with _INDEX_LOCK:
        _INDEXES[key] = (table, index)
        while len(_INDEXES) > _INDEXES_KEPT:
            _INDEXES.popitem(last=False)
    return index


def _built(table: dict[str, Any], field: str) -> Index:
    index: Index = {}
    scalars = _SCALARS
    for doc_id, doc in table.items():
        value = doc.get(field)
        if type(value) in scalars:
            found = index.get(value)
            if found is None:
                index[value] = [doc_id]
            else:
                found.append(doc_id)
    return index


def _patched(name: str, old: dict[str, Any], index: Index, table: dict[str, Any], field: str) -> Index | None:
    """`index` (of `old`) made the index of `table`; None when too much changed to be worth it. The
    lists of `index` are never changed: another thread may still read the older version."""
    hint = derived(name, table)
    changed: list[str] | None = None
    if hint is not None and hint[0] is old:  # the commit that made `table` said what it touched
        changed = [k for k in hint[1] if k in table]
        removed = {k for k in hint[1] if k not in table and k in old}
        added = sum(1 for k in changed if k not in old)
        if len(table) != len(old) - len(removed) + added:
            changed = None  # not what the commit said: compare everything
    if changed is None:
        keys = list(table)
        same = map(operator.is_not, map(old.get, keys), map(table.__getitem__, keys))
        changed = list(compress(keys, same))
        removed = old.keys() - table.keys()
    if len(changed) + len(removed) > 64 + len(table) // 16:
        return None
    index = dict(index)
    moved: set[Any] = set()
    for doc_id in chain(changed, removed):
        before, after = old.get(doc_id), table.get(doc_id)
        was = before.get(field) if before is not None else None
        now = after.get(field) if after is not None else None
        if before is not None and after is not None and type(was) is type(now) and was == now:
            continue
        if before is not None and type(was) in _SCALARS:
            index[was] = [i for i in index.get(was, ()) if i != doc_id]
            if not index[was]:
                del index[was]
        if after is not None and type(now) in _SCALARS:
            bucket = index.get(now)
            index[now] = [*bucket, doc_id] if bucket else [doc_id]
            if bucket and doc_id in old:
                moved.add(now)  # an older document joined: keep the list in table order
    for value in moved:
        index[value] = list(filter(set(index[value]).__contains__, table))
    return index


class Collection(Generic[M]):
    """A view of one table as models of one type.

    What goes in is dumped with `model_dump(mode="json")`, what comes out is validated with
    `model_validate`, so the JSON file only ever holds plain JSON and readers get checked models.
    """

    def __init__(
        self,
        table: StoreTable,
        model: type[M],
        *,
        writable: bool,
        stored: StoredJson | None = None,
        lookup: Lookup | None = None,
        counted: Callable[[], int | None] | None = None,
        patch: Patch | None = None,
        search: Search | None = None,
    ) -> None:
        if "id" not in model.model_fields:
            raise TypeError(f"{model.__name__} heeft geen veld 'id' en kan niet in de store")
        self._table = table
        self._model = model
        self._writable = writable
        self._stored = stored
        self._lookup = lookup
        self._counted = counted
        self._patch = patch
        self._search = search

    @property
    def name(self) -> str:
        return str(self._table.name)

    def _load(self, doc_id: str, doc: Any) -> M:
        try:
            return self._model.model_validate(doc)
        except ValidationError as exc:
            raise StoreCorruptError(
                f"Record '{doc_id}' in tabel '{self.name}' past niet bij {self._model.__name__} "
                f"({exc.error_count()} fout(en)); controleer de database met 'oso-tui doctor'."
            ) from None

    def _raw(self) -> dict[str, Any]:
        return cast(dict[str, Any], self._table._read_table())

    def all(self) -> list[M]:
        return [self._load(k, doc) for k, doc in self._raw().items()]

    def scan(self) -> list[M]:
        """The same models as `all()`, validated in one pass straight from the stored JSON if possible.

        For one-pass readers of a big table (the request list at start-up): pydantic parses and
        validates the table's bytes together, several times faster than parsing to dicts and then
        validating each, and no parsed table stays in memory. Without stored bytes (a transaction,
        another file layout) or when they do not validate (a damaged or unfitting record), this is
        `all()`, which reports the problem as before.
        """
        pieces = self._stored() if self._stored is not None else None
        if pieces is not None:
            adapter = _table_adapter(self._model)
            found: list[M] = []
            try:
                for raw in pieces:
                    found.extend(adapter.validate_json(raw).values())
            except (ValidationError, StoreCorruptError):
                pass
            else:
                return found
        return self.all()

    def each(self) -> Iterator[M]:
        """The models of `scan()`, one stored file at a time: a reader that keeps a few fields of each
        holds one file's models at once, not the table's. When a file does not validate, the rest
        comes from `all()`, which reports the problem as before."""
        pieces = self._stored() if self._stored is not None else None
        if pieces is None:
            yield from self.all()
            return
        adapter = _table_adapter(self._model)
        done = 0
        try:
            for raw in pieces:
                found = list(adapter.validate_json(raw).values())
                done += len(found)
                yield from found
        except (ValidationError, StoreCorruptError):
            yield from self.all()[done:]

    def ids(self) -> list[str]:
        return list(self._raw())

    def __len__(self) -> int:
        counted = self._counted() if self._counted is not None else None
        return len(self._raw()) if counted is None else counted

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        answered, doc = self._lookup(doc_id) if self._lookup is not None else (False, None)
        return doc is not None if answered else doc_id in self._raw()

    def get(self, id: str) -> M | None:
        """One document by id; a snapshot finds it in the stored files without parsing the table."""
        answered, doc = self._lookup(id) if self._lookup is not None else (False, None)
        if not answered:
            doc = self._raw().get(id)
        return None if doc is None else self._load(id, doc)

    def where(self, **fields: Any) -> list[M]:
        """Models whose fields equal the given values (compared in their JSON form)."""
        wanted = {name: to_jsonable_python(value) for name, value in fields.items()}
        unknown = [n for n in wanted if n not in self._model.model_fields]
        if unknown:
            raise TypeError(f"{self._model.__name__} heeft geen veld {unknown[0]!r}")
        if not wanted:
            return self.all()
        found = self._searched(wanted)
        if found is not None:
            return [self._load(k, doc) for k, doc in found if all(doc.get(n) == v for n, v in wanted.items())]
        table = self._raw()
        (first, value), *rest = wanted.items()
        keys = field_index(self.name, table, first).get(value, ()) if is_hashable(value) else None
        if keys is None:
            return [self._load(k, doc) for k, doc in table.items() if doc.get(first) == value]
        return [self._load(k, table[k]) for k in keys if all(table[k].get(n) == v for n, v in rest)]

    def _searched(self, wanted: dict[str, Any]) -> Iterator[tuple[str, Any]] | None:
        """Candidates found by their stored text `"field":"value"` for the values that are plain text
        (the store writes compact JSON, and such a value unescaped), without parsing the table."""
        if self._search is None:
            return None
        needles = [
            f"{json.dumps(n)}:{json.dumps(v)}".encode()
            for n, v in wanted.items()
            if isinstance(v, str) and _PLAIN.fullmatch(v) and _PLAIN.fullmatch(n)
        ]
        return self._search(needles) if needles else None

    def _check_writable(self) -> None:
        if not self._writable:
            raise RuntimeError("een momentopname is alleen-lezen; gebruik Store.transaction()")

    def _dump(self, model: M) -> tuple[str, dict[str, Any]]:
        if not isinstance(model, self._model):
            raise TypeError(f"verwacht {self._model.__name__}, kreeg {type(model).__name__}")
        doc = model.model_dump(mode="json")
        doc_id = doc.get("id")
        if not isinstance(doc_id, str) or not doc_id:
            raise ValueError(f"{self._model.__name__}.id moet een niet-lege tekst zijn")
        return doc_id, doc

    def put(self, model: M) -> None:
        """Insert or replace by id."""
        self.put_many([model])

    def put_many(self, models: Iterable[M]) -> int:
        """Insert or replace many models as one batch: one table update, however many models."""
        return self._put(models, new=False)

    def add_many(self, models: Iterable[M]) -> int:
        """Insert models whose ids the caller just minted, unique beyond doubt (a history entry's):
        a big table is not searched for them. An id already stored would be there twice."""
        return self._put(models, new=True)

    def _put(self, models: Iterable[M], *, new: bool) -> int:
        self._check_writable()
        docs = [self._dump(m) for m in models]
        if docs and (self._patch is None or not self._patch(docs, new=new)):
            self._table.replace_many(docs)
        elif docs:
            self._table.clear_cache()
        return len(docs)

    def delete(self, id: str) -> bool:
        return bool(self.delete_many([id]))

    def delete_many(self, ids: Iterable[str]) -> int:
        self._check_writable()
        wanted = list(dict.fromkeys(i for i in ids if i in self))
        if not wanted:
            return 0
        if self._patch is not None and self._patch([(i, None) for i in wanted], new=False):
            self._table.clear_cache()
            return len(wanted)
        return len(self._table.delete_many(wanted))
