"""Raw dossiers beside the database: loose `<sha256>.xml` files and packs, each checked on reading.

A part of `Store` (a mix-in): the XML of a dossier (up to a few hundred KB with attachments) is kept
out of the JSON file, addressed by its sha256, and written before the transaction that refers to it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path

from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import (
    FileMode,
    atomic_write,
    ensure_dir,
    fsync_dir,
    os_reason,
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

_SHA_RE = re.compile(r"[0-9a-f]{64}")


class RawDossiers:
    """The raw-dossier half of the store; `Store` sets these attributes."""

    path: Path
    mode: FileMode
    lock_timeout: float
    raw_dir: Path
    pack_lock_path: Path
    _packs: PackIndex
    _raw_dir_swept: bool

    def _refuse_read_only(self) -> None:
        raise NotImplementedError

    def _raw_path(self, sha: str) -> Path:
        if not _SHA_RE.fullmatch(sha):
            raise ValueError(f"geen sha256-adres: {sha!r}")
        return self.raw_dir / f"{sha}.xml"

    def put_raw(self, data: bytes, *, durable: bool = True) -> str:
        """Store raw dossier bytes beside the database under their sha256; idempotent.

        One file per dossier; many at once go faster into one pack with `raw_batch()`. With
        `durable=False` the caller calls `flush_raw()` once before the transaction that refers to them.
        """
        self._refuse_read_only()
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
        self._refuse_read_only()
        if self.raw_dir.is_dir():
            self._sweep_raw_dir()
        batch = RawBatch(
            self.raw_dir,
            self.mode,
            self._packs,
            limit=limit,
            prepare=self._prepare_raw_dir,
            lock=self._pack_lock,
        )
        try:
            yield batch
        except BaseException:
            batch.abort()
            raise
        batch.close()

    def _pack_lock(self) -> AbstractContextManager[None]:
        return exclusive_lock(self.pack_lock_path, self.mode, self.lock_timeout, for_path=self.path)

    def _prepare_raw_dir(self) -> None:
        ensure_dir(self.raw_dir, self.mode)
        self._sweep_raw_dir()

    def _sweep_raw_dir(self) -> None:
        """Remove what a killed writer left (a half pack holds dossier data) once its lock is gone.

        Once per Store: a sweep scans the whole folder, which per file made big fetches quadratic.
        """
        if not self._raw_dir_swept:
            remove_stale_temps(self.raw_dir, unlocked=True)
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
            raise StoreError(
                f"Het dossierbestand {path} kan niet gelezen worden ({os_reason(exc)})."
            ) from None
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
                        f"Het pakbestand {pack} kan niet gelezen worden ({os_reason(exc)})."
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
        `doctor --herstel` too.
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
