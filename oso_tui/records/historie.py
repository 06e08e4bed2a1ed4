"""A pupil's history: every registration and undo, in the order the store's sequence gave them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from oso_tui.records import View
from oso_tui.registration.models import Mutatie
from oso_tui.store import Collection, Transaction
from oso_tui.store.tables import HISTORIE, shard_of


def order(m: Mutatie) -> tuple[int, datetime, str]:
    """The order entries were written in: the store's sequence, never the clock."""
    return (m.volgnummer, m.wanneer, m.id)


def _shard(view: View, pgn: str) -> Collection[Mutatie]:
    return view.collection(shard_of(HISTORIE, pgn), Mutatie)


def of(view: View, pgn: str) -> list[Mutatie]:
    """Every entry of the pupil with this PGN, oldest first."""
    return sorted(_shard(view, pgn).where(pgn=pgn), key=order)


def get(view: View, pgn: str, mutatie_id: str) -> Mutatie | None:
    """One entry of this pupil by its id."""
    entry = _shard(view, pgn).get(mutatie_id)
    return entry if entry is not None and entry.pgn == pgn else None


def starting_with(view: View, pgn: str, prefix: str) -> list[Mutatie]:
    """This pupil's entries whose id starts with `prefix` (ids are long; people type the start)."""
    return [m for m in _shard(view, pgn).where(pgn=pgn) if m.id.startswith(prefix)]


def save(tx: Transaction, pgn: str, entries: Iterable[Mutatie]) -> None:
    """Write entries that are stored already (an undo marks the entry it undid)."""
    _shard(tx, pgn).put_many(list(entries))


def add(tx: Transaction, pgn: str, entry: Mutatie) -> None:
    """Write a new entry: its id was just minted, so the pupil's shard is not searched for it."""
    _shard(tx, pgn).add_many([entry])
