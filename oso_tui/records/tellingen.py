"""The counts record and the PGN index: what `status` and finding one request need, kept by every write.

`oso-tui status` used to read every request and every dossier version to count them, and finding the
requests or versions of one PGN read the whole table. Now every save of requests or versions (all go
through `aanvragen.save` and `dossiers.save`) also updates, in the same transaction:

- the index: per PGN its requests (status and versions) and its versions (whether purged), so the
  requests of a PGN are found by id, one lookup each, and the counts of one PGN are known;
- the counts record: the sum over the index of what `status` shows, changed by the difference
  between a PGN's entry before and after the save.

Both are derived data. A store written before they existed, or changed past them (its tables hold
another number of requests or versions than the record counted), is read the old way, and the first
save rebuilds them from the tables. `oso-tui doctor` compares them with a recount of the tables and
rebuilds them with `--herstel`.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from pydantic import BaseModel, Field

from oso_tui.records import View
from oso_tui.store import Store, Transaction
from oso_tui.store.tables import AANVRAGEN, DOSSIERS

TELLINGEN = "tellingen"
"""Table with one document: the counts record."""
PGN_INDEX = "pgnindex"
"""Table with one document per PGN: its requests and versions."""
RECORD_ID = "tellingen"
MISSING = "de tellingen van aanvragen en dossiers ontbreken nog (een database van een eerdere versie)"
"""Not damage: the next save (or `doctor --herstel`) makes them; until then they are counted."""


class Stand(BaseModel):
    """A request as the counts see it."""

    status: str
    versies: list[str] = Field(default_factory=list)


class PgnRegel(BaseModel):
    """The index entry of one PGN: its requests by id, its versions by id (True when purged)."""

    id: str
    aanvragen: dict[str, Stand] = Field(default_factory=dict)
    versies: dict[str, bool] = Field(default_factory=dict)


class Telling(BaseModel):
    """The counts record: totals, requests per status, kept and purged versions."""

    id: str = RECORD_ID
    waarden: dict[str, int] = Field(default_factory=dict)

    @property
    def aanvragen(self) -> int:
        return self.waarden.get("aanvragen", 0)

    @property
    def dossiers(self) -> int:
        return self.waarden.get("dossiers", 0)

    @property
    def aanwezig(self) -> int:
        """Versions whose raw dossier is still kept."""
        return self.waarden.get("aanwezig", 0)

    @property
    def opgeschoond(self) -> int:
        """Fetched requests whose every version was purged after the summer: they need renewing."""
        return self.waarden.get("opgeschoond", 0)

    def per_status(self, statuses: Iterable[str]) -> dict[str, int]:
        return {s: self.waarden.get(f"status:{s}", 0) for s in statuses}


class _Aanvraag(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def pgn(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def versies(self) -> list[str]: ...


class _Versie(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def pgn(self) -> str: ...
    @property
    def verwijderd(self) -> bool: ...


def _bijdrage(regel: PgnRegel) -> Counter[str]:
    """What one PGN adds to the counts."""
    present = {v for v, weg in regel.versies.items() if not weg}
    waarden: Counter[str] = Counter(
        aanvragen=len(regel.aanvragen), dossiers=len(regel.versies), aanwezig=len(present)
    )
    for stand in regel.aanvragen.values():
        waarden[f"status:{stand.status}"] += 1
        if stand.status == "opgehaald" and stand.versies and not present.intersection(stand.versies):
            waarden["opgeschoond"] += 1
    return waarden


def _fresh(view: View, telling: Telling | None) -> bool:
    """Whether the record counted the tables as they are (the same number of requests and versions)."""
    if telling is None:
        return False
    aanvragen = len(view.collection(AANVRAGEN, _Id)) if AANVRAGEN in view.tables() else 0
    dossiers = len(view.collection(DOSSIERS, _Id)) if DOSSIERS in view.tables() else 0
    return telling.aanvragen == aanvragen and telling.dossiers == dossiers


class _Id(BaseModel):
    id: str


def read(view: View) -> Telling | None:
    """The counts record, or None when there is none or it does not match the tables (then count them)."""
    if TELLINGEN not in view.tables():
        return None
    telling = view.collection(TELLINGEN, Telling).get(RECORD_ID)
    return telling if _fresh(view, telling) else None


def of_pgn(view: View, pgn: str) -> PgnRegel | None:
    """The index entry of a PGN (empty when it has none), or None when the index cannot be trusted."""
    if read(view) is None:
        return None
    return view.collection(PGN_INDEX, PgnRegel).get(pgn) or PgnRegel(id=pgn)


_checked: weakref.WeakSet[Transaction] = weakref.WeakSet()
"""Transactions that found the record matching their tables (or rebuilt it): later saves in the same
transaction trust it without counting tables they changed meanwhile."""


def update(tx: Transaction, aanvragen: Iterable[_Aanvraag] = (), versies: Iterable[_Versie] = ()) -> None:
    """Bring index and counts up to date for these requests and versions, before they are saved."""
    aanvragen, versies = list(aanvragen), list(versies)
    if not aanvragen and not versies:
        return
    records = tx.collection(TELLINGEN, Telling)
    if tx not in _checked:
        if not _fresh(tx, records.get(RECORD_ID)):
            rebuild(tx)
        _checked.add(tx)
    stored = records.get(RECORD_ID)
    index = tx.collection(PGN_INDEX, PgnRegel)
    pgns = dict.fromkeys([a.pgn for a in aanvragen] + [v.pgn for v in versies])
    before = {pgn: index.get(pgn) or PgnRegel(id=pgn) for pgn in pgns}
    regels = {pgn: regel.model_copy(deep=True) for pgn, regel in before.items()}
    waarden = Counter(stored.waarden if stored else {})
    for regel in regels.values():
        waarden.subtract(_bijdrage(regel))
    for a in aanvragen:
        regels[a.pgn].aanvragen[a.id] = Stand(status=a.status, versies=list(a.versies))
    for v in versies:
        regels[v.pgn].versies[v.id] = v.verwijderd
    for regel in regels.values():
        waarden.update(_bijdrage(regel))
    changed = [regel for pgn, regel in regels.items() if regel != before[pgn]]
    if changed:  # most saves (a registration linking its request) leave the index as it was
        index.put_many(changed)
    nieuw = Telling(waarden={k: n for k, n in sorted(waarden.items()) if n})
    if nieuw != stored:
        records.put(nieuw)


def _entries(aanvragen: Iterable[_Aanvraag], versies: Iterable[_Versie]) -> dict[str, PgnRegel]:
    regels: dict[str, PgnRegel] = {}
    for a in aanvragen:
        regel = regels.setdefault(a.pgn, PgnRegel(id=a.pgn))
        regel.aanvragen[a.id] = Stand(status=a.status, versies=list(a.versies))
    for v in versies:
        regels.setdefault(v.pgn, PgnRegel(id=v.pgn)).versies[v.id] = v.verwijderd
    return regels


def _sum(regels: Iterable[PgnRegel]) -> Telling:
    waarden: Counter[str] = Counter()
    for regel in regels:
        waarden.update(_bijdrage(regel))
    return Telling(waarden={k: n for k, n in sorted(waarden.items()) if n})


class _Kop(BaseModel):
    id: str
    pgn: str
    status: str = "aangevraagd"
    versies: list[str] = Field(default_factory=list)


class _VersieKop(BaseModel):
    id: str
    pgn: str
    verwijderd: bool = False


def _from_tables(view: View) -> tuple[dict[str, PgnRegel], Telling]:
    tables = view.tables()
    heads = view.collection(AANVRAGEN, _Kop).scan() if AANVRAGEN in tables else []
    versies = view.collection(DOSSIERS, _VersieKop).scan() if DOSSIERS in tables else []
    regels = _entries(heads, versies)
    return regels, _sum(regels.values())


def rebuild(tx: Transaction) -> Telling:
    """Index and counts anew from the tables (a store from before them, or one changed past them)."""
    regels, telling = _from_tables(tx)
    index = tx.collection(PGN_INDEX, PgnRegel)
    stale = set(index.ids()) - set(regels)
    if stale:
        index.delete_many(stale)
    index.put_many(regels.values())
    tx.collection(TELLINGEN, Telling).put(telling)
    return telling


def recount(view: View) -> tuple[int, Counter[str]]:
    """The counts from the tables themselves, as `status` defines them (for doctor and tests):
    (number of requests, the record's values)."""
    _, telling = _from_tables(view)
    return telling.aanvragen, Counter(telling.waarden)


def problems(view: View) -> Iterator[str]:
    """What is wrong with the record and the index, compared with the tables (nothing: both hold)."""
    regels, telling = _from_tables(view)
    tables = view.tables()
    stored = view.collection(TELLINGEN, Telling).get(RECORD_ID) if TELLINGEN in tables else None
    if stored is None:
        if regels:
            yield MISSING
        return
    if stored.waarden != telling.waarden:
        yield "de tellingen van aanvragen en dossiers kloppen niet met de tabellen"
    index = {r.id: r for r in view.collection(PGN_INDEX, PgnRegel).all()} if PGN_INDEX in tables else {}
    if _normal(index) != _normal(regels):
        yield "de index van PGN naar aanvragen en dossiers klopt niet met de tabellen"


def _normal(regels: Mapping[str, PgnRegel]) -> dict[str, PgnRegel]:
    return {k: r for k, r in regels.items() if r.aanvragen or r.versies}


def check(store: Store, *, repair: bool) -> tuple[list[str], bool]:
    """Doctor's check: (what is wrong, whether it was rebuilt). A rebuild is one transaction, so it
    takes the lock, refuses a damaged or read-only database and lands whole or not at all."""
    with store.snapshot() as view:
        found = list(problems(view))
    if not found or not repair:
        return found, False
    with store.transaction() as tx:
        if list(problems(tx)):
            rebuild(tx)
    return found, True
