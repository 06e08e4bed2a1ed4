"""The audit log as the services write and read it (the entries themselves are the store's)."""

from __future__ import annotations

from datetime import datetime

from oso_tui.records import View
from oso_tui.store import Transaction
from oso_tui.store.audit import AuditEntry, list_audit, record_audit


def record(
    tx: Transaction, *, user: str, actie: str, wanneer: datetime, pgn: str | None = None, detail: str = ""
) -> AuditEntry:
    """One entry in the running transaction: it lands with the action it records, or not at all."""
    return record_audit(tx, user=user, actie=actie, pgn=pgn, detail=detail, wanneer=wanneer)


def entries(
    view: View, *, gebruiker: str | None = None, actie: str | None = None, pgn: str | None = None
) -> list[AuditEntry]:
    """The entries in the order they were written, optionally filtered."""
    return list_audit(view, gebruiker=gebruiker, actie=actie, pgn=pgn)


__all__ = ["AuditEntry", "entries", "record"]
