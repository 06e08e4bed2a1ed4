"""The audit log: who saw or changed what, and when (AVG: care data views, registrations, exports).

An entry is written inside the same transaction as the action it records, so the log never claims
an action that did not happen, and never misses one that did.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from oso_tui.store.tables import AUDIT

if TYPE_CHECKING:
    from oso_tui.store.store import Snapshot, Transaction

ACTIES = ("registreren", "ongedaan", "export", "bekijken-zorg", "opschonen")
"""Known actions; other short names are accepted so areas can add their own."""


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
    tx.collection(AUDIT, AuditEntry).put(entry)
    return entry


def list_audit(
    view: Transaction | Snapshot,
    *,
    gebruiker: str | None = None,
    actie: str | None = None,
    pgn: str | None = None,
) -> list[AuditEntry]:
    """Audit entries in the order they were written, optionally filtered."""
    entries = [
        e
        for e in view.collection(AUDIT, AuditEntry).all()
        if (gebruiker is None or e.gebruiker == gebruiker)
        and (actie is None or e.actie == actie)
        and (pgn is None or e.pgn == pgn)
    ]
    return sorted(entries, key=lambda e: (e.volgnummer, e.wanneer, e.id))
