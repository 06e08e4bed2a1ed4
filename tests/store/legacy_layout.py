"""The single-file layout of oso-tui before the folder layout, to test reading and migrating it."""

from __future__ import annotations

import dataclasses
import json
import shutil
import zlib
from pathlib import Path
from typing import Any

from oso_tui.store.lazy import open_state
from oso_tui.store.manifest import parts_dir, read_manifest
from oso_tui.store.tables import META


def _segment(name: str, table: dict[str, Any]) -> bytes:
    return f"{json.dumps(name)}:{json.dumps(table, ensure_ascii=False, separators=(',', ':'))}".encode()


def single_file_bytes(tables: dict[str, dict[str, Any]]) -> bytes:
    """The tables in the old layout: `_meta` with an index of lengths and CRCs first, one table a line."""
    segments = [_segment(n, tables[n]) for n in sorted(tables) if n != META]
    names = [n for n in sorted(tables) if n != META]
    meta = dict(tables[META]["1"])
    meta["index"] = {
        "generation": meta.get("generation"),
        "tables": [[n, len(s), zlib.crc32(s)] for n, s in zip(names, segments, strict=True)],
    }
    lines = [_segment(META, {"1": meta}), *segments]
    return b"{\n" + b",\n".join(lines) + b"\n}\n"


def to_single_file(path: Path) -> bytes:
    """Turn the store at `path` into the old single-file layout (its table folder goes); the bytes."""
    state = open_state(path, lambda: "")
    assert state is not None
    tables = {name: dict(state[name]) for name in state}
    state.close()
    raw = single_file_bytes(tables)
    mode = path.stat().st_mode & 0o777
    shutil.rmtree(parts_dir(path))
    path.unlink()
    path.write_bytes(raw)
    path.chmod(mode)
    return raw


def read_tables(path: Path) -> dict[str, dict[str, Any]]:
    """Every table of the store at `path` (either layout), `_meta` included, as plain dicts."""
    state = open_state(path, lambda: "")
    assert state is not None
    try:
        return {name: dict(state[name]) for name in state}
    finally:
        state.close()


def stored(path: Path) -> dict[str, bytes]:
    """The manifest (or single file) and every table file of the store at `path`, as bytes."""
    found = {path.name: path.read_bytes()} if path.exists() else {}
    folder = parts_dir(path)
    if folder.is_dir():
        found |= {f"{folder.name}/{p.name}": p.read_bytes() for p in folder.iterdir()}
    return found


def part_file(path: Path, table: str, holding: bytes = b"") -> Path:
    """The (first) file of `table` in the store at `path` whose bytes contain `holding`."""
    manifest = read_manifest(path)
    assert manifest is not None
    for part in manifest.parts[table]:
        found = path.parent / manifest.folder / part.file
        if holding in found.read_bytes():
            return found
    raise AssertionError(f"{holding!r} staat niet in tabel {table}")


def to_flat_manifest(path: Path) -> bytes:
    """Turn the store at `path` into the first manifest format, which named every run itself (its
    index files go, its runs stay); the manifest's bytes."""
    manifest = read_manifest(path)
    assert manifest is not None and manifest.indexes
    for file in manifest.index_files():
        (path.parent / manifest.folder / file).unlink()
    raw = dataclasses.replace(manifest, indexes={}).encode()
    assert raw.startswith(b'{"formaat":"oso-tui-manifest-1"')
    path.write_bytes(raw)
    return raw
