"""Undoing a registration exactly: the latest application of a step, of any step, or a named entry."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from oso_tui.dossier.identifiers import validate_pgn
from oso_tui.errors import RefusedError, UsageError
from oso_tui.records import View, aanvragen, historie, leerlingen
from oso_tui.registration import apply as mechanics
from oso_tui.registration.models import STAP_TITELS, Leerling, Mutatie, Stap
from oso_tui.services import rollen
from oso_tui.services.applying import new_mutatie_id
from oso_tui.services.context import Context
from oso_tui.services.planning import recht
from oso_tui.services.reading import require_pupil


class Ongedaan(BaseModel):
    """The outcome of an undo."""

    model_config = ConfigDict(frozen=True)

    stap: Stap
    pgn: str
    ongedaan: Mutatie
    mutatie: Mutatie
    leerling_verwijderd: bool = False
    melding: str


def _target(view: View, leerling: Leerling, stap: Stap | None, mutatie_id: str | None) -> Mutatie:
    """The entry to undo: a named one, else the latest application of the step (or of any step).

    `StapInfo.mutatie` names the latest application still in force per step, so no history scan is
    needed; "latest" is by the store's sequence, never by the clock.
    """
    if mutatie_id is not None:
        found = historie.get(view, leerling.pgn, mutatie_id)
        matches = [found] if found is not None else historie.starting_with(view, leerling.pgn, mutatie_id)
        if len(matches) != 1 or matches[0].leerling_id != leerling.id:
            raise UsageError(f"Historie-item '{mutatie_id}' hoort niet (eenduidig) bij deze leerling.")
        return matches[0]
    infos = [info for s, info in leerling.stappen.items() if stap is None or s == stap]
    if not infos:
        wat = f"van {STAP_TITELS[stap].lower()} " if stap else ""
        raise RefusedError(f"Er is geen registratie {wat}om ongedaan te maken.")
    entries = [historie.get(view, leerling.pgn, info.mutatie or "") for info in infos]
    present = [entry for entry in entries if entry is not None]
    if len(present) != len(entries):
        raise RefusedError("De historie van deze registratie ontbreekt; ongedaan maken kan niet.")
    return max(present, key=historie.order)


def undo(ctx: Context, *, pgn: str, stap: Stap | None = None, mutatie_id: str | None = None) -> Ongedaan:
    """Undo the latest application of a step (or of any step, or a named entry) exactly; audited."""
    pgn = validate_pgn(pgn)
    wanneer = ctx.now()
    with ctx.store.transaction() as tx:
        leerling = require_pupil(tx, pgn)
        target = _target(tx, leerling, stap, mutatie_id)
        rollen.vereis(ctx.settings, ctx.user, recht(target.stap))
        result = mechanics.maak_ongedaan(
            leerling,
            target,
            mutatie_id=new_mutatie_id(wanneer),
            door=ctx.user,
            wanneer=wanneer,
            volgnummer=tx.sequence(),
        )
        historie.save(tx, pgn, [result.ongedaan])
        historie.add(tx, pgn, result.mutatie)
        verwijderd = result.leeg and target.leerling_aangemaakt
        if verwijderd:
            leerlingen.remove(tx, leerling)
            aanvragen.link(tx, aanvragen.linked_to(tx, leerling.pgn, leerling.id), None)
        else:
            leerlingen.save(tx, result.leerling)
        ctx.audit(
            tx,
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
        mutatie=result.mutatie,
        leerling_verwijderd=verwijderd,
        melding=melding + ".",
    )
