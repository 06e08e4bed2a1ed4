"""Exporting registered pupils for the school's own systems (CSV or JSON, BSN included)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from oso_tui.errors import UsageError
from oso_tui.records import leerlingen
from oso_tui.registration import export as spreadsheet
from oso_tui.registration import steps
from oso_tui.registration.models import STAPPEN, Leerling
from oso_tui.services import rollen
from oso_tui.services.context import Context
from oso_tui.services.viewing import field_order


class Export(BaseModel):
    model_config = ConfigDict(frozen=True)

    formaat: Literal["csv", "json"]
    tekst: str
    aantal: int
    met_begeleiding: bool


def export(
    ctx: Context,
    *,
    formaat: Literal["csv", "json"] = "csv",
    met_begeleiding: bool = False,
    out: Path | None = None,
) -> Export:
    """Registered pupils for the school's own systems (BSN included); care data only if asked and allowed.

    With `out` the file is written (owner-only) before the export is audited and moved into place after,
    so the log never claims an export that did not happen and no export file exists without its entry.
    """
    rollen.vereis(ctx.settings, ctx.user, "export")
    if met_begeleiding:
        rollen.vereis(ctx.settings, ctx.user, "zorg-inzien")
    if formaat not in ("csv", "json"):
        raise UsageError(f"Onbekend formaat '{formaat}'; kies csv of json.")
    with ctx.store.snapshot() as view:
        alle = sorted(leerlingen.all(view), key=lambda ll: (ll.naam, ll.pgn))

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
            for ll in alle
        ]
        tekst = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        tekst = _csv(alle, houd)
    staged = spreadsheet.schrijf_tijdelijk(out, tekst) if out is not None else None
    detail = f"{len(alle)} leerling(en), {formaat}" + (", met begeleiding" if met_begeleiding else "")
    try:
        with ctx.store.transaction() as tx:
            ctx.audit(tx, actie="export", detail=detail + (f", naar {out.name}" if out is not None else ""))
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    if staged is not None and out is not None:
        spreadsheet.plaats(staged, out)
    return Export(formaat=formaat, tekst=tekst, aantal=len(alle), met_begeleiding=met_begeleiding)


def _csv(leerlingen: list[Leerling], houd: Callable[[str], bool]) -> str:
    """One line per pupil: fields as columns, each list as one column with its rows separated by ` | `."""
    rows: list[dict[str, str]] = []
    columns: dict[str, None] = {"pgn": None, "naam": None, **{f"stap.{s}": None for s in STAPPEN}}
    for ll in leerlingen:
        row = {"pgn": ll.pgn, "naam": ll.naam}
        for s, info in ll.stappen.items():
            row[f"stap.{s}"] = info.laatst.date().isoformat()
        for pad, waarde in sorted(ll.gegevens.items(), key=lambda item: field_order(item[0])):
            if not houd(pad):
                continue
            column, is_rij = spreadsheet.kolom_van(pad)
            columns.setdefault(column, None)
            text = steps.weergave(waarde, pad)
            row[column] = f"{row[column]} | {text}" if column in row and is_rij else text
        rows.append(row)
    return spreadsheet.csv_tekst(list(columns), rows)
