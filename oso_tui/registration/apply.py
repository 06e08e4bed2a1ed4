"""Applying a diff to a pupil and undoing it again, as pure functions on the models.

`pas_toe` turns the lines of a diff into a new `Leerling` plus one `Mutatie` that records the previous
and new value and provenance of every changed path. `maak_ongedaan` reverses such an entry exactly, but
only while nothing later has touched the same paths or step: restoring an old value over a newer one
would silently lose the newer registration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from pydantic import BaseModel

from oso_tui.errors import RefusedError
from oso_tui.registration.diff import DiffRegel, gelijk
from oso_tui.registration.models import (
    STAP_TITELS,
    Bron,
    Keuze,
    Leerling,
    Modus,
    Mutatie,
    Stap,
    StapInfo,
    Wijziging,
)


class Toepassing(BaseModel):
    """The outcome of applying a step: the new pupil and its history entry (None: nothing changed)."""

    leerling: Leerling
    mutatie: Mutatie | None = None

    @property
    def gewijzigd(self) -> bool:
        return self.mutatie is not None


def pas_toe(
    leerling: Leerling,
    regels: Sequence[DiffRegel],
    *,
    stap: Stap,
    dossier: str,
    mutatie_id: str,
    door: str,
    wanneer: datetime,
    volgnummer: int = 0,
    dossierdatum: date | None = None,
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    bronnen: Mapping[str, Bron] | None = None,
    naam: str | None = None,
    leerling_aangemaakt: bool = False,
) -> Toepassing:
    """Apply the diff lines; re-applying the same dossier with the same choices returns no entry."""
    bronnen = bronnen or {}
    changed = [regel for regel in regels if regel.wijzigt]
    nieuwe_naam = leerling.naam if naam is None else naam
    vorige_stap = leerling.stappen.get(stap)
    same_version = vorige_stap is not None and vorige_stap.dossier == dossier
    if not changed and same_version and nieuwe_naam == leerling.naam and not leerling_aangemaakt:
        return Toepassing(leerling=leerling)

    gegevens = dict(leerling.gegevens)
    herkomst = dict(leerling.herkomst)
    wijzigingen: list[Wijziging] = []
    for regel in changed:
        if regel.resultaat is None:
            gegevens.pop(regel.pad, None)
            herkomst.pop(regel.pad, None)
        else:
            gegevens[regel.pad] = regel.resultaat
            herkomst[regel.pad] = mutatie_id
        wijzigingen.append(
            Wijziging(
                pad=regel.pad,
                label=regel.label,
                oud=regel.geregistreerd,
                nieuw=regel.resultaat,
                oud_herkomst=leerling.herkomst.get(regel.pad),
                nieuw_herkomst=None if regel.resultaat is None else mutatie_id,
            )
        )
    nieuwe_stap = StapInfo(
        laatst=wanneer, dossier=dossier, dossierdatum=dossierdatum, door=door, modus=modus, mutatie=mutatie_id
    )
    stappen = dict(leerling.stappen)
    stappen[stap] = nieuwe_stap
    mutatie = Mutatie(
        id=mutatie_id,
        leerling_id=leerling.id,
        pgn=leerling.pgn,
        stap=stap,
        dossier=dossier,
        dossierdatum=dossierdatum,
        modus=modus,
        keuzes=dict(keuzes or {}),
        bronnen={
            p: b for p, b in bronnen.items() if b != "dossier" and p in herkomst and herkomst[p] == mutatie_id
        },
        wijzigingen=wijzigingen,
        door=door,
        wanneer=wanneer,
        volgnummer=volgnummer,
        vorige_stap=vorige_stap,
        nieuwe_stap=nieuwe_stap,
        vorige_naam=leerling.naam,
        nieuwe_naam=nieuwe_naam,
        leerling_aangemaakt=leerling_aangemaakt,
    )
    updated = leerling.model_copy(
        update={"gegevens": gegevens, "herkomst": herkomst, "stappen": stappen, "naam": nieuwe_naam}
    )
    return Toepassing(leerling=updated, mutatie=mutatie)


class Terugdraaiing(BaseModel):
    """The outcome of an undo: the restored pupil, the undone entry (marked) and the undo entry."""

    leerling: Leerling
    ongedaan: Mutatie
    mutatie: Mutatie

    @property
    def leeg(self) -> bool:
        """Nothing is registered any more: a pupil created by the undone entry can go."""
        return not self.leerling.gegevens and not self.leerling.stappen


def maak_ongedaan(
    leerling: Leerling,
    mutatie: Mutatie,
    *,
    mutatie_id: str,
    door: str,
    wanneer: datetime,
    volgnummer: int = 0,
) -> Terugdraaiing:
    """Restore exactly what was there before `mutatie`; refuse when something later changed it."""
    titel = STAP_TITELS[mutatie.stap].lower()
    if mutatie.soort != "registratie":
        raise RefusedError(
            "Een ongedaanmaking kan niet zelf ongedaan gemaakt worden; registreer de stap opnieuw."
        )
    if mutatie.ongedaan_door is not None:
        raise RefusedError(f"Deze registratie van {titel} is al ongedaan gemaakt.")
    if mutatie.leerling_id != leerling.id:
        raise RefusedError("Deze registratie hoort bij een andere leerling.")
    later = leerling.stappen.get(mutatie.stap) != mutatie.nieuwe_stap or any(
        not gelijk(leerling.gegevens.get(w.pad), w.nieuw) or leerling.herkomst.get(w.pad) != w.nieuw_herkomst
        for w in mutatie.wijzigingen
    )
    if later:
        raise RefusedError(
            f"Na deze registratie van {titel} is er later opnieuw geregistreerd; maak eerst die latere "
            "registratie ongedaan."
        )
    gegevens = dict(leerling.gegevens)
    herkomst = dict(leerling.herkomst)
    for w in reversed(mutatie.wijzigingen):
        if w.oud is None:
            gegevens.pop(w.pad, None)
        else:
            gegevens[w.pad] = w.oud
        if w.oud_herkomst is None:
            herkomst.pop(w.pad, None)
        else:
            herkomst[w.pad] = w.oud_herkomst
    stappen = dict(leerling.stappen)
    if mutatie.vorige_stap is None:
        stappen.pop(mutatie.stap, None)
    else:
        stappen[mutatie.stap] = mutatie.vorige_stap
    restored = leerling.model_copy(
        update={"gegevens": gegevens, "herkomst": herkomst, "stappen": stappen, "naam": mutatie.vorige_naam}
    )
    undo = Mutatie(
        id=mutatie_id,
        soort="ongedaan",
        leerling_id=leerling.id,
        pgn=leerling.pgn,
        stap=mutatie.stap,
        dossier=mutatie.dossier,
        dossierdatum=mutatie.dossierdatum,
        modus=mutatie.modus,
        wijzigingen=[
            Wijziging(
                pad=w.pad,
                label=w.label,
                oud=w.nieuw,
                nieuw=w.oud,
                oud_herkomst=w.nieuw_herkomst,
                nieuw_herkomst=w.oud_herkomst,
            )
            for w in mutatie.wijzigingen
        ],
        door=door,
        wanneer=wanneer,
        volgnummer=volgnummer,
        vorige_stap=mutatie.nieuwe_stap,
        nieuwe_stap=mutatie.vorige_stap,
        vorige_naam=mutatie.nieuwe_naam,
        nieuwe_naam=mutatie.vorige_naam,
        herstelt=mutatie.id,
    )
    marked = mutatie.model_copy(update={"ongedaan_door": mutatie_id})
    return Terugdraaiing(leerling=restored, ongedaan=marked, mutatie=undo)
