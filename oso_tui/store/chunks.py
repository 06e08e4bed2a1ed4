"""How a table is cut into files: runs of documents of about `CHUNK_BYTES`, rewritten only when one
of their documents changed.

A commit walks the committed runs of a changed table: a run whose documents are all still there and
unchanged keeps its file; any other run is written anew with what is left of it (split when it grew);
new documents go into the last run. So a registration rewrites a few runs of a few KB, however many
pupils the store holds. The documents of a table are, in order, those of its runs in order: a table
read from its files has that order, and the writer hands the in-memory table over in that order too.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator, Mapping
from itertools import chain, compress, filterfalse, islice
from typing import Any

from oso_tui.store.manifest import CHUNK_BYTES
from oso_tui.store.tableindex import Chunks, Part

MAX_PARTS = 512
"""A table is cut into runs large enough that its index file names at most about this many, so the
index a commit rewrites stays a few tens of KB however large the table grows."""

DocTexts = dict[int, tuple[Any, str, str]]
"""Per table: id(document) -> (document, key, its JSON text `"key":{...}`)."""

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

Run = tuple[Part | None, list[str]]
"""A run of document keys, with the file that already holds exactly them (None: to be written)."""


def chunk_bytes(table_bytes: int) -> int:
    """The size of a run for a table of `table_bytes`: `CHUNK_BYTES`, larger for a table so big that
    its index file would name more than about `MAX_PARTS` runs."""
    return max(CHUNK_BYTES, table_bytes // MAX_PARTS)


def plan_runs(
    table: Mapping[str, Any],
    old: Chunks,
    base: Mapping[str, Any] | None,
    size: int = CHUNK_BYTES,
    touched: set[str] | None = None,
) -> list[Run]:
    """The runs of `table`, reusing each committed run of `base` (stored as `old`) that is unchanged.

    `touched` names the documents the transaction's updates added, replaced or removed (None: not
    known); then only the runs holding those are looked at. Which documents are not the very objects
    read is otherwise found in C: either way a commit that changed a few documents of a table of 20,000
    does not compare 20,000 documents in Python.
    """
    if base is None or not old or sum(p.count for p in old) != len(base):
        return [(None, list(table))] if table else []
    added = 0
    if touched is not None:
        removed = sum(1 for k in touched if k in base and k not in table)
        added = sum(1 for k in touched if k in table and k not in base)
        if len(table) != len(base) - removed + added:
            touched = None  # not what the updates said: compare everything
    base_keys = list(base)
    if touched is None:
        same = map(operator.is_not, map(table.get, base_keys), map(base.__getitem__, base_keys))
        differing = set(compress(base_keys, same))
    else:
        differing = {k for k in touched if k in base}
    runs: list[Run] = []
    offset = 0
    for part in old:
        keys = base_keys[offset : offset + part.count]
        offset += part.count
        if differing.isdisjoint(keys) or _same(table, base, keys):
            runs.append((part, keys))
        else:
            kept = [k for k in keys if k in table]
            if kept:
                runs.append((None, kept))
    appended = _appended(table, base, added if touched is not None else None)
    if appended:
        last = runs[-1] if runs else None
        if last is not None and (last[0] is None or last[0].length < size):
            runs[-1] = (None, [*last[1], *appended])
        else:
            runs.append((None, appended))
    return runs


def _appended(table: Mapping[str, Any], base: Mapping[str, Any], added: int | None) -> list[str]:
    """The documents of `table` that `base` does not hold, in table order: new ones come last, so with
    their number known only the end of the table is looked at."""
    if added is not None and isinstance(table, dict):
        tail = [k for k in islice(reversed(table), added) if k not in base]
        if len(tail) == added:
            return tail[::-1]
    return list(filterfalse(base.__contains__, table))


def encode_run(
    table: Mapping[str, Any], keys: list[str], cache: DocTexts, fresh: DocTexts, size: int = CHUNK_BYTES
) -> Iterator[tuple[bytes, int]]:
    """The run as files of about `size` bytes: (JSON object bytes, number of documents) each.

    The text of a document encoded before (the very same object, TinyDB keeps unchanged documents)
    is reused from `cache`; every text used goes into `fresh`.
    """
    encode = _ENCODER.encode
    texts: list[str] = []
    used = 0
    for key in keys:
        doc = table[key]
        hit = cache.get(id(doc))
        if hit is not None and hit[0] is doc and hit[1] == key:
            text = hit[2]
        else:
            text = f"{encode(key)}:{encode(doc)}"
        fresh[id(doc)] = (doc, key, text)
        texts.append(text)
        used += len(text) + 1
        if used >= size:
            yield ("{" + ",".join(texts) + "}").encode(), len(texts)
            texts, used = [], 0
    if texts:
        yield ("{" + ",".join(texts) + "}").encode(), len(texts)


def _same(table: Mapping[str, Any], base: Mapping[str, Any], keys: list[str]) -> bool:
    """Whether every one of `keys` holds the very same document in `table` as in `base`, or an equal
    one. The first look compares identities in C (most documents of a changed table are the very
    objects read), so a table of 20,000 documents is checked in a millisecond."""
    if all(map(operator.is_, map(table.get, keys), map(base.__getitem__, keys))):
        return True
    return all(k in table and (table[k] is base[k] or table[k] == base[k]) for k in keys)


def in_run_order(table: dict[str, Any], runs: list[Run]) -> dict[str, Any]:
    """The table with its documents in the order of its runs (itself when that is its order already)."""
    order = list(chain.from_iterable(keys for _, keys in runs))
    if order == list(table):
        return table
    return {k: table[k] for k in order}
