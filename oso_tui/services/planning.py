"""Planning a registration step: the diff of a pupil's dossier against what is registered.

    plan = services.plan(ctx, pgn=pgn, stap="personalia", plaatsing=plaatsing_uit(form))
    plan.secties, plan.regels, plan.waarschuwingen, plan.fouten          # what the diff screen shows
    plan = plan.met(modus="overschrijven").kies("personalia.adres", "behouden")   # toggles, pure

Then `services.apply(ctx, plan, ...)`. Also `plan_steps` (several steps from one reading) and
`show_steps` (the step picker: per step when it last ran and what the newest dossier would change).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from oso_tui import collector
from oso_tui.datums import toon_datum
from oso_tui.dossier.identifiers import validate_pgn
from oso_tui.dossier.models import Dossier, NietOvergenomen
from oso_tui.errors import RefusedError, UsageError
from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.records import leerlingen
from oso_tui.registration import steps
from oso_tui.registration.diff import DiffRegel
from oso_tui.registration.models import (
    STAP_TITELS,
    STAPPEN,
    Inhoud,
    Keuze,
    Leerling,
    Modus,
    Stap,
    StapInfo,
)
from oso_tui.registration.steps import Plaatsing, Voorstel
from oso_tui.services import rollen
from oso_tui.services.context import Context
from oso_tui.services.listing import require_request
from oso_tui.services.reading import choose_version, link_warning, read_version


class DossierInfo(BaseModel):
    """Which dossier version a plan is based on, for the header of the diff screen."""

    model_config = ConfigDict(frozen=True)

    id: str
    aanvraag_id: str
    datum: date
    standaardversie: str | None = None
    naam: str = ""
    geboortedatum: date | None = None
    school: str = ""

    @classmethod
    def van(cls, versie: DossierVersie, dossier: Dossier) -> DossierInfo:
        return cls(
            id=versie.id,
            aanvraag_id=versie.aanvraag_id,
            datum=versie.datum,
            standaardversie=versie.standaardversie,
            naam=dossier.leerling.naam,
            geboortedatum=dossier.leerling.geboortedatum,
            school=" ".join(
                p for p in (dossier.school.naam, dossier.school.brin + dossier.school.vestiging) if p
            ),
        )


class StapPlan(BaseModel):
    """The diff of one step for one pupil, ready to show, to change choices on, and to apply.

    `regels` is what the user sees; `met()` and `kies()` recompute it without touching the store, so
    the UI can toggle per-field choices freely. `fouten` block applying; `waarschuwingen` must be
    acknowledged (`accepteer_waarschuwingen=True`).
    """

    model_config = ConfigDict(frozen=True)

    stap: Stap
    pgn: str
    leerling_id: str | None
    dossier: DossierInfo
    modus: Modus = "aanvullen"
    keuzes: dict[str, Keuze] = Field(default_factory=dict)
    voorstel: Voorstel
    geregistreerd: dict[str, Inhoud] = Field(default_factory=dict)
    vorige_stap: StapInfo | None = None
    regels: list[DiffRegel] = Field(default_factory=list)
    waarschuwingen: list[str] = Field(default_factory=list)
    fouten: list[str] = Field(default_factory=list)
    niet_overgenomen: list[NietOvergenomen] = Field(default_factory=list)  # this step's values not taken over
    _dossier: Dossier | None = PrivateAttr(default=None)

    @property
    def titel(self) -> str:
        return STAP_TITELS[self.stap]

    @property
    def nieuwe_leerling(self) -> bool:
        """Applying creates the pupil (first registration of this PGN)."""
        return self.leerling_id is None

    @property
    def wijzigingen(self) -> list[DiffRegel]:
        return [r for r in self.regels if r.wijzigt]

    @property
    def al_geregistreerd(self) -> bool:
        """Applying would change nothing: this version is registered with these choices already."""
        return (
            not self.wijzigingen
            and self.vorige_stap is not None
            and self.vorige_stap.dossier == self.dossier.id
        )

    @property
    def kan_toepassen(self) -> bool:
        return not self.fouten

    @property
    def secties(self) -> list[tuple[str, list[DiffRegel]]]:
        """The lines grouped by section (Leerling, Adres, Verzorgers, Plaatsing, ...) in display order."""
        groups: dict[str, list[DiffRegel]] = {}
        for regel in sorted(self.regels, key=lambda r: steps.sectie_volgorde(r.pad)):
            groups.setdefault(steps.sectie(regel.pad), []).append(regel)
        return list(groups.items())

    def met(self, *, modus: Modus | None = None, keuzes: Mapping[str, Keuze] | None = None) -> StapPlan:
        """The same plan with another mode and/or choices (replacing all choices)."""
        new_modus = modus or self.modus
        new_keuzes = dict(self.keuzes if keuzes is None else keuzes)
        regels = steps.vergelijk_stap(self.geregistreerd, self.voorstel, modus=new_modus, keuzes=new_keuzes)
        return self.model_copy(update={"modus": new_modus, "keuzes": new_keuzes, "regels": regels})

    def kies(self, pad: str, keuze: Keuze | None) -> StapPlan:
        """One per-field choice set (or removed with None), the rest kept."""
        keuzes = dict(self.keuzes)
        if keuze is None:
            keuzes.pop(pad, None)
        else:
            keuzes[pad] = keuze
        return self.met(keuzes=keuzes)

    def met_plaatsing(self, plaatsing: Plaatsing | None) -> StapPlan:
        """The same plan with another placement (personalia), from the dossier it was planned from.

        The dossier is not read again: a form that starts from the registered placement costs one
        reading, not two.
        """
        if self._dossier is None:
            raise RuntimeError("dit plan kent zijn dossier niet meer; plan opnieuw")
        voorstel = _voorstel(self.stap, self._dossier, plaatsing, self.geregistreerd)
        return self.model_copy(update={"voorstel": voorstel}).met()


class StapStatus(BaseModel):
    """One step in the step picker: when it last ran and what the newest dossier would change."""

    model_config = ConfigDict(frozen=True)

    stap: Stap
    titel: str
    info: StapInfo | None = None
    mag: bool
    nieuw: int | None = None
    gewijzigd: int | None = None
    wijzigingen: int | None = None
    al_geregistreerd: bool = False
    reden: str | None = None
    """Why this step cannot be registered now (no dossier, expired, personalia first), for the picker."""

    @property
    def heeft_verschillen(self) -> bool:
        return bool(self.nieuw or self.gewijzigd)


class Stappenoverzicht(BaseModel):
    """The step picker for one pupil against the newest dossier version (None: no readable dossier)."""

    model_config = ConfigDict(frozen=True)

    pgn: str
    leerling_id: str | None = None
    naam: str = ""
    dossier: DossierInfo | None = None
    melding: str | None = None
    fouten: list[str] = Field(default_factory=list)
    waarschuwingen: list[str] = Field(default_factory=list)
    stappen: list[StapStatus]


def recht(stap: Stap) -> rollen.Recht:
    """The right a step needs: its own name."""
    return stap


def check_stap(stap: str) -> Stap:
    for known in STAPPEN:
        if known == stap:
            return known
    raise UsageError(f"Onbekende stap '{stap}'; kies personalia, loopbaan of begeleiding.")


def heeft_personalia(leerling: Leerling | None) -> bool:
    """Loopbaan and begeleiding belong to a pupil whose personalia are registered."""
    return leerling is not None and "personalia" in leerling.stappen


def eigen_gegevens(leerling: Leerling | None, stap: Stap) -> dict[str, Inhoud]:
    """What is registered for this step."""
    if leerling is None:
        return {}
    owns = steps.eigen(stap)
    return {p: v for p, v in leerling.gegevens.items() if owns(p)}


class _Bron(BaseModel):
    """One dossier version read for planning, with the pupil it would go to."""

    model_config = ConfigDict(frozen=True)

    pgn: str
    versie: DossierVersie
    dossier: Dossier
    fouten: list[str]
    waarschuwingen: list[str]
    leerling: Leerling | None


def _pupil_of(ctx: Context, pgn: str | None, aanvraag_id: str | None) -> tuple[str, Aanvraag | None]:
    """The PGN asked for, or the request asked for by id and its PGN (the app's lookups)."""
    if aanvraag_id is None:
        if pgn is None:
            raise UsageError("Geef een PGN of een aanvraag-id.")
        return validate_pgn(pgn), None
    with ctx.store.snapshot() as view:
        aanvraag = require_request(view, aanvraag_id)
    return aanvraag.pgn, aanvraag


def _bron(
    ctx: Context,
    pgn: str,
    versie: str | None,
    *,
    verantwoording: bool = False,
    aanvraag: Aanvraag | None = None,
    leerling: Leerling | None = None,
    gelezen: bool = False,
) -> _Bron:
    """The version to plan from and the pupil it goes to (`gelezen`: the caller read `leerling`)."""
    with ctx.store.snapshot() as view:
        gekozen = choose_version(view, pgn, versie, aanvraag=aanvraag)
        if not gelezen:
            leerling = leerlingen.get(view, pgn)
    if is_expired(gekozen.datum, ctx.settings, ctx.today()):
        raise RefusedError(
            f"Het dossier van {toon_datum(gekozen.datum)} is van vóór de zomervakantie en mag niet meer "
            "gebruikt worden; hernieuw de aanvraag voor een nieuw dossier."
        )
    dossier, fouten, waarschuwingen = read_version(ctx, gekozen, verantwoording=verantwoording)
    if leerling is not None:
        koppel = link_warning(leerling, dossier)
        if koppel:
            waarschuwingen.append(koppel)
    return _Bron(
        pgn=pgn,
        versie=gekozen,
        dossier=dossier,
        fouten=fouten,
        waarschuwingen=waarschuwingen,
        leerling=leerling,
    )


def _maak_plan(
    bron: _Bron,
    stap: Stap,
    *,
    modus: Modus,
    keuzes: Mapping[str, Keuze] | None,
    plaatsing: Plaatsing | None,
) -> StapPlan:
    geregistreerd = eigen_gegevens(bron.leerling, stap)
    voorstel = _voorstel(stap, bron.dossier, plaatsing, geregistreerd)
    regels = steps.vergelijk_stap(geregistreerd, voorstel, modus=modus, keuzes=keuzes)
    leerling = bron.leerling
    made = StapPlan(
        stap=stap,
        pgn=bron.pgn,
        leerling_id=leerling.id if leerling else None,
        dossier=DossierInfo.van(bron.versie, bron.dossier),
        modus=modus,
        keuzes=dict(keuzes or {}),
        voorstel=voorstel,
        geregistreerd=geregistreerd,
        vorige_stap=leerling.stappen.get(stap) if leerling else None,
        regels=regels,
        waarschuwingen=list(bron.waarschuwingen) + steps.advieswaarschuwingen(geregistreerd, voorstel),
        fouten=list(bron.fouten),
        niet_overgenomen=[n for n in bron.dossier.niet_overgenomen if n.stap == stap],
    )
    made._dossier = bron.dossier
    return made


def _voorstel(
    stap: Stap, dossier: Dossier, plaatsing: Plaatsing | None, geregistreerd: Mapping[str, Inhoud]
) -> Voorstel:
    voorstel = steps.voorstel(stap, dossier, plaatsing, advieslabel=steps.advieslabel)
    afgeleid = [p for p, b in voorstel.bronnen.items() if b == "afgeleid" and p in geregistreerd]
    if afgeleid:
        # A default (the opleiding from the advice) only fills an empty field; it never competes with
        # what the school entered, not even when overwriting.
        voorstel = voorstel.model_copy(
            update={
                "waarden": {p: v for p, v in voorstel.waarden.items() if p not in afgeleid},
                "bronnen": {p: b for p, b in voorstel.bronnen.items() if p not in afgeleid},
            }
        )
    return voorstel


def plan(
    ctx: Context,
    *,
    pgn: str | None = None,
    aanvraag_id: str | None = None,
    stap: Stap,
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    plaatsing: Plaatsing | None = None,
    versie: str | None = None,
    audit: bool = True,
    verantwoording: bool = False,
) -> StapPlan:
    """The diff of one step against the latest (or a chosen) dossier version of this pupil.

    The pupil by PGN, or by the id of one of its requests (the app): then the versions of that
    request are read by their ids. Begeleiding needs the zorg role; looking at its diff is a view of
    care data and is audited (pass `audit=False` only when the caller applies the plan at once: the
    registration itself is audited).
    """
    return plan_steps(
        ctx,
        pgn=pgn,
        aanvraag_id=aanvraag_id,
        stappen=[stap],
        modus=modus,
        keuzes=keuzes,
        plaatsing=plaatsing,
        versie=versie,
        audit=audit,
        verantwoording=verantwoording,
    )[0]


@collector.pausing
def plan_steps(
    ctx: Context,
    *,
    pgn: str | None = None,
    aanvraag_id: str | None = None,
    stappen: Iterable[Stap],
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    plaatsing: Plaatsing | None = None,
    versie: str | None = None,
    audit: bool = True,
    verantwoording: bool = False,
) -> list[StapPlan]:
    """Plans for several steps from one reading of the dossier; each choice goes to the step of its path.

    With `verantwoording` each plan also lists the dossier's values that no step takes over (a preview
    shows them; applying does not need them, and working them out costs as much as reading the rest).
    """
    stappen = [check_stap(stap) for stap in stappen]
    for stap in stappen:
        rollen.vereis(ctx.settings, ctx.user, recht(stap))
    pgn, aanvraag = _pupil_of(ctx, pgn, aanvraag_id)
    bron = _bron(ctx, pgn, versie, verantwoording=verantwoording, aanvraag=aanvraag)
    keuzes = dict(keuzes or {})
    plannen = [
        _maak_plan(
            bron,
            stap,
            modus=modus,
            keuzes={p: k for p, k in keuzes.items() if steps.stap_van(p) == stap},
            plaatsing=plaatsing if stap == "personalia" else None,
        )
        for stap in stappen
    ]
    if audit and "begeleiding" in stappen:
        with ctx.store.transaction() as tx:
            ctx.audit(tx, actie="bekijken-zorg", pgn=pgn, detail="verschil begeleiding")
    return plannen


def show_steps(
    ctx: Context, *, pgn: str | None = None, aanvraag_id: str | None = None, verantwoording: bool = False
) -> Stappenoverzicht:
    """For each step: last run (when, which version, by whom) and how many fields the newest dossier changes.

    The pupil by PGN, or by the id of one of its requests (the app's step picker: that request's
    versions, read by id). Counting changes shows no values, so it is not audited; a step the user
    may not run shows no counts. With `verantwoording` the dossier is read as a preview reads it, so
    that the diff opened next from the same reading (the app's step picker) does not read it again.
    """
    pgn, aanvraag = _pupil_of(ctx, pgn, aanvraag_id)
    with ctx.store.snapshot() as view:
        leerling = leerlingen.get(view, pgn)
    info = leerling.stappen if leerling else {}
    try:
        bron: _Bron | None = _bron(
            ctx, pgn, None, aanvraag=aanvraag, leerling=leerling, gelezen=True, verantwoording=verantwoording
        )
        melding = None
    except RefusedError as exc:
        bron, melding = None, exc.message
    statussen = []
    for stap in STAPPEN:
        mag = rollen.mag(ctx.settings, ctx.user, recht(stap))
        reden = melding
        if reden is None and stap != "personalia" and not heeft_personalia(leerling):
            reden = "Registreer eerst de personalia (met de plaatsing)."
        status = StapStatus(stap=stap, titel=STAP_TITELS[stap], info=info.get(stap), mag=mag, reden=reden)
        if bron is not None and mag:
            gepland = _maak_plan(bron, stap, modus="aanvullen", keuzes=None, plaatsing=None)
            status = status.model_copy(
                update={
                    "nieuw": sum(1 for r in gepland.regels if r.oordeel == "nieuw"),
                    "gewijzigd": sum(1 for r in gepland.regels if r.oordeel == "gewijzigd"),
                    "wijzigingen": len(gepland.wijzigingen),
                    "al_geregistreerd": gepland.al_geregistreerd,
                }
            )
        statussen.append(status)
    return Stappenoverzicht(
        pgn=pgn,
        leerling_id=leerling.id if leerling else None,
        naam=leerling.naam if leerling else (bron.dossier.leerling.naam if bron else ""),
        dossier=DossierInfo.van(bron.versie, bron.dossier) if bron else None,
        melding=melding,
        fouten=bron.fouten if bron else [],
        waarschuwingen=bron.waarschuwingen if bron else [],
        stappen=statussen,
    )
