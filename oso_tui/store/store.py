"""The store: the only code that touches the database file, its raw dossiers and its backups.

Every user action is one `transaction()`: under an inter-process lock the committed state is read
fresh, TinyDB works on a staged copy in memory, and on success the changed state is written once,
atomically. Reading for display uses `snapshot()`, which takes no lock at all.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from tinydb import TinyDB

from oso_tui.store.collection import Collection
from oso_tui.store.errors import StoreBusyError, StoreCorruptError, StoreError, StoreSchemaError
from oso_tui.store.files import (
    FileMode,
    atomic_write,
    ensure_dir,
    fsync_dir,
    remove_stale_temps,
    sync_folder,
    write_error,
)
from oso_tui.store.locking import exclusive_lock
from oso_tui.store.packs import (
    PACK_LIMIT,
    PackDamagedError,
    PackIndex,
    RawBatch,
    read_blob,
    rewrite_without,
)
from oso_tui.store.schema import SCHEMA_VERSION, empty_state, migrate, schema_of
from oso_tui.store.storage import (
    META_ID,
    CommittedState,
    ReadOnlyStorage,
    SafeJSONStorage,
    StoreTable,
    Tables,
    TransactionMiddleware,
    meta_of,
    open_state,
    read_identity,
)
from oso_tui.store.tables import META

M = TypeVar("M", bound=BaseModel)

KEEP_BACKUPS = 5
DEFAULT_LOCK_TIMEOUT = 10.0
_SEQUENCE_PER_COMMIT = 1_000_000_000
_SHA_RE = re.compile(r"[0-9a-f]{64}")
_BACKUP_RE = re.compile(r"-(\d{8}T\d{6}\d{6})-([a-z0-9-]+)\.json$")


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
        stored = None if state is None else partial(state.stored_json, name)
        return Collection(table, model, writable=self._writable, stored=stored)

    def tables(self) -> list[str]:
        return sorted(n for n in self._db.tables() if n != META)


class Transaction(_View):
    """One user action: everything done through it lands in one write, or nothing does."""

    def __init__(self, store: Store, db: _DB, *, generation: int = 0) -> None:
        super().__init__(db, writable=True)
        self.store = store
        self.generation = generation
        """The generation this transaction's commit will have."""
        self._sequence = 0

    def sequence(self) -> int:
        """The next number of the store's sequence: it grows with every call and every commit.

        History and audit entries order by it, never by a clock (a wrong machine time or a demo's
        fixed day cannot shuffle them). Commits are serialised by the lock, so numbers from different
        processes never collide or go backwards.
        """
        self._sequence += 1
        return self.generation * _SEQUENCE_PER_COMMIT + self._sequence


class Snapshot(_View):
    """A read-only view of the last committed state; holds no lock."""

    def __init__(self, data: Tables) -> None:
        state = data if isinstance(data, CommittedState) else None
        super().__init__(_DB(data, storage=ReadOnlyStorage), writable=False, state=state)
        self.generation = int(meta_of(data).get("generation", 0))


