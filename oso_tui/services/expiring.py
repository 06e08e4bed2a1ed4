"""Expiry after the summer vacation: waiting requests become `verlopen`, old raw dossiers go.

`expire` is the one entry the CLI calls before every command and the app at start and on each reload:
the first call after a summer does the work in one transaction and remembers that summer; every later
call reads one small record and stops, and in the same process it costs a date comparison. The first
call reads of every request and version only the fields that say whether it could still expire, and
then whole only those that do.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.datums import toon_datum
from oso_tui.exchange.expiry import is_expired, last_expiry
from oso_tui.exchange.models import WAITING, Aanvraag, DossierVersie, Status
from oso_tui.records import aanvragen, dossiers, zomers
from oso_tui.services.context import Context
from oso_tui.store import Store

_DONE: weakref.WeakKeyDictionary[Store, set[date]] = weakref.WeakKeyDictionary()
"""Per open store, the summers this process saw expiry done for (a summer done stays done)."""
_DONE_LOCK = threading.Lock()


class _Wijziging(BaseModel):
    model_config = ConfigDict(frozen=True)

    naar: Status
    datum: date


class _Wachtend(BaseModel):
    """What expiry reads of every request: whether it waits, and since when."""

    model_config = ConfigDict(frozen=True)

    id: str
    status: Status = "aangevraagd"
    aangemaakt: date
    statushistorie: list[_Wijziging] = Field(default_factory=list)


class _Bewaard(BaseModel):
    """What expiry reads of every dossier version: its date and whether its dossier is gone."""

    model_config = ConfigDict(frozen=True)

    id: str
    datum: date
    verwijderd: bool = False


@dataclass
class Opschoning:
    """Outcome of expiry: requests that expired and raw dossiers purged, for one notice to the user."""

    verlopen: list[Aanvraag] = field(default_factory=list)
    opgeschoond: list[DossierVersie] = field(default_factory=list)
    vervaldatum: date | None = None
    """The first day after the summer this run caught up to; None when it had already run."""

    @property
    def aantal_verlopen(self) -> int:
        return len(self.verlopen)

    @property
    def iets_gedaan(self) -> bool:
        return bool(self.verlopen or self.opgeschoond)

    def samenvatting(self) -> str:
        n, m = len(self.verlopen), len(self.opgeschoond)
        return (
            f"{n} {'aanvraag' if n == 1 else 'aanvragen'} verlopen (hernieuwen nodig), "
            f"{m} {'dossier' if m == 1 else 'dossiers'} opgeschoond."
        )

    def melding(self) -> str:
        """The notice the app shows once: what expired, what it means, what to do."""
        n = len(self.verlopen)
        wat = f"{n} {'aanvraag is' if n == 1 else 'aanvragen zijn'} verlopen"
        if not n:
            wat = "Er is geen aanvraag verlopen"
        return (
            f"De zomervakantie is voorbij: {wat}. OSO-gegevens van vóór de vakantie zijn niet meer "
            "beschikbaar en kunnen niet meer geregistreerd worden; een hernieuwde aanvraag brengt een "
            "nieuw dossier."
        )


def _requested_on(aanvraag: Aanvraag | _Wachtend) -> date:
    """The day the request was last made or renewed: a waiting request expires with the summer after it."""
    days = [c.datum for c in aanvraag.statushistorie if c.naar == "aangevraagd"]
    return max([aanvraag.aangemaakt, *days])


def _known_done(store: Store, seizoen: date) -> bool:
    with _DONE_LOCK:
        return seizoen in _DONE.get(store, ())


def _remember_done(store: Store, seizoen: date) -> None:
    with _DONE_LOCK:
        _DONE.setdefault(store, set()).add(seizoen)


def expire(ctx: Context) -> Opschoning:
    """After the summer vacation: waiting requests become `verlopen`, raw dossiers compiled before it go.

    Idempotent: the first call after a summer writes (one transaction) and remembers the summer, every
    later call that season reads one small record and writes nothing (in this process: reads nothing).
    """
    now = ctx.now()
    today = now.date()
    settings = ctx.settings
    seizoen = last_expiry(today, settings)
    if _known_done(ctx.store, seizoen):
        return Opschoning()
    with ctx.store.snapshot() as view:
        if zomers.done(view, seizoen):
            _remember_done(ctx.store, seizoen)
            return Opschoning()
        wachtend = aanvragen.scan(view, _Wachtend)
        bewaard = dossiers.scan(view, _Bewaard)
    result = Opschoning(vervaldatum=seizoen)
    if not wachtend and not bewaard:
        return result  # a new store: nothing to expire, and no reason to write

    def stale(a: Aanvraag | _Wachtend) -> bool:
        return a.status in WAITING and is_expired(_requested_on(a), settings, today)

    def old(v: DossierVersie | _Bewaard) -> bool:
        return not v.verwijderd and is_expired(v.datum, settings, today)

    kandidaten = [a.id for a in wachtend if stale(a)]
    oude = [v.id for v in bewaard if old(v)]
    purged = {v.id for v in bewaard if v.verwijderd}
    if kandidaten or oude:
        with ctx.store.transaction(restore_point="opschonen") as tx:
            # Only what could expire is read whole, and judged again on the state being written.
            alle = [a for a in (aanvragen.get(tx, i) for i in kandidaten) if a is not None and stale(a)]
            versies = [v for v in (dossiers.get(tx, i) for i in oude) if v is not None and old(v)]
            reden = "Na de zomervakantie niet meer beschikbaar; hernieuw de aanvraag."
            result.verlopen = [
                a.with_status("verlopen", datum=today, door=ctx.user, reden=reden) for a in alle
            ]
            result.opgeschoond = [v.model_copy(update={"verwijderd": True}) for v in versies]
            aanvragen.save(tx, result.verlopen)
            dossiers.save(tx, result.opgeschoond)
            for versie in result.opgeschoond:
                ctx.audit(
                    tx,
                    actie="opschonen",
                    pgn=versie.pgn,
                    detail=f"dossier van {toon_datum(versie.datum)} verwijderd na de zomervakantie",
                    wanneer=now,
                )
        purged |= {v.id for v in result.opgeschoond}
    ctx.store.remove_raw_many(sorted(purged))  # each pack is rewritten once, without the purged bytes
    from oso_tui.services.purging import opschonen  # the exchange folders: only once a summer

    opschonen(ctx.store, settings, today)  # refused copies in exchange folders, stale temp files
    with ctx.store.transaction() as tx:  # only once the files are gone: a crash before this retries
        zomers.remember(tx, seizoen, now)
    _remember_done(ctx.store, seizoen)
    return result
