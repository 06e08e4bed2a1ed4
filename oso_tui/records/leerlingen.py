"""Registered pupils: the full record in its shard and one small row in the overview table."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TypeVar

from pydantic import BaseModel

from oso_tui.records import View
from oso_tui.registration.models import Leerling, LeerlingOverzicht
from oso_tui.store import Transaction
from oso_tui.store.tables import LEERLINGEN, LEERLINGOVERZICHT, all_shards, shard_of

R = TypeVar("R", bound=BaseModel)


class PupilKey(BaseModel):
    """What every model read from the pupil shards by `scan_of` has: the pupil's id and PGN."""

    id: str
    pgn: str


P = TypeVar("P", bound=PupilKey)


def leerling_id(pgn: str) -> str:
    """The id of the pupil with this PGN: derived from it, so finding a pupil needs no table scan.

    A pupil record holds its PGN anyway, so the derived id reveals nothing the record does not.
    """
    return "ll-" + hashlib.sha256(pgn.encode("ascii")).hexdigest()[:20]


def get(view: View, pgn: str) -> Leerling | None:
    """The registered pupil with this PGN, if any."""
    return view.collection(shard_of(LEERLINGEN, pgn), Leerling).get(leerling_id(pgn))


def all(view: View) -> list[Leerling]:
    """Every registered pupil (full records: for exports, not for lists)."""
    return [ll for shard in all_shards(LEERLINGEN) for ll in view.collection(shard, Leerling).all()]


def scan_of(view: View, pgns: Iterable[str], model: type[P]) -> dict[str, P]:
    """The registered pupils with these PGNs read as `model`, by PGN.

    Each shard that holds one of them is read in one pass and not kept: reading the steps of
    thousands of pupils parses only the fields `model` names, never the whole records.
    """
    wanted: dict[str, set[str]] = {}
    for pgn in pgns:
        wanted.setdefault(shard_of(LEERLINGEN, pgn), set()).add(leerling_id(pgn))
    found: dict[str, P] = {}
    for shard in sorted(wanted):
        ids = wanted[shard]
        for row in view.collection(shard, model).scan():
            if row.id in ids:
                found[row.pgn] = row
    return found


def save(tx: Transaction, leerling: Leerling) -> None:
    """Write the pupil and its row in the overview together, so lists never disagree with records."""
    tx.collection(shard_of(LEERLINGEN, leerling.pgn), Leerling).put(leerling)
    tx.collection(LEERLINGOVERZICHT, LeerlingOverzicht).put(LeerlingOverzicht.van(leerling))


def remove(tx: Transaction, leerling: Leerling) -> None:
    tx.collection(shard_of(LEERLINGEN, leerling.pgn), Leerling).delete(leerling.id)
    tx.collection(LEERLINGOVERZICHT, LeerlingOverzicht).delete(leerling.id)


def overview(view: View, model: type[R]) -> list[R]:
    """The overview rows (one per pupil), read as `model`: lists read only the fields they show."""
    return view.collection(LEERLINGOVERZICHT, model).scan()


def overview_each(view: View, model: type[R]) -> Iterator[R]:
    """The overview rows read as `model`, one stored file at a time (for readers that keep little)."""
    return view.collection(LEERLINGOVERZICHT, model).each()


def overview_row(view: View, leerling_id: str, model: type[R]) -> R | None:
    """One pupil's overview row by id, read as `model`."""
    return view.collection(LEERLINGOVERZICHT, model).get(leerling_id)


def count(view: View) -> int:
    return len(view.collection(LEERLINGOVERZICHT, LeerlingOverzicht))


def ids_by_pgn(view: View) -> dict[str, str]:
    """Registered pupils' ids by PGN, read once (a lookup per dossier would scan the table each time)."""
    return {row.pgn: row.id for row in view.collection(LEERLINGOVERZICHT, LeerlingOverzicht).all() if row.pgn}


def id_for(view: View, pgn: str) -> str | None:
    """The id of the registered pupil with this PGN, if there is one: looked up by its derived id."""
    ident = leerling_id(pgn)
    return ident if ident in view.collection(LEERLINGOVERZICHT, LeerlingOverzicht) else None
