"""Expiry after the summer vacation: waiting requests become `verlopen`, old raw dossiers go."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.records import aanvragen, dossiers
from oso_tui.services.context import Context
from oso_tui.services.purging import opschonen


@dataclass
class Opschoning:
    """Outcome of expiry: requests that expired and raw dossiers purged."""

    verlopen: list[Aanvraag] = field(default_factory=list)
    opgeschoond: list[DossierVersie] = field(default_factory=list)

    def samenvatting(self) -> str:
        return (
            f"{len(self.verlopen)} aanvragen verlopen (hernieuwen nodig), "
            f"{len(self.opgeschoond)} dossiers opgeschoond."
        )


def expire(ctx: Context) -> Opschoning:
    """After the summer vacation: waiting requests become `verlopen`, raw dossiers compiled before it go.

    Writes only when something expired, so calling it before every command is cheap.
    """
    now = ctx.now()
    today = now.date()
    settings = ctx.settings
    result = Opschoning()

    def due(
        alle: Sequence[Aanvraag], versies: Sequence[DossierVersie]
    ) -> tuple[list[Aanvraag], list[DossierVersie]]:
        stale = [a for a in alle if a.is_waiting and is_expired(a.sinds or a.aangemaakt, settings, today)]
        old = [v for v in versies if not v.verwijderd and is_expired(v.datum, settings, today)]
        return stale, old

    with ctx.store.snapshot() as view:
        stale, old = due(aanvragen.all(view), dossiers.all(view))
    if stale or old:
        with ctx.store.transaction(restore_point="opschonen") as tx:
            stale, old = due(aanvragen.all(tx), dossiers.all(tx))
            reden = "Na de zomervakantie niet meer beschikbaar; hernieuw de aanvraag."
            result.verlopen = [
                a.with_status("verlopen", datum=today, door=ctx.user, reden=reden) for a in stale
            ]
            result.opgeschoond = [v.model_copy(update={"verwijderd": True}) for v in old]
            aanvragen.save(tx, result.verlopen)
            dossiers.save(tx, result.opgeschoond)
            for versie in result.opgeschoond:
                ctx.audit(
                    tx,
                    actie="opschonen",
                    pgn=versie.pgn,
                    detail=f"dossier van {versie.datum.isoformat()} verwijderd na de zomervakantie",
                    wanneer=now,
                )
    with ctx.store.snapshot() as view:
        purged = [v.id for v in dossiers.all(view) if v.verwijderd]
    ctx.store.remove_raw_many(purged)  # each pack is rewritten once, without the purged bytes
    opschonen(ctx.store, settings, today)  # refused copies in exchange folders, stale temp files
    return result
