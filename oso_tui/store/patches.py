"""Writing a few documents into a big table without reading the table.

TinyDB replaces a table whole, so putting one request into a table of 20,000 parsed all of them
first. A typed collection in a transaction instead stages its puts as patches on a table it has not
read; the commit rewrites only the files that hold a patched document (found by its id in the
files' bytes, so only those files are parsed) and puts new documents in the last file, exactly as a
whole-table write would have. Whoever reads the whole table in the same transaction gets it with
the patches applied, and from then on TinyDB writes it as before.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from oso_tui.store.checks import corrupt_error, well_shaped
from oso_tui.store.files import FileMode, write_part
from oso_tui.store.lazy import CommittedState, Tables
from oso_tui.store.manifest import PartsState, part_name
from oso_tui.store.overlay import Overlay
from oso_tui.store.tableindex import Chunks, Part

Patch = dict[str, dict[str, Any] | None]
"""Documents by id, to be put into one table; None takes the document out."""


class PatchedOverlay(Overlay):
    """A transaction's overlay that also holds puts into tables nobody read whole yet."""

    def __init__(self, base: Tables) -> None:
        super().__init__(base)
        self.patches: dict[str, Patch] = {}
        self.applied: dict[str, set[str]] = {}
        """Per table read whole after its puts were staged, the ids of those puts: the commit counts
        them among the documents the transaction touched."""
        self.new: dict[str, set[str]] = {}
        """Per table, the patched ids the caller minted (see `Collection.add_many`): the commit
        appends them without searching the table's files for them."""

    def can_patch(self, name: str) -> bool:
        """Whether puts into `name` can wait for the commit: a table of the folder layout that this
        transaction has neither read whole nor replaced."""
        base = self.base
        return (
            isinstance(base, PartsState)
            and base.part(name) is not None
            and base.parsed(name) is None
            and name not in self.seen
            and name not in self.local
            and name not in self.dropped
        )

    def patch(
        self, name: str, docs: Sequence[tuple[str, dict[str, Any] | None]], *, new: bool = False
    ) -> None:
        self.patches.setdefault(name, {}).update(docs)
        if new:
            self.new.setdefault(name, set()).update(doc_id for doc_id, _ in docs)

    def search(self, name: str, needles: list[bytes]) -> Iterator[tuple[str, Any]] | None:
        """As `PartsState.search`, for a table this transaction has not changed; else None."""
        if name in self.local or name in self.dropped or name in self.patches:
            return None
        base = self.base
        return base.search(name, needles) if isinstance(base, PartsState) else None

    def lookup(self, name: str, doc_id: str) -> tuple[bool, Any]:
        """One document as this transaction sees it, without reading the table when it can."""
        patch = self.patches.get(name)
        if patch is not None and doc_id in patch:
            return True, patch[doc_id]
        if name in self.local or name in self.dropped:
            return False, None
        base = self.base
        return base.document(name, doc_id) if isinstance(base, CommittedState) else (False, None)

    def count(self, name: str) -> int | None:
        """The number of documents in a table this transaction did not replace: from the manifest, and
        for its patches from whether each patched document is there."""
        if name in self.local or name in self.dropped:
            return None
        base = self.base
        counted = base.count(name) if isinstance(base, CommittedState) else None
        patch = self.patches.get(name)
        if counted is None or not patch:
            return counted
        for doc_id, doc in patch.items():
            answered, there = (
                base.document(name, doc_id) if isinstance(base, CommittedState) else (False, None)
            )
            if not answered:
                return None
            counted += (doc is not None) - (there is not None)
        return counted

    def __getitem__(self, name: str) -> dict[str, Any]:
        patch = self.patches.pop(name, None)
        if patch is not None:
            table = dict(self.base[name])
            for doc_id, doc in patch.items():
                if doc is None:
                    table.pop(doc_id, None)
                else:
                    table[doc_id] = doc
            self.local[name] = table
            self.applied.setdefault(name, set()).update(patch)
        return super().__getitem__(name)

    def touched(self, name: str) -> bool:
        return name in self.patches or super().touched(name)


