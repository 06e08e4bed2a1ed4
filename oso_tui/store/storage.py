"""TinyDB storage and middleware that make the store safe for two users and for crashes.

`SafeJSONStorage` reads the committed state lazily (see `lazy.py` and `manifest.py`: a table is
parsed when first used) and keeps it together with the manifest's identity, so a transaction only
opens the store again when someone else committed in between. A commit writes only the runs of
documents that changed, as new files (see `chunks.py`), then replaces the manifest in one rename;
every other table and run keeps its file. `TransactionMiddleware` stages every TinyDB write in
memory until the store commits the whole user action as one write.
"""

from __future__ import annotations

import contextlib
import copy
import os
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import Any, cast

from tinydb.middlewares import Middleware
from tinydb.storages import Storage
from tinydb.table import Document, Table

from oso_tui.store.checks import pread
from oso_tui.store.chunks import DocTexts, chunk_bytes, encode_run, in_run_order, plan_runs
from oso_tui.store.files import FileMode, atomic_write, ensure_dir, fsync_dir, sync_folder, write_error
from oso_tui.store.lazy import (
    META_ID,
    CommittedState,
    Data,
    FileIdentity,
    Overlay,
    Tables,
    meta_of,
    open_state,
    parse,
    read_identity,
)
from oso_tui.store.lazy import (
    _identity as file_identity,
)
from oso_tui.store.manifest import (
    FSYNC_EACH,
    Chunks,
    Manifest,
    Part,
    PartsState,
    link_or_copy,
    missing_manifest,
    part_name,
    parts_dir,
    retire,
    write_part,
)
from oso_tui.store.patches import PatchedOverlay, write_patched
from oso_tui.store.tables import META

__all__ = [
    "META_ID",
    "CommittedState",
    "Data",
    "FileIdentity",
    "ReadOnlyStorage",
    "SafeJSONStorage",
    "StoreTable",
    "Tables",
    "TransactionMiddleware",
    "meta_of",
    "open_state",
    "parse",
    "read_identity",
]


