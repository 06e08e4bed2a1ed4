"""The audit log: who saw or changed what, and when (AVG: care data views, registrations, exports).

An entry is written inside the same transaction as the action it records, so the log never claims
an action that did not happen, and never misses one that did.

The log grows with every view of care data, so it is kept in parts: new entries go to the open part
(table `audit` in the database file); once that holds `PART_SIZE` entries it is sealed into a file
of its own beside the database (`<naam>-audit/deel-<nr>-<toeval>.json`), written and flushed before
the transaction that lists it in table `auditdelen` (with its count and sha256) commits. A write
therefore touches only the open part, however long the log is; a sealed part never changes again.
Reading the whole log reads every listed part, checked against its sha256: a part that is missing
or damaged is refused and reported, never silently skipped.

A transaction that only adds audit entries (viewing care data) does not rewrite the database file at
all: the store appends its entries as one line to the open part's journal
(`<naam>-audit/open-<nr>.jsonl`, a CRC-32 and a JSON list per line, flushed to disk), under the store
lock. The open part is the `audit` table plus that journal; sealing takes both, and the next part
gets a journal of its own. A line cut off by a crash is the one transaction that did not land and is
ignored; a damaged line before it is refused like a damaged part.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import atomic_write, ensure_dir, fsync_dir, os_reason, write_error
from oso_tui.store.lazy import Tables, meta_of
from oso_tui.store.tables import AUDIT, AUDIT_PARTS

if TYPE_CHECKING:
    from oso_tui.store.store import Snapshot, Store, Transaction

ACTIES = ("registreren", "ongedaan", "export", "bekijken-zorg", "opschonen")
"""Known actions; other short names are accepted so areas can add their own."""

PART_SIZE = 1000
"""Entries in the open part before it is sealed: small enough that a write never notices the log."""

SEQUENCE_PER_COMMIT = 1_000_000_000
"""Sequence numbers per store generation: a commit numbers its entries from generation * this + 1, and
an audit-only commit (which keeps the generation) from the middle of its generation's range up."""
"""Entries in the open part before it is sealed: small enough that a write never notices the log."""


class AuditEntry(BaseModel):
    """One line of the audit log."""

    model_config = ConfigDict(frozen=True)

    id: str
    wanneer: datetime
    volgnummer: int = 0
    """The store's sequence number (`Transaction.sequence`): the log's order; 0 in older logs."""
    gebruiker: str
    actie: str
    pgn: str | None = None
    detail: str = ""


class AuditPart(BaseModel):
    """A sealed part of the audit log: which file, how many entries, its sha256 and time span."""

    model_config = ConfigDict(frozen=True)

    id: str
    bestand: str
    aantal: int
    sha256: str
    van: datetime
    tot: datetime


_PART_ADAPTER: TypeAdapter[dict[str, AuditEntry]] = TypeAdapter(dict[str, AuditEntry])
_JOURNAL_ADAPTER: TypeAdapter[list[AuditEntry]] = TypeAdapter(list[AuditEntry])


def audit_dir(store: Store) -> Path:
    """The folder of the sealed parts, beside the database file."""
    return store.path.with_name(f"{store.path.stem}-audit")


def _new_id(when: datetime) -> str:
    """Sortable by time, unique across processes."""
    return f"{when.strftime('%Y%m%dT%H%M%S%f')}-{secrets.token_hex(4)}"


def record_audit(
    tx: Transaction,
    *,
    user: str,
    actie: str,
    pgn: str | None = None,
    detail: str = "",
    wanneer: datetime,
) -> AuditEntry:
    """Add one audit entry to the running transaction and return it; `wanneer` comes from the clock."""
    if not user or not actie:
        raise ValueError("audit: gebruiker en actie zijn verplicht")
    entry = AuditEntry(
        id=_new_id(wanneer),
        wanneer=wanneer,
        volgnummer=tx.sequence(),
        gebruiker=user,
        actie=actie,
        pgn=pgn,
        detail=detail,
    )
    add_audit_entries(tx, [entry])
    return entry


