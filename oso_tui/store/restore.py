"""Going back to a restore point (`oso-tui doctor --terugzetten`): show what it holds, then put it in place.

The current state is never deleted: it is kept aside in the backup folder under a name that rotation
never removes (`<naam>-opzij-<tijd>/`, the manifest and its table folder; a single file of an older
oso-tui as `<naam>-opzij-<tijd>.json`), as hard links to the very bytes that were there. The
restore point itself is checked whole (every table's CRC) before anything changes, and the restored
file gets a generation above both, so every open app notices the change and reloads.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from oso_tui.clock import file_time
from oso_tui.store.backups import Backup, Counts, age_text, count_records, usable
from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import atomic_write, ensure_dir, fsync_dir, write_error
from oso_tui.store.lazy import META_ID, meta_of, open_state, read_identity
from oso_tui.store.leftovers import remove_unnamed
from oso_tui.store.manifest import PartsState
from oso_tui.store.overlay import Overlay
from oso_tui.store.schema import schema_of
from oso_tui.store.storage import SafeJSONStorage
from oso_tui.store.store import Store
from oso_tui.store.tables import META


@dataclass(frozen=True)
class FileState:
    """One version of the database file as the user needs to judge it."""

    path: Path
    counts: Counts
    damage: str | None
    """None when every table checks out; otherwise what is wrong, in Dutch."""


@dataclass(frozen=True)
class RestorePlan:
    """What restoring would do: the chosen restore point and the current file, side by side."""

    backup: FileState
    info: Backup | None
    current: FileState | None

    def lines(self) -> list[str]:
        now = file_time()
        b = self.backup
        if self.info is not None:
            when = f"{self.info.made:%d-%m-%Y %H:%M} ({age_text(self.info.made, now)})"
            made = f"gemaakt {when}, reden {self.info.reason}"
        else:
            made = "een eigen kopie"
        out = [f"Reservekopie {b.path.name}: {made}; bevat {b.counts.text()}."]
        if b.damage is not None:
            out.append(f"Deze reservekopie is beschadigd ({b.damage}) en kan niet teruggezet worden.")
            return out
        current = self.current
        if current is None:
            out.append("Er is nu geen databasebestand; de reservekopie wordt het databasebestand.")
            return out
        state = "gezond" if current.damage is None else f"beschadigd ({current.damage})"
        out.append(f"Huidig bestand {current.path}: {state}; bevat {current.counts.text()}.")
        out.append(
            "Terugzetten brengt de database terug naar de stand van de reservekopie; wat daarna "
            "veranderde gaat verloren. Het huidige bestand wordt niet verwijderd: het blijft bewaard "
            "in de map met reservekopieën."
        )
        return out


def find_backup(store: Store, name: str) -> Path:
    """A restore point by file name (in the backup folder) or path; 'nieuwste' is the newest usable one."""
    if name == "nieuwste":
        newest = next((b for b in store.backup_list() if usable(b)), None)
        if newest is None:
            raise StoreError(f"Er is geen bruikbare reservekopie in {store.backup_dir}.")
        return newest.path
    for candidate in (store.backup_dir / name, Path(name).expanduser()):
        if candidate.is_file():
            return candidate.absolute()
    raise StoreError(f"De reservekopie {name} bestaat niet; de reservekopieën staan in {store.backup_dir}.")


def describe(path: Path) -> FileState:
    try:
        state = open_state(path, lambda: "")
        if state is not None:
            try:
                state.verify()
            finally:
                state.close()
        damage = None
    except StoreCorruptError as exc:
        damage = exc.what or exc.message
    except StoreError as exc:
        damage = exc.message
    return FileState(path, count_records(path), damage)


def plan_restore(store: Store, name: str) -> RestorePlan:
    path = find_backup(store, name)
    current = describe(store.path) if store.path.exists() or store.parts_dir.exists() else None
    return RestorePlan(describe(path), Backup.of(path), current)


def restore(store: Store, backup: Path) -> Path | None:
    """Put `backup` in place of the database file; returns where the previous file was kept."""
    with store._locked():
        state = open_state(backup, store.restore_hint)
        if state is None:
            raise StoreError(f"De reservekopie {backup} bestaat niet (meer); er is niets gewijzigd.")
        try:
            state.verify()
            store._refuse_read_only()
            identity = read_identity(store.path)
            aside = _keep_aside(store) if identity is not None or store.parts_dir.exists() else None
            if schema_of(state) == 0:
                atomic_write(store.path, state.file_chunks(), store.mode)
                if aside is not None and store.parts_dir.is_dir():
                    for entry in os.scandir(store.parts_dir):
                        Path(entry.path).unlink(missing_ok=True)  # kept aside above
            else:
                meta = meta_of(state)
                current = identity.generation if identity is not None and identity.generation else 0
                meta["generation"] = max(current, int(meta.get("generation", 0))) + 1
                data = Overlay(state)
                data[META] = {META_ID: meta}
                writer = SafeJSONStorage(store.path, store.mode, store.restore_hint)
                writer.start_from(state)
                writer.write(data, changed=[META])
                written = writer.committed
                writer.forget()
                if isinstance(written, PartsState):
                    remove_unnamed(written.folder, written.manifest)  # kept aside above
                    written.close()
        finally:
            state.close()
    with store._cache_lock:
        store._storage.forget()
    return aside


def _keep_aside(store: Store) -> Path:
    """Second names for the current state in the backup folder (hard links: the same bytes).

    A single file of an older oso-tui becomes `<naam>-opzij-<tijd>.json`; the folder layout becomes
    a folder `<naam>-opzij-<tijd>/` with the manifest and every file of the table folder, named or
    not, exactly as they were: it opens as a store of its own.
    """
    ensure_dir(store.backup_dir, store.mode)
    stamp = f"{store.path.stem}-opzij-{file_time():%Y%m%dT%H%M%S%f}"
    if not store.parts_dir.exists():
        aside = store.backup_dir / f"{stamp}.json"
        try:
            _link(store.path, aside, store)
            fsync_dir(store.backup_dir)
        except OSError as exc:
            raise write_error(exc, aside) from None
        return aside
    aside = store.backup_dir / stamp
    try:
        tables = aside / store.parts_dir.name
        tables.mkdir(parents=True, mode=store.mode.dir_mode)
        if store.path.exists():
            _link(store.path, aside / store.path.name, store)
        for entry in os.scandir(store.parts_dir):
            if entry.is_file(follow_symlinks=False):
                _link(Path(entry.path), tables / entry.name, store)
        fsync_dir(tables)
        fsync_dir(aside)
        fsync_dir(store.backup_dir)
    except OSError as exc:
        raise write_error(exc, aside) from None
    return aside


def _link(source: Path, target: Path, store: Store) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        target.chmod(store.mode.mode)
