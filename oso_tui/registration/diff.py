"""The generic field-level diff between what is registered and what a dossier proposes.

Both sides are flat mappings from a path to a value (see `models`). Scalar paths are fields; a path
of the form ``lijst[sleutel]`` is one row of a list, identified by its natural key, so lists diff
into added (`nieuw`), changed (`gewijzigd`) and missing (`alleen geregistreerd`) rows for free.

What happens to each path follows the mode unless the user chose otherwise for that path:

=====================  ======================  ======================
verdict                aanvullen (default)     overschrijven
=====================  ======================  ======================
nieuw                  take the dossier value  take the dossier value
gelijk                 nothing                 nothing
gewijzigd              keep                    take the dossier value
alleen geregistreerd   keep                    keep
=====================  ======================  ======================

A row (or a composite field such as the address) is one unit: a changed address is kept or taken
whole, never mixed from two versions.

Choices: ``overnemen`` takes the dossier value where there is one, ``behouden`` keeps what is
registered, ``wissen`` clears the registered value. Nothing is ever cleared without ``wissen``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.errors import UsageError
from oso_tui.registration.models import Inhoud, Keuze, Modus, Rij, Waarde

Oordeel = Literal["nieuw", "gelijk", "gewijzigd", "alleen geregistreerd"]
Actie = Literal["geen", "overnemen", "behouden", "wissen"]
OORDELEN: tuple[Oordeel, ...] = ("nieuw", "gelijk", "gewijzigd", "alleen geregistreerd")
KEUZES: tuple[Keuze, ...] = ("overnemen", "behouden", "wissen")
MODI: tuple[Modus, ...] = ("aanvullen", "overschrijven")

_ROW_PATH = re.compile(r"^(?P<lijst>[^\[\]]+)\[(?P<sleutel>.*)\]$")


def is_leeg(value: Inhoud) -> bool:
    """None, an empty string, or a row without any filled part."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, dict):
        return all(is_leeg(v) for v in value.values())
    return False


def normaliseer(value: Inhoud) -> Inhoud:
    """Empty becomes None; a row loses its empty parts, so comparing ignores them."""
    if isinstance(value, dict):
        row: Rij = {k: v for k, v in value.items() if not is_leeg(v)}
        return row or None
    return None if is_leeg(value) else value


def rij_pad(lijst: str, sleutel: Iterable[Waarde]) -> str:
    """The path of a list row: the list name and its natural key, e.g. ``x.toetsen[0011|2027-02-10]``."""
    parts = ["" if v is None else str(v).replace("[", "(").replace("]", ")") for v in sleutel]
    return f"{lijst}[{'|'.join(parts)}]"


def splits_pad(pad: str) -> tuple[str, str | None]:
    """(list name, key) for a row path; (path, None) for a field."""
    match = _ROW_PATH.match(pad)
    if match is None:
        return pad, None
    return match["lijst"], match["sleutel"]


def unieke_rijen(lijst: str, rijen: Iterable[tuple[tuple[Waarde, ...], Rij]]) -> dict[str, Rij]:
    """Rows keyed by natural key; a key seen twice gets a ``#2`` suffix so no row is lost."""
    result: dict[str, Rij] = {}
    last: dict[str, int] = {}  # per key the last suffix handed out: linear however often a key repeats
    for sleutel, rij in rijen:
        base = rij_pad(lijst, sleutel)
        pad, n = base, last.get(base, 1)
        while pad in result:
            n += 1
            pad = f"{base[:-1]}#{n}]"
        last[base] = n
        result[pad] = rij
    return result


class DeelVerschil(BaseModel):
    """One part of a changed list row, for showing it side by side (only `gewijzigd` rows have parts:
    a new or only-registered row is shown whole, and 20,000 new rows need no 100,000 parts)."""

    model_config = ConfigDict(frozen=True)

    veld: str
    geregistreerd: Waarde = None
    dossier: Waarde = None
    oordeel: Oordeel


