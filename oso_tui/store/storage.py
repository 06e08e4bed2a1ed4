"""TinyDB storage and middleware that make the store safe for two users and for crashes.

`SafeJSONStorage` reads the committed state lazily (see `lazy.py` and `manifest.py`: a table is
parsed when first used) and keeps it together with the manifest's identity, so a transaction only
opens the store again when someone else committed in between. A commit writes only the runs of
documents that changed, as new files (see `chunks.py`), then replaces the manifest in one rename;
every other table and run keeps its file. `middleware.py` stages every TinyDB write in memory
until the store commits the whole user action as one write.
"""

from __future__ import annotations

import contextlib
import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from oso_tui.store.chunks import DocTexts, chunk_bytes, encode_run, in_run_order, plan_runs
from oso_tui.store.errors import StoreError
from oso_tui.store.files import (
    FileMode,
    atomic_write,
    ensure_dir,
    fsync_dir,
    fsync_files,
    link_or_copy,
    sync_folder,
    write_error,
    write_part,
)
from oso_tui.store.lazy import (
    EVICTED,
    META_ID,
    CommittedState,
    Data,
    FileIdentity,
    Tables,
    meta_of,
    open_state,
    parse,
    read_identity,
)
from oso_tui.store.leftovers import retire
from oso_tui.store.manifest import (
    FSYNC_EACH,
    Manifest,
    PartsState,
    part_name,
    parts_dir,
)
from oso_tui.store.opening import missing_manifest, open_written
from oso_tui.store.overlay import Overlay, parsed_base
from oso_tui.store.patches import PatchedOverlay, write_patched
from oso_tui.store.tableindex import Chunks, Part, Runs, encode_index
from oso_tui.store.tables import META

