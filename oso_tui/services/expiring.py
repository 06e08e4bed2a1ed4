"""Expiry after the summer vacation: waiting requests become `verlopen`, old raw dossiers go.

`expire` is the one entry the CLI calls before every command and the app at start and on each reload:
the first call after a summer does the work in one transaction and remembers that summer; every later
call reads one small record and stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from oso_tui.datums import toon_datum
from oso_tui.exchange.expiry import is_expired, last_expiry
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.records import aanvragen, dossiers, zomers
from oso_tui.services.context import Context
from oso_tui.services.purging import opschonen


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


def _requested_on(aanvraag: Aanvraag) -> date:
    """The day the request was last made or renewed: a waiting request expires with the summer after it."""
    days = [c.datum for c in aanvraag.statushistorie if c.naar == "aangevraagd"]
    return max([aanvraag.aangemaakt, *days])


def expire(ctx: Context) -> Opschoning:
    """After the summer vacation: waiting requests become `verlopen`, raw dossiers compiled before it go.

    Idempotent: the first call after a summer writes (one transaction) and remembers the summer, every
    later call that season reads one small record and writes nothing.
    """
    now = ctx.now()
    today = now.date()
    settings = ctx.settings
    seizoen = last_expiry(today, settings)
    with ctx.store.snapshot() as view:
        if zomers.done(view, seizoen):
            return Opschoning()
    result = Opschoning(vervaldatum=seizoen)

    def due(
        alle: Sequence[Aanvraag], versies: Sequence[DossierVersie]
    ) -> tuple[list[Aanvraag], list[DossierVersie]]:
        stale = [a for a in alle if a.is_waiting and is_expired(_requested_on(a), settings, today)]
        old = [v for v in versies if not v.verwijderd and is_expired(v.datum, settings, today)]
        return stale, old

    with ctx.store.transaction(restore_point="opschonen") as tx:
        alle, versies = aanvragen.all(tx), dossiers.all(tx)
        if not alle and not versies:
            return result  # a new store: nothing to expire, and no reason to write
        stale, old = due(alle, versies)
        reden = "Na de zomervakantie niet meer beschikbaar; hernieuw de aanvraag."
        result.verlopen = [a.with_status("verlopen", datum=today, door=ctx.user, reden=reden) for a in stale]
        result.opgeschoond = [v.model_copy(update={"verwijderd": True}) for v in old]
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
        purged = [v.id for v in dossiers.all(tx) if v.verwijderd]
    ctx.store.remove_raw_many(purged)  # each pack is rewritten once, without the purged bytes
    opschonen(ctx.store, settings, today)  # refused copies in exchange folders, stale temp files
    with ctx.store.transaction() as tx:  # only once the files are gone: a crash before this retries
        zomers.remember(tx, seizoen, now)
    return result
