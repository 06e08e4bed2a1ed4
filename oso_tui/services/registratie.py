"""Registering pupils: plan a step (the diff), apply it, undo it, and look back (history, show, export).

The UI and the CLI call these functions and nothing below them. A typical flow:

    plan = plan_stap(store, settings, user, pgn=pgn, stap="personalia", plaatsing=plaatsing_uit(form))
    plan.secties, plan.regels, plan.waarschuwingen, plan.fouten          # what the diff screen shows
    plan = plan.met(modus="overschrijven").kies("personalia.adres", "behouden")   # toggles, pure
    result = pas_toe(store, settings, user, plan, accepteer_waarschuwingen=True)  # -> Registratie

Also: `plan_stappen` / `pas_toe_alle` (several steps of one pupil in one transaction), `registreer` (plan
and apply at once), `registreer_collectief` (many pupils, progress callback), `stappenoverzicht` (the step
picker), `maak_ongedaan` (latest application of a step, of any step, or a named history entry), `historie`,
`toon` (per step with provenance), `bijlagen` / `bewaar_bijlagen`, `exporteer`, `auditlog`, `leerling_van`.

`pas_toe` recomputes the diff inside its transaction and refuses when it no longer matches the plan the
user saw (someone else registered in between). Every registration, undo, view of care data and export is
written to the audit log in the same transaction as the action itself. Every function checks the user's
role (`oso_tui.services.rollen`) and raises `OsoError` subclasses with one Dutch sentence.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.dossier.identifiers import validate_pgn
from oso_tui.dossier.models import Dossier, NietOvergenomen
from oso_tui.errors import OsoError, RefusedError, UsageError
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.registration import apply as mechanics
from oso_tui.registration import steps
from oso_tui.registration.diff import DiffRegel, splits_pad
from oso_tui.registration.models import (
    STAP_TITELS,
    STAPPEN,
    Herkomst,
    Inhoud,
    Keuze,
    Leerling,
    LeerlingOverzicht,
    Modus,
    Mutatie,
    Stap,
    StapInfo,
    Wijziging,
)
from oso_tui.registration.steps import Plaatsing, Voorstel
from oso_tui.services import rollen
from oso_tui.settings import Settings
from oso_tui.store import Collection, Snapshot, Store, Transaction
from oso_tui.store.audit import AuditEntry, list_audit, record_audit
from oso_tui.store.tables import (
    AANVRAGEN,
    DOSSIERS,
    HISTORIE,
    LEERLINGEN,
    LEERLINGOVERZICHT,
    all_shards,
    shard_of,
)

VERBORGEN = "(zorggegevens verborgen)"


# Result models --------------------------------------------------------------------------------------


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


class Ongedaan(BaseModel):
    """The outcome of an undo."""

    model_config = ConfigDict(frozen=True)

    stap: Stap
    pgn: str
    ongedaan: Mutatie
    mutatie: Mutatie
    leerling_verwijderd: bool = False
    melding: str


class Veld(BaseModel):
    """One registered value with where it came from."""

    model_config = ConfigDict(frozen=True)

    pad: str
    label: str
    waarde: Inhoud
    tekst: str
    herkomst: Herkomst | None = None


class StapWeergave(BaseModel):
    model_config = ConfigDict(frozen=True)

    stap: Stap
    titel: str
    info: StapInfo | None = None
    velden: list[Veld] = Field(default_factory=list)
    verborgen: bool = False


class LeerlingWeergave(BaseModel):
    """A registered pupil per step, with provenance; begeleiding only for the zorg role."""

    model_config = ConfigDict(frozen=True)

    leerling_id: str
    pgn: str
    naam: str
    aanvraag_id: str | None = None
    stappen: list[StapWeergave]


class Export(BaseModel):
    model_config = ConfigDict(frozen=True)

    formaat: Literal["csv", "json"]
    tekst: str
    aantal: int
    met_begeleiding: bool


class BijlageInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    bestandsnaam: str
    omschrijving: str | None = None
    grootte: int = 0
    bron: str = ""


# Helpers --------------------------------------------------------------------------------------------


def _nu(settings: Settings, nu: datetime | None) -> datetime:
    """Now; on the configured day when "today" is fixed, so a demo that travels in time stays consistent."""
    if nu is not None:
        return nu
    now = datetime.now(UTC)
    if settings.fixed_today is not None:
        return datetime.combine(settings.fixed_today, now.timetz())
    return now


_VOLGORDE = itertools.count()


def _nieuw_id(when: datetime) -> str:
    """Sortable by time (and, within one process, by creation), unique across processes."""
    return f"{when.strftime('%Y%m%dT%H%M%S%f')}-{next(_VOLGORDE):08d}-{secrets.token_hex(4)}"


def _chronologisch(m: Mutatie) -> tuple[datetime, str]:
    return (m.wanneer, m.id)


def _recht(stap: Stap) -> rollen.Recht:
    return stap


def leerling_id(pgn: str) -> str:
    """The id of the pupil with this PGN: derived from it, so finding a pupil needs no table scan.

    A pupil record holds its PGN anyway, so the derived id reveals nothing the record does not.
    """
    return "ll-" + hashlib.sha256(pgn.encode("ascii")).hexdigest()[:20]


def _leerling(view: Transaction | Snapshot, pgn: str) -> Leerling | None:
    return view.collection(shard_of(LEERLINGEN, pgn), Leerling).get(leerling_id(pgn))


def _historie(view: Transaction | Snapshot, pgn: str) -> Collection[Mutatie]:
    """The history shard that holds this pupil's entries."""
    return view.collection(shard_of(HISTORIE, pgn), Mutatie)