def write_patched(
    base: PartsState,
    name: str,
    patch: Patch,
    generation: int,
    size: int,
    mode: FileMode,
    written: list[Path],
    new: set[str] | frozenset[str] = frozenset(),
) -> Chunks:
    """The table's files after putting `patch` into it (a document None: taken out): the files holding
    a patched document and the last file (where new documents go) are written anew, every other file is
    kept. In a rewritten file only the patched documents are encoded; the others keep their stored
    text. A document a lookup of this state placed goes to its file; the others are looked for only in
    the files whose keys name them (see `pieces.py`); the ids in `new` are not looked for: they go to
    the last file."""
    old = base.part(name) or ()
    files: dict[int, dict[str, str]] = {}
    missing = dict(patch)

    def put_into(index: int, ids: list[str]) -> None:
        texts = files.get(index)
        if texts is None:
            texts = _texts(base, name, base.piece(name, index))
        hits = [doc_id for doc_id in ids if doc_id in missing and doc_id in texts]
        for doc_id in hits:
            doc = missing.pop(doc_id)
            if doc is None:
                del texts[doc_id]
            else:
                texts[doc_id] = _text(doc_id, doc)
        if hits:
            files[index] = texts

    where = {doc_id: (True, None) if doc_id in new else base.where(name, doc_id) for doc_id in patch}
    for index in sorted({i for known, i in where.values() if known and i is not None}):
        put_into(index, [d for d in missing if where[d] == (True, index)])
    unknown = [d for d in missing if where[d] != (True, None)]  # a lookup found no other as absent
    if unknown:
        for index in sorted(base.files_holding(name, unknown)):
            put_into(index, unknown)
    added = {doc_id: doc for doc_id, doc in missing.items() if doc is not None}
    if added:
        last = len(old) - 1
        if last < 0 or (last not in files and old[last].length >= size):
            files[len(old)] = {}
            last = len(old)
        elif last not in files:
            files[last] = _texts(base, name, base.piece(name, last))
        files[last].update((doc_id, _text(doc_id, doc)) for doc_id, doc in added.items())
    chunks: list[Part] = []
    for index in range(len(old) + 1):
        rewritten = files.get(index)
        if rewritten is None:
            chunks.extend(old[index : index + 1])
            continue
        for raw, count in _runs(list(rewritten.values()), size):
            part = Part(part_name(name, generation), len(raw), zlib.crc32(raw), count)
            written.append(base.folder / part.file)
            write_part(base.folder / part.file, raw, mode, durable=False)
            chunks.append(part)
    return tuple(chunks)


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_DECODER = json.JSONDecoder()


def _text(doc_id: str, doc: Any) -> str:
    """A document as a table file holds it: `"id":{...}`, encoded as `chunks.encode_run` does."""
    return f"{_ENCODE(doc_id)}:{_ENCODE(doc)}"


def _texts(base: PartsState, name: str, raw: bytes) -> dict[str, str]:
    """A file's documents as their stored texts, by id, in order: cut from the file where it has the
    shape the store writes (each value checked by parsing it), else parsed and encoded again."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    found = _cut(text)
    if found is not None:
        return found
    return {doc_id: _text(doc_id, doc) for doc_id, doc in _parse(base, name, raw).items()}


def _cut(text: str) -> dict[str, str] | None:
    """`{"a":{...},"b":{...}}` cut into `{"a": '"a":{...}', ...}`; None for any other shape."""
    if text == "{}":
        return {}
    texts: dict[str, str] = {}
    position, end = 1, len(text) - 1
    try:
        while True:
            if text[position] != '"':
                return None
            start = position
            key, position = _DECODER.raw_decode(text, position)
            if not isinstance(key, str) or text[position] != ":" or key in texts:
                return None
            value, position = _DECODER.raw_decode(text, position + 1)
            if not isinstance(value, dict):
                return None
            texts[key] = text[start:position]
            if text[position] == "}":
                return texts if position == end else None
            if text[position] != ",":
                return None
            position += 1
    except (ValueError, IndexError, RecursionError):
        return None


def _runs(texts: list[str], size: int) -> Iterator[tuple[bytes, int]]:
    """Documents' texts as files of about `size` bytes, cut as `chunks.encode_run` cuts them."""
    run: list[str] = []
    used = 0
    for text in texts:
        run.append(text)
        used += len(text) + 1
        if used >= size:
            yield ("{" + ",".join(run) + "}").encode(), len(run)
            run, used = [], 0
    if run:
        yield ("{" + ",".join(run) + "}").encode(), len(run)


def _parse(base: PartsState, name: str, raw: bytes) -> dict[str, Any]:
    try:
        table = json.loads(raw)
    except (ValueError, RecursionError):
        table = None
    if not well_shaped(table):
        raise corrupt_error(
            base.path, f"tabel '{name}' is geen geldige JSON", base.restore_hint, tables=[name]
        )
    return cast(dict[str, Any], table)
