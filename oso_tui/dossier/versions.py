"""The yearly versions of the OSO-gegevensset that oso-tui knows, and what differs between them.

A dossier is read with the structure and the rules of its own version (the year in its namespace):
a rule applies from the version that introduced it. Adding a version means adding its generated
structure (`schemas/v<versie>.json`) and one entry here with what its rules do differently; the
reader itself does not change. A newer, unknown version is read with the newest known one, as
warnings instead of errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CategorieRegels = Literal["geen", "opt-uit", "alle"]


@dataclass(frozen=True)
class Versie:
    """One yearly version and the rule differences the reader needs to know."""

    naam: str  # metadata/standaardversie, e.g. "2019.1"
    jaar: int  # the year in the namespace
    # OS.cat*: "geen" (no categorie_uitlevering yet), "opt-uit" (only OPT-UIT must be empty,
    # 2017.1-2018.1), "alle" (also VERBODEN must be empty and VERPLICHT present, from 2019.1)
    categorieen: CategorieRegels
    zorgblok: str  # the care block below leerling: "zorg" until 2018.1, then "onderwijsondersteuning"
    zorgcategorie: str | None  # the name of its delivery category (cat_...), None before 2017.1
    swv_profiel: bool = True  # the SWV/PaO profile rules (ValideerSwvPaO-profielen), from 2017.1

    @property
    def namespace(self) -> str:
        return f"http://www.edustandaard.nl/oso_gegevensset/{self.jaar}/dossier"


VERSIES: dict[int, Versie] = {
    2016: Versie("2016.1", 2016, "geen", "zorg", None, swv_profiel=False),
    2017: Versie("2017.1", 2017, "opt-uit", "zorg", "zorgenbegeleiding"),
    2018: Versie("2018.1", 2018, "opt-uit", "zorg", "zorgenbegeleiding"),
    2019: Versie("2019.1", 2019, "alle", "onderwijsondersteuning", "onderwijsondersteuning"),
}
NIEUWSTE = VERSIES[max(VERSIES)]
EERSTE_JAAR = min(VERSIES)
KNOWN_VERSIONS = tuple(v.naam for v in VERSIES.values())


def versie_voor(jaar: int) -> tuple[Versie, bool]:
    """The version whose structure and rules read a dossier of namespace `jaar`, and whether it is known.

    An unknown newer year is read with the newest known version (not known: differences warn).
    """
    known = VERSIES.get(jaar)
    if known is not None:
        return known, True
    return NIEUWSTE, False
