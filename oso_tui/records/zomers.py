"""The summers whose expiry has run: one small record per summer, keyed by its expiry day."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from oso_tui.records import View
from oso_tui.store import Transaction
from oso_tui.store.tables import ZOMERS


class Zomer(BaseModel):
    """Expiry ran for the summer that ends the day before `id` (ISO), at `wanneer`."""

    model_config = ConfigDict(frozen=True)

    id: str
    wanneer: datetime


def done(view: View, vervaldatum: date) -> bool:
    return vervaldatum.isoformat() in view.collection(ZOMERS, Zomer)


def remember(tx: Transaction, vervaldatum: date, wanneer: datetime) -> None:
    zomers = tx.collection(ZOMERS, Zomer)
    if vervaldatum.isoformat() not in zomers:
        zomers.put(Zomer(id=vervaldatum.isoformat(), wanneer=wanneer))
