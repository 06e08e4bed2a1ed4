"""Requests, and the inbox's dossiers that matched none at the last fetch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from pydantic import BaseModel

from oso_tui.exchange.models import Aanvraag, ZonderAanvraag
from oso_tui.records import View, tellingen
from oso_tui.store import Transaction
from oso_tui.store.tables import AANVRAGEN

R = TypeVar("R", bound=BaseModel)

ZONDER_AANVRAAG = "zonder_aanvraag"
"""Table of dossiers in the inbox that matched no request at the last fetch (metadata only, no raw XML)."""


def get(view: View, aanvraag_id: str) -> Aanvraag | None:
    return view.collection(AANVRAGEN, Aanvraag).get(aanvraag_id)


def all(view: View) -> list[Aanvraag]:
    return view.collection(AANVRAGEN, Aanvraag).all()


def of_pgn(view: View, pgn: str) -> list[Aanvraag]:
    """Every request ever made for this PGN (open or not): by the index, one lookup each, or by
    reading the table where the index cannot be trusted."""
    coll = view.collection(AANVRAGEN, Aanvraag)
    regel = tellingen.of_pgn(view, pgn)
    if regel is None:
        return coll.where(pgn=pgn)
    return [a for a in (coll.get(i) for i in regel.aanvragen) if a is not None and a.pgn == pgn]


def linked_to(view: View, pgn: str, leerling_id: str) -> list[Aanvraag]:
    """The requests linked to this registered pupil: a request is only ever linked to the pupil of its
    own PGN, so the PGN's requests are read by id instead of searching the whole table."""
    return [a for a in of_pgn(view, pgn) if a.leerling_id == leerling_id]


def scan(view: View, model: type[R]) -> list[R]:
    """Every request read as `model` in one pass: lists and counts read only the fields they need."""
    return view.collection(AANVRAGEN, model).scan()


def each(view: View, model: type[R]) -> Iterator[R]:
    """Every request read as `model`, one stored file at a time (for readers that keep little of each)."""
    return view.collection(AANVRAGEN, model).each()


def save(tx: Transaction, aanvragen: Iterable[Aanvraag]) -> None:
    """Write requests; the counts and the index follow in the same transaction."""
    aanvragen = list(aanvragen)
    tellingen.update(tx, aanvragen=aanvragen)
    tx.collection(AANVRAGEN, Aanvraag).put_many(aanvragen)


def link(tx: Transaction, aanvragen: Iterable[Aanvraag], leerling_id: str | None) -> None:
    """Link requests to a registered pupil, or unlink them (None). The counts and the index hold no
    link, so they stay as they are and are not read."""
    tx.collection(AANVRAGEN, Aanvraag).put_many(
        a.model_copy(update={"leerling_id": leerling_id}) for a in aanvragen
    )


def unmatched(view: View) -> list[ZonderAanvraag]:
    """The dossiers left in the inbox at the last fetch because no request matched them."""
    return view.collection(ZONDER_AANVRAAG, ZonderAanvraag).all()


def count_unmatched(view: View) -> int:
    return len(view.collection(ZONDER_AANVRAAG, ZonderAanvraag))


def replace_unmatched(tx: Transaction, zonder: list[ZonderAanvraag]) -> None:
    """The unmatched list reflects the last fetch: older entries go, new ones come."""
    coll = tx.collection(ZONDER_AANVRAAG, ZonderAanvraag)
    keep = {n.id for n in zonder}
    stale = [z.id for z in coll.all() if z.id not in keep]
    if stale:
        coll.delete_many(stale)
    coll.put_many(zonder)