class DiffRegel(BaseModel):
    """One line of the diff: a field or a list row, both values, the verdict and what will happen."""

    model_config = ConfigDict(frozen=True)

    pad: str
    label: str
    lijst: str | None = None
    sleutel: str | None = None
    geregistreerd: Inhoud = None
    dossier: Inhoud = None
    oordeel: Oordeel
    keuze: Keuze | None = None
    actie: Actie
    resultaat: Inhoud = None
    delen: list[DeelVerschil] = Field(default_factory=list)

    @property
    def wijzigt(self) -> bool:
        """Applying this line changes the registered value."""
        return not gelijk(self.resultaat, self.geregistreerd)

    @property
    def is_rij(self) -> bool:
        return self.lijst is not None

    @property
    def mogelijke_keuzes(self) -> tuple[Keuze, ...]:
        """The choices that can make a difference on this line (for toggling in the UI)."""
        if self.oordeel == "nieuw":
            return ("overnemen", "behouden")
        if self.oordeel == "gewijzigd":
            return KEUZES
        return ("behouden", "wissen")


def oordeel(geregistreerd: Inhoud, dossier: Inhoud) -> Oordeel | None:
    """The verdict for one path, or None when both sides are empty (nothing to show)."""
    g, d = normaliseer(geregistreerd), normaliseer(dossier)
    if g is None and d is None:
        return None
    if g is None:
        return "nieuw"
    if d is None:
        return "alleen geregistreerd"
    return "gelijk" if gelijk(g, d) else "gewijzigd"


def gelijk(a: Inhoud, b: Inhoud) -> bool:
    """Equal values; ``1`` and ``True`` are not the same answer, so types must match too."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(gelijk(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _resultaat(oordeel_: Oordeel, g: Inhoud, d: Inhoud, modus: Modus, keuze: Keuze | None) -> Inhoud:
    if keuze == "wissen":
        return None
    if keuze == "behouden":
        return g
    if keuze == "overnemen":
        return d if d is not None else g
    if oordeel_ == "nieuw":
        return d
    if oordeel_ == "gewijzigd" and modus == "overschrijven":
        return d
    return g


def _actie(oordeel_: Oordeel, g: Inhoud, resultaat: Inhoud) -> Actie:
    if gelijk(resultaat, g):
        return "behouden" if oordeel_ in ("gewijzigd", "alleen geregistreerd") else "geen"
    return "wissen" if resultaat is None else "overnemen"


def _delen(g: Inhoud, d: Inhoud) -> list[DeelVerschil]:
    if not isinstance(g, dict) and not isinstance(d, dict):
        return []
    gr: Rij = g if isinstance(g, dict) else {}
    dr: Rij = d if isinstance(d, dict) else {}
    delen = []
    for key in list(dr) + [k for k in gr if k not in dr]:
        verdict = oordeel(gr.get(key), dr.get(key))
        if verdict is not None:
            delen.append(
                DeelVerschil(veld=key, geregistreerd=gr.get(key), dossier=dr.get(key), oordeel=verdict)
            )
    return delen


def vergelijk(
    geregistreerd: Mapping[str, Inhoud],
    voorstel: Mapping[str, Inhoud],
    *,
    eigen: Callable[[str], bool],
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
    label: Callable[[str], str] = lambda pad: pad,
) -> list[DiffRegel]:
    """The diff of one step: every path the dossier proposes, then every registered path the step owns.

    `eigen(pad)` says whether a registered path belongs to this step (so a field the dossier lacks shows as
    `alleen geregistreerd`). A choice for a path with nothing on either side has no effect: after `wissen`
    the same choices can be applied again without complaint.
    """
    keuzes = dict(keuzes or {})
    if modus not in MODI:
        raise UsageError(f"Onbekende modus '{modus}'; kies aanvullen of overschrijven.")
    paden = list(voorstel) + [p for p in geregistreerd if p not in voorstel and eigen(p)]
    regels: list[DiffRegel] = []
    for pad in paden:
        g, d = normaliseer(geregistreerd.get(pad)), normaliseer(voorstel.get(pad))
        verdict = oordeel(g, d)
        if verdict is None:
            continue
        keuze = keuzes.get(pad)
        if keuze is not None and keuze not in KEUZES:
            raise UsageError(
                f"Onbekende keuze '{keuze}' voor {label(pad)}; kies overnemen, behouden of wissen."
            )
        resultaat = normaliseer(_resultaat(verdict, g, d, modus, keuze))
        lijst, sleutel = splits_pad(pad)
        regels.append(
            DiffRegel(
                pad=pad,
                label=label(pad),
                lijst=lijst if sleutel is not None else None,
                sleutel=sleutel,
                geregistreerd=g,
                dossier=d,
                oordeel=verdict,
                keuze=keuze,
                actie=_actie(verdict, g, resultaat),
                resultaat=resultaat,
                delen=_delen(g, d) if verdict == "gewijzigd" else [],
            )
        )
    return regels
