"""TinyDB storage and middleware that make the JSON file safe for two users and for crashes.

`SafeJSONStorage` reads and validates the file and writes it atomically (see `files.py`); it keeps
the last committed state in memory together with the file's identity, so a transaction only parses
the file again when someone else committed in between. `TransactionMiddleware` stages every TinyDB
write in memory until the store commits the whole user action as one write.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from tinydb.middlewares import Middleware
from tinydb.storages import Storage
from tinydb.table import Document, Table

from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import FileMode, atomic_write
from oso_tui.store.tables import META

Data = dict[str, dict[str, Any]]
"""The whole database: table name -> document id -> document."""

META_ID = "1"
_PREFIX_BYTES = 512
_GENERATION_RE = re.compile(rb'"generation"\s*:\s*(\d+)')


@dataclass(frozen=True)
class FileIdentity:
    """What tells us cheaply whether the file changed since we read it.

    Every commit replaces the file (new inode) and raises the generation written near its start,
    so (inode, size, mtime, generation) changes with every commit, also when an inode is reused.
    """

    dev: int
    ino: int
    size: int
    mtime_ns: int
    generation: int | None


def _identity(st: os.stat_result, head: bytes) -> FileIdentity:
    match = _GENERATION_RE.search(head[:_PREFIX_BYTES])
    generation = int(match.group(1)) if match else None
    return FileIdentity(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, generation)


def read_identity(path: Path) -> FileIdentity | None:
    """Stat the file and read the generation from its first bytes; None when it does not exist."""
    try:
        with path.open("rb") as handle:
            return _identity(os.fstat(handle.fileno()), handle.read(_PREFIX_BYTES))
    except FileNotFoundError:
        return None


def read_with_identity(path: Path) -> tuple[bytes, FileIdentity]:
    """The whole file and its identity, from one open file: both belong to the same version."""
    with path.open("rb") as handle:
        st = os.fstat(handle.fileno())
        raw = handle.read()
    return raw, _identity(st, raw)


def meta_of(data: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    meta = data.get(META, {}).get(META_ID)
    return dict(meta) if isinstance(meta, Mapping) else {}


def parse(raw: bytes, path: Path, restore_hint: Callable[[], str]) -> Data:
    """Parse and shape-check the file, or raise a Dutch `StoreCorruptError` that says how to restore."""

    def corrupt(what: str) -> StoreCorruptError:
        return StoreCorruptError(
            f"Het databasebestand {path} is beschadigd ({what}) en is niet aangeraakt; {restore_hint()}"
        )

    if not raw.strip():
        raise corrupt("het bestand is leeg")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise corrupt("geen geldige UTF-8-tekst") from None
    except json.JSONDecodeError as exc:
        where = "het einde ontbreekt" if exc.pos >= len(raw.rstrip()) else f"fout in regel {exc.lineno}"
        raise corrupt(f"geen geldige JSON: {where}") from None
    except RecursionError:
        raise corrupt("te diep geneste gegevens") from None
    if not isinstance(data, dict):
        raise corrupt("de inhoud is geen verzameling tabellen")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise corrupt(f"tabel '{name}' heeft een onverwachte vorm")
    return cast(Data, data)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

_DocTexts = dict[int, tuple[Any, str, str]]
"""Per table: id(document) -> (document, key, its JSON text `"key":{...}`)."""


def serialize_table(table: Mapping[str, Any], cache: _DocTexts) -> tuple[str, _DocTexts]:
    """The table as JSON, reusing the text of every document object serialized before.

    Unchanged documents are the very same objects from one commit to the next (TinyDB rebuilds the
    table dict, not the documents), so a commit only encodes the documents that changed.
    """
    encode = _ENCODER.encode
    fresh: _DocTexts = {}
    parts = []
    for key, doc in table.items():
        hit = cache.get(id(doc))
        if hit is not None and hit[0] is doc and hit[1] == key:
            text = hit[2]
        else:
            text = f"{encode(key)}:{encode(doc)}"
        fresh[id(doc)] = (doc, key, text)
        parts.append(text)
    return "{" + ",".join(parts) + "}", fresh


def _table_order(names: Iterable[str]) -> list[str]:
    """Order of tables in the file: `_meta` first (for `generation()`), then by name."""
    names = list(names)
    return [META] * (META in names) + sorted(n for n in names if n != META)


def _texts_from_file(raw: bytes, data: Data) -> dict[str, tuple[dict[str, Any], str]]:
    """The JSON text of each table, cut from a file in our own layout; {} for any other layout.

    Our writer puts `{`, then one `"name":{...}` per line in `_table_order`, then `}`. A table
    that a transaction leaves unchanged can then be written back as the very same text, so the
    first commit after reading the file only encodes the tables that changed. JSON strings cannot
    hold a raw newline, so every newline in the file is one of ours.
    """
    lines = raw.decode("utf-8").split("\n")
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) < 2 or lines[0] != "{" or lines[-1] != "}":
        return {}
    body = lines[1:-1]
    order = _table_order(data)
    if len(body) != len(order):
        return {}
    decoder = json.JSONDecoder()
    texts: dict[str, tuple[dict[str, Any], str]] = {}
    for i, (line, expected) in enumerate(zip(body, order, strict=True)):
        if i < len(body) - 1:
            if not line.endswith(","):
                return {}
            line = line[:-1]
        try:
            name, end = decoder.raw_decode(line)
        except json.JSONDecodeError:
            return {}
        if name != expected or line[end : end + 1] != ":":
            return {}
        texts[name] = (data[name], line[end + 1 :])
    return texts


class SafeJSONStorage(Storage):
    """A TinyDB storage over one JSON file: validated reads, atomic writes, the meta table first.

    The file is written one table per line with `_meta` first, so `generation()` can read the commit
    counter from the first bytes without parsing the whole file. Table texts are cached per table
    object, so a commit only serializes the tables that changed.
    """

    def __init__(self, path: Path, mode: FileMode, restore_hint: Callable[[], str]) -> None:
        self.path = path
        self.mode = mode
        self.restore_hint = restore_hint
        self._committed: Data | None = None
        self._identity: FileIdentity | None = None
        self._texts: dict[str, tuple[dict[str, Any], str]] = {}
        self._doc_texts: dict[str, _DocTexts] = {}

    def read(self) -> Data | None:
        """The committed state; parsed again only when the file changed. Callers must not mutate it."""
        identity = read_identity(self.path)
        if identity is None:
            self.forget()
            return None
        if self._committed is not None and identity == self._identity:
            return self._committed
        try:
            raw, identity = read_with_identity(self.path)
        except FileNotFoundError:
            self.forget()
            return None
        except OSError as exc:
            raise StoreError(
                f"Het databasebestand {self.path} kan niet gelezen worden ({exc.strerror})."
            ) from None
        data = parse(raw, self.path, self.restore_hint)
        self.forget()
        self._committed = data
        self._identity = identity
        self._texts = _texts_from_file(raw, data)
        return data

    def write(self, data: Mapping[str, dict[str, Any]]) -> None:
        """Write all tables in one atomic replace; afterwards `data` is the committed state."""
        lines: list[tuple[str, str]] = []
        for name in _table_order(data):
            table = data[name]
            cached = self._texts.get(name)
            if cached is not None and cached[0] is table:
                text = cached[1]
            else:
                text, self._doc_texts[name] = serialize_table(table, self._doc_texts.get(name, {}))
            self._texts[name] = (table, text)
            lines.append((name, text))
        for name in set(self._texts) - set(data):
            del self._texts[name]
            self._doc_texts.pop(name, None)

        def chunks() -> Iterator[bytes]:
            for i, (name, text) in enumerate(lines):
                yield f"{'{' if i == 0 else ','}\n{json.dumps(name)}:".encode()
                yield text.encode("utf-8")
            yield b"\n}\n"

        try:
            atomic_write(self.path, chunks(), self.mode)
        except BaseException:
            self.forget()
            raise
        self._committed = dict(data)
        self._identity = read_identity(self.path)

    def forget(self) -> None:
        """Drop the in-memory copy, e.g. after a failed write; the next read parses the file."""
        self._committed = None
        self._identity = None
        self._texts = {}
        self._doc_texts = {}

    def close(self) -> None:
        self.forget()


class TransactionMiddleware(Middleware):
    """Stages TinyDB's writes in memory between `begin` and `commit`/`rollback`.

    TinyDB writes the whole database after every table operation; here those writes only replace
    the staged state, and the store writes once at commit. Outside a transaction there is nothing to
    read, so a stray write without a transaction fails loudly instead of touching the file.
    """

    storage: SafeJSONStorage

    def __init__(self, storage_cls: type[SafeJSONStorage]) -> None:
        super().__init__(storage_cls)
        self._staged: Data | None = None
        self._base: Data = {}

    @property
    def active(self) -> bool:
        return self._staged is not None

    def begin(self, base: Data) -> Data:
        """Start staging on top of `base`, the freshly read committed state (never mutated)."""
        self._base = base
        self._staged = dict(base)
        return self._staged

    def read(self) -> Data:
        if self._staged is None:
            raise RuntimeError("TinyDB is alleen binnen Store.transaction() te gebruiken")
        return self._staged

    def write(self, data: Data) -> None:
        if self._staged is None:
            raise RuntimeError("TinyDB is alleen binnen Store.transaction() te gebruiken")
        self._staged = data

    def changed_tables(self) -> list[str]:
        """Tables whose content differs from the base (TinyDB replaces a table dict on every update)."""
        staged = self._staged or {}
        names = set(staged) | set(self._base)
        return sorted(
            n for n in names if staged.get(n) is not self._base.get(n) and staged.get(n) != self._base.get(n)
        )

    def staged(self) -> Data:
        if self._staged is None:
            raise RuntimeError("geen transactie actief")
        return self._staged

    def end(self) -> None:
        self._staged = None
        self._base = {}


class ReadOnlyStorage(Storage):
    """A committed state for snapshot views; every write is a programming error."""

    def __init__(self, data: Data) -> None:
        self._data = data

    def read(self) -> Data:
        return self._data

    def write(self, data: Data) -> None:
        raise RuntimeError("een momentopname is alleen-lezen; gebruik Store.transaction()")


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
            super()._update_table(updater)
            return

        def copying(table: dict[str, Any]) -> None:
            originals = dict(table)
            for key, doc in originals.items():
                table[key] = copy.deepcopy(doc)
            updater(table)
            for key, doc in table.items():
                original = originals.get(key)
                if original is not None and original == doc:
                    table[key] = original

        super()._update_table(copying)  # type: ignore[arg-type]

    def reset_caches(self) -> None:
        """Forget the query cache and next id: another process may have changed the table."""
        self.clear_cache()
        self._next_id = None

    def replace_many(self, docs: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Insert or replace documents by id in one table update (one staged write for the batch)."""

        def updater(table: dict[str, Any]) -> None:
            for doc_id, doc in docs:
                table[doc_id] = doc

        super()._update_table(updater)  # type: ignore[arg-type]

    def delete_many(self, doc_ids: Iterable[str]) -> list[str]:
        removed: list[str] = []

        def updater(table: dict[str, Any]) -> None:
            for doc_id in doc_ids:
                if table.pop(doc_id, None) is not None:
                    removed.append(doc_id)

        super()._update_table(updater)  # type: ignore[arg-type]
        return removed

    def document(self, doc_id: str) -> Document | None:
        raw = self._read_table().get(doc_id)
        return None if raw is None else Document(raw, doc_id)  # type: ignore[arg-type]