def add_audit_entries(tx: Transaction, entries: Iterable[AuditEntry]) -> int:
    """Add many entries in one transaction, sealing the open part each time it is full."""
    open_part = tx.collection(AUDIT, AuditEntry)
    pending = list(entries)
    room = PART_SIZE - len(open_part) - len(read_journal(tx.store, _next_number(tx)))
    added = len(pending)
    while pending:
        if room <= 0:
            _seal(tx)
            room = PART_SIZE
        batch, pending = pending[:room], pending[room:]
        open_part.put_many(batch)
        room -= len(batch)
    return added


def _seal(tx: Transaction) -> None:
    """Move the open part's entries (table and journal) into sealed part files (`PART_SIZE` each)."""
    number = _next_number(tx) - 1
    folder = audit_dir(tx.store)
    _remove_sealed_journals(folder, number + 1)
    journal = read_journal(tx.store, number + 1)
    entries = [*journal, *tx.collection(AUDIT, AuditEntry).all()]  # in the order they were written
    parts = tx.collection(AUDIT_PARTS, AuditPart)
    ensure_dir(folder, tx.store.mode)
    sealed = []
    for start in range(0, len(entries), PART_SIZE):
        chunk = entries[start : start + PART_SIZE]
        number += 1
        data = _encode(chunk)
        name = f"deel-{number:06d}-{secrets.token_hex(4)}.json"
        atomic_write(folder / name, data, tx.store.mode, new=True)
        digest = hashlib.sha256(data).hexdigest()
        sealed.append(
            AuditPart(
                id=f"{number:06d}",
                bestand=name,
                aantal=len(chunk),
                sha256=digest,
                van=min(chunk, key=_moment).wanneer,
                tot=max(chunk, key=_moment).wanneer,
            )
        )
    parts.put_many(sealed)
    tx.table(AUDIT).truncate()


def _next_number(view: Transaction | Snapshot) -> int:
    """The number of the open part: one past the last sealed one."""
    return _number_after(view.collection(AUDIT_PARTS, AuditPart).ids())


def _number_after(part_ids: Iterable[str]) -> int:
    return max((int(i) for i in part_ids if i.isdigit()), default=0) + 1


def journal_path(store: Store, number: int) -> Path:
    return audit_dir(store) / f"open-{number:06d}.jsonl"


def _remove_sealed_journals(folder: Path, current: int) -> None:
    """Journals of parts sealed by a committed transaction (called under the store lock)."""
    if not folder.is_dir():
        return
    for path in folder.glob("open-*.jsonl"):
        number = path.name[5:-6]
        if number.isdigit() and int(number) < current:
            path.unlink(missing_ok=True)


def _journal_line(docs: list[dict[str, Any]]) -> bytes:
    body = json.dumps(docs, ensure_ascii=False, separators=(",", ":")).encode()
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def read_journal(store: Store, number: int) -> list[AuditEntry]:
    """The entries in the open part's journal; a cut-off last line (a crash mid-append) is ignored."""
    path = journal_path(store, number)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(f"Het auditjournaal {path} kan niet gelezen worden ({os_reason(exc)}).") from None
    complete = raw[: raw.rfind(b"\n") + 1]
    found: list[AuditEntry] = []
    for number_, line in enumerate(complete.splitlines(), start=1):
        body = line[9:]
        try:
            if line[8:9] != b" " or int(line[:8], 16) != zlib.crc32(body):
                raise ValueError
            found.extend(_JOURNAL_ADAPTER.validate_json(body))
        except (ValueError, ValidationError):
            raise StoreCorruptError(
                f"Het auditjournaal {path} is beschadigd in regel {number_}; zet het terug uit de "
                "systeemback-up."
            ) from None
    return found


