"""Dossier values as the registered record keeps them: JSON scalars, rows, joined names."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from oso_tui.dossier.models import (
    Adres,
    Bijlage,
    Communicatie,
)
from oso_tui.registration.diff import unieke_rijen
from oso_tui.registration.models import Inhoud, Rij, Waarde


def w(value: object) -> Waarde:
    """A dossier value as a JSON scalar: dates as ISO text, decimals as text, lists joined."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value if v) or None
    return str(value)


def put(target: dict[str, Inhoud], pad: str, value: object) -> None:
    waarde = w(value)
    if waarde is not None and waarde != "":
        target[pad] = waarde


def row(**parts: object) -> Rij:
    return {k: w(v) for k, v in parts.items() if w(v) not in (None, "")}


def rows(target: dict[str, Inhoud], lijst: str, rows: Iterable[tuple[tuple[Waarde, ...], Rij]]) -> None:
    target.update({p: r for p, r in unieke_rijen(lijst, rows).items() if r})


def namen(bijlagen: Iterable[Bijlage | None]) -> str | None:
    return ", ".join(b.bestandsnaam for b in bijlagen if b is not None) or None


def hoofdadres(adressen: list[Adres]) -> Adres | None:
    """The home address: the GBA address, else a visiting address, else the first that is not postal."""
    for soort in ("gba", "bezoek", None):
        for adres in adressen:
            if adres.soort == soort:
                return adres
    return next((a for a in adressen if a.soort != "post"), adressen[0] if adressen else None)


def contact(items: list[Communicatie], soort: str) -> str | None:
    return ", ".join(c.nummer for c in items if c.soort == soort and c.nummer) or None


def als_bool(value: str) -> str | bool:
    """XSD booleans as booleans, so they show as ja/nee."""
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip(), value)
