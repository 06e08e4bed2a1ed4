"""The store: the only code that touches the database files, its raw dossiers and its backups.

Every user action is one `transaction()`: under an inter-process lock the committed state is read
fresh, TinyDB works on a staged copy in memory, and on success what changed is written once,
atomically: new table files, then the manifest (after a restore point when one is due, see
`backups.py`; see `manifest.py` for the layout); an action that only added
audit entries is appended to the audit journal instead (see `audit.py`). Reading for display uses
`snapshot()`, which takes no lock at all. Opening never changes an existing file: an older schema
is migrated by the first transaction that changes something, and a read-only file is never written.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from tinydb import TinyDB

from oso_tui.clock import file_time
from oso_tui.store.audit import SEQUENCE_PER_COMMIT, journal_commit, only_added
from oso_tui.store.backups import (
    Backup,
    RestorePolicy,
    due,
    list_backups,
    make_backup,
    restore_advice,
)
from oso_tui.store.collection import Collection
from oso_tui.store.errors import (
    StoreBusyError,
    StoreError,
    StoreReadOnlyError,
    StoreSchemaError,
)
from oso_tui.store.files import (
    FileMode,
    ensure_dir,
    remove_stale_temps,
)
from oso_tui.store.lazy import not_a_file_error
from oso_tui.store.leftovers import Sweeper
from oso_tui.store.locking import exclusive_lock
from oso_tui.store.manifest import PartsState, parts_dir
from oso_tui.store.middleware import TransactionMiddleware
from oso_tui.store.overlay import Overlay
from oso_tui.store.packs import (
    PackIndex,
)
from oso_tui.store.patches import PatchedOverlay
from oso_tui.store.raw import RawDossiers
from oso_tui.store.schema import SCHEMA_VERSION, empty_state, migrate, schema_of
from oso_tui.store.storage import (
    META_ID,
    CommittedState,
    ReadOnlyStorage,
    SafeJSONStorage,
    Tables,
    meta_of,
    open_state,
    read_identity,
)
from oso_tui.store.storetable import StoreTable
from oso_tui.store.tables import AUDIT, META

M = TypeVar("M", bound=BaseModel)

KEEP_BACKUPS = RestorePolicy().keep
DEFAULT_LOCK_TIMEOUT = 10.0
_SHA_RE = re.compile(r"[0-9a-f]{64}")


class _DB(TinyDB):
    table_class = StoreTable

    def table(self, name: str, **kwargs: Any) -> StoreTable:
        return cast(StoreTable, super().table(name, **kwargs))

    def open_tables(self) -> list[StoreTable]:
        return [cast(StoreTable, t) for t in self._tables.values()]


class _View:
    """What transactions and snapshots share: tables and typed collections over one state."""

    def __init__(self, db: _DB, *, writable: bool, state: CommittedState | None = None) -> None:
        self._db = db
        self._writable = writable
        self._state = state

    def table(self, name: str) -> StoreTable:
        """The raw TinyDB table (escape hatch); use `insert_multiple` for batches.

        Documents read from it are shallow copies of the committed state: change them through the
        table (`update`, `insert`, `remove`), never by mutating a nested list or dict in place.
        """
        if name == META:
            raise ValueError("de tabel _meta is van de store zelf")
        return self._db.table(name)

    def collection(self, name: str, model: type[M]) -> Collection[M]:
        table = self.table(name)
        state = self._state
        if state is None:
            return Collection(table, model, writable=self._writable)
        return Collection(
            table,
            model,
            writable=self._writable,
            stored=partial(state.stored_objects, name),
            lookup=partial(state.document, name),
            counted=partial(state.count, name),
            search=partial(state.search, name) if isinstance(state, PartsState) else None,
        )

    def tables(self) -> list[str]:
        return sorted(n for n in self._db.tables() if n != META)


class Transaction(_View):
    """One user action: everything done through it lands in one write, or nothing does."""

    def __init__(self, store: Store, db: _DB, *, generation: int = 0) -> None:
        super().__init__(db, writable=True)
        self.store = store
        self.generation, self._sequence = generation, 0  # the generation this commit will have

    def collection(self, name: str, model: type[M]) -> Collection[M]:
        """As in a snapshot, a table the transaction has not changed answers a lookup by id from its
        stored files, so reading one request or dossier version does not parse its whole table; and
        puts into a table nobody read whole wait for the commit as patches (see `patches.py`)."""
        middleware = self.store._middleware

        def lookup(doc_id: str) -> tuple[bool, Any]:
            staged = middleware.staged()
            if isinstance(staged, PatchedOverlay):
                return staged.lookup(name, doc_id)
            if isinstance(staged, Overlay) and not staged.touched(name):
                base = staged.base
                if isinstance(base, CommittedState):
                    return base.document(name, doc_id)
            return False, None

        def counted() -> int | None:
            staged = middleware.staged()
            return staged.count(name) if isinstance(staged, PatchedOverlay) else None

        def search(needles: list[bytes]) -> Iterator[tuple[str, Any]] | None:
            staged = middleware.staged()
            return staged.search(name, needles) if isinstance(staged, PatchedOverlay) else None

        return Collection(
            self.table(name),
            model,
            writable=True,
            lookup=lookup,
            counted=counted,
            patch=partial(middleware.patch, name),
            search=search,
        )

    def sequence(self) -> int:
        """The next number of a sequence that grows with every call and every (lock-serialised) commit:
        history and audit order by it, never by a clock."""
        self._sequence += 1
        return self.generation * SEQUENCE_PER_COMMIT + self._sequence


class Snapshot(_View):
    """A read-only view of the last committed state; holds no lock."""

    def __init__(self, data: Tables, store: Store | None = None) -> None:
        state = data if isinstance(data, CommittedState) else None
        super().__init__(_DB(data, storage=ReadOnlyStorage), writable=False, state=state)
        self.generation = int(meta_of(data).get("generation", 0))
        self.store = store


class Store(RawDossiers):
    """A TinyDB store: a manifest and its table folder, with raw dossiers and backups beside it."""

    def __init__(
        self, path: Path, mode: FileMode, lock_timeout: float, policy: RestorePolicy | None = None
    ) -> None:
        self.path = path
        self.mode = mode
        self.lock_timeout = lock_timeout
        self.policy = policy or RestorePolicy()
        self.lock_path = path.with_name(path.name + ".lock")
        self._sweeper = Sweeper(self.lock_path)
        self.raw_dir = path.with_name(path.stem + "-dossiers")
        self.backup_dir = path.with_name(path.stem + "-reservekopieen")
        self.parts_dir = parts_dir(path)
        self._middleware = TransactionMiddleware(SafeJSONStorage)
        self._db = _DB(path, mode, self.restore_hint, storage=self._middleware)
        self._storage: SafeJSONStorage = self._middleware.storage
        self._thread_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._local = threading.local()
        self._raw_dir_swept = False
        self.pack_lock_path = self.raw_dir / "pakken.lock"
        self._packs = PackIndex(self.raw_dir)

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        group: str | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        policy: RestorePolicy | None = None,
    ) -> Store:
        """Open (or create) the store at `path`; opening never changes an existing file.

        An older schema is migrated, after a restore point, by the first transaction that changes
        something; until then reading sees it migrated in memory. Raises `StoreCorruptError` for a
        damaged file (left untouched), `StoreSchemaError` for a file from a newer oso-tui,
        `StoreError` for a folder where the file should be, `StoreWriteError` when the folder cannot
        be written.
        """
        path = Path(path).expanduser().absolute()
        if path.is_dir():
            raise not_a_file_error(path, is_dir=True)
        mode = FileMode.for_group(group)
        store = cls(path, mode, lock_timeout, policy)
        with store._cache_lock:
            data = store._storage.read()
        if data is None:
            ensure_dir(path.parent, mode)
            with store._locked(), store._cache_lock:
                if store._storage.read() is None:
                    store._storage.write(empty_state())
        else:
            store._check_schema(data)
        return store

    def _create_or_migrate(self) -> None:
        """Migrate an older file now (doctor --herstel); call with the lock held."""
        with self._cache_lock:
            data = self._storage.read()
            if data is None:
                self._storage.write(empty_state())
                return
            version = self._check_schema(data)
            if version < SCHEMA_VERSION:
                self._refuse_read_only()
                self.backup(f"voor-migratie-v{version}")
                migrated = self._migrated(data)
                meta = meta_of(migrated)
                meta["generation"] = int(meta.get("generation", 0)) + 1
                migrated[META] = {META_ID: meta}
                self._storage.write(migrated)

    @staticmethod
    def _migrated(data: Tables) -> dict[str, dict[str, Any]]:
        return migrate({name: dict(table) for name, table in data.items()})

    def _check_schema(self, data: Tables) -> int:
        version = schema_of(data)
        if version > SCHEMA_VERSION:
            raise StoreSchemaError(
                f"Het databasebestand {self.path} is gemaakt met een nieuwere versie van oso-tui "
                f"(schema {version}, deze versie kent {SCHEMA_VERSION}); "
                "werk oso-tui bij, er is niets gewijzigd."
            )
        return version

    def _refuse_read_only(self) -> None:
        """A database file without write permission is respected: nothing is written, not even a copy."""
        for path, what in ((self.path, "Het databasebestand"), (self.parts_dir, "De map met tabellen")):
            try:
                st = path.stat()
            except (FileNotFoundError, NotADirectoryError):
                continue
            # root may write anything, so for root the mode alone says what the owner meant
            writable = bool(st.st_mode & 0o222) if os.geteuid() == 0 else os.access(path, os.W_OK)
            if not writable:
                raise StoreReadOnlyError(
                    f"{what} {path} is alleen-lezen (rechten {stat.S_IMODE(st.st_mode):04o}); "
                    "oso-tui wijzigt het niet en er is niets gewijzigd. Geef schrijfrechten "
                    "(bijvoorbeeld chmod u+w) als wijzigen de bedoeling is."
                )

    # -- transactions and snapshots -------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if getattr(self._local, "in_transaction", False):
            raise RuntimeError("geneste Store.transaction() in dezelfde thread")
        if not self._thread_lock.acquire(timeout=self.lock_timeout):
            raise StoreBusyError()
        self._local.in_transaction = True
        try:
            with exclusive_lock(self.lock_path, self.mode, self.lock_timeout, for_path=self.path):
                yield
        finally:
            self._local.in_transaction = False
            self._thread_lock.release()

    def _read_committed(self) -> tuple[Tables, int]:
        """The committed state and its schema version; an older one is migrated in memory only."""
        with self._cache_lock:
            data = self._storage.read()
        if data is None:
            raise StoreError(f"Het databasebestand {self.path} ontbreekt; {self.restore_hint()}")
        version = self._check_schema(data)
        if version < SCHEMA_VERSION:
            return self._migrated(data), version
        return data, version

    @contextmanager
    def transaction(self, *, restore_point: str | None = None) -> Iterator[Transaction]:
        """One user action: lock, fresh read, staged changes, one atomic write (or none).

        `restore_point` names a collective action ("collectief", "ophalen", ...): if it changes
        anything, a restore point of the state before it is made first, whatever the policy says.
        """
        with self._locked():
            remove_stale_temps(self.path.parent, prefix=self.path.name)
            base, version = self._read_committed()
            if isinstance(base, PartsState) and base.folder == self.parts_dir:
                self._sweeper.sweep(base)
            for table in self._db.open_tables():
                table.reset_caches()
            self._middleware.begin(base)
            try:
                generation = int(meta_of(base).get("generation", 0)) + 1
                yield Transaction(self, self._db, generation=generation)
                if restore_point is None and self._commit_audit_only(base):
                    return  # viewing care data never rewrites, let alone migrates, the file
                if version < SCHEMA_VERSION:
                    restore_point = f"voor-migratie-v{version}"
                elif not isinstance(base, PartsState):
                    restore_point = "voor-mapindeling"  # the single file of an older oso-tui, kept
                elif base.manifest.parts and not base.manifest.indexes:
                    restore_point = "voor-inhoudsopgave"  # the first manifest format, kept
                elif restore_point is not None:
                    restore_point = f"voor-{restore_point}"
                self._commit(restore_point)
            except BaseException:
                with self._cache_lock:
                    self._storage.forget()
                raise
            finally:
                self._middleware.end()

    def _commit_audit_only(self, base: Tables) -> bool:
        """A transaction that only added audit entries (viewing care data) appends them to the audit
        journal instead of rewriting the database file, so it costs the same at any store size."""
        if self._middleware.changed_tables() != [AUDIT]:
            return False
        added = only_added(self._middleware.staged()[AUDIT], base.get(AUDIT, {}))
        if added is None:
            return False
        self._refuse_read_only()
        journal_commit(self, base, added)
        return True

    def _commit(self, restore_point: str | None) -> None:
        changed = self._middleware.changed_tables()
        if not changed:
            return
        self._refuse_read_only()
        staged = self._middleware.staged()
        meta = meta_of(staged)
        generation = int(meta.get("generation", 0))
        meta["generation"] = generation + 1
        staged[META] = {META_ID: meta}
        if restore_point is not None:
            self.backup(restore_point)
        else:
            backups = self.backup_list()
            if due(backups[0] if backups else None, generation, self.policy, file_time()):
                self.backup("periodiek")
        self._storage.retired = []
        with self._cache_lock, self._sweeper.writing(self.parts_dir):
            self._storage.write(staged, changed=[*changed, META], dirty=self._middleware.dirty)
        self._sweeper.retired.update(self._storage.retired)

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A read-only view of the last committed state (no lock is held)."""
        yield Snapshot(self._read_committed()[0], self)

    def is_empty(self) -> bool:
        """Whether no table holds a document (a store just created)."""
        with self.snapshot() as view:
            return not any(len(view.table(name)) for name in view.tables())

    def adopt(self, source: Store) -> None:
        """Take over everything a freshly built store holds (the demo's staging store), all or nothing.

        Raw dossiers first (harmless alone: `doctor --herstel` tidies stray ones), then every table in one
        transaction, documents under their own ids. Refused when this store is no longer empty.
        """
        for sha in source.raw_ids():
            self.put_raw(source.get_raw(sha))
        with source.snapshot() as view:
            tables = {name: view.table(name).all() for name in view.tables()}
        with self.transaction() as tx:
            if any(len(tx.table(name)) for name in tx.tables()):
                raise StoreError(
                    f"De database {self.path} is intussen niet meer leeg; er is niets toegevoegd."
                )
            for name, documents in tables.items():
                if documents:
                    tx.table(name).insert_multiple(documents)

    def generation(self) -> int:
        """The commit counter: +1 for every transaction that changed something, by any process.

        Cheap (a stat and the first bytes of the file), so the UI can poll it to notice that another
        user changed the data and reload.
        """
        identity = read_identity(self.path)
        if identity is None:
            return 0
        if identity.generation is not None:
            return identity.generation
        key = (identity.dev, identity.ino, identity.size, identity.mtime_ns)
        return zlib.crc32(repr(key).encode())

    # -- backups ----------------------------------------------------------------------------

    def backup_list(self) -> list[Backup]:
        """Restore points, newest first, with when, which generation and why."""
        return list_backups(self.backup_dir)

    def backups(self) -> list[Path]:
        """Restore points, newest first."""
        return [b.path for b in self.backup_list()]

    def backup(self, reason: str) -> Path | None:
        """Copy the current file (if it is sound) into the backup folder and keep the newest few.

        The copy streams the file and checks every table's CRC on the way (a file in another
        layout is parsed whole first), so a damaged file never becomes a backup.
        """
        state = open_state(self.path, self.restore_hint)
        if state is None:
            return None
        try:
            return make_backup(state, self.backup_dir, self.path.stem, reason, self.mode, self.policy.keep)
        finally:
            state.close()

    def restore_point(self, reason: str) -> Path | None:
        """A restore point before a collective action that runs as many transactions (the others
        pass `restore_point` to `transaction`); refused, like every write, on a read-only file."""
        self._refuse_read_only()
        return self.backup(f"voor-{reason}")

    def restore_hint(self) -> str:
        """How to get going again; part of every message about a damaged file."""
        return restore_advice(self.path, self.backup_dir)