class SafeJSONStorage(Storage):
    """A TinyDB storage over a manifest and its table files: lazy validated reads, atomic commits.

    The manifest starts with the commit counter, so `generation()` reads it from the first bytes; it
    names each table's files with their lengths and CRCs, so a reader finds any table without
    parsing the others. A single file of an older oso-tui is read as before and written in the
    folder layout by the first commit.
    """

    def __init__(self, path: Path, mode: FileMode, restore_hint: Callable[[], str]) -> None:
        self.path = path
        self.mode = mode
        self.restore_hint = restore_hint
        self._committed: CommittedState | None = None
        self._doc_texts: dict[str, DocTexts] = {}

    @property
    def committed(self) -> CommittedState | None:
        """The last committed state read or written by this storage (no file access)."""
        return self._committed

    def start_from(self, state: CommittedState) -> None:
        """Write the next version from `state` (another file, e.g. a restore point): its unchanged
        tables are copied verbatim and CRC-checked from there."""
        self.forget()
        self._committed = state

    def read(self) -> CommittedState | None:  # type: ignore[override]  # a lazy mapping, not a dict
        """The committed state; opened again only when the file changed. Callers must not mutate it."""
        identity = read_identity(self.path)
        if identity is None:
            self.forget()
            damage = missing_manifest(self.path, self.restore_hint)
            if damage is not None:
                raise damage
            return None
        if self._committed is not None and identity == self._committed.identity:
            return self._committed
        state = open_state(self.path, self.restore_hint)
        self.forget()
        self._committed = state
        return state

    def write(self, data: Tables, changed: Collection[str] | None = None) -> None:
        """Commit `data`: new files for the tables that changed, then the manifest in one rename.

        A table that is not in `changed` (or, without `changed`, is the very object read from the
        committed state) keeps its file; one from another folder (a restore point) is linked in.
        Afterwards `data` is the committed state and the files no longer named are removed.
        """
        base = self._committed
        if isinstance(data, Overlay) and data.base is not base:
            changed = None  # staged on another version than ours: trust only object identity
        folder = parts_dir(self.path)
        source = base if isinstance(base, PartsState) else None
        meta_table = dict(data[META]) if META in data else {}
        generation = int(meta_of(data).get("generation", 0))
        names = sorted(n for n in data if n != META)
        patched = data.patches if isinstance(data, PatchedOverlay) and data.base is base else {}
        size = chunk_bytes(self._expected_size(data, base, source, names, changed, patched))
        parts: dict[str, Chunks] = {}
        ordered: dict[str, dict[str, Any]] = {}
        written: list[Path] = []
        ensure_dir(folder, self.mode)
        try:
            for name in names:
                old = source.part(name) if source is not None else None
                if old is not None and source is not None and self._unchanged(data, source, name, changed):
                    if source.folder != folder:
                        for part in old:
                            if link_or_copy(source.folder / part.file, folder / part.file, self.mode):
                                written.append(folder / part.file)
                    parts[name] = old
                    continue
                if name in patched and source is not None and source.folder == folder:
                    parts[name] = write_patched(
                        source, name, patched[name], generation, size, self.mode, written
                    )
                    continue
                table = data[name]
                same_folder = source is not None and source.folder == folder
                base_table = source.parsed(name) if source is not None and same_folder else None
                runs = plan_runs(table, old or (), base_table, size)
                cache: DocTexts = self._doc_texts.get(name, {})
                fresh: DocTexts = {}
                chunks: list[Part] = []
                for kept, keys in runs:
                    if kept is not None:
                        chunks.append(kept)
                        continue
                    for raw, count in encode_run(table, keys, cache, fresh, size):
                        part = Part(part_name(name, generation), len(raw), zlib.crc32(raw), count)
                        written.append(folder / part.file)
                        write_part(folder / part.file, raw, self.mode, durable=len(written) <= FSYNC_EACH)
                        chunks.append(part)
                self._doc_texts[name] = fresh
                parts[name] = tuple(chunks)
                ordered[name] = in_run_order(table, runs)
            if len(written) > FSYNC_EACH:
                sync_folder(folder)
            elif written:
                fsync_dir(folder)
            manifest = Manifest(generation, folder.name, meta_table, parts)
            atomic_write(self.path, manifest.encode(), self.mode)
        except BaseException as exc:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            self.forget()
            if isinstance(exc, OSError):
                raise write_error(exc, written[-1] if written else self.path) from None
            raise
        for name in set(self._doc_texts) - set(names):
            del self._doc_texts[name]
        if source is not None and source.folder == folder:
            retire(folder, source.manifest.files - manifest.files)
        try:
            state = self._written(manifest, folder)
        except OSError:
            # The commit landed; only our cache is unknown now, so the next read opens the file.
            self.forget()
            return
        if state is not None:
            state.adopt(self._in_memory(data, base, patched) | ordered)
            if isinstance(state, PartsState):
                state.inherit_pieces(base)
        self._committed = state

    def _written(self, manifest: Manifest, folder: Path) -> PartsState:
        """The state just committed, from the manifest in memory: opening it again would decode and
        check what this very commit wrote (a manifest of thousands of files in a large store). The
        store lock is held, so the file is the one written."""
        fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            identity = file_identity(st, pread(fd, min(st.st_size, 512), 0))
        except BaseException:
            os.close(fd)
            raise
        return PartsState(self.path, self.restore_hint, fd, identity, manifest, folder)

    def _expected_size(
        self,
        data: Tables,
        base: CommittedState | None,
        source: PartsState | None,
        names: list[str],
        changed: Collection[str] | None,
        patched: Mapping[str, object],
    ) -> int:
        """The store's size after this commit, roughly: so that a commit that adds many documents at once
        (a migration, a collective action) cuts them into runs of the size the grown store calls for.

        A changed table grows by its new documents at the average size of its committed ones.
        """
        size = base.size if isinstance(base, PartsState) else base.identity.size if base else 0
        if source is None:
            return size
        for name in names:
            old = source.part(name)
            if not old or name in patched or self._unchanged(data, source, name, changed):
                continue
            count = sum(p.count for p in old)
            grown = len(data[name]) - count
            if grown > 0 and count:
                size += grown * sum(p.length for p in old) // count
        return size

    @staticmethod
    def _unchanged(data: Tables, base: CommittedState, name: str, changed: Collection[str] | None) -> bool:
        if changed is not None:
            return name not in changed
        if data is base:
            return True
        if isinstance(data, Overlay) and data.base is base and not data.touched(name):
            return True
        parsed = base.parsed(name)
        return parsed is not None and data[name] is parsed

    @staticmethod
    def _in_memory(
        data: Tables, base: CommittedState | None, patched: Mapping[str, object]
    ) -> dict[str, dict[str, Any]]:
        """Tables already in memory, so the next transaction need not parse them again."""
        known: dict[str, dict[str, Any]] = {}
        for name in data:
            if name in patched:
                continue
            if isinstance(data, Overlay) and not data.touched(name):
                parsed = base.parsed(name) if base is not None and data.base is base else None
                if parsed is not None:
                    known[name] = parsed
            elif isinstance(data, CommittedState):
                parsed = data.parsed(name)
                if parsed is not None:
                    known[name] = parsed
            else:
                known[name] = data[name]
        return known

    def forget(self) -> None:
        """Drop the in-memory state, e.g. after a failed write; the next read opens the file."""
        self._committed = None
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
        self._staged: MutableMapping[str, dict[str, Any]] | None = None
        self._base: Tables = {}

    @property
    def active(self) -> bool:
        return self._staged is not None

    def begin(self, base: Tables) -> MutableMapping[str, dict[str, Any]]:
        """Start staging on top of `base`, the freshly read committed state (never mutated).

        The staged state is an overlay, not a copy: copying would parse every table of the file.
        """
        self._base = base
        self._staged = PatchedOverlay(base)
        return self._staged

    def read(self) -> MutableMapping[str, dict[str, Any]]:
        if self._staged is None:
            raise RuntimeError("TinyDB is alleen binnen Store.transaction() te gebruiken")
        return self._staged

    def write(self, data: MutableMapping[str, dict[str, Any]]) -> None:
        if self._staged is None:
            raise RuntimeError("TinyDB is alleen binnen Store.transaction() te gebruiken")
        self._staged = data

    def changed_tables(self) -> list[str]:
        """Tables whose content differs from the base (TinyDB replaces a table dict on every update).

        Only tables TinyDB replaced or dropped are candidates; a table it never wrote is unchanged
        and stays unparsed.
        """
        staged, base = self._staged or {}, self._base
        patched = staged.patches if isinstance(staged, PatchedOverlay) and staged.base is base else {}
        if isinstance(staged, Overlay) and staged.base is base:
            names = set(staged.local) | staged.dropped
        else:
            names = set(staged) | set(base)
        return sorted(set(patched) | {n for n in names if _differs(staged, base, n)})

    def patch(self, name: str, docs: list[tuple[str, dict[str, Any]]]) -> bool:
        """Stage puts into `name` without reading it, when it was not read whole (see `patches.py`);
        False when the caller must write through TinyDB."""
        staged = self._staged
        if not isinstance(staged, PatchedOverlay) or staged.base is not self._base:
            return False
        if name not in staged.patches and not staged.can_patch(name):
            return False
        staged.patch(name, docs)
        return True

    def staged(self) -> MutableMapping[str, dict[str, Any]]:
        if self._staged is None:
            raise RuntimeError("geen transactie actief")
        return self._staged

    def end(self) -> None:
        self._staged = None
        self._base = {}


def _differs(staged: Tables, base: Tables, name: str) -> bool:
    if (name in staged) != (name in base):
        return True
    if name not in staged:
        return False
    new = staged[name]
    known = base.parsed(name) if isinstance(base, CommittedState) else base.get(name)
    return new is not known and new != base[name]


class ReadOnlyStorage(Storage):
    """A committed state for snapshot views; every write is a programming error."""

    def __init__(self, data: Tables) -> None:
        self._data = data

    def read(self) -> Overlay:  # type: ignore[override]  # a lazy mapping, not a dict
        """A throwaway overlay, so TinyDB's update gets as far as `write` and its clear error."""
        return Overlay(self._data)

    def write(self, data: Tables) -> None:
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
