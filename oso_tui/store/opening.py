"""Opening a store in the folder layout: its manifest checked against the files it names.

Kept apart from `manifest.py`, which holds the manifest's format and the state it describes; this
is what opening one finds wrong: a file missing, one too many, a damaged index, no manifest at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from oso_tui.store.checks import META_ID, corrupt_error, pread
from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import is_temp
from oso_tui.store.lazy import FileIdentity, read_identity
from oso_tui.store.leftovers import listing, strangers
from oso_tui.store.manifest import (
    MANIFEST_MAX,
    Manifest,
    PartGoneError,
    PartsState,
    decode_manifest,
    parts_dir,
)
from oso_tui.store.tableindex import IndexDamageError, Runs

__all__ = ["index_damage", "missing_manifest", "open_parts", "open_written"]


def open_written(path: Path, restore_hint: Callable[[], str], manifest: Manifest) -> PartsState | None:
    """The state a commit just wrote, from its manifest in memory instead of reading and checking the
    file it wrote back (a commit holds the lock, so the manifest is still ours); None when the file
    there is not the one written (then the caller opens it as any reader would)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        identity = read_identity(path)
    except (OSError, StoreError):
        os.close(fd)
        return None
    if (
        identity is None
        or identity.generation != manifest.generation
        or (
            (identity.dev, identity.ino, identity.size, identity.mtime_ns)
            != (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        )
    ):
        os.close(fd)
        return None
    return PartsState(path, restore_hint, fd, identity, manifest, path.parent / manifest.folder)


def open_parts(fd: int, identity: FileIdentity, path: Path, restore_hint: Callable[[], str]) -> PartsState:
    """The state a manifest names, after checking that every named file is there and nothing else.

    The index files are read and checked (length, CRC, JSON) now; each table's runs are decoded and
    checked when the table is first asked for, and each run's length and CRC when it is read. The
    names every index file gives are compared with the folder's listing without decoding them.
    Raises `PartGoneError` when a named file is not there (the caller reads the manifest again, in
    case a writer replaced it meanwhile), `StoreCorruptError` for any other damage.
    """
    raw = pread(fd, min(identity.size, MANIFEST_MAX), 0)
    try:
        manifest = decode_manifest(raw, path.parent)
    except IndexDamageError as damage:
        raise index_damage(path, restore_hint)(damage) from None
    if manifest is None:
        raise corrupt_error(path, "de inhoudsopgave (manifest) is beschadigd", restore_hint)
    if manifest.meta.get(META_ID, {}).get("generation", manifest.generation) != manifest.generation:
        raise corrupt_error(path, "de inhoudsopgave (manifest) is beschadigd", restore_hint)
    if isinstance(manifest.parts, Runs):
        manifest.parts.on_damage = index_damage(path, restore_hint)
    folder = path.parent / manifest.folder
    names = listing(folder)
    present = set(names)
    if not manifest.files <= present:  # which table names it: decoding them says (or reports damage)
        for name in manifest.parts:
            for part in manifest.parts[name]:
                if part.file not in present:
                    raise PartGoneError(name, part)
    extra = strangers(present, manifest)
    if extra:
        shown = ", ".join(extra[:3]) + (" en meer" if len(extra) > 3 else "")
        raise corrupt_error(
            path,
            f"in {folder.name} {'staat' if len(extra) == 1 else 'staan'} {shown}, dat de "
            "inhoudsopgave niet noemt",
            restore_hint,
        )
    return PartsState(path, restore_hint, fd, identity, manifest, folder, present)


def index_damage(
    path: Path, restore_hint: Callable[[], str]
) -> Callable[[IndexDamageError], StoreCorruptError]:
    """How damage found in an index file (on opening, or when a table's runs are decoded) is told."""

    def told(damage: IndexDamageError) -> StoreCorruptError:
        return corrupt_error(
            path,
            f"tabel '{damage.tables[0]}' ({damage.part.file}) {damage.what}",
            restore_hint,
            tables=damage.tables,
        )

    return told


def missing_manifest(path: Path, restore_hint: Callable[[], str]) -> StoreCorruptError | None:
    """Damage when the manifest is gone but its table files are there: never a new empty store."""
    folder = parts_dir(path)
    if not [n for n in listing(folder) if not is_temp(Path(n))]:
        return None
    return corrupt_error(
        path, f"de inhoudsopgave ontbreekt, terwijl {folder.name} nog tabellen bevat", restore_hint
    )
