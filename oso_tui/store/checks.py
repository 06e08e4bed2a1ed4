"""How a database file is checked: the index in `_meta` against the tables in the file, and the
Dutch words for what is wrong.

A file in the indexed layout names every table in `_meta` with its length and CRC-32; a table that
is missing, extra, twice or out of order is damage, and so is a file without `_meta` that only the
safe store can have written. The errors name the tables concerned, so doctor can say which restore
point still holds them.
"""

from __future__ import annotations

import contextlib
import errno
import json
import mmap
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import os_reason
from oso_tui.store.tables import (
    AANVRAGEN,
    AUDIT,
    DOSSIERS,
    HISTORIE,
    LEERLINGEN,
    LEERLINGOVERZICHT,
    META,
    is_shard,
)

OLD_TABLES = frozenset({"_default", AANVRAGEN, DOSSIERS, LEERLINGEN, HISTORIE, AUDIT})
"""The tables a plain TinyDB file from before the safe store can hold: only such a file is schema 0."""

Data = dict[str, dict[str, Any]]
"""The whole database: table name -> document id -> document."""

META_ID = "1"
INDEX_KEY = "index"
"""Key of the table index in the `_meta` document; the store never sees it."""


def corrupt_error(
    path: Path, what: str, restore_hint: Callable[[], str], *, tables: Iterable[str] = ()
) -> StoreCorruptError:
    error = StoreCorruptError(
        f"Het databasebestand {path} is beschadigd ({what}) en is niet aangeraakt; {restore_hint()}"
    )
    error.tables = tuple(tables)
    error.what = what
    return error


def read_error(path: Path, exc: OSError) -> StoreError:
    """One Dutch sentence for a database file that cannot be read (never the OS's English text)."""
    if exc.errno == errno.EISDIR:
        return not_a_file_error(path, is_dir=True)
    reason = "geen leesrechten" if exc.errno in (errno.EACCES, errno.EPERM) else os_reason(exc)
    return StoreError(
        f"Het databasebestand {path} kan niet gelezen worden ({reason}); er is niets gewijzigd."
    )


def not_a_file_error(path: Path, *, is_dir: bool) -> StoreError:
    """A folder (or device, pipe) where the database file should be: refused, nothing is created in it."""
    if is_dir:
        return StoreError(
            f"Op de plek van het databasebestand {path} staat een map; oso-tui maakt daarin geen nieuwe "
            f"database. Geef het pad van het bestand zelf op (bijvoorbeeld {path / 'oso-tui.json'})."
        )
    return StoreError(f"{path} is geen gewoon bestand en kan geen database zijn; er is niets gewijzigd.")


def well_shaped(table: object) -> bool:
    return isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())


def parse(raw: bytes, path: Path, restore_hint: Callable[[], str]) -> Data:
    """Parse and shape-check a whole file, or raise a Dutch `StoreCorruptError` that says how to restore."""

    def corrupt(what: str) -> StoreCorruptError:
        return corrupt_error(path, what, restore_hint)

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
        if not well_shaped(table):
            raise corrupt(f"tabel '{name}' heeft een onverwachte vorm")
    return cast(Data, data)


def key_prefix(name: str) -> bytes:
    """How the writer starts a table's segment: `"name":`."""
    return f"{json.dumps(name)}:".encode()


def pread(fd: int, length: int, offset: int) -> bytes:
    """Exactly `length` bytes at `offset` (fewer only at the end of the file)."""
    parts: list[bytes] = []
    while length > 0:
        part = os.pread(fd, min(length, 1 << 30), offset)
        if not part:
            break
        parts.append(part)
        length -= len(part)
        offset += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def strip_index(meta_table: dict[str, Any]) -> None:
    doc = meta_table.get(META_ID)
    if isinstance(doc, dict) and INDEX_KEY in doc:
        meta_table[META_ID] = {k: v for k, v in doc.items() if k != INDEX_KEY}


def stale_index(meta_table: dict[str, Any]) -> bool:
    """An index written for another generation: an older oso-tui (before the index) rewrote the
    file and kept the key it did not know. Such a file is read whole, as any other layout."""
    doc = meta_table.get(META_ID)
    index = doc.get(INDEX_KEY) if isinstance(doc, dict) else None
    return isinstance(index, dict) and "generation" in index and index["generation"] != doc.get("generation")  # type: ignore[union-attr]


def index_of(meta_table: dict[str, Any]) -> list[tuple[str, int, int]] | None:
    """The table index, if it is well-formed and written for this very generation."""
    doc = meta_table.get(META_ID)
    if not isinstance(doc, dict):
        return None
    index = doc.get(INDEX_KEY)
    if not isinstance(index, dict) or index.get("generation") != doc.get("generation"):
        return None
    entries = index.get("tables")
    if not isinstance(entries, list):
        return None
    found: list[tuple[str, int, int]] = []
    for entry in entries:
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and entry[0] != META
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in entry[1:])
        ):
            return None
        found.append((entry[0], entry[1], entry[2]))
    return found