def _bewaar(tx: Transaction, leerling: Leerling) -> None:
    """Write the pupil and its row in the overview together, so lists never disagree with records."""
    tx.collection(shard_of(LEERLINGEN, leerling.pgn), Leerling).put(leerling)
    tx.collection(LEERLINGOVERZICHT, LeerlingOverzicht).put(LeerlingOverzicht.van(leerling))


def _verwijder(tx: Transaction, leerling: Leerling) -> None:
    tx.collection(shard_of(LEERLINGEN, leerling.pgn), Leerling).delete(leerling.id)
    tx.collection(LEERLINGOVERZICHT, LeerlingOverzicht).delete(leerling.id)


def _leerling_of_fout(view: Transaction | Snapshot, pgn: str) -> Leerling:
    leerling = _leerling(view, pgn)
    if leerling is None:
        raise RefusedError(f"Er is geen geregistreerde leerling met PGN eindigend op {pgn[-3:]}.")
    return leerling


def _versies(view: Transaction | Snapshot, pgn: str) -> list[DossierVersie]:
    versies = [v for v in view.collection(DOSSIERS, DossierVersie).where(pgn=pgn) if not v.verwijderd]
    return sorted(versies, key=lambda v: (v.datum, v.ontvangen))


def _kies_versie(view: Transaction | Snapshot, pgn: str, versie: str | None) -> DossierVersie:
    versies = _versies(view, pgn)
    if not versies and view.collection(DOSSIERS, DossierVersie).where(pgn=pgn):
        raise RefusedError(
            f"De dossiers voor PGN eindigend op {pgn[-3:]} zijn na de zomervakantie verwijderd; hernieuw de "
            "aanvraag voor een nieuw dossier."
        )
    if versie is not None:
        chosen = [v for v in versies if v.id == versie or v.id.startswith(versie)]
        if len(chosen) != 1:
            raise UsageError(f"Dossierversie '{versie}' hoort niet (eenduidig) bij deze leerling.")
        return chosen[0]
    if not versies:
        raise RefusedError(
            f"Er is nog geen opgehaald dossier voor PGN eindigend op {pgn[-3:]}; haal het eerst op."
        )
    return versies[-1]


def _lees(store: Store, settings: Settings, versie: DossierVersie) -> tuple[Dossier, list[str], list[str]]:
    """The dossier of a stored version, with its error and warning messages."""
    if not store.has_raw(versie.id):
        raise RefusedError(
            f"Het dossier van {versie.datum.isoformat()} is niet meer beschikbaar (opgeschoond na de "
            "zomervakantie); vraag een nieuw dossier aan."
        )
    from oso_tui.dossier.parser import read_dossier  # lxml and the rules load on first use

    result = read_dossier(store.get_raw(versie.id), max_bytes=settings.max_dossier_bytes)
    if result.dossier is None:
        messages = [f.message for f in result.errors] or ["Het dossier kan niet gelezen worden."]
        raise RefusedError(f"Het opgeslagen dossier is onleesbaar: {messages[0]}")
    fouten = [f.message for f in result.errors]
    waarschuwingen = [f.message for f in result.warnings]
    said = " ".join(waarschuwingen).lower()
    dossier = result.dossier
    if dossier.voorlopig and "voorlopig" not in said:
        waarschuwingen.append("Dit is een voorlopig dossier; de definitieve versie kan nog afwijken.")
    akkoord = dossier.inzage.akkoord if dossier.inzage else None
    if akkoord == "Nee" and "akkoord" not in said:
        reden = dossier.inzage.redennietakkoord if dossier.inzage else None
        waarschuwingen.append(
            "De ouders zijn het niet eens met de inhoud van het dossier" + (f" ({reden})." if reden else ".")
        )
    return dossier, fouten, waarschuwingen