def journal_commit(store: Store, base: Tables, added: list[dict[str, Any]]) -> None:
    """Append one transaction's new audit entries to the journal as one line, on disk when this returns.

    Called by the store, under its lock, instead of rewriting the database file. A tail left by a
    crash (no newline) is cut first, so the new line starts clean.
    """
    number = _number_after(base.get(AUDIT_PARTS, ()))
    folder = audit_dir(store)
    ensure_dir(folder, store.mode)
    path = journal_path(store, number)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, store.mode.mode)
        try:
            st = os.fstat(fd)
            size = st.st_size
            if size == 0 and st.st_uid == os.geteuid():
                os.fchmod(fd, store.mode.mode)  # past the umask: colleagues in the group append too
            if size:
                tail = os.pread(fd, min(size, 1 << 20), max(size - (1 << 20), 0))
                if not tail.endswith(b"\n"):
                    cut = tail.rfind(b"\n")
                    os.ftruncate(fd, max(size - len(tail), 0) + cut + 1 if cut >= 0 else 0)
                    size = os.fstat(fd).st_size
            # The generation stays, so these entries take their order from where their line starts:
            # after the commit they follow, before the next one, each line after the one before.
            first = int(meta_of(base).get("generation", 0)) * SEQUENCE_PER_COMMIT + SEQUENCE_PER_COMMIT // 2
            added = [{**doc, "volgnummer": first + size + i} for i, doc in enumerate(added)]
            os.pwrite(fd, _journal_line(added), size)
            os.fsync(fd)
        finally:
            os.close(fd)
        if size == 0:
            fsync_dir(folder)
    except OSError as exc:
        raise write_error(exc, path) from None


def only_added(staged: dict[str, Any], base: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The documents a transaction added to the audit table, if it did nothing else to it."""
    if len(staged) <= len(base) or any(key not in staged or staged[key] != doc for key, doc in base.items()):
        return None
    return [doc for key, doc in staged.items() if key not in base]


def _moment(entry: AuditEntry) -> float:
    return entry.wanneer.timestamp()


def _encode(entries: Sequence[AuditEntry]) -> bytes:
    table: dict[str, Any] = {e.id: e.model_dump(mode="json") for e in entries}
    return json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode()


def audit_parts(view: Transaction | Snapshot) -> list[AuditPart]:
    """The sealed parts the database lists, oldest first."""
    return sorted(view.collection(AUDIT_PARTS, AuditPart).all(), key=lambda p: p.id)


def part_bytes(store: Store, part: AuditPart) -> bytes:
    """The bytes of one sealed part, checked against its sha256; refused when missing or damaged."""
    if "/" in part.bestand or part.bestand.startswith("."):
        raise StoreCorruptError(f"Auditdeel {part.id} heeft een ongeldige bestandsnaam; zie oso-tui doctor.")
    path = audit_dir(store) / part.bestand
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StoreCorruptError(
            f"Het auditdeel {path} ontbreekt ({part.aantal} regels van het auditlog); zet het terug uit "
            "de systeemback-up."
        ) from None
    except OSError as exc:
        raise StoreError(f"Het auditdeel {path} kan niet gelezen worden ({os_reason(exc)}).") from None
    if hashlib.sha256(raw).hexdigest() != part.sha256:
        raise StoreCorruptError(
            f"Het auditdeel {path} is beschadigd (het controlegetal klopt niet); zet het terug uit de "
            "systeemback-up."
        )
    return raw


def read_part(store: Store, part: AuditPart) -> list[AuditEntry]:
    """The entries of one sealed part (see `part_bytes` for the checks)."""
    raw = part_bytes(store, part)
    try:
        return list(_PART_ADAPTER.validate_json(raw).values())
    except ValidationError:
        raise StoreCorruptError(
            f"Het auditdeel {part.bestand} past niet bij het auditlog; zie oso-tui doctor."
        ) from None


def _all_entries(view: Transaction | Snapshot) -> Iterator[AuditEntry]:
    store = view.store
    if store is None:
        raise RuntimeError("deze momentopname kent haar store niet; gebruik Store.snapshot()")
    parts = audit_parts(view)
    for part in parts:
        yield from read_part(store, part)
    yield from read_journal(store, _next_number(view))
    yield from view.collection(AUDIT, AuditEntry).all()


def list_audit(
    view: Transaction | Snapshot,
    *,
    gebruiker: str | None = None,
    actie: str | None = None,
    pgn: str | None = None,
) -> list[AuditEntry]:
    """Audit entries of every part in the order they were written, optionally filtered."""
    entries = [
        e
        for e in _all_entries(view)
        if (gebruiker is None or e.gebruiker == gebruiker)
        and (actie is None or e.actie == actie)
        and (pgn is None or e.pgn == pgn)
    ]
    return sorted(entries, key=lambda e: (e.volgnummer, e.wanneer, e.id))