__all__ = [
    "META_ID",
    "CommittedState",
    "Data",
    "FileIdentity",
    "ReadOnlyStorage",
    "SafeJSONStorage",
    "Tables",
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
        self.retired: list[str] = []
        """The files the last commit stopped naming (see `leftovers.Sweeper`)."""

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

    def write(
        self,
        data: Tables,
        changed: Collection[str] | None = None,
        dirty: Mapping[str, set[str]] | None = None,
    ) -> None:
        """Commit `data`: new files for the tables that changed, then the manifest in one rename.

        A table that is not in `changed` (or, without `changed`, is the very object read from the
        committed state) keeps its file; one from another folder (a restore point) is linked in.
        Afterwards `data` is the committed state and the files no longer named are removed.
        """
        base = self._committed
        if isinstance(data, Overlay) and data.base is not base:
            changed = dirty = None  # staged on another version than ours: trust only object identity
        folder = parts_dir(self.path)
        source = base if isinstance(base, PartsState) else None
        meta_table = dict(data[META]) if META in data else {}
        generation = int(meta_of(data).get("generation", 0))
        names = sorted(n for n in data if n != META)
        patched = data.patches if isinstance(data, PatchedOverlay) and data.base is base else {}
        minted = data.new if isinstance(data, PatchedOverlay) and data.base is base else {}
        parts: dict[str, Chunks] = {}
        indexes: dict[str, Part] = {}
        ordered: dict[str, dict[str, Any]] = {}
        bases: dict[str, dict[str, Any] | None] = {}
        written: list[Path] = []
        ensure_dir(folder, self.mode)
        same_folder = source is not None and source.folder == folder
        named = source.manifest.parts if source is not None and same_folder else None
        if source is not None and isinstance(named, Runs):
            for name in set(named).difference(names):
                source.part(name)  # a dropped table's runs are checked before the commit lets them go
        try:
            for name in names:
                old_index = source.manifest.indexes.get(name) if source is not None else None
                if (
                    isinstance(named, Runs)
                    and source is not None
                    and old_index is not None
                    and self._unchanged(data, source, name, changed)
                ):
                    indexes[name] = old_index  # its runs are what its index file names: not decoded here
                    continue
                old = source.part(name) if source is not None else None
                if old is not None and source is not None and self._unchanged(data, source, name, changed):
                    if not same_folder:
                        for part in (*old, *(() if old_index is None else (old_index,))):
                            if link_or_copy(source.folder / part.file, folder / part.file, self.mode):
                                written.append(folder / part.file)
                    parts[name] = old
                    if old_index is not None:
                        indexes[name] = old_index
                    continue
                if name in patched and source is not None and same_folder:
                    size = chunk_bytes(sum(p.length for p in old or ()))
                    parts[name] = write_patched(
                        source,
                        name,
                        patched[name],
                        generation,
                        size,
                        self.mode,
                        written,
                        minted.get(name, set()),
                    )
                    continue
                table = data[name]
                base_table = parsed_base(data, source, name) if source is not None and same_folder else None
                bases[name] = base_table
                size = chunk_bytes(self._table_bytes(table, old))
                touched = dirty.get(name) if dirty is not None else None
                if touched is not None and isinstance(data, PatchedOverlay):
                    touched = touched | data.applied.get(name, set())
                runs = plan_runs(table, old or (), base_table, size, touched)
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
                        write_part(folder / part.file, raw, self.mode, durable=False)
                        chunks.append(part)
                self._doc_texts[name] = fresh
                parts[name] = tuple(chunks)
                if same_folder and old_index is not None and parts[name] == old:
                    indexes[name] = old_index
                ordered[name] = in_run_order(table, runs)
            pending = {n: chunks for n, chunks in parts.items() if n not in indexes}
            if pending:
                indexes.update(self._write_index(folder, generation, pending, written))
            if len(written) > FSYNC_EACH:
                sync_folder(folder)
            elif written:
                fsync_files(written)
                fsync_dir(folder)
            if isinstance(named, Runs):
                carried = named.carried({n: indexes[n] for n in names}, parts)
                manifest = Manifest(generation, folder.name, meta_table, carried, indexes)
            else:
                manifest = Manifest(generation, folder.name, meta_table, parts, indexes)
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
        if source is not None and same_folder:
            self.retired = _replaced(source.manifest, manifest)
            retire(folder, self.retired)
        try:
            state = open_written(self.path, self.restore_hint, manifest) or open_state(
                self.path, self.restore_hint
            )
        except StoreError:
            # The commit landed; only our cache is unknown now, so the next read opens the file.
            self.forget()
            return
        if state is not None:
            state.adopt(self._in_memory(data, base, patched) | ordered)
            applied = data.applied if isinstance(data, PatchedOverlay) else {}
            for name, ids in (dirty or {}).items():
                older, newer = bases.get(name), state.parsed(name)
                if older is not None and newer is not None:
                    _note_derived(name, newer, older, ids | applied.get(name, set()))
        self._committed = state

    def _write_index(
        self, folder: Path, generation: int, tables: dict[str, Chunks], written: list[Path]
    ) -> dict[str, Part]:
        """One new index file naming the runs of `tables` (see `tableindex.py`); their manifest entries."""
        raw = encode_index(tables)
        file, crc = part_name("index", generation), zlib.crc32(raw)
        written.append(folder / file)
        write_part(folder / file, raw, self.mode, durable=False)
        return {n: Part(file, len(raw), crc, sum(p.count for p in chunks)) for n, chunks in tables.items()}

    @staticmethod
    def _table_bytes(table: Mapping[str, Any], old: Chunks | None) -> int:
        """The table's size after this commit, roughly: so that a commit that adds many documents at
        once (a migration, a collective action) cuts them into runs of the size the grown table calls
        for. Its committed runs grown by the new documents at their average size; a table without runs
        from a sample of its documents."""
        if not old:
            keys = list(table)
            sample = keys[:: max(1, len(keys) // 50)][:50]
            if not sample:
                return 0
            encoded = sum(len(_SAMPLER.encode(table[k])) + len(k) + 4 for k in sample)
            return encoded * len(keys) // len(sample)
        count = sum(p.count for p in old)
        stored = sum(p.length for p in old)
        grown = len(table) - count
        return stored + grown * stored // count if grown > 0 and count else stored

    @staticmethod
    def _unchanged(data: Tables, base: CommittedState, name: str, changed: Collection[str] | None) -> bool:
        if changed is not None:
            return name not in changed
        if data is base:
            return True
        if isinstance(data, Overlay) and data.base is base and not data.touched(name):
            return True
        parsed = parsed_base(data, base, name)
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
                parsed = parsed_base(data, base, name) if base is not None and data.base is base else None
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


def _replaced(before: Manifest, after: Manifest) -> list[str]:
    """The files `before` named that `after` does not: the runs of the tables a commit changed or
    dropped (the others keep the very same runs, so the thousands of unchanged files are not compared)
    and the index files no table's entry names any more."""
    gone = before.index_files() - after.index_files()
    for name in before.parts:
        entry = before.indexes.get(name)
        if entry is not None and after.indexes.get(name) == entry:
            continue  # the same index file names the same runs
        chunks, now = before.parts[name], after.parts.get(name)
        if now is not chunks:
            gone |= {p.file for p in chunks} - {p.file for p in now or ()}
    return sorted(gone)


_DERIVED: OrderedDict[str, tuple[dict[str, Any], dict[str, Any], frozenset[str]]] = OrderedDict()
_DERIVED_LOCK = threading.Lock()


def _note_derived(name: str, newer: dict[str, Any], older: dict[str, Any], keys: set[str]) -> None:
    with _DERIVED_LOCK:
        _DERIVED[name] = (newer, older, frozenset(keys))
        _DERIVED.move_to_end(name)
        while len(_DERIVED) > 8:
            _DERIVED.popitem(last=False)


def _forget_derived(table: dict[str, Any]) -> None:
    with _DERIVED_LOCK:
        for name, (newer, older, _keys) in list(_DERIVED.items()):
            if newer is table or older is table:
                del _DERIVED[name]


EVICTED.append(_forget_derived)


def derived(name: str, table: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]] | None:
    """(the table `table` was committed from, the ids of the documents that commit touched) when
    `table` is the last committed version of table `name`: an index of the older one is brought up to
    date from those ids alone (see `collection.field_index`)."""
    with _DERIVED_LOCK:
        hit = _DERIVED.get(name)
    return (hit[1], hit[2]) if hit is not None and hit[0] is table else None


_SAMPLER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class ReadOnlyStorage(Storage):
    """A committed state for snapshot views; every write is a programming error."""

    def __init__(self, data: Tables) -> None:
        self._data = data

    def read(self) -> Overlay:  # type: ignore[override]  # a lazy mapping, not a dict
        """A throwaway overlay, so TinyDB's update gets as far as `write` and its clear error."""
        return Overlay(self._data)

    def write(self, data: Tables) -> None:
        raise RuntimeError("een momentopname is alleen-lezen; gebruik Store.transaction()")
