"""Looking back: a registered pupil per step with provenance (`show`), its `history`, the audit log.

Care data (begeleiding) is shown to the zorg role only, and every view of it is audited.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.dossier.identifiers import validate_pgn
from oso_tui.records import audit, historie, leerlingen
from oso_tui.records.audit import AuditEntry
from oso_tui.registration import labels
from oso_tui.registration.models import (
    STAP_TITELS,
    STAPPEN,
    Herkomst,
    Inhoud,
    Leerling,
    Mutatie,
    Stap,
    StapInfo,
    Wijziging,
)
from oso_tui.services import rollen
from oso_tui.services.context import Context
from oso_tui.services.reading import require_pupil

VERBORGEN = "(zorggegevens verborgen)"


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


def get_pupil(ctx: Context, pgn: str) -> Leerling | None:
    """The registered pupil with this PGN, if any (no care data check: callers show via `show`)."""
    with ctx.store.snapshot() as view:
        return leerlingen.get(view, validate_pgn(pgn))


def _hide(mutatie: Mutatie) -> Mutatie:
    """A care-data entry for someone without the zorg role: values, row keys and choices hidden."""
    return mutatie.model_copy(
        update={
            "keuzes": {},
            "wijzigingen": [
                Wijziging(
                    pad="begeleiding",
                    label=labels.sectie(w.pad),
                    oud=None if w.oud is None else VERBORGEN,
                    nieuw=None if w.nieuw is None else VERBORGEN,
                )
                for w in mutatie.wijzigingen
            ],
        }
    )


def history(ctx: Context, *, pgn: str, met_begeleiding: bool = True) -> list[Mutatie]:
    """Every history entry of this pupil, oldest first; begeleiding values only for the zorg role.

    Showing care values is audited; `met_begeleiding=False` hides them (and writes no audit entry) for a
    screen that only lists when and by whom.
    """
    pgn = validate_pgn(pgn)
    with ctx.store.snapshot() as view:
        entries = historie.of(view, pgn)
    zorg = met_begeleiding and rollen.mag(ctx.settings, ctx.user, "zorg-inzien")
    if zorg and any(m.stap == "begeleiding" and m.wijzigingen for m in entries):
        with ctx.store.transaction() as tx:
            ctx.audit(tx, actie="bekijken-zorg", pgn=pgn, detail="historie begeleiding")
    return [m if zorg or m.stap != "begeleiding" else _hide(m) for m in entries]


def show(ctx: Context, *, pgn: str, met_begeleiding: bool = True) -> LeerlingWeergave:
    """The registered pupil per step with where each value came from; viewing care data is audited.

    Care data is shown to the zorg role only, and only when asked (`met_begeleiding`, so a screen can
    open without a care-data view and show it on request).
    """
    pgn = validate_pgn(pgn)
    with ctx.store.snapshot() as view:
        leerling = require_pupil(view, pgn)
        entries = {i: historie.get(view, pgn, i) for i in set(leerling.herkomst.values())}
    zorg = met_begeleiding and rollen.mag(ctx.settings, ctx.user, "zorg-inzien")

    def herkomst(pad: str) -> Herkomst | None:
        entry = entries.get(leerling.herkomst.get(pad, ""))
        return entry.herkomst(pad) if entry is not None else None

    weergaven = []
    for stap in STAPPEN:
        owns = labels.eigen(stap)
        velden = [
            Veld(
                pad=p,
                label=labels.label(p),
                waarde=v,
                tekst=labels.weergave(v, p),
                herkomst=herkomst(p),
            )
            for p, v in sorted(leerling.gegevens.items(), key=lambda item: field_order(item[0]))
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
        with ctx.store.transaction() as tx:
            ctx.audit(tx, actie="bekijken-zorg", pgn=pgn, detail="leerling tonen")
    return LeerlingWeergave(
        leerling_id=leerling.id,
        pgn=pgn,
        naam=leerling.naam,
        aanvraag_id=leerling.aanvraag_id,
        stappen=weergaven,
    )


_LABEL_ORDER = {p: i for i, p in enumerate(labels.LABELS)}


def field_order(pad: str) -> tuple[int, int, str]:
    """By section, then fields in the order of the label table, then list rows by key."""
    order = _LABEL_ORDER.get(pad)
    return (labels.sectie_volgorde(pad), len(_LABEL_ORDER) if order is None else order, pad)


def audit_log(
    ctx: Context,
    *,
    pgn: str | None = None,
    gebruiker: str | None = None,
    actie: str | None = None,
    van: date | None = None,
    tot: date | None = None,
) -> list[AuditEntry]:
    """The audit log, oldest first, filtered by pupil, user, action and dates (inclusive); beheer only."""
    rollen.vereis(ctx.settings, ctx.user, "audit")
    wanted = validate_pgn(pgn) if pgn else None
    with ctx.store.snapshot() as view:
        entries = audit.entries(view, gebruiker=gebruiker, actie=actie, pgn=wanted)
    return [
        e
        for e in entries
        if (van is None or e.wanneer.date() >= van) and (tot is None or e.wanneer.date() <= tot)
    ]
