"""Applying planned steps: one pupil (`apply`, `apply_all`), plan-and-apply (`register`), many pupils.

`apply` recomputes the diff inside its transaction and refuses when it no longer matches the plan the
user saw (someone else registered in between). Every registration is written to the audit log in the
same transaction as the registration itself.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from oso_tui import collector
from oso_tui.datums import toon_datum
from oso_tui.errors import OsoError, RefusedError
from oso_tui.exchange.expiry import is_expired
from oso_tui.masking import pgn_tail
from oso_tui.records import View, aanvragen, dossiers, historie, leerlingen
from oso_tui.registration import apply as mechanics
from oso_tui.registration import steps
from oso_tui.registration.models import STAP_TITELS, Keuze, Leerling, Modus, Mutatie, Stap
from oso_tui.registration.steps import Plaatsing
from oso_tui.services import rollen
from oso_tui.services.context import Context
from oso_tui.services.planning import (
    StapPlan,
    check_stap,
    eigen_gegevens,
    heeft_personalia,
    plan_steps,
    recht,
)
from oso_tui.store import Transaction


class Registratie(BaseModel):
    """The outcome of applying one step."""

    model_config = ConfigDict(frozen=True)

    stap: Stap
    pgn: str
    leerling_id: str
    mutatie: Mutatie | None = None
    leerling_aangemaakt: bool = False
    melding: str

    @property
    def gewijzigd(self) -> bool:
        return self.mutatie is not None


class LeerlingUitkomst(BaseModel):
    """What became of one pupil in a collective registration."""

    model_config = ConfigDict(frozen=True)

    pgn: str
    gelukt: bool
    melding: str
    registraties: list[Registratie] = Field(default_factory=list)
    naam: str = ""
    """The pupil's name (registered, else from the newest dossier), so a refusal says whom it is about."""


_VOLGORDE = itertools.count()


def new_mutatie_id(when: datetime) -> str:
    """Readable by time, unique across processes (the history's order is the store's sequence)."""
    return f"{when.strftime('%Y%m%dT%H%M%S%f')}-{next(_VOLGORDE):08d}-{secrets.token_hex(4)}"


def _apply_in(tx: Transaction, ctx: Context, plan: StapPlan, *, wanneer: datetime) -> Registratie:
    leerling = leerlingen.get(tx, plan.pgn)
    if (leerling.id if leerling else None) != plan.leerling_id:
        raise RefusedError(
            "Deze leerling is intussen door iemand anders geregistreerd; bekijk het verschil opnieuw."
        )
    if plan.stap != "personalia" and not heeft_personalia(leerling):
        raise RefusedError(
            f"Van {pgn_tail(plan.pgn)} zijn nog geen personalia geregistreerd; registreer eerst de "
            f"personalia (met de plaatsing), dan de {STAP_TITELS[plan.stap].lower()}."
        )
    fresh = steps.vergelijk_stap(
        eigen_gegevens(leerling, plan.stap), plan.voorstel, modus=plan.modus, keuzes=plan.keuzes
    )
    if fresh != plan.regels:
        raise RefusedError(
            "De geregistreerde gegevens zijn intussen gewijzigd; bekijk het verschil opnieuw voor u toepast."
        )
    versie = dossiers.get(tx, plan.dossier.id)
    if versie is None:
        raise RefusedError("De dossierversie van dit verschil bestaat niet meer; bekijk het opnieuw.")
    aangemaakt = leerling is None
    if leerling is None:
        leerling = Leerling(
            id=leerlingen.leerling_id(plan.pgn),
            pgn=plan.pgn,
            naam=plan.dossier.naam,
            geboortedatum=plan.dossier.geboortedatum,
            aanvraag_id=versie.aanvraag_id,
            aangemaakt=wanneer,
        )
    mutatie_id = new_mutatie_id(wanneer)
    after = dict(leerling.gegevens)
    for regel in plan.regels:
        if regel.wijzigt:
            after[regel.pad] = regel.resultaat
    toepassing = mechanics.pas_toe(
        leerling,
        plan.regels,
        stap=plan.stap,
        dossier=plan.dossier.id,
        dossierdatum=plan.dossier.datum,
        mutatie_id=mutatie_id,
        door=ctx.user,
        wanneer=wanneer,
        volgnummer=tx.sequence(),
        modus=plan.modus,
        keuzes=plan.keuzes,
        bronnen=plan.voorstel.bronnen,
        naam=steps.naam_uit({k: v for k, v in after.items() if v is not None}) or leerling.naam,
        leerling_aangemaakt=aangemaakt,
    )
    titel = STAP_TITELS[plan.stap]
    if toepassing.mutatie is None:
        return Registratie(
            stap=plan.stap,
            pgn=plan.pgn,
            leerling_id=leerling.id,
            melding=f"{titel}: niets gewijzigd, dit dossier is met deze keuzes al geregistreerd.",
        )
    leerlingen.save(tx, toepassing.leerling)
    mutatie = toepassing.mutatie
    historie.add(tx, plan.pgn, mutatie)
    aanvraag = aanvragen.get(tx, versie.aanvraag_id)
    if aanvraag is not None and aanvraag.leerling_id is None:
        aanvragen.link(tx, [aanvraag], leerling.id)
    n = len(mutatie.wijzigingen)
    ctx.audit(
        tx,
        actie="registreren",
        pgn=plan.pgn,
        detail=f"{plan.stap} ({plan.modus}), {n} wijziging(en), dossier {toon_datum(plan.dossier.datum)}",
        wanneer=wanneer,
    )
    datum = toon_datum(plan.dossier.datum)
    if n:
        melding = f"{titel}: {n} veld(en) geregistreerd uit het dossier van {datum}"
    else:
        melding = f"{titel}: geen velden gewijzigd; stap vastgelegd voor het dossier van {datum}"
    behouden = sum(1 for r in plan.regels if r.oordeel == "gewijzigd" and r.actie == "behouden")
    if behouden:
        melding += f"; {behouden} afwijkende waarde(n) behouden (overschrijven neemt ze over)"
    if aangemaakt:
        melding += "; de leerling is aangemaakt"
    return Registratie(
        stap=plan.stap,
        pgn=plan.pgn,
        leerling_id=leerling.id,
        mutatie=mutatie,
        leerling_aangemaakt=aangemaakt,
        melding=melding + ".",
    )


