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
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from oso_tui.store.errors import StoreCorruptError, StoreError
from oso_tui.store.files import atomic_write, ensure_dir, os_reason
from oso_tui.store.tables import AUDIT, AUDIT_PARTS

if TYPE_CHECKING:
    from oso_tui.store.store import Snapshot, Store, Transaction

ACTIES = ("registreren", "ongedaan", "export", "bekijken-zorg", "opschonen")
"""Known actions; other short names are accepted so areas can add their own."""

PART_SIZE = 1000
"""Entries in the open part before it is sealed: small enough that a write never notices the log."""


class AuditEntry(BaseModel):
    """One line of the audit log."""

    model_config = ConfigDict(frozen=True)

    id: str
    wanneer: datetime
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
    wanneer: datetime | None = None,
) -> AuditEntry:
    """Add one audit entry to the running transaction and return it."""
    if not user or not actie:
        raise ValueError("audit: gebruiker en actie zijn verplicht")
    when = wanneer if wanneer is not None else datetime.now(UTC)
    entry = AuditEntry(id=_new_id(when), wanneer=when, gebruiker=user, actie=actie, pgn=pgn, detail=detail)
    add_audit_entries(tx, [entry])
    return entry


def add_audit_entries(tx: Transaction, entries: Iterable[AuditEntry]) -> int:
    """Add many entries in one transaction, sealing the open part each time it is full."""
    open_part = tx.collection(AUDIT, AuditEntry)
    pending = list(entries)
    room = PART_SIZE - len(open_part)
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
    """Move the open part's entries into sealed part files (at most `PART_SIZE` each)."""
    entries = tx.collection(AUDIT, AuditEntry).all()  # in the order they were written
    parts = tx.collection(AUDIT_PARTS, AuditPart)
    number = max((int(p.id) for p in parts.all() if p.id.isdigit()), default=0)
    folder = audit_dir(tx.store)
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
    parts = audit_parts(view)
    if parts:
        store = view.store
        if store is None:
            raise RuntimeError("deze momentopname kent haar store niet; gebruik Store.snapshot()")
        for part in parts:
            yield from read_part(store, part)
    yield from view.collection(AUDIT, AuditEntry).all()


def list_audit(
    view: Transaction | Snapshot,
    *,
    gebruiker: str | None = None,
    actie: str | None = None,
    pgn: str | None = None,
) -> list[AuditEntry]:
    """Audit entries of every part, oldest first, optionally filtered."""
    entries = [
        e
        for e in _all_entries(view)
        if (gebruiker is None or e.gebruiker == gebruiker)
        and (actie is None or e.actie == actie)
        and (pgn is None or e.pgn == pgn)
    ]
    return sorted(entries, key=lambda e: (e.wanneer, e.id))
