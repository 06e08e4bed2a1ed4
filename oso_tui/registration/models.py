"""The registered pupil and the history of every registration step applied to it.

A `Leerling` keeps its registered data as one flat mapping from a field path to a value
(`gegevens`): scalar fields such as ``personalia.achternaam`` and list rows such as
``personalia.verzorgers[Jansen|Piet|vader]`` (a row is a small mapping of its own). One flat
namespace keeps diffing, provenance and undo the same for every step. Values are JSON scalars
(dates as ISO strings) so that what comes back from the store compares equal to what went in.

A `Mutatie` is one history entry: one application of a step, or the undo of one. It holds the
previous and new value (and provenance: the id of the entry that wrote it) of every changed path, so
an undo restores exactly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stap = Literal["personalia", "loopbaan", "begeleiding"]
STAPPEN: tuple[Stap, ...] = ("personalia", "loopbaan", "begeleiding")
STAP_TITELS: dict[Stap, str] = {
    "personalia": "Personalia en plaatsing",
    "loopbaan": "Schoolloopbaan",
    "begeleiding": "Begeleiding",
}
Modus = Literal["aanvullen", "overschrijven"]
Keuze = Literal["overnemen", "behouden", "wissen"]
Bron = Literal["dossier", "invoer", "afgeleid"]

Waarde = str | int | float | bool | None
Rij = dict[str, Waarde]
Inhoud = Waarde | Rij


class StapInfo(BaseModel):
    """When a step was last applied to the pupil, from which dossier version, by whom."""

    model_config = ConfigDict(frozen=True)

    laatst: datetime
    dossier: str
    door: str
    dossierdatum: date | None = None
    modus: Modus = "aanvullen"
    mutatie: str | None = None


class Herkomst(BaseModel):
    """Where a registered value came from: which step, dossier version and history entry.

    Not stored per field (that would repeat the same facts for every field of a pupil and of every history
    entry): a pupil keeps only the history entry's id per field, and `herkomst_uit` rebuilds this on display.
    """

    model_config = ConfigDict(frozen=True)

    stap: Stap
    bron: Bron = "dossier"
    dossier: str | None = None
    dossierdatum: date | None = None
    mutatie: str
    wanneer: datetime
    door: str


class Leerling(BaseModel):
    """A registered pupil of the receiving school."""

    id: str
    pgn: str
    naam: str = ""
    geboortedatum: date | None = None
    aanvraag_id: str | None = None
    aangemaakt: datetime
    gegevens: dict[str, Inhoud] = Field(default_factory=dict)
    herkomst: dict[str, str] = Field(default_factory=dict)
    """Per path the id of the history entry (`Mutatie`) that wrote the value."""
    stappen: dict[Stap, StapInfo] = Field(default_factory=dict)


class StapHerkomst(BaseModel):
    """Which dossier version a registered step came from: what the to-do list needs of a step."""

    model_config = ConfigDict(frozen=True)

    dossier: str
    dossierdatum: date | None = None


class LeerlingOverzicht(BaseModel):
    """The few fields of a pupil that lists need, kept beside the full record in every write.

    The request list shows which steps each pupil has; reading 5,000 full pupil records for that
    would cost seconds and hundreds of MiB, this small table milliseconds. The to-do list also needs
    each step's source version (is there a newer one?): `herkomst`, None in a row written before it
    was kept here (then the pupil's record tells).
    """

    id: str
    pgn: str
    naam: str = ""
    stappen: list[Stap] = Field(default_factory=list)
    herkomst: dict[Stap, StapHerkomst] | None = None

    @classmethod
    def van(cls, leerling: Leerling) -> LeerlingOverzicht:
        return cls(
            id=leerling.id,
            pgn=leerling.pgn,
            naam=leerling.naam,
            stappen=[stap for stap in STAPPEN if stap in leerling.stappen],
            herkomst={
                stap: StapHerkomst(dossier=info.dossier, dossierdatum=info.dossierdatum)
                for stap, info in leerling.stappen.items()
                if stap in STAPPEN
            },
        )


class Wijziging(BaseModel):
    """One changed path: the value (and provenance) before and after; None means absent."""

    model_config = ConfigDict(frozen=True)

    pad: str
    label: str = ""
    oud: Inhoud = None
    nieuw: Inhoud = None
    oud_herkomst: str | None = None
    nieuw_herkomst: str | None = None


class Mutatie(BaseModel):
    """One history entry: a step applied (`registratie`) or an earlier entry undone (`ongedaan`)."""

    id: str
    soort: Literal["registratie", "ongedaan"] = "registratie"
    leerling_id: str
    pgn: str
    stap: Stap
    dossier: str | None = None
    dossierdatum: date | None = None
    modus: Modus = "aanvullen"
    keuzes: dict[str, Keuze] = Field(default_factory=dict)
    bronnen: dict[str, Bron] = Field(default_factory=dict)
    """Paths this entry wrote from user input or a derived default rather than the dossier."""
    wijzigingen: list[Wijziging] = Field(default_factory=list)
    door: str
    wanneer: datetime
    volgnummer: int = 0
    """The store's sequence number when it was written: the history's order (0 in older stores)."""
    vorige_stap: StapInfo | None = None
    nieuwe_stap: StapInfo | None = None
    vorige_naam: str = ""
    nieuwe_naam: str = ""
    leerling_aangemaakt: bool = False
    herstelt: str | None = None
    ongedaan_door: str | None = None

    def herkomst(self, pad: str) -> Herkomst:
        """The provenance of a value this entry wrote."""
        return Herkomst(
            stap=self.stap,
            bron=self.bronnen.get(pad, "dossier"),
            dossier=self.dossier,
            dossierdatum=self.dossierdatum,
            mutatie=self.id,
            wanneer=self.wanneer,
            door=self.door,
        )

    @property
    def actief(self) -> bool:
        """An application that has not been undone."""
        return self.soort == "registratie" and self.ongedaan_door is None


class Plaatsing(BaseModel):
    """The placement the school decides; entered by the user, never taken from the dossier."""

    model_config = ConfigDict(frozen=True)

    schooljaar: str | None = None
    leerjaar: int | None = None
    opleiding: str | None = None
    klas: str | None = None
    startdatum: date | None = None


class Voorstel(BaseModel):
    """What one step proposes to register: values by path, and the non-dossier origins."""

    model_config = ConfigDict(frozen=True)

    stap: Stap
    waarden: dict[str, Inhoud] = Field(default_factory=dict)
    bronnen: dict[str, Bron] = Field(default_factory=dict)