def _koppelwaarschuwing(leerling: Leerling, dossier: Dossier) -> str | None:
    """Linking a dossier to an existing pupil whose name or birth date differs needs a confirmation."""
    geregistreerd = leerling.gegevens
    achternaam = geregistreerd.get("personalia.achternaam")
    geboortedatum = geregistreerd.get("personalia.geboortedatum")
    verschillen = []
    if isinstance(achternaam, str) and achternaam.lower() != dossier.leerling.achternaam.lower():
        verschillen.append(f"achternaam '{dossier.leerling.achternaam}' (geregistreerd: '{achternaam}')")
    dob = dossier.leerling.geboortedatum
    if isinstance(geboortedatum, str) and dob is not None and geboortedatum != dob.isoformat():
        verschillen.append(f"geboortedatum {dob.isoformat()} (geregistreerd: {geboortedatum})")
    if not verschillen:
        return None
    return "Het dossier wijkt af van de geregistreerde leerling: " + "; ".join(verschillen) + "."


def _eigen_gegevens(leerling: Leerling | None, stap: Stap) -> dict[str, Inhoud]:
    if leerling is None:
        return {}
    owns = steps.eigen(stap)
    return {p: v for p, v in leerling.gegevens.items() if owns(p)}


def _dossierinfo(versie: DossierVersie, dossier: Dossier) -> DossierInfo:
    return DossierInfo(
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


# Plan and apply -------------------------------------------------------------------------------------


class _Bron(BaseModel):
    """One dossier version read for planning, with the pupil it would go to."""

    model_config = ConfigDict(frozen=True)

    pgn: str
    versie: DossierVersie
    dossier: Dossier
    fouten: list[str]
    waarschuwingen: list[str]
    leerling: Leerling | None


def _bron(store: Store, settings: Settings, pgn: str, versie: str | None) -> _Bron:
    with store.snapshot() as view:
        gekozen = _kies_versie(view, pgn, versie)
        leerling = _leerling(view, pgn)
    dossier, fouten, waarschuwingen = _lees(store, settings, gekozen)
    if leerling is not None:
        koppel = _koppelwaarschuwing(leerling, dossier)
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
    voorstel = steps.voorstel(stap, bron.dossier, plaatsing, advieslabel=steps.advieslabel)
    geregistreerd = _eigen_gegevens(bron.leerling, stap)
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
    regels = steps.vergelijk_stap(geregistreerd, voorstel, modus=modus, keuzes=keuzes)
    leerling = bron.leerling
    return StapPlan(
        stap=stap,
        pgn=bron.pgn,
        leerling_id=leerling.id if leerling else None,
        dossier=_dossierinfo(bron.versie, bron.dossier),
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


def _check_stap(stap: str) -> Stap:
    for known in STAPPEN:
        if known == stap:
            return known
    raise UsageError(f"Onbekende stap '{stap}'; kies personalia, loopbaan of begeleiding.")


def plan_stap(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    stap: Stap,
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    plaatsing: Plaatsing | None = None,
    versie: str | None = None,
    audit: bool = True,
    nu: datetime | None = None,
) -> StapPlan:
    """The diff of one step against the latest (or a chosen) dossier version of this pupil.

    Begeleiding needs the zorg role; looking at its diff is a view of care data and is audited (pass
    `audit=False` only when the caller applies the plan at once: the registration itself is audited).
    """
    return plan_stappen(
        store,
        settings,
        user,
        pgn=pgn,
        stappen=[stap],
        modus=modus,
        keuzes=keuzes,
        plaatsing=plaatsing,
        versie=versie,
        audit=audit,
        nu=nu,
    )[0]


def _pas_toe_in(
    tx: Transaction,
    settings: Settings,
    user: str,
    plan: StapPlan,
    *,
    wanneer: datetime,
) -> Registratie:
    leerling = _leerling(tx, plan.pgn)
    if (leerling.id if leerling else None) != plan.leerling_id:
        raise RefusedError(
            "Deze leerling is intussen door iemand anders geregistreerd; bekijk het verschil opnieuw."
        )
    fresh = steps.vergelijk_stap(
        _eigen_gegevens(leerling, plan.stap), plan.voorstel, modus=plan.modus, keuzes=plan.keuzes
    )
    if fresh != plan.regels:
        raise RefusedError(
            "De geregistreerde gegevens zijn intussen gewijzigd; bekijk het verschil opnieuw voor u toepast."
        )
    versie = tx.collection(DOSSIERS, DossierVersie).get(plan.dossier.id)
    if versie is None:
        raise RefusedError("De dossierversie van dit verschil bestaat niet meer; bekijk het opnieuw.")
    aangemaakt = leerling is None
    if leerling is None:
        leerling = Leerling(
            id=leerling_id(plan.pgn),
            pgn=plan.pgn,
            naam=plan.dossier.naam,
            geboortedatum=plan.dossier.geboortedatum,
            aanvraag_id=versie.aanvraag_id,
            aangemaakt=wanneer,
        )
    mutatie_id = _nieuw_id(wanneer)
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
        door=user,
        wanneer=wanneer,
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
    _bewaar(tx, toepassing.leerling)
    historie = _historie(tx, plan.pgn)
    mutatie = toepassing.mutatie
    historie.put(mutatie)
    aanvragen = tx.collection(AANVRAGEN, Aanvraag)
    aanvraag = aanvragen.get(versie.aanvraag_id)
    if aanvraag is not None and aanvraag.leerling_id is None:
        aanvragen.put(aanvraag.model_copy(update={"leerling_id": leerling.id}))
    n = len(mutatie.wijzigingen)
    record_audit(
        tx,
        user=user,
        actie="registreren",
        pgn=plan.pgn,
        detail=f"{plan.stap} ({plan.modus}), {n} wijziging(en), dossier {plan.dossier.datum.isoformat()}",
        wanneer=wanneer,
    )
    datum = plan.dossier.datum.isoformat()
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


def _controleer(settings: Settings, user: str, plan: StapPlan, accepteer_waarschuwingen: bool) -> None:
    rollen.vereis(settings, user, _recht(plan.stap))
    if plan.fouten:
        raise RefusedError(
            f"Dit dossier bevat {len(plan.fouten)} fout(en) en kan niet geregistreerd worden: "
            f"{plan.fouten[0]}"
        )
    if plan.waarschuwingen and not accepteer_waarschuwingen:
        raise RefusedError(
            f"Dit dossier heeft {len(plan.waarschuwingen)} waarschuwing(en) die eerst bevestigd moeten "
            f"worden (--accepteer-waarschuwingen): {plan.waarschuwingen[0]}"
        )


def pas_toe(
    store: Store,
    settings: Settings,
    user: str,
    plan: StapPlan,
    *,
    accepteer_waarschuwingen: bool = False,
    nu: datetime | None = None,
) -> Registratie:
    """Apply a plan the user has seen; one history entry, audited. Same dossier and choices again: no-op."""
    return pas_toe_alle(
        store, settings, user, [plan], accepteer_waarschuwingen=accepteer_waarschuwingen, nu=nu
    )[0]


def pas_toe_alle(
    store: Store,
    settings: Settings,
    user: str,
    plannen: Iterable[StapPlan],
    *,
    accepteer_waarschuwingen: bool = False,
    nu: datetime | None = None,
) -> list[Registratie]:
    """Apply several step plans of one pupil in one transaction: all of them or none."""
    plannen = list(plannen)
    for plan in plannen:
        _controleer(settings, user, plan, accepteer_waarschuwingen)
    wanneer = _nu(settings, nu)
    results: list[Registratie] = []
    with store.transaction() as tx:
        for plan in plannen:
            if results and plan.leerling_id is None:
                plan = plan.model_copy(update={"leerling_id": results[-1].leerling_id})
            results.append(_pas_toe_in(tx, settings, user, plan, wanneer=wanneer))
    return results


def registreer(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    stappen: Iterable[Stap],
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    plaatsing: Plaatsing | None = None,
    versie: str | None = None,
    accepteer_waarschuwingen: bool = False,
    nu: datetime | None = None,
) -> list[Registratie]:
    """Plan and apply one or more steps in one go (the CLI's `register`)."""
    plannen = plan_stappen(
        store,
        settings,
        user,
        pgn=pgn,
        stappen=stappen,
        modus=modus,
        keuzes=keuzes,
        plaatsing=plaatsing,
        versie=versie,
        audit=False,
        nu=nu,
    )
    return pas_toe_alle(
        store, settings, user, plannen, accepteer_waarschuwingen=accepteer_waarschuwingen, nu=nu
    )


def plan_stappen(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    stappen: Iterable[Stap],
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    plaatsing: Plaatsing | None = None,
    versie: str | None = None,
    audit: bool = True,
    nu: datetime | None = None,
) -> list[StapPlan]:
    """Plans for several steps from one reading of the dossier; each choice goes to the step of its path."""
    pgn = validate_pgn(pgn)
    stappen = [_check_stap(stap) for stap in stappen]
    for stap in stappen:
        rollen.vereis(settings, user, _recht(stap))
    bron = _bron(store, settings, pgn, versie)
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
        with store.transaction() as tx:
            record_audit(
                tx,
                user=user,
                actie="bekijken-zorg",
                pgn=pgn,
                detail="verschil begeleiding",
                wanneer=_nu(settings, nu),
            )
    return plannen


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


def stappenoverzicht(store: Store, settings: Settings, user: str, *, pgn: str) -> Stappenoverzicht:
    """For each step: last run (when, which version, by whom) and how many fields the newest dossier changes.

    Counting changes shows no values, so it is not audited; a step the user may not run shows no counts.
    """
    pgn = validate_pgn(pgn)
    with store.snapshot() as view:
        leerling = _leerling(view, pgn)
    info = leerling.stappen if leerling else {}
    try:
        bron: _Bron | None = _bron(store, settings, pgn, None)
        melding = None
    except RefusedError as exc:
        bron, melding = None, exc.message
    statussen = []
    for stap in STAPPEN:
        mag = rollen.mag(settings, user, _recht(stap))
        status = StapStatus(stap=stap, titel=STAP_TITELS[stap], info=info.get(stap), mag=mag)
        if bron is not None and mag:
            plan = _maak_plan(bron, stap, modus="aanvullen", keuzes=None, plaatsing=None)
            status = status.model_copy(
                update={
                    "nieuw": sum(1 for r in plan.regels if r.oordeel == "nieuw"),
                    "gewijzigd": sum(1 for r in plan.regels if r.oordeel == "gewijzigd"),
                    "wijzigingen": len(plan.wijzigingen),
                    "al_geregistreerd": plan.al_geregistreerd,
                }
            )
        statussen.append(status)
    return Stappenoverzicht(
        pgn=pgn,
        leerling_id=leerling.id if leerling else None,
        naam=leerling.naam if leerling else (bron.dossier.leerling.naam if bron else ""),
        dossier=_dossierinfo(bron.versie, bron.dossier) if bron else None,
        melding=melding,
        fouten=bron.fouten if bron else [],
        waarschuwingen=bron.waarschuwingen if bron else [],
        stappen=statussen,
    )


class Uitkomst(BaseModel):
    """What became of one pupil in a collective registration."""

    model_config = ConfigDict(frozen=True)

    pgn: str
    gelukt: bool
    melding: str
    registraties: list[Registratie] = Field(default_factory=list)


def registreer_collectief(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgns: Sequence[str],
    stappen: Iterable[Stap],
    modus: Modus = "aanvullen",
    plaatsing: Plaatsing | None = None,
    accepteer_waarschuwingen: bool = False,
    progress: Callable[[int, int], None] | None = None,
    nu: datetime | None = None,
) -> list[Uitkomst]:
    """Register the same steps for many pupils, each on its own: one refusal does not stop the others.

    `progress(done, total)` is called after each pupil (for a progress bar in a worker).
    """
    stappen = [_check_stap(stap) for stap in stappen]
    for stap in stappen:
        rollen.vereis(settings, user, _recht(stap))
    uitkomsten: list[Uitkomst] = []
    for n, pgn in enumerate(pgns, start=1):
        try:
            results = registreer(
                store,
                settings,
                user,
                pgn=pgn,
                stappen=stappen,
                modus=modus,
                plaatsing=plaatsing,
                accepteer_waarschuwingen=accepteer_waarschuwingen,
                nu=nu,
            )
            uitkomsten.append(
                Uitkomst(
                    pgn=pgn, gelukt=True, melding=" ".join(r.melding for r in results), registraties=results
                )
            )
        except OsoError as exc:
            uitkomsten.append(Uitkomst(pgn=pgn, gelukt=False, melding=exc.message))
        if progress is not None:
            progress(n, len(pgns))
    return uitkomsten


# Undo -----------------------------------------------------------------------------------------------


def _doel(
    historie: Collection[Mutatie], leerling: Leerling, stap: Stap | None, mutatie_id: str | None
) -> Mutatie:
    """The entry to undo: a named one, else the latest application of the step (or of any step).

    `StapInfo.mutatie` always names the latest application still in force, so no history scan is needed.
    """
    if mutatie_id is not None:
        found = historie.get(mutatie_id)
        matches = (
            [found]
            if found is not None
            else [m for m in historie.where(pgn=leerling.pgn) if m.id.startswith(mutatie_id)]
        )
        if len(matches) != 1 or matches[0].leerling_id != leerling.id:
            raise UsageError(f"Historie-item '{mutatie_id}' hoort niet (eenduidig) bij deze leerling.")
        return matches[0]
    infos = [(s, i) for s, i in leerling.stappen.items() if stap is None or s == stap]
    if not infos:
        wat = f"van {STAP_TITELS[stap].lower()} " if stap else ""
        raise RefusedError(f"Er is geen registratie {wat}om ongedaan te maken.")
    latest = max(infos, key=lambda item: (item[1].laatst, item[1].mutatie or ""))[1]
    target = historie.get(latest.mutatie or "")
    if target is None:
        raise RefusedError("De historie van deze registratie ontbreekt; ongedaan maken kan niet.")
    return target


def maak_ongedaan(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    stap: Stap | None = None,
    mutatie_id: str | None = None,
    nu: datetime | None = None,
) -> Ongedaan:
    """Undo the latest application of a step (or of any step, or a named entry) exactly; audited."""
    pgn = validate_pgn(pgn)
    wanneer = _nu(settings, nu)
    with store.transaction() as tx:
        leerling = _leerling_of_fout(tx, pgn)
        historie = _historie(tx, pgn)
        target = _doel(historie, leerling, stap, mutatie_id)
        rollen.vereis(settings, user, _recht(target.stap))
        result = mechanics.maak_ongedaan(
            leerling, target, mutatie_id=_nieuw_id(wanneer), door=user, wanneer=wanneer
        )
        undo = result.mutatie
        historie.put_many([result.ongedaan, undo])
        verwijderd = result.leeg and target.leerling_aangemaakt
        if verwijderd:
            _verwijder(tx, leerling)
            aanvragen = tx.collection(AANVRAGEN, Aanvraag)
            for aanvraag in aanvragen.where(leerling_id=leerling.id):
                aanvragen.put(aanvraag.model_copy(update={"leerling_id": None}))
        else:
            _bewaar(tx, result.leerling)
        record_audit(
            tx,
            user=user,
            actie="ongedaan",
            pgn=pgn,
            detail=f"{target.stap}: registratie {target.id} ongedaan, "
            f"{len(target.wijzigingen)} veld(en) hersteld",
            wanneer=wanneer,
        )
    titel = STAP_TITELS[target.stap]
    melding = f"{titel}: registratie van {target.wanneer:%Y-%m-%d %H:%M} ongedaan gemaakt"
    n = len(target.wijzigingen)
    melding += f", {n} veld(en) hersteld" if n else " (er waren geen velden gewijzigd)"
    if verwijderd:
        melding += "; de leerling had verder niets geregistreerd en is verwijderd"
    return Ongedaan(
        stap=target.stap,
        pgn=pgn,
        ongedaan=result.ongedaan,
        mutatie=undo,
        leerling_verwijderd=verwijderd,
        melding=melding + ".",
    )


# Looking back ---------------------------------------------------------------------------------------


def leerling_van(store: Store, pgn: str) -> Leerling | None:
    """The registered pupil with this PGN, if any (no care data check: callers show via `toon`)."""
    with store.snapshot() as view:
        return _leerling(view, validate_pgn(pgn))


def _verberg(mutatie: Mutatie) -> Mutatie:
    """A care-data entry for someone without the zorg role: values, row keys and choices hidden."""
    return mutatie.model_copy(
        update={
            "keuzes": {},
            "wijzigingen": [
                Wijziging(
                    pad="begeleiding",
                    label=steps.sectie(w.pad),
                    oud=None if w.oud is None else VERBORGEN,
                    nieuw=None if w.nieuw is None else VERBORGEN,
                )
                for w in mutatie.wijzigingen
            ],
        }
    )


def historie(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    met_begeleiding: bool = True,
    nu: datetime | None = None,
) -> list[Mutatie]:
    """Every history entry of this pupil, oldest first; begeleiding values only for the zorg role.

    Showing care values is audited; `met_begeleiding=False` hides them (and writes no audit entry) for a
    screen that only lists when and by whom.
    """
    pgn = validate_pgn(pgn)
    with store.snapshot() as view:
        entries = sorted(_historie(view, pgn).where(pgn=pgn), key=_chronologisch)
    zorg = met_begeleiding and rollen.mag(settings, user, "zorg-inzien")
    if zorg and any(m.stap == "begeleiding" and m.wijzigingen for m in entries):
        with store.transaction() as tx:
            record_audit(
                tx,
                user=user,
                actie="bekijken-zorg",
                pgn=pgn,
                detail="historie begeleiding",
                wanneer=_nu(settings, nu),
            )
    return [m if zorg or m.stap != "begeleiding" else _verberg(m) for m in entries]


def toon(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    met_begeleiding: bool = True,
    nu: datetime | None = None,
) -> LeerlingWeergave:
    """The registered pupil per step with where each value came from; viewing care data is audited.

    Care data is shown to the zorg role only, and only when asked (`met_begeleiding`, so a screen can
    open without a care-data view and show it on request).
    """
    pgn = validate_pgn(pgn)
    with store.snapshot() as view:
        leerling = _leerling_of_fout(view, pgn)
        historie = _historie(view, pgn)
        entries = {i: historie.get(i) for i in set(leerling.herkomst.values())}
    zorg = met_begeleiding and rollen.mag(settings, user, "zorg-inzien")

    def herkomst(pad: str) -> Herkomst | None:
        entry = entries.get(leerling.herkomst.get(pad, ""))
        return entry.herkomst(pad) if entry is not None else None

    weergaven = []
    for stap in STAPPEN:
        owns = steps.eigen(stap)
        velden = [
            Veld(
                pad=p,
                label=steps.label(p),
                waarde=v,
                tekst=steps.weergave(v, p),
                herkomst=herkomst(p),
            )
            for p, v in sorted(leerling.gegevens.items(), key=lambda item: _volgorde(item[0]))
            if owns(p)
        ]
        verborgen = stap == "begeleiding" and not zorg
        weergaven.append(
            StapWeergave(
                stap=stap,
                titel=STAP_TITELS[stap],
                info=leerling.stappen.get(stap),
                velden=[] if verborgen else velden,
                verborgen=verborgen and bool(velden),
            )
        )
    if zorg and weergaven[-1].velden:
        with store.transaction() as tx:
            record_audit(
                tx,
                user=user,
                actie="bekijken-zorg",
                pgn=pgn,
                detail="leerling tonen",
                wanneer=_nu(settings, nu),
            )
    return LeerlingWeergave(
        leerling_id=leerling.id,
        pgn=pgn,
        naam=leerling.naam,
        aanvraag_id=leerling.aanvraag_id,
        stappen=weergaven,
    )


def _volgorde(pad: str) -> tuple[int, int, str]:
    """By section, then fields in the order of the label table, then list rows by key."""
    order = _LABEL_ORDER.get(pad)
    return (steps.sectie_volgorde(pad), len(_LABEL_ORDER) if order is None else order, pad)


_LABEL_ORDER = {p: i for i, p in enumerate(steps.LABELS)}


# Export ---------------------------------------------------------------------------------------------


def exporteer(
    store: Store,
    settings: Settings,
    user: str,
    *,
    formaat: Literal["csv", "json"] = "csv",
    met_begeleiding: bool = False,
    out: Path | None = None,
    nu: datetime | None = None,
) -> Export:
    """Registered pupils for the school's own systems (BSN included); care data only if asked and allowed.

    With `out` the file is written (owner-only) before the export is audited and moved into place after,
    so the log never claims an export that did not happen and no export file exists without its entry.
    """
    rollen.vereis(settings, user, "export")
    if met_begeleiding:
        rollen.vereis(settings, user, "zorg-inzien")
    if formaat not in ("csv", "json"):
        raise UsageError(f"Onbekend formaat '{formaat}'; kies csv of json.")
    with store.snapshot() as view:
        leerlingen = sorted(
            (ll for shard in all_shards(LEERLINGEN) for ll in view.collection(shard, Leerling).all()),
            key=lambda ll: (ll.naam, ll.pgn),
        )

    def houd(pad: str) -> bool:
        return met_begeleiding or steps.stap_van(pad) != "begeleiding"

    if formaat == "json":
        data = [
            {
                "id": ll.id,
                "pgn": ll.pgn,
                "naam": ll.naam,
                "stappen": {s: i.model_dump(mode="json") for s, i in ll.stappen.items()},
                "gegevens": {p: v for p, v in ll.gegevens.items() if houd(p)},
            }
            for ll in leerlingen
        ]
        tekst = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        tekst = _csv(leerlingen, houd)
    staged = _schrijf_tijdelijk(out, tekst) if out is not None else None
    detail = f"{len(leerlingen)} leerling(en), {formaat}" + (", met begeleiding" if met_begeleiding else "")
    try:
        with store.transaction() as tx:
            record_audit(
                tx,
                user=user,
                actie="export",
                detail=detail + (f", naar {out.name}" if out is not None else ""),
                wanneer=_nu(settings, nu),
            )
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    if staged is not None and out is not None:
        staged.replace(out)
    return Export(formaat=formaat, tekst=tekst, aantal=len(leerlingen), met_begeleiding=met_begeleiding)


def _schrijf_tijdelijk(out: Path, tekst: str) -> Path:
    """The export in a temporary file beside `out`, readable by its owner only (it holds BSNs)."""
    staged = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(tekst)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise UsageError(f"Het bestand {out} kan niet geschreven worden ({exc.strerror}).") from None
    return staged


def _veilige_cel(text: str) -> str:
    """Text from a dossier that a spreadsheet would run as a formula (=, +, -, @) gets a leading quote."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(leerlingen: list[Leerling], houd: Callable[[str], bool]) -> str:
    """One line per pupil: fields as columns, each list as one column with its rows separated by ` | `."""
    rows: list[dict[str, str]] = []
    columns: dict[str, None] = {"pgn": None, "naam": None, **{f"stap.{s}": None for s in STAPPEN}}
    for ll in leerlingen:
        row = {"pgn": ll.pgn, "naam": _veilige_cel(ll.naam)}
        for s, info in ll.stappen.items():
            row[f"stap.{s}"] = info.laatst.date().isoformat()
        for pad, waarde in sorted(ll.gegevens.items(), key=lambda item: _volgorde(item[0])):
            if not houd(pad):
                continue
            lijst, sleutel = splits_pad(pad)
            column = lijst if sleutel is not None else pad
            columns.setdefault(column, None)
            text = _veilige_cel(steps.weergave(waarde, pad))
            row[column] = f"{row[column]} | {text}" if column in row and sleutel is not None else text
        rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# Audit ----------------------------------------------------------------------------------------------


def auditlog(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str | None = None,
    gebruiker: str | None = None,
    actie: str | None = None,
    van: date | None = None,
    tot: date | None = None,
) -> list[AuditEntry]:
    """The audit log, oldest first, filtered by pupil, user, action and dates (inclusive); beheer only."""
    rollen.vereis(settings, user, "audit")
    wanted = validate_pgn(pgn) if pgn else None
    with store.snapshot() as view:
        entries = list_audit(view, gebruiker=gebruiker, actie=actie, pgn=wanted)
    return [
        e
        for e in entries
        if (van is None or e.wanneer.date() >= van) and (tot is None or e.wanneer.date() <= tot)
    ]


# Attachments ----------------------------------------------------------------------------------------


def bijlagen(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    versie: str | None = None,
    nu: datetime | None = None,
) -> list[BijlageInfo]:
    """The attachments of the latest (or a chosen) dossier version; zorg only and audited (care data)."""
    pgn = validate_pgn(pgn)
    rollen.vereis(settings, user, "zorg-inzien")
    with store.snapshot() as view:
        gekozen = _kies_versie(view, pgn, versie)
    dossier, _, _ = _lees(store, settings, gekozen)
    if dossier.bijlagen:
        with store.transaction() as tx:
            record_audit(
                tx,
                user=user,
                actie="bekijken-zorg",
                pgn=pgn,
                detail="bijlagen tonen",
                wanneer=_nu(settings, nu),
            )
    return [
        BijlageInfo(bestandsnaam=b.bestandsnaam, omschrijving=b.omschrijving, grootte=b.grootte, bron=b.bron)
        for b in dossier.bijlagen
    ]


def bewaar_bijlagen(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    map: Path,
    namen: Iterable[str] | None = None,
    nummers: Iterable[int] | None = None,
    versie: str | None = None,
    nu: datetime | None = None,
) -> list[Path]:
    """Save attachments (as the ZIP files they are, never unpacked) into `map`; existing files are kept.

    All of them, or those named (`namen`) or numbered as in `bijlagen()` (`nummers`, from 0). Only on
    request, zorg only, audited. A name that exists already gets a number, so nothing is overwritten.
    """
    pgn = validate_pgn(pgn)
    rollen.vereis(settings, user, "zorg-inzien")
    with store.snapshot() as view:
        gekozen = _kies_versie(view, pgn, versie)
    dossier, _, _ = _lees(store, settings, gekozen)
    wanted = set(namen) if namen is not None else None
    chosen = [b for b in dossier.bijlagen if wanted is None or b.bestandsnaam in wanted]
    if nummers is not None:
        indices = sorted(set(nummers))
        if any(not 0 <= i < len(dossier.bijlagen) for i in indices):
            raise UsageError(
                f"Het dossier heeft {len(dossier.bijlagen)} bijlage(n); dat nummer bestaat niet."
            )
        chosen = [b for i, b in enumerate(dossier.bijlagen) if i in indices and b in chosen]
    if wanted is not None:
        missing = wanted - {b.bestandsnaam for b in chosen}
        if missing:
            raise UsageError(f"Het dossier heeft geen bijlage '{sorted(missing)[0]}'.")
    if not map.is_dir():
        raise UsageError(f"De map {map} bestaat niet.")
    contents = [(Path(b.bestandsnaam).name or "bijlage", b.inhoud()) for b in chosen]
    saved: list[Path] = []
    try:
        for name, data in contents:
            saved.append(_schrijf_nieuw(map, name if name.lower().endswith(".zip") else f"{name}.zip", data))
        with store.transaction() as tx:
            record_audit(
                tx,
                user=user,
                actie="bijlagen-opslaan",
                pgn=pgn,
                detail=f"{len(saved)} bijlage(n) opgeslagen",
                wanneer=_nu(settings, nu),
            )
    except BaseException:
        for path in saved:
            path.unlink(missing_ok=True)
        raise
    return saved


def _schrijf_nieuw(folder: Path, name: str, data: bytes) -> Path:
    """A new file (never an existing one: a number is added), created owner-only: it may hold care data."""
    stem = name[:-4] if name.lower().endswith(".zip") else name
    for n in itertools.count(1):
        target = folder / (name if n == 1 else f"{stem}-{n}.zip")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise UsageError(f"De bijlage kan niet in {folder} bewaard worden ({exc.strerror}).") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return target
    raise AssertionError("unreachable")


__all__ = [
    "BijlageInfo",
    "DossierInfo",
    "Export",
    "LeerlingWeergave",
    "Ongedaan",
    "Registratie",
    "StapPlan",
    "StapStatus",
    "StapWeergave",
    "Stappenoverzicht",
    "Uitkomst",
    "Veld",
    "Wijziging",
    "auditlog",
    "bewaar_bijlagen",
    "bijlagen",
    "exporteer",
    "historie",
    "leerling_van",
    "maak_ongedaan",
    "pas_toe",
    "pas_toe_alle",
    "plan_stap",
    "plan_stappen",
    "registreer",
    "registreer_collectief",
    "stappenoverzicht",
    "toon",
]