_KEY_RE = re.compile(rb'"(?:[^"\\\n]|\\.)*":')


def _listing(names: list[str], one: str, many: str) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:3]) + (" en meer" if len(names) > 3 else "")
    return f"tabel {shown} {one}" if len(names) == 1 else f"tabellen {shown} {many}"


def compare_names(expected: list[str], found: list[str]) -> tuple[str, list[str]] | None:
    """What differs between the tables the index names and the tables in the file, in Dutch."""
    missing = [n for n in expected if n not in found]
    if missing:
        return _listing(missing, "ontbreekt", "ontbreken"), missing
    known = set(expected)
    extra = [n for n in found if n not in known]
    if extra:
        return _listing(extra, "staat niet in de inhoudsopgave", "staan niet in de inhoudsopgave"), extra
    if len(found) != len(set(found)):
        twice = sorted({n for n in found if found.count(n) > 1})
        return _listing(twice, "staat er twee keer in", "staan er twee keer in"), twice
    if found != expected:
        moved = [n for n, m in zip(expected, found, strict=True) if n != m]
        return "de tabellen staan in een andere volgorde dan in de inhoudsopgave", moved
    return None


def file_tables(fd: int, size: int) -> list[tuple[str, int]]:
    """(name, segment length) of every table line after `_meta`, as they are in the file."""
    found: list[tuple[str, int]] = []
    with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as view:
        start = view.find(b"\n", 2) + 1
        while 0 < start < size:
            end = view.find(b"\n", start)
            end = size if end < 0 else end
            match = _KEY_RE.match(view[start : min(end, start + 4096)])
            if match:
                with contextlib.suppress(ValueError):
                    name = json.loads(match.group(0)[:-1])
                    if isinstance(name, str):
                        found.append((name, end - start - (view[end - 1 : end] == b",")))
            start = end + 1
    return found


def mismatch(
    fd: int,
    size: int,
    index: list[tuple[str, int, int]],
    expected_end: int,
    path: Path,
    restore_hint: Callable[[], str],
) -> StoreCorruptError:
    """Say what in a file that claims the indexed layout does not fit its index."""
    if size < expected_end and pread(fd, 3, size - 3) != b"\n}\n":
        return corrupt_error(path, "het einde ontbreekt", restore_hint)
    try:
        found = file_tables(fd, size)
    except (OSError, ValueError):
        found = []
    names = [n for n, _ in found]
    difference = compare_names([n for n, _, _ in index], names)
    if difference is not None:
        return corrupt_error(path, difference[0], restore_hint, tables=difference[1])
    parse(pread(fd, size, 0), path, restore_hint)
    lengths = dict(found)
    wrong = [n for n, length, _ in index if lengths.get(n) != length]
    if wrong:
        return corrupt_error(
            path,
            _listing(wrong, "heeft een andere lengte", "hebben een andere lengte")
            + " dan de inhoudsopgave zegt",
            restore_hint,
            tables=wrong,
        )
    return corrupt_error(path, "het bestand eindigt anders dan de inhoudsopgave zegt", restore_hint)


def check_whole(data: Data, raw: bytes, path: Path, restore_hint: Callable[[], str]) -> None:
    """A file read whole: only a plain TinyDB file from before the safe store may lack `_meta`, and
    a `_meta` with an index must name exactly the tables the file holds."""
    meta = data.get(META)
    if meta is None:
        if raw.startswith(b'{\n"') or any(is_shard(n) or n == LEERLINGOVERZICHT for n in data):
            raise corrupt_error(
                path, "de eerste regel met _meta (schemaversie en inhoudsopgave) ontbreekt", restore_hint
            )
        unknown = [n for n in data if n not in OLD_TABLES]
        if unknown:
            raise corrupt_error(
                path,
                f"geen _meta en tabel '{unknown[0]}' hoort niet bij een oso-tui-database",
                restore_hint,
                tables=unknown,
            )
        return
    doc = meta.get(META_ID)
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise corrupt_error(path, "_meta heeft geen schemaversie", restore_hint)
    if not isinstance(doc, dict) or INDEX_KEY not in doc or stale_index(meta):
        return
    index = index_of(meta)
    if index is None:
        raise corrupt_error(path, "de inhoudsopgave in _meta is beschadigd", restore_hint)
    difference = compare_names([n for n, _, _ in index], [n for n in data if n != META])
    if difference is not None:
        raise corrupt_error(path, difference[0], restore_hint, tables=difference[1])
