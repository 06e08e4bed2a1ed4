"""Received dossier versions (the records; the raw XML is the store's, by sha256)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from pydantic import BaseModel

from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.records import View, tellingen
from oso_tui.store import Transaction
from oso_tui.store.tables import DOSSIERS

R = TypeVar("R", bound=BaseModel)


def get(view: View, versie_id: str) -> DossierVersie | None:
    return view.collection(DOSSIERS, DossierVersie).get(versie_id)


def all(view: View) -> list[DossierVersie]:
    return view.collection(DOSSIERS, DossierVersie).all()


def ids(view: View) -> set[str]:
    return set(view.collection(DOSSIERS, DossierVersie).ids())


def of_pgn(view: View, pgn: str) -> list[DossierVersie]:
    """Every version received for this PGN, purged ones included: by the index, one lookup each, or
    by reading the table where the index cannot be trusted."""
    coll = view.collection(DOSSIERS, DossierVersie)
    regel = tellingen.of_pgn(view, pgn)
    if regel is None:
        return coll.where(pgn=pgn)
    return [v for v in (coll.get(i) for i in regel.versies) if v is not None and v.pgn == pgn]


def of_request(view: View, aanvraag: Aanvraag) -> list[DossierVersie]:
    """The versions of this request, in the order they were linked."""
    coll = view.collection(DOSSIERS, DossierVersie)
    return [v for v in (coll.get(i) for i in aanvraag.versies) if v is not None]


def scan(view: View, model: type[R]) -> list[R]:
    """Every version read as `model` in one pass: lists and counts read only the fields they need."""
    return view.collection(DOSSIERS, model).scan()


def each(view: View, model: type[R]) -> Iterator[R]:
    """Every version read as `model`, one stored file at a time (for readers that keep little of each)."""
    return view.collection(DOSSIERS, model).each()


def save(tx: Transaction, versies: Iterable[DossierVersie]) -> None:
    """Write versions; the counts and the index follow in the same transaction."""
    versies = list(versies)
    tellingen.update(tx, versies=versies)
    tx.collection(DOSSIERS, DossierVersie).put_many(versies)
