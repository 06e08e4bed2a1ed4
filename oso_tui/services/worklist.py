"""The to-do list: per pupil with a usable dossier, which steps are still open and which are outdated.

What a school administration works through after each fetch: new pupils to register, and pupils whose
newer dossier (the May version) brings changes to a step registered from an older one.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.models import Status
from oso_tui.records import aanvragen, dossiers, leerlingen
from oso_tui.registration.models import STAPPEN, LeerlingOverzicht, Stap
from oso_tui.services import rollen
from oso_tui.services.context import Context
from oso_tui.services.listing import VersieKop
from oso_tui.services.planning import recht


class TodoRegel(BaseModel):
    """One pupil on the to-do list."""

    model_config = ConfigDict(frozen=True)

    pgn: str
    naam: str
    open_stappen: list[Stap]
    """Steps not registered yet (that this user may register)."""
    nieuwere_versie: list[Stap]
    """Registered steps whose dossier version is older than the newest one received."""
    dossierdatum: date
    """The date of the newest dossier, the one a registration would use."""
    leerling_id: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "pgn": self.pgn,
            "naam": self.naam,
            "open_stappen": list(self.open_stappen),
            "nieuwere_versie": list(self.nieuwere_versie),
            "dossierdatum": self.dossierdatum.isoformat(),
        }


class _Versie(VersieKop):
    """What the to-do list reads of a dossier version (not its warnings or source name)."""

    aanvraag_id: str
    pgn: str


class _AanvraagStatus(BaseModel):
    """What the to-do list reads of a request: whether it was withdrawn."""

    model_config = ConfigDict(frozen=True)

    id: str
    status: Status = "aangevraagd"


class _StapKop(BaseModel):
    """Which dossier version a registered step came from."""

    model_config = ConfigDict(frozen=True)

    dossier: str
    dossierdatum: date | None = None


class _Geregistreerd(leerlingen.PupilKey):
    """What the to-do list reads of a registered pupil: its steps, not its data or provenance."""

    model_config = ConfigDict(frozen=True)

    naam: str = ""
    stappen: dict[Stap, _StapKop] = Field(default_factory=dict)


def _uit_overzicht(row: LeerlingOverzicht) -> _Geregistreerd | None:
    """The pupil's steps and their source versions from its overview row, when the row has them."""
    if row.herkomst is None or not row.stappen:
        return None
    stappen = {s: _StapKop(dossier=h.dossier, dossierdatum=h.dossierdatum) for s, h in row.herkomst.items()}
    return _Geregistreerd(id=row.id, pgn=row.pgn, naam=row.naam, stappen=stappen)


def _regel(
    pgn: str, newest: _Versie, leerling: _Geregistreerd | None, stappen: list[Stap]
) -> TodoRegel | None:
    info = leerling.stappen if leerling is not None else {}
    open_stappen = [s for s in stappen if s not in info]
    nieuwer = [s for s in stappen if s in info and _older(info[s].dossier, info[s].dossierdatum, newest)]
    if not (open_stappen or nieuwer):
        return None
    return TodoRegel(
        pgn=pgn,
        naam=(leerling.naam if leerling is not None and leerling.naam else newest.naam),
        open_stappen=open_stappen,
        nieuwere_versie=nieuwer,
        dossierdatum=newest.datum,
        leerling_id=leerling.id if leerling is not None else None,
    )


def _regel_kort(pgn: str, newest: _Versie, row: LeerlingOverzicht, stappen: list[Stap]) -> TodoRegel | None:
    """A pupil with one version ever received: only steps not registered yet can be open."""
    open_stappen = [s for s in stappen if s not in row.stappen]
    if not open_stappen:
        return None
    return TodoRegel(
        pgn=pgn,
        naam=row.naam or newest.naam,
        open_stappen=open_stappen,
        nieuwere_versie=[],
        dossierdatum=newest.datum,
        leerling_id=row.id,
    )


def _older(dossier: str, dossierdatum: date | None, newest: _Versie) -> bool:
    """Registered from another version than the newest, and not from a later-dated one."""
    return dossier != newest.id and (dossierdatum is None or newest.datum >= dossierdatum)


def _urgency(regel: TodoRegel) -> tuple[int, int, str, str]:
    """New pupils (no personalia yet) first, then by how much is open, then by name."""
    return (
        0 if "personalia" in regel.open_stappen else 1,
        -(len(regel.open_stappen) + len(regel.nieuwere_versie)),
        regel.naam.casefold(),
        regel.pgn,
    )


def todo(ctx: Context, *, stap: Stap | None = None) -> list[TodoRegel]:
    """The to-do list, what needs work first; with `stap` only pupils for whom that step is open.

    Only dossiers that can still be used count: a version purged or from before the summer does not.
    Every table is read as the few fields needed, in one pass, and not kept: the full pupil records
    of 20,000 pupils would take the better part of a GiB.
    """
    today = ctx.today()
    stappen = [s for s in STAPPEN if rollen.mag(ctx.settings, ctx.user, recht(s))]
    with ctx.store.snapshot() as view:
        withdrawn = {a.id for a in aanvragen.each(view, _AanvraagStatus) if a.status == "ingetrokken"}
        newest_of: dict[str, _Versie] = {}
        received: Counter[str] = Counter()
        expired = functools.cache(lambda datum: is_expired(datum, ctx.settings, today))
        for versie in dossiers.each(view, _Versie):
            received[versie.pgn] += 1
            usable = not versie.verwijderd and not expired(versie.datum)
            if usable and versie.aanvraag_id not in withdrawn and versie.pgn:
                newest = newest_of.get(versie.pgn)
                if newest is None or (versie.datum, versie.ontvangen) > (newest.datum, newest.ontvangen):
                    newest_of[versie.pgn] = versie
        # Only a pupil with more than one version ever received can have a step from an older one,
        # and the overview row says where each step came from; only a row written before it said so
        # needs the pupil's record (reading every shard after each step in May: hundreds of MiB). Each
        # row is decided as it is read, so the rows of 20,000 pupils are never held together.
        decided: dict[str, TodoRegel | None] = {}
        oud: dict[str, LeerlingOverzicht] = {}
        for row in leerlingen.overview_each(view, LeerlingOverzicht):
            newest = newest_of.get(row.pgn)
            if newest is None:
                continue
            if row.stappen and received[row.pgn] > 1 and row.herkomst is None:
                oud[row.pgn] = row
                decided.pop(row.pgn, None)
            else:
                oud.pop(row.pgn, None)
                decided[row.pgn] = _beslis(row.pgn, newest, row, None, received[row.pgn], stappen)
        pupils = leerlingen.scan_of(view, list(oud), _Geregistreerd)
    regels = []
    for pgn, newest in newest_of.items():
        if pgn in decided:
            regel = decided[pgn]
        else:
            regel = _beslis(pgn, newest, oud.get(pgn), pupils.get(pgn), received[pgn], stappen)
        if regel is not None and (stap is None or stap in regel.open_stappen):
            regels.append(regel)
    return sorted(regels, key=_urgency)


def _beslis(
    pgn: str,
    newest: _Versie,
    row: LeerlingOverzicht | None,
    pupil: _Geregistreerd | None,
    received: int,
    stappen: list[Stap],
) -> TodoRegel | None:
    """The pupil's line, from its record's steps, else its overview row, else the dossier alone."""
    leerling = pupil or (_uit_overzicht(row) if row is not None and received > 1 else None)
    if leerling is not None or row is None:
        return _regel(pgn, newest, leerling, stappen)
    return _regel_kort(pgn, newest, row, stappen)
