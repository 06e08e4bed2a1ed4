"""What an OSO dossier says, as frozen pydantic models.

The models hold what the three registration steps need (personalia, schoolloopbaan, begeleiding),
named after the standard's own elements. Codes are kept as the sender wrote them (also unknown
ones); `oso_tui.dossier.codes` turns them into Dutch labels for display. Everything optional in the
standard is optional here, so a dossier with gaps still reads and the findings say what is missing.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.errors import ReadError


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Adres(_Model):
    soort: str | None = None  # bezoek, post, gba
    straat: str | None = None
    nummer: str | None = None
    toevoeging: str | None = None
    aanduiding: str | None = None  # TO, BY
    locatieomschrijving: str | None = None
    postcode: str | None = None
    plaats: str | None = None
    gemeente: str | None = None
    land: str | None = None  # GBA-landcode, 6030 is Nederland
    land_omschrijving: str | None = None

    @property
    def regel(self) -> str:
        """One line for lists: street, number, postcode and place."""
        straat = " ".join(p for p in (self.straat, self.nummer, self.toevoeging) if p)
        plaats = " ".join(p for p in (self.postcode, self.plaats) if p)
        return ", ".join(p for p in (straat, plaats) if p)


class Communicatie(_Model):
    soort: str | None = None  # telefoon, e-mail
    aanduiding: str | None = None  # prive, werk, overig
    nummer: str | None = None
    geheim: bool = False
    noodnummer: bool = False


class Bijlage(_Model):
    """An attached document; the content (base64 of a ZIP) is decoded only when asked for."""

    bestandsnaam: str
    omschrijving: str | None = None
    grootte: int = 0  # bytes after decoding, estimated from the base64 length
    bron: str = ""  # where in the dossier it sits, e.g. "onderwijsondersteuning/opp"
    bestandsinhoud: str = Field(default="", repr=False)

    def inhoud(self) -> bytes:
        """The decoded bytes; a ReadError when the base64 is broken."""
        try:
            return base64.b64decode("".join(self.bestandsinhoud.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ReadError(
                f"De bijlage '{self.bestandsnaam}' is beschadigd (geen geldige base64)."
            ) from None


class Metadata(_Model):
    deeldossier: str | None = None  # LAS, LVS, LASLVS
    pakketnaam: str | None = None
    pakketversie: str | None = None
    datum: date
    standaardversie: str | None = None
    validatieversie: str | None = None
    categorieen: dict[str, str] = Field(default_factory=dict)  # "onderwijsondersteuning" -> "OPT-UIT"
    overstap: str | None = None  # POVO, POPO, VOVO, ...


class Inzage(_Model):
    voorlopig: bool = False
    inzage: bool | None = None
    inzagedatum: date | None = None
    akkoord: str | None = None  # Ja, Nee, Onbekend
    redennietakkoord: str | None = None
    toestemming: str | None = None


class School(_Model):
    """The sending school (huidigeschool)."""

    naam: str = ""
    brin: str = ""
    vestiging: str = ""
    aanleverpunt: str | None = None
    soort: str | None = None
    type: str | None = None
    naamdirecteur: str | None = None
    website: str | None = None
    adressen: list[Adres] = Field(default_factory=list)
    communicatie: list[Communicatie] = Field(default_factory=list)


class Instelling(_Model):
    naam: str = ""
    adressen: list[Adres] = Field(default_factory=list)
    communicatie: list[Communicatie] = Field(default_factory=list)


def _display_name(
    voornamen: list[str], roepnaam: str | None, voorvoegsel: str | None, achternaam: str
) -> str:
    first = roepnaam or (voornamen[0] if voornamen else None)
    return " ".join(p for p in (first, voorvoegsel, achternaam) if p)


class Persoon(_Model):
    voornamen: list[str] = Field(default_factory=list)
    voorletters: str | None = None
    voorvoegsel: str | None = None
    achternaam: str = ""
    roepnaam: str | None = None
    geslacht: str | None = None  # code: 0 onbekend, 1 vrouw, 2 man
    adresgeheim: bool = False
    adressen: list[Adres] = Field(default_factory=list)
    communicatie: list[Communicatie] = Field(default_factory=list)

    @property
    def naam(self) -> str:
        """Display name: roepnaam (or first voornaam), voorvoegsel, achternaam."""
        return _display_name(self.voornamen, self.roepnaam, self.voorvoegsel, self.achternaam)


class Verzorger(Persoon):
    relatietotkind: str | None = None  # code list 41
    overleden: bool | None = None
    overlijdensdatum: date | None = None
    wettigevertegenwoordiger: bool | None = None
    iban: str | None = None


class Leerling(Persoon):
    geboortedatum: date | None = None
    geboortemaand: str | None = None
    bsn: str | None = None
    onderwijsnummer: str | None = None
    leerlingid: str | None = None
    adresbuitenland: list[str] = Field(default_factory=list)
    onderwijssinds: date | None = None
    startdatumhuidigonderwijs: date | None = None
    datuminschrijving: date | None = None
    datumuitschrijving: date | None = None
    leerlinggewicht: str | None = None
    nnca: str | None = None
    tehuis: bool | None = None
    huisarts: Persoon | None = None
    verzorgersaansprakelijk: bool | None = None
    aansprakelijkeinstelling: Instelling | None = None

    @property
    def pgn(self) -> str | None:
        """The persoonsgebonden nummer: the BSN, or else the onderwijsnummer."""
        return self.bsn or self.onderwijsnummer


class Overstapadvies(_Model):
    advies: str | None = None  # code list 2 (DUO)
    wensouders: str | None = None
    wensleerling: str | None = None
    herzienadvies: str | None = None
    motivatie_herzienadvies: str | None = None
    profiel: str | None = None
    argumentatie: str | None = None
    contactnodig: bool | None = None
    contactpersoon: str | None = None
    contacttelefoon: str | None = None
    contactemail: str | None = None
    aandachtspunten: str | None = None


class Schoolloopbaan(_Model):
    schooljaar: str = ""  # "2015-2016"
    groepscode: str | None = None
    groepsnaam: str | None = None
    jaargroep: str | None = None
    begindatum: date | None = None
    einddatum: date | None = None
    brin: str | None = None
    vestiging: str | None = None
    schoolsoort: str | None = None
    schooltype: str | None = None
    voelementcode: str | None = None
    voelementomschrijving: str | None = None
    schoolsoortomschrijving: str | None = None


class EindtoetsDomein(_Model):
    code: str = ""
    omschrijving: str | None = None
    referentieniveau: str | None = None  # 01-04


class EindtoetsOnderdeel(_Model):
    code: str = ""  # 8000 taal, 8001 rekenen
    omschrijving: str | None = None
    referentieniveau: str | None = None
    domeinen: list[EindtoetsDomein] = Field(default_factory=list)


class Eindtoets(_Model):
    """eindtoets_basisonderwijs: participation and, when known, the result."""

    deelgenomen: bool | None = None
    toetssoort: str | None = None  # 0011 CET, 0012 Route 8, 0013 IEP, ...
    toetsniveau: str | None = None
    toetsomschrijving: str | None = None
    datum_afname: date | None = None
    wettelijke_ontheffing: str | None = None  # J / N
    standaardscore: int | None = None
    toets_advies: str | None = None
    onderdelen: list[EindtoetsOnderdeel] = Field(default_factory=list)
    bijlagen: list[Bijlage] = Field(default_factory=list)

    @property
    def heeft_resultaat(self) -> bool:
        return self.toetssoort is not None


class Referentiescore(_Model):
    code: str = ""  # code list 11
    vergelijkingsgroep: str = ""  # code list 22
    waarde: str = ""
    kwalificatie: str | None = None


class Toetsresultaat(_Model):
    aantalopgaven: int | None = None
    aantalgoed: int | None = None
    aantalfout: int | None = None
    aantalgelezen: int | None = None
    tijd: Decimal | None = None
    vaardigheidsscore: Decimal | None = None
    codevaardigheidsschaal: str | None = None
    referentiescores: list[Referentiescore] = Field(default_factory=list)


class Toetsonderdeel(_Model):
    code: str = ""
    naam: str | None = None
    resultaat: Toetsresultaat = Field(default_factory=Toetsresultaat)


class Toets(_Model):
    """One test from the toetslijst (not the eindtoets)."""

    code: str = ""  # eldtoetscode
    leergebied: str | None = None
    naam: str | None = None
    versie: str | None = None
    afnamedatum: date | None = None
    jaargroep: str | None = None
    dl: str | None = None  # didactische leeftijd
    resultaat: Toetsresultaat = Field(default_factory=Toetsresultaat)
    onderdelen: list[Toetsonderdeel] = Field(default_factory=list)
    opmerking: str | None = None


class Diagnose(_Model):
    codes: list[str] = Field(default_factory=list)  # code list 23, e.g. F81.0 dyslexie
    naam: str | None = None
    datum: date | None = None
    doorwie: str | None = None
    instantie: str | None = None
    bijlagen: list[Bijlage] = Field(default_factory=list)


class Handelingsplan(_Model):
    startdatum: date | None = None
    einddatum: date | None = None
    isgerichtop: str | None = None
    bijlage: Bijlage | None = None


class Opp(_Model):
    """Ontwikkelingsperspectiefplan."""

    ingangsdatum: date | None = None
    einddatum: date | None = None
    bijlagen: list[Bijlage] = Field(default_factory=list)


class Tlv(_Model):
    """Toelaatbaarheidsverklaring."""

    ingangsdatum: date | None = None
    swvnummer: str | None = None
    categorie: str | None = None  # H, M, L, Nvt
    beschikkingsnummer: str | None = None
    einddatum: date | None = None
    bijlage: Bijlage | None = None


class Lwoo(_Model):
    """Leerwegondersteunend onderwijs."""

    ingangsdatum: date | None = None
    swvnummer: str | None = None
    beschikkingsnummer: str | None = None
    einddatum: date | None = None
    bijlage: Bijlage | None = None


class Arrangement(_Model):
    soort: str = ""  # "cluster12", "pao", or "arrangement" (2016-2018 <zorg>)
    datum: date | None = None
    brin: str | None = None
    vestiging: str | None = None
    kenmerk: str | None = None
    beschikkingsnummer: str | None = None
    einddatum: date | None = None


class Rvc(_Model):
    signalering: str | None = None  # signaleringlwoopro, as "naam: ja/nee" pairs
    centraleproblematiek: str | None = None
    maatregelen: str | None = None
    rvcdatum: date | None = None
    rvcindicatie: str | None = None  # LWOO, PRO


class Zorgregel(_Model):
    """One item of the 2016-2018 care block <zorg> that 2019.1 no longer has (LGF, verblijf OPDC,
    onderwijsbelemmering, begeleiding, specialists, ...): `soort` says which, `velden` its values."""

    soort: str
    velden: dict[str, str] = Field(default_factory=dict)


class Onderwijsondersteuning(_Model):
    toelichting: Bijlage | None = None  # toelichting onderwijsbehoeften
    diagnoses: list[Diagnose] = Field(default_factory=list)
    medicijngebruik: bool | None = None
    handelingsplannen: list[Handelingsplan] = Field(default_factory=list)
    opp: Opp | None = None
    tlvs: list[Tlv] = Field(default_factory=list)
    arrangementen: list[Arrangement] = Field(default_factory=list)
    lwoo: Lwoo | None = None
    rvc: Rvc | None = None
    overig: list[Zorgregel] = Field(default_factory=list)  # from the 2016-2018 <zorg> block

    @property
    def leeg(self) -> bool:
        return self == Onderwijsondersteuning()


class Verzuim(_Model):
    dagdelengeoorloofd: int | None = None
    dagdelenongeoorloofd: int | None = None
    urengeoorloofd: int | None = None
    urenongeoorloofd: int | None = None
    meerdan25percent: bool | None = None
    frequentie: int | None = None
    contactleerplicht: bool | None = None
    rmcmelding: bool | None = None
    bijlagen: list[Bijlage] = Field(default_factory=list)


class NietOvergenomen(_Model):
    """A value of the dossier that is not registered, with why (see `verantwoording`)."""

    pad: str
    waarde: str
    reden: str
    stap: str  # the step whose diff lists it
    zorg: bool = False  # care data: masked for users without the zorg role


class Dossier(_Model):
    """One OSO dossier of one pupil, as sent by one school at one moment (metadata.datum)."""

    namespace_year: int
    metadata: Metadata
    overdrachtsoort: str | None = None
    inzage: Inzage | None = None
    school: School
    leerling: Leerling
    verzorgers: list[Verzorger] = Field(default_factory=list)
    schoolloopbaan: list[Schoolloopbaan] = Field(default_factory=list)
    overstapadvies: Overstapadvies | None = None
    eindtoets: Eindtoets | None = None
    toetsen: list[Toets] = Field(default_factory=list)
    onderwijsondersteuning: Onderwijsondersteuning | None = None
    verzuim: Verzuim | None = None
    bijlagen: list[Bijlage] = Field(default_factory=list)  # every attached document, wherever it sits
    # Blocks registered as rows of their leaf values: cijferlijsten and the VO blocks (examenresultaat,
    # resultaatvakkenvo, certificaat, competenties, stage, bevorderd, overigvombo), by element name.
    blokken: dict[str, list[dict[str, str]]] = Field(default_factory=dict)
    niet_overgenomen: list[NietOvergenomen] = Field(default_factory=list)

    @property
    def voorlopig(self) -> bool:
        return self.inzage is not None and self.inzage.voorlopig


@dataclass(frozen=True, slots=True)
class DossierKop:
    """The few fields that say whose dossier it is and how to check it, read without the whole model.

    Fetching and checking need only these (and the rules need the first three), so they skip
    building the ~40 models of the full `Dossier`; each field reads exactly as in the full model.
    """

    datum: date
    overdrachtsoort: str | None = None
    overstap: str | None = None
    brin: str = ""
    bsn: str | None = None
    onderwijsnummer: str | None = None
    geboortedatum: date | None = None
    voornamen: tuple[str, ...] = ()
    roepnaam: str | None = None
    voorvoegsel: str | None = None
    achternaam: str = ""

    @property
    def pgn(self) -> str | None:
        return self.bsn or self.onderwijsnummer

    @property
    def naam(self) -> str:
        return _display_name(list(self.voornamen), self.roepnaam, self.voorvoegsel, self.achternaam)
