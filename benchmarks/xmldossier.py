"""Builders for the tests, the pupil and the whole OSO 2019.1 dossier, on top of `benchmarks.xmlbuild`
(which keeps the schema order; see there)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from benchmarks.xmlbuild import (
    CATEGORIEEN,
    STANDAARD_CATEGORIEEN,
    STANDAARDVERSIE,
    VALIDATIEVERSIE,
    Adres,
    Communicatie,
    Document,
    Loopbaan,
    School,
    Verzorger,
    adreslijst,
    communicatielijst,
    initialen,
    node,
    serialize,
)

# --- tests --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Toets:
    """One LVS test result (toetslijst/toets)."""

    eldtoetscode: str
    leergebied: str
    toetsnaam: str
    afnamedatum: date
    jaargroep: str
    vaardigheidsscore: int
    niveau: str  # kwalificatie, e.g. "I" .. "V"

    def element(self) -> etree._Element:
        return node(
            "toets",
            node(
                "toetsidentificatie",
                ("eldtoetscode", self.eldtoetscode),
                ("leergebied", self.leergebied),
                ("toetsnaam", self.toetsnaam),
            ),
            node("afname", ("afnamedatum", self.afnamedatum), ("jaargroep", self.jaargroep)),
            node(
                "resultaat",
                node("toetsscore", ("vaardigheidsscore", self.vaardigheidsscore)),
                node(
                    "referentiescore",
                    ("codereferentiescore", "Norm"),
                    ("codevergelijkingsgroep", "Landelijk"),
                    ("waarde", self.niveau),
                    ("kwalificatie", f"niveau {self.niveau}"),
                ),
            ),
        )


@dataclass(frozen=True)
class Eindtoets:
    """The final test (eindtoets_basisonderwijs / doorstroomtoets) with its two subjects."""

    toetssoort: str  # 0011 CET, 0012 Route 8, 0013 IEP, 0014, 0016
    omschrijving: str
    datum_afname: date
    standaardscore: int
    toets_advies: str
    niveau_taal: str  # referentieniveau 01..04
    niveau_rekenen: str
    niveau_lezen: str
    document: Document | None = None

    def element(self) -> etree._Element:
        return node(
            "eindtoets_basisonderwijs",
            node(
                "eindtoetsresultaat",
                ("toetssoort", self.toetssoort),
                ("toetsniveau", "G"),
                ("toetsomschrijving", self.omschrijving),
                ("datum_afname", self.datum_afname),
                ("wettelijke_ontheffing", "N"),
                ("standaardscore", self.standaardscore),
                ("toets_advies", self.toets_advies),
                node(
                    "onderdelen",
                    node(
                        "onderdeel",
                        ("onderdeelcode", "8000"),
                        ("onderdeelomschrijving", "Nederlandse taal"),
                        ("ond_referentieniveau", self.niveau_taal),
                        node(
                            "domeinen",
                            node(
                                "domein",
                                ("domeincode", "8050"),
                                ("domeinomschrijving", "Nederlandse taal - Lezen"),
                                ("dom_referentieniveau", self.niveau_lezen),
                            ),
                        ),
                    ),
                    node(
                        "onderdeel",
                        ("onderdeelcode", "8001"),
                        ("onderdeelomschrijving", "Rekenen"),
                        ("ond_referentieniveau", self.niveau_rekenen),
                    ),
                ),
            ),
            ("deelgenomen", True),
            self.document.element() if self.document else None,
        )


# --- the dossier ---------------------------------------------------------------------------------


@dataclass
class Leerling:
    """Everything under huidigeschool/leerling; optional blocks are prebuilt elements or None."""

    voornamen: Sequence[str]
    achternaam: str
    geboortedatum: date | None
    geslacht: int
    pgn: str
    pgn_soort: str  # "bsn" | "onderwijsnummer"
    leerlingid: str
    datuminschrijving: date
    voorvoegsel: str | None = None
    roepnaam: str | None = None
    adresgeheim: bool = False
    adressen: Sequence[Adres] = ()
    communicatie: Sequence[Communicatie] = ()
    verzorgersaansprakelijk: bool | None = True
    overstapadvies: etree._Element | None = None
    loopbaan: Sequence[Loopbaan] = ()
    onderwijsondersteuning: etree._Element | None = None
    verzuim: etree._Element | None = None
    eindtoets: Eindtoets | None = None
    toetsen: Sequence[Toets] = ()
    bijlagen: Sequence[Document] = ()
    verzorgers: Sequence[Verzorger] = ()

    def element(self) -> etree._Element:
        return node(
            "leerling",
            ("voornaam", list(self.voornamen)),
            ("voorletters-1", initialen(self.voornamen)),
            ("voorvoegsel", self.voorvoegsel),
            ("achternaam", self.achternaam),
            ("roepnaam", self.roepnaam),
            ("geboortedatum", self.geboortedatum),
            ("geslacht", self.geslacht),
            ("adresgeheim", self.adresgeheim),
            None if self.adresgeheim else adreslijst(self.adressen),
            communicatielijst(self.communicatie),
            (self.pgn_soort, self.pgn),
            ("leerlingid", self.leerlingid),
            ("datuminschrijving", self.datuminschrijving),
            ("verzorgersaansprakelijk", self.verzorgersaansprakelijk),
            self.overstapadvies,
            node("schoolloopbaanlijst", [r.element() for r in self.loopbaan]) if self.loopbaan else None,
            self.onderwijsondersteuning,
            self.verzuim,
            self.eindtoets.element() if self.eindtoets else None,
            node("toetslijst", [t.element() for t in self.toetsen]) if self.toetsen else None,
            node("overigdocumentlijst", [d.element() for d in self.bijlagen]) if self.bijlagen else None,
            [v.element() for v in self.verzorgers],
        )


def overstapadvies(
    advies: str | None,
    *,
    wensouders: str | None = None,
    wensleerling: str | None = None,
    herzienadvies: str | None = None,
    motivatie_herzienadvies: str | None = None,
    profiel: str | None = None,
    argumentatie: str | None = None,
    contactpersoon: str | None = None,
    contacttelefoon: str | None = None,
    contactemail: str | None = None,
    aandachtspunten: str | None = None,
) -> etree._Element:
    """The overstapadvies block; contact is needed exactly when a contact person is given."""
    return node(
        "overstapadvies",
        ("advies", advies),
        ("wensouders", wensouders),
        ("wensleerling", wensleerling),
        ("herzienadvies", herzienadvies),
        ("motivatie_herzienadvies", motivatie_herzienadvies),
        ("profiel", profiel),
        ("argumentatie", argumentatie),
        ("contactnodig", contactpersoon is not None),
        ("contactpersoon", contactpersoon),
        ("contacttelefoon", contacttelefoon),
        ("contactemail", contactemail),
        ("aandachtspunten", aandachtspunten),
    )


@dataclass
class Dossier:
    datum: date
    school: School
    leerling: Leerling
    overstap: str = "POVO"
    categorieen: Mapping[str, str] = field(default_factory=lambda: dict(STANDAARD_CATEGORIEEN))
    voorlopig: bool = False
    inzage: bool = True
    inzagedatum: date | None = None
    akkoord: str = "Ja"
    redennietakkoord: str | None = None
    toestemming: str | None = None
    pakketnaam: str = "Leerlingvolgpakket Voorbeeld"

    def element(self) -> etree._Element:
        school = self.school
        return node(
            "dossier",
            node(
                "metadata",
                ("deeldossier", "LASLVS"),
                ("pakketnaam", self.pakketnaam),
                ("pakketversie", "4.2"),
                ("datum", self.datum),
                ("standaardversie", STANDAARDVERSIE),
                ("validatieversie", VALIDATIEVERSIE),
                node("categorie_uitlevering", *[(c, self.categorieen[c]) for c in CATEGORIEEN]),
                ("overstap", self.overstap),
            ),
            ("overdrachtsoort", "overstapdossier"),
            node(
                "inzage",
                ("voorlopigdossier", self.voorlopig),
                ("inzage", self.inzage),
                ("inzagedatum", self.inzagedatum or self.datum),
                ("akkoord", self.akkoord),
                ("redennietakkoord", self.redennietakkoord),
                ("toestemming", self.toestemming),
            ),
            node(
                "huidigeschool",
                ("naam", school.naam),
                adreslijst([school.adres]),
                communicatielijst(school.communicatie()),
                ("brincode", school.brin),
                ("vestigingscode", school.vestiging),
                ("aanleverpunt", "1"),
                ("soort", school.soort),
                ("naamdirecteur", school.directeur),
                ("website", school.website),
                self.leerling.element(),
            ),
        )

    def to_bytes(self, encoding: str = "UTF-8") -> bytes:
        return serialize(self.element(), encoding)
