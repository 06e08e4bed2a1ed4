"""Restore points: states of the database a school can go back to, and what going back costs.

A restore point is made before every collective action and every migration, and at least every N
writes or M minutes (settings); the newest few are kept. Each is a copy of the manifest in the backup
folder plus a hard link (a second name, no bytes copied) of every table file it names in the shared
folder `delen/`; a table file is linked once, however many restore points name it, and is checked
against its CRC when it is first linked, so a damaged table never becomes part of a restore point.
Table files no restore point names any more are removed with the restore point. A single file of an
older oso-tui (before the migration to the folder layout) is copied whole, as before.
Its name carries when it was made, the generation (commit counter) it holds and why it was made.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import re
import shlex
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from oso_tui.clock import file_time
from oso_tui.store.errors import StoreError
from oso_tui.store.files import (
    FileMode,
    atomic_write,
    ensure_dir,
    fsync_dir,
    is_temp,
    link_or_copy,
    remove_stale_temps,
    write_error,
)
from oso_tui.store.lazy import CommittedState, key_prefix, meta_of, open_state
from oso_tui.store.manifest import (
    MANIFEST_HEAD,
    Manifest,
    PartsState,
    is_manifest,
    read_manifest,
)
from oso_tui.store.tables import AANVRAGEN, LEERLINGOVERZICHT

SHARED = "delen"
"""The folder inside the backup folder holding the table files of every restore point, each once."""

BACKUP_RE = re.compile(r"-(\d{8}T\d{12})-(?:g(\d+)-)?([a-z0-9-]+)\.json$")
_STAMP = "%Y%m%dT%H%M%S%f"


@dataclass(frozen=True)
class RestorePolicy:
    """When the store makes a restore point by itself, and how many it keeps."""

    every_writes: int = 25
    every_minutes: float = 60.0
    keep: int = 10


@dataclass(frozen=True)
class Backup:
    """One restore point, as its name describes it."""

    path: Path
    made: datetime
    generation: int | None
    reason: str

    @classmethod
    def of(cls, path: Path) -> Backup | None:
        match = BACKUP_RE.search(path.name)
        if match is None:
            return None
        made = datetime.strptime(match.group(1), _STAMP)
        generation = int(match.group(2)) if match.group(2) else None
        return cls(path, made, generation, match.group(3))


@dataclass(frozen=True)
class Counts:
    """Requests and pupils in one version of the file; None where that part cannot be read."""

    aanvragen: int | None
    leerlingen: int | None

    def text(self) -> str:
        def part(n: int | None, one: str, many: str) -> str:
            return f"een onbekend aantal {many}" if n is None else f"{n} {one if n == 1 else many}"

        aanvragen = part(self.aanvragen, "aanvraag", "aanvragen")
        return f"{aanvragen} en {part(self.leerlingen, 'leerling', 'leerlingen')}"


def list_backups(folder: Path) -> list[Backup]:
    """Restore points in `folder`, newest first: by the generation they hold, then by their time.

    The time in a name is the local time of whoever made it, and a colleague whose session runs in
    another time zone (or the hour the clocks go back) would otherwise make an older restore point
    look newest: then every write made a new one and rotation removed the newest."""
    try:
        paths = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = [b for b in (Backup.of(p) for p in paths) if b is not None]
    return sorted(found, key=lambda b: (-1 if b.generation is None else b.generation, b.made), reverse=True)


def make_backup(
    state: CommittedState, folder: Path, stem: str, reason: str, mode: FileMode, keep: int
) -> Path:
    """Copy the committed `state` into `folder` (CRC-checked on the way) and keep the newest `keep`."""
    ensure_dir(folder, mode)
    remove_stale_temps(folder, unlocked=True)
    generation = int(meta_of(state).get("generation", 0))
    stamp = file_time().strftime(_STAMP)
    target = folder / f"{stem}-{stamp}-g{generation}-{reason}.json"
    if isinstance(state, PartsState):
        _link_parts(state, folder / SHARED, mode)
        atomic_write(target, state.manifest.encode(SHARED), mode)
    else:
        atomic_write(target, state.file_chunks(), mode)
    for old in list_backups(folder)[keep:]:
        old.path.unlink(missing_ok=True)
    _remove_unused_parts(folder)
    return target


def _link_parts(state: PartsState, shared: Path, mode: FileMode) -> None:
    """Give every table file of `state` a name in the shared folder of restore points.

    A file already there (from an earlier restore point) costs nothing; a new one is checked against
    its CRC first, so a damaged table never becomes part of a restore point.
    """
    ensure_dir(shared, mode)
    try:
        present = {p.name for p in shared.iterdir()}
    except OSError as exc:
        raise write_error(exc, shared / "x") from None
    try:
        for name, chunks in state.manifest.parts.items():
            new = [part for part in chunks if part.file not in present]
            index = state.manifest.indexes.get(name)
            if index is not None and index.file not in present:
                link_or_copy(state.folder / index.file, shared / index.file, mode)
                present.add(index.file)
            if not new:
                continue
            for _checked in state.stored_objects(name) or ():  # one file at a time, each CRC-checked
                pass
            for part in new:
                link_or_copy(state.folder / part.file, shared / part.file, mode)
        fsync_dir(shared)
    except OSError as exc:
        raise write_error(exc, shared / "x") from None


def _remove_unused_parts(folder: Path) -> None:
    """Remove shared table files no restore point names any more (none when one cannot be read)."""
    shared = folder / SHARED
    if not shared.is_dir():
        return
    named: set[str] = set()
    for backup in list_backups(folder):
        try:
            with backup.path.open("rb") as handle:
                head = handle.read(len(MANIFEST_HEAD))
        except OSError:
            return
        if not is_manifest(head):
            continue
        manifest = read_manifest(backup.path)
        if manifest is None:
            return  # a damaged restore point: keep everything it might still need
        named.update(manifest.files)
    with contextlib.suppress(OSError):
        for entry in shared.iterdir():
            if entry.name not in named and not is_temp(entry):
                entry.unlink(missing_ok=True)


def due(newest: Backup | None, generation: int, policy: RestorePolicy, now: datetime) -> bool:
    """Whether the write about to happen needs a restore point of the state before it."""
    if generation == 0:
        return False  # the empty store a first start creates: nothing to go back to
    if newest is None or newest.generation is None or newest.generation > generation:
        return True
    if generation - newest.generation >= policy.every_writes:
        return True
    return (now - newest.made).total_seconds() >= policy.every_minutes * 60


def age_text(made: datetime, now: datetime) -> str:
    """'3 uur geleden', '1 dag geleden', 'zojuist'."""
    seconds = max((now - made).total_seconds(), 0)
    for size, one, many in ((86400, "dag", "dagen"), (3600, "uur", "uur"), (60, "minuut", "minuten")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {one if n == 1 else many} geleden"
    return "zojuist"


def count_records(path: Path) -> Counts:
    """Requests and pupils in the file at `path`, as far as they can be read (also when damaged)."""
    try:
        state = open_state(path, lambda: "")
    except StoreError:
        manifest = read_manifest(path)
        return _count_parts(path, manifest) if manifest is not None else _count_lines(path)
    if state is None:
        return Counts(None, None)
    try:
        return Counts(_count(state, AANVRAGEN), _count(state, LEERLINGOVERZICHT))
    finally:
        state.close()


def _count(state: CommittedState, name: str) -> int | None:
    if name not in state:
        return None
    try:
        return len(state[name])
    except StoreError:
        return None


def _count_parts(path: Path, manifest: Manifest) -> Counts:
    """Counts from the table files that still read, in a store where some part is damaged."""

    def count(name: str) -> int | None:
        chunks = manifest.parts.get(name)
        if chunks is None:
            return None
        total = 0
        for part in chunks:
            try:
                raw = (path.parent / manifest.folder / part.file).read_bytes()
                table = json.loads(raw) if zlib.crc32(raw) == part.crc else None
            except (OSError, ValueError, RecursionError):
                return None
            if not isinstance(table, dict):
                return None
            total += len(table)
        return total

    return Counts(count(AANVRAGEN), count(LEERLINGOVERZICHT))


def _count_lines(path: Path) -> Counts:
    """Counts from the table lines that still parse, in a file that does not open as a whole."""
    found: dict[str, int] = {}
    wanted = {key_prefix(name): name for name in (AANVRAGEN, LEERLINGOVERZICHT)}
    with contextlib.suppress(OSError, ValueError), path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        with mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ) as view:
            start = 0
            while start < size:
                end = view.find(b"\n", start)
                end = size if end < 0 else end
                for prefix, name in wanted.items():
                    if view[start : start + len(prefix)] == prefix:
                        with contextlib.suppress(ValueError, RecursionError):
                            table = json.loads(view[start + len(prefix) : end].rstrip(b","))
                            if isinstance(table, dict):
                                found[name] = len(table)
                start = end + 1
    return Counts(found.get(AANVRAGEN), found.get(LEERLINGOVERZICHT))


def usable(backup: Backup) -> bool:
    """The restore point opens and its request and pupil tables check out (doctor checks all)."""
    try:
        state = open_state(backup.path, lambda: "")
    except StoreError:
        return False
    if state is None:
        return False
    try:
        for name in (AANVRAGEN, LEERLINGOVERZICHT):
            if name in state:
                state[name]
    except StoreError:
        return False
    finally:
        state.close()
    return True


def restore_advice(db: Path, folder: Path) -> str:
    """How to get going again, with what restoring the suggested restore point would cost."""
    now = file_time()
    found = list_backups(folder)
    suggested = next((b for b in found if usable(b)), None)
    if suggested is None:
        return (
            f"er is {'geen bruikbare reservekopie' if found else 'nog geen reservekopie'}; laat de "
            "beheerder het bestand onderzoeken (oso-tui doctor) en zet zo nodig de systeemback-up terug."
        )
    command = f"oso-tui doctor --db {shlex.quote(str(db))} --terugzetten {shlex.quote(suggested.path.name)}"
    return (
        f"zet de nieuwste bruikbare reservekopie terug met '{command}': die is van "
        f"{age_text(suggested.made, now)} en bevat {count_records(suggested.path).text()}, het "
        f"beschadigde bestand {count_records(db).text()}; wat daarna veranderde gaat verloren "
        f"(oudere reservekopieën staan in {folder})."
    )