class Store:
    """A TinyDB store in one JSON file, with raw dossiers and backups in folders beside it."""

    def __init__(self, path: Path, mode: FileMode, lock_timeout: float, keep_backups: int) -> None:
        self.path = path
        self.mode = mode
        self.lock_timeout = lock_timeout
        self.keep_backups = keep_backups
        self.lock_path = path.with_name(path.name + ".lock")
        self.raw_dir = path.with_name(path.stem + "-dossiers")
        self.backup_dir = path.with_name(path.stem + "-reservekopieen")
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
        keep_backups: int = KEEP_BACKUPS,
    ) -> Store:
        """Open (or create) the store at `path`; an older schema is migrated after a backup.

        Raises `StoreCorruptError` for a damaged file (left untouched), `StoreSchemaError` for a
        file from a newer oso-tui, `StoreWriteError` when the folder cannot be written.
        """
        path = Path(path).expanduser().absolute()
        mode = FileMode.for_group(group)
        store = cls(path, mode, lock_timeout, keep_backups)
        if not path.exists() or store._needs_migration():
            ensure_dir(path.parent, mode)
            with store._locked():
                store._create_or_migrate()
        return store

    def _needs_migration(self) -> bool:
        with self._cache_lock:
            data = self._storage.read()
        return data is None or self._check_schema(data) < SCHEMA_VERSION

    def _create_or_migrate(self) -> None:
        with self._cache_lock:
            data = self._storage.read()
            if data is None:
                self._storage.write(empty_state())
                return
            version = self._check_schema(data)
            if version < SCHEMA_VERSION:
                self.backup(f"voor-migratie-v{version}")
                migrated = migrate({name: dict(table) for name, table in data.items()})
                meta = meta_of(migrated)
                meta["generation"] = int(meta.get("generation", 0)) + 1
                migrated[META] = {META_ID: meta}
                self._storage.write(migrated)

    def _check_schema(self, data: Tables) -> int:
        version = schema_of(data)
        if version > SCHEMA_VERSION:
            raise StoreSchemaError(
                f"Het databasebestand {self.path} is gemaakt met een nieuwere versie van oso-tui "
                f"(schema {version}, deze versie kent {SCHEMA_VERSION}); "
                "werk oso-tui bij, er is niets gewijzigd."
            )
        return version

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

    def _read_committed(self) -> Tables:
        with self._cache_lock:
            data = self._storage.read()
        if data is None:
            raise StoreError(f"Het databasebestand {self.path} ontbreekt; {self.restore_hint()}")
        if self._check_schema(data) < SCHEMA_VERSION:
            raise StoreSchemaError(
                f"Het databasebestand {self.path} heeft een oud schema; "
                "open het opnieuw om het bij te werken."
            )
        return data

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One user action: lock, fresh read, staged changes, one atomic write (or none)."""
        with self._locked():
            remove_stale_temps(self.path.parent, prefix=self.path.name)
            base = self._read_committed()
            for table in self._db.open_tables():
                table.reset_caches()
            self._middleware.begin(base)
            try:
                generation = int(meta_of(base).get("generation", 0)) + 1
                yield Transaction(self, self._db, generation=generation)
                self._commit()
            except BaseException:
                with self._cache_lock:
                    self._storage.forget()
                raise
            finally:
                self._middleware.end()

    def _commit(self) -> None:
        changed = self._middleware.changed_tables()
        if not changed:
            return
        staged = self._middleware.staged()
        meta = meta_of(staged)
        meta["generation"] = int(meta.get("generation", 0)) + 1
        staged[META] = {META_ID: meta}
        self._daily_backup()
        with self._cache_lock:
            self._storage.write(staged, changed=[*changed, META])

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A read-only view of the last committed state (no lock is held)."""
        yield Snapshot(self._read_committed())

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

    # -- raw dossiers -----------------------------------------------------------------------

    def _raw_path(self, sha: str) -> Path:
        if not _SHA_RE.fullmatch(sha):
            raise ValueError(f"geen sha256-adres: {sha!r}")
        return self.raw_dir / f"{sha}.xml"

    def put_raw(self, data: bytes, *, durable: bool = True) -> str:
        """Store raw dossier bytes beside the database under their sha256; idempotent.

        One file per dossier; many at once go faster into one pack with `raw_batch()`. With
        `durable=False` the caller calls `flush_raw()` once before the transaction that refers to them.
        """
        sha = hashlib.sha256(data).hexdigest()
        target = self.raw_dir / f"{sha}.xml"
        try:
            if target.stat().st_size == len(data):
                return sha
            new = False
        except FileNotFoundError:
            new = True
        self._prepare_raw_dir()
        atomic_write(target, data, self.mode, durable=durable, new=new)
        return sha

    def flush_raw(self) -> None:
        """Make every raw dossier written with `durable=False` safe on disk."""
        if self.raw_dir.is_dir():
            try:
                sync_folder(self.raw_dir)
            except OSError as exc:
                raise write_error(exc, self.raw_dir / "x") from None

    @contextmanager
    def raw_batch(self, *, limit: int = PACK_LIMIT) -> Iterator[RawBatch]:
        """Store many raw dossiers in one pack file: `with store.raw_batch() as batch: batch.put(data)`.

        When the block ends normally the pack is complete and on disk (no `flush_raw` needed); an
        exception inside it removes the unfinished pack and passes on. No dossier put, no file.
        """
        batch = RawBatch(self.raw_dir, self.mode, self._packs, limit=limit, prepare=self._prepare_raw_dir)
        try:
            yield batch
        except BaseException:
            batch.abort()
            raise
        batch.close()

    def _prepare_raw_dir(self) -> None:
        ensure_dir(self.raw_dir, self.mode)
        if not self._raw_dir_swept:
            # Once per Store: a sweep scans the whole folder, which per file made big fetches quadratic.
            remove_stale_temps(self.raw_dir, older_than=3600)
            self._raw_dir_swept = True

    def get_raw(self, sha: str) -> bytes:
        """The raw dossier, loose or packed, checked against its sha256."""
        path = self._raw_path(sha)
        damaged: str | None = None
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StoreError(f"Het dossierbestand {path} kan niet gelezen worden ({exc.strerror}).") from None
        else:
            if hashlib.sha256(data).hexdigest() == sha:
                return data
            damaged = str(path)
        for force in (False, True):
            # A second, fresh look if another process rewrote a pack since this one last looked.
            for entry in self._packs.lookup(sha, force=force):
                pack = self.raw_dir / entry.pack
                try:
                    blob = read_blob(pack, entry.offset, entry.length)
                except OSError as exc:
                    raise StoreError(
                        f"Het pakbestand {pack} kan niet gelezen worden ({exc.strerror})."
                    ) from None
                if blob is not None and hashlib.sha256(blob).hexdigest() == sha:
                    return blob
                if blob is not None and force:
                    damaged = f"{sha[:12]}… in {pack}"
        if damaged is not None:
            raise StoreCorruptError(
                f"Het dossierbestand {damaged} is beschadigd (de inhoud past niet bij de naam)."
            )
        broken = sorted(self._packs.damaged)
        hint = f" (het pakbestand {broken[0]} is beschadigd; zie oso-tui doctor)" if broken else ""
        raise StoreError(f"Het dossierbestand {path.name} ontbreekt in {self.raw_dir}{hint}.")

    def has_raw(self, sha: str) -> bool:
        return self._raw_path(sha).is_file() or bool(self._packs.lookup(sha))

    def remove_raw(self, sha: str) -> None:
        """Remove a raw dossier (e.g. after expiry) wherever it is; a missing one is fine."""
        self.remove_raw_many([sha])

    def remove_raw_many(self, shas: Iterable[str]) -> None:
        """Remove raw dossiers, loose files and every packed copy, so the bytes are really gone.

        Each pack holding some of them is rewritten once without them (or deleted when empty).
        Rewrites take a lock of their own, never the database lock, so this works inside
        `doctor --repair` too.
        """
        wanted = set(shas)
        if not wanted:
            return
        removed = False
        for sha in sorted(wanted):
            path = self._raw_path(sha)
            try:
                path.unlink()
                removed = True
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise write_error(exc, path) from None
        if not self.raw_dir.is_dir():
            return
        if removed:
            with suppress(OSError):
                fsync_dir(self.raw_dir)
        if not wanted & self._packs.shas():
            return
        with exclusive_lock(self.pack_lock_path, self.mode, self.lock_timeout, for_path=self.path):
            try:
                for name, drop in sorted(self._packs.holders(wanted).items()):
                    try:
                        rewrite_without(self.raw_dir / name, drop, self.mode)
                    except OSError as exc:
                        raise write_error(exc, self.raw_dir / name) from None
                    except PackDamagedError as exc:
                        raise StoreCorruptError(
                            f"Dossiers verwijderen lukt niet: {exc}; zie oso-tui doctor."
                        ) from None
            finally:
                self._packs.refresh(force=True)

    def raw_ids(self) -> list[str]:
        """Every stored raw dossier, loose or packed."""
        try:
            names = [p.name for p in self.raw_dir.iterdir()]
        except FileNotFoundError:
            return []
        loose = {n[:-4] for n in names if n.endswith(".xml") and _SHA_RE.fullmatch(n[:-4])}
        return sorted(loose | self._packs.shas())

    def raw_packs(self) -> list[Path]:
        """The pack files, for doctor (permissions, damage)."""
        self._packs.refresh()
        return [self.raw_dir / name for name in sorted(self._packs.packs)]

    def damaged_packs(self) -> dict[Path, str]:
        """Packs whose index cannot be read, with the reason in Dutch (for doctor)."""
        self._packs.refresh(force=True)
        return {self.raw_dir / name: reason for name, reason in sorted(self._packs.damaged.items())}

    def raw_mtime(self, sha: str) -> float:
        """When a raw dossier was last written (its file, or the newest pack holding it); 0 if unknown."""
        times = []
        with suppress(OSError):
            times.append(self._raw_path(sha).stat().st_mtime)
        for entry in self._packs.lookup(sha):
            with suppress(OSError):
                times.append((self.raw_dir / entry.pack).stat().st_mtime)
        return max(times, default=0.0)

    # -- backups ----------------------------------------------------------------------------

    def backups(self) -> list[Path]:
        """Backups, newest first."""
        try:
            found = [p for p in self.backup_dir.iterdir() if _BACKUP_RE.search(p.name)]
        except FileNotFoundError:
            return []
        return sorted(found, key=lambda p: _BACKUP_RE.search(p.name).group(1), reverse=True)  # type: ignore[union-attr]

    def backup(self, reason: str) -> Path | None:
        """Copy the current file (if it is sound) into the backup folder and keep the newest few.

        The copy streams the file and checks every table's CRC on the way (a file in another
        layout is parsed whole first), so a damaged file never becomes a backup.
        """
        state = open_state(self.path, self.restore_hint)
        if state is None:
            return None
        try:
            ensure_dir(self.backup_dir, self.mode)
            remove_stale_temps(self.backup_dir, older_than=60)
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
            target = self.backup_dir / f"{self.path.stem}-{stamp}-{reason}.json"
            atomic_write(target, state.file_chunks(), self.mode)
        finally:
            state.close()
        for old in self.backups()[self.keep_backups :]:
            old.unlink(missing_ok=True)
        return target

    def _daily_backup(self) -> None:
        today = datetime.now().strftime("%Y%m%d")
        newest = self.backups()
        if newest and _BACKUP_RE.search(newest[0].name).group(1).startswith(today):  # type: ignore[union-attr]
            return
        self.backup("dagelijks")

    def restore_hint(self) -> str:
        """How to get going again; part of every message about a damaged file."""
        found = self.backups()
        if not found:
            return (
                "er is nog geen reservekopie; laat de beheerder het bestand onderzoeken "
                "(oso-tui doctor) en zet zo nodig de systeemback-up terug."
            )
        return (
            f"herstel de nieuwste reservekopie door {found[0]} over {self.path} te kopiëren "
            f"(oudere staan in {self.backup_dir})."
        )
