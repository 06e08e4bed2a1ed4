"""From what a service returns to what a screen shows: plain conversions, no store and no widgets.

The backend asks the services; these functions turn a pupil's registered fields and a dossier's raw
data into the view models' rows, so the backend keeps only the asking.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oso_tui.datums import toon_datum
from oso_tui.screens.viewmodels import Veld

if TYPE_CHECKING:
    from oso_tui.dossier.models import Dossier
    from oso_tui.services import LeerlingWeergave

CARE_SECTIONS = ("onderwijsondersteuning", "verzuim", "bijlagen")
"""The dossier's care sections: seen, and audited, per pupil under Begeleiding, never as raw fields."""


def velden_per_stap(weergave: LeerlingWeergave) -> dict[str, list[Veld]]:
    """A pupil's registered fields per step, each with where it came from and who registered it."""
    per_stap: dict[str, list[Veld]] = {}
    for stap in weergave.stappen:
        velden = []
        for v in stap.velden:
            h = v.herkomst
            herkomst = ""
            if h is not None:
                datum = toon_datum(h.dossierdatum) if h.dossierdatum else ""
                bron = f"dossier {datum}" if h.bron == "dossier" else h.bron
                herkomst = f"{bron}, {h.door}"
            velden.append(Veld(v.label, v.tekst, herkomst))
        per_stap[stap.stap] = velden
    return per_stap


def ruwe_velden(dossier: Dossier) -> list[Veld]:
    """The raw fields of a dossier version; care sections are left out and only named."""
    data = dossier.model_dump(mode="json", exclude=set(CARE_SECTIONS))
    fields = [Veld(path, value) for path, value in _flatten("", data)]
    hidden = [s for s in CARE_SECTIONS if getattr(dossier, s, None)]
    if hidden:
        fields.append(Veld("(zorggegevens)", f"{', '.join(hidden)}: zie Leerling → Begeleiding (rol zorg)"))
    return fields


def _flatten(prefix: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{prefix}/{key}" if prefix else str(key), item)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _flatten(f"{prefix}[{index}]", item)
    elif value not in (None, "", [], {}):
        yield prefix, str(value)