def _check(ctx: Context, plan: StapPlan, accepteer_waarschuwingen: bool) -> None:
    rollen.vereis(ctx.settings, ctx.user, recht(plan.stap))
    if is_expired(plan.dossier.datum, ctx.settings, ctx.today()):
        raise RefusedError(
            f"Het dossier van {toon_datum(plan.dossier.datum)} is van vóór de zomervakantie en mag niet "
            "meer gebruikt worden; hernieuw de aanvraag voor een nieuw dossier."
        )
    if plan.fouten:
        raise RefusedError(
            f"Dit dossier bevat {len(plan.fouten)} fout(en) en kan niet geregistreerd worden: "
            f"{plan.fouten[0]}"
        )
    if plan.waarschuwingen and not accepteer_waarschuwingen:
        raise RefusedError(
            f"Dit dossier heeft {len(plan.waarschuwingen)} waarschuwing(en) die eerst bevestigd moeten "
            f"worden: {plan.waarschuwingen[0]}"
        )


def apply(ctx: Context, plan: StapPlan, *, accepteer_waarschuwingen: bool = False) -> Registratie:
    """Apply a plan the user has seen; one history entry, audited. Same dossier and choices again: no-op."""
    return apply_all(ctx, [plan], accepteer_waarschuwingen=accepteer_waarschuwingen)[0]


@collector.pausing
def apply_all(
    ctx: Context, plannen: Iterable[StapPlan], *, accepteer_waarschuwingen: bool = False
) -> list[Registratie]:
    """Apply several step plans of one pupil in one transaction: all of them or none."""
    plannen = list(plannen)
    for plan in plannen:
        _check(ctx, plan, accepteer_waarschuwingen)
    wanneer = ctx.now()
    results: list[Registratie] = []
    with ctx.store.transaction() as tx:
        for plan in plannen:
            if results and plan.leerling_id is None:
                plan = plan.model_copy(update={"leerling_id": results[-1].leerling_id})
            results.append(_apply_in(tx, ctx, plan, wanneer=wanneer))
    return results


def register(
    ctx: Context,
    *,
    pgn: str,
    stappen: Iterable[Stap],
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    plaatsing: Plaatsing | None = None,
    versie: str | None = None,
    accepteer_waarschuwingen: bool = False,
) -> list[Registratie]:
    """Plan and apply one or more steps in one go (the CLI's `register`)."""
    plannen = plan_steps(
        ctx,
        pgn=pgn,
        stappen=stappen,
        modus=modus,
        keuzes=keuzes,
        plaatsing=plaatsing,
        versie=versie,
        audit=False,
    )
    return apply_all(ctx, plannen, accepteer_waarschuwingen=accepteer_waarschuwingen)


def register_many(
    ctx: Context,
    *,
    pgns: Sequence[str],
    stappen: Iterable[Stap],
    modus: Modus = "aanvullen",
    plaatsing: Plaatsing | None = None,
    accepteer_waarschuwingen: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[LeerlingUitkomst]:
    """Register the same steps for many pupils, each on its own: one refusal does not stop the others.

    `plaatsing` is the placement for new pupils (personalia not registered yet): asked once for the
    selection, it never changes the placement of a pupil already placed. `progress(done, total)` is
    called after each pupil (for a progress bar in a worker).
    """
    stappen = [check_stap(stap) for stap in stappen]
    for stap in stappen:
        rollen.vereis(ctx.settings, ctx.user, recht(stap))
    with ctx.store.snapshot() as view:
        namen = {p: _naam(view, p) for p in pgns}
        geplaatst = {p for p in pgns if heeft_personalia(leerlingen.get(view, p))}
    uitkomsten: list[LeerlingUitkomst] = []
    if len(pgns) > 1:
        ctx.store.restore_point("collectief")  # one, before the pupils' own transactions
    for n, pgn in enumerate(pgns, start=1):
        try:
            results = register(
                ctx,
                pgn=pgn,
                stappen=stappen,
                modus=modus,
                plaatsing=None if pgn in geplaatst else plaatsing,
                accepteer_waarschuwingen=accepteer_waarschuwingen,
            )
            uitkomsten.append(
                LeerlingUitkomst(
                    pgn=pgn,
                    gelukt=True,
                    melding=" ".join(r.melding for r in results),
                    registraties=results,
                    naam=namen.get(pgn, ""),
                )
            )
        except OsoError as exc:
            uitkomsten.append(
                LeerlingUitkomst(pgn=pgn, gelukt=False, melding=exc.message, naam=namen.get(pgn, ""))
            )
        if progress is not None:
            progress(n, len(pgns))
    return uitkomsten


def _naam(view: View, pgn: str) -> str:
    leerling = leerlingen.get(view, pgn)
    if leerling is not None and leerling.naam:
        return leerling.naam
    versies = dossiers.of_pgn(view, pgn)
    return max(versies, key=lambda v: (v.datum, v.ontvangen)).naam if versies else ""
