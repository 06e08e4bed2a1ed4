"""Small builders for OSO 2019.1 dossier XML, shared by the generator and the sample-dossier script.

The official XSD fixes the order of child elements, so every builder here emits its children in
schema order; callers pass plain values and never think about order or namespaces. Only what the
samples and the generator need is covered; the builders do not validate (tests do, with the XSD).
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Union

from lxml import etree

NS = "http://www.edustandaard.nl/oso_gegevensset/2019/dossier"
STANDAARDVERSIE = "2019.1"
VALIDATIEVERSIE = "2019.1.1"

#: The sixteen categories of metadata/categorie_uitlevering, in schema order.
CATEGORIEEN = (
    "cat_metadata",
    "cat_ouderinzage",
    "cat_school",
    "cat_leerling",
    "cat_oudersverzorgers",
    "cat_vve",
    "cat_schoolloopbaan",
    "cat_overstapadvies",
    "cat_onderwijsondersteuning",
    "cat_verzuim",
    "cat_eindtoetsbo",
    "cat_toetsresultaten",
    "cat_handelingsplannen",
    "cat_cijferlijsten",
    "cat_vombo",
    "cat_bijlagedocs",
)

#: What a POVO dossier usually declares: the core is VERPLICHT, VVE and VO-MBO are VERBODEN.
STANDAARD_CATEGORIEEN: dict[str, str] = {
    "cat_metadata": "VERPLICHT",
    "cat_ouderinzage": "VERPLICHT",
    "cat_school": "VERPLICHT",
    "cat_leerling": "VERPLICHT",
    "cat_oudersverzorgers": "VERPLICHT",
    "cat_vve": "VERBODEN",
    "cat_schoolloopbaan": "VERPLICHT",
    "cat_overstapadvies": "VERPLICHT",
    "cat_onderwijsondersteuning": "OPTIONEEL",
    "cat_verzuim": "OPTIONEEL",
    "cat_eindtoetsbo": "OPTIONEEL",
    "cat_toetsresultaten": "OPTIONEEL",
    "cat_handelingsplannen": "OPTIONEEL",
    "cat_cijferlijsten": "OPTIONEEL",
    "cat_vombo": "VERBODEN",
    "cat_bijlagedocs": "OPTIONEEL",
}

#: Which leerling children belong to a category that can be switched off (OPT-UIT/VERBODEN);
#: taken from the OS.cat rules in ValideerOSOgegevensset.xsl.
CATEGORIE_ELEMENTEN: dict[str, tuple[str, ...]] = {
    "cat_oudersverzorgers": ("verzorgersaansprakelijk", "verzorger", "aansprakelijkeinstelling"),
    "cat_vve": ("vanpeuterspeelzaal", "naampeuterspeelzaal", "voorschools", "vroegschools"),
    "cat_schoolloopbaan": ("schoolloopbaanlijst",),
    "cat_overstapadvies": ("overstapadvies",),
    "cat_onderwijsondersteuning": (
        "onderwijsondersteuning/toelichting_onderwijsbehoeften",
        "onderwijsondersteuning/diagnose",
        "onderwijsondersteuning/medicijngebruik",
        "onderwijsondersteuning/opp",
        "onderwijsondersteuning/tlv",
        "onderwijsondersteuning/arrangement_cluster12",
        "onderwijsondersteuning/arrangement_pao",
        "onderwijsondersteuning/lwoo",
        "onderwijsondersteuning/rvc",
    ),
    "cat_verzuim": ("verzuim",),
    "cat_eindtoetsbo": ("eindtoets_basisonderwijs",),
    "cat_toetsresultaten": ("toetslijst",),
    "cat_handelingsplannen": ("onderwijsondersteuning/handelingsplan",),
    "cat_cijferlijsten": ("cijferlijstlijst",),
    "cat_vombo": (
        "bevorderd",
        "examenresultaat",
        "resultaatvakkenvo",
        "certificaat",
        "competenties",
        "stage",
        "overigvombo",
    ),
    "cat_bijlagedocs": ("overigdocumentlijst",),
}

# The default namespace has the key None, which lxml documents but lxml-stubs does not allow.
_NSMAP: Any = {None: NS}

Value = str | int | bool | date | None
Item = Union["etree._Element", tuple[str, Value | Sequence[Value]], None]


def q(tag: str) -> str:
    """The qualified (Clark) name of a dossier element."""
    return f"{{{NS}}}{tag}"


def text(value: Value) -> str | None:
    """The XML text of a plain value: booleans as true/false, dates as ISO."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def node(tag: str, *items: Item | Iterable[etree._Element]) -> etree._Element:
    """An element with children in the order given; (name, value) pairs become leaf elements.

    None items and None values are skipped, so optional fields need no `if` at the call site.
    """
    element = etree.Element(q(tag), nsmap=_NSMAP)
    for item in items:
        if item is None:
            continue
        if isinstance(item, tuple):
            name, value = item
            values = value if isinstance(value, list | tuple) else [value]
            for one in values:
                leaf = text(one)
                if leaf is not None:
                    etree.SubElement(element, q(name)).text = leaf
        elif isinstance(item, etree._Element):
            element.append(item)
        else:
            element.extend(child for child in item if child is not None)
    return element


# --- small parts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adres:
    straat: str
    nummer: str
    postcode: str
    plaats: str
    gemeente: str | None = None
    toevoeging: str | None = None
    soort: str = "bezoek"

    def element(self) -> etree._Element:
        land = etree.Element(q("land"), omschrijving="Nederland")
        land.text = "6030"
        return node(
            "adres",
            ("soortadres", self.soort),
            ("straat", self.straat),
            ("nummer", self.nummer),
            ("toevoeging", self.toevoeging),
            ("postcode", self.postcode),
            ("plaats", self.plaats),
            ("gemeente", self.gemeente or self.plaats),
            land,
        )


@dataclass(frozen=True)
class Communicatie:
    soort: str  # "telefoon" | "e-mail"
    nummer: str
    aanduiding: str = "prive"
    geheim: bool | None = False
    noodnummer: bool = False

    def element(self) -> etree._Element:
        return node(
            "communicatie",
            ("soort", self.soort),
            ("aanduiding", self.aanduiding),
            ("nummer", self.nummer),
            ("geheim", self.geheim),
            ("noodnummer", self.noodnummer),
        )


def geheime_telefoon() -> Communicatie:
    """A secret phone number: the standard requires the placeholder 9999999999 (OVa.LL08)."""
    return Communicatie("telefoon", "9999999999", "prive", geheim=True)


def adreslijst(adressen: Sequence[Adres]) -> etree._Element | None:
    return node("adreslijst", [a.element() for a in adressen]) if adressen else None


def communicatielijst(items: Sequence[Communicatie]) -> etree._Element | None:
    return node("communicatielijst", [c.element() for c in items]) if items else None


@dataclass(frozen=True)
class Document:
    bestandsnaam: str
    omschrijving: str
    inhoud: bytes  # the raw ZIP bytes; base64-encoded when written

    def element(self) -> etree._Element:
        return node(
            "document",
            ("bestandsnaam", self.bestandsnaam),
            ("omschrijving", self.omschrijving),
            ("bestandsinhoud", base64.b64encode(self.inhoud).decode("ascii")),
        )


def zip_bytes(files: Mapping[str, str]) -> bytes:
    """A real, small ZIP holding the given text files, byte-for-byte reproducible.

    Stored, not deflated: compressed bytes may differ between zlib versions, and the checked-in
    samples must come out identical on every machine.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2027, 1, 1, 12, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, content.encode("utf-8"))
    return buffer.getvalue()


# --- school, people ----------------------------------------------------------------------------


@dataclass(frozen=True)
class School:
    naam: str
    brin: str
    vestiging: str
    adres: Adres
    telefoon: str
    email: str | None = None
    soort: str = "BO"  # BO, SBO, SO, VO
    directeur: str | None = None
    website: str | None = None

    def communicatie(self) -> list[Communicatie]:
        items = [Communicatie("telefoon", self.telefoon, "werk")]
        if self.email:
            items.append(Communicatie("e-mail", self.email, "werk"))
        return items


@dataclass(frozen=True)
class Verzorger:
    voornamen: Sequence[str]
    achternaam: str
    geslacht: int
    relatietotkind: str
    voorvoegsel: str | None = None
    voorletters: str | None = None
    adresgeheim: bool = False
    adressen: Sequence[Adres] = ()
    communicatie: Sequence[Communicatie] = ()
    wettigevertegenwoordiger: bool = True
    overleden: bool | None = None
    iban: str | None = None

    def element(self) -> etree._Element:
        return node(
            "verzorger",
            ("voornaam", list(self.voornamen)),
            ("voorletters-1", self.voorletters or initialen(self.voornamen)),
            ("voorvoegsel", self.voorvoegsel),
            ("achternaam", self.achternaam),
            ("geslacht", self.geslacht),
            ("adresgeheim", self.adresgeheim),
            None if self.adresgeheim else adreslijst(self.adressen),
            communicatielijst(self.communicatie),
            ("relatietotkind", self.relatietotkind),
            ("overleden", self.overleden),
            ("wettigevertegenwoordiger", self.wettigevertegenwoordiger),
            ("iban", self.iban),
        )


def initialen(voornamen: Sequence[str]) -> str | None:
    return "".join(f"{naam[0]}." for naam in voornamen) or None


@dataclass(frozen=True)
class Loopbaan:
    schooljaar: str
    jaargroep: str
    brin: str
    vestiging: str
    groepscode: str | None = None
    begindatum: date | None = None
    einddatum: date | None = None
    schoolsoort: str | None = None

    def element(self) -> etree._Element:
        return node(
            "schoolloopbaan",
            ("schooljaar", self.schooljaar),
            ("groepscode", self.groepscode or self.jaargroep),
            ("groepsnaam", f"groep {self.jaargroep}" if len(self.jaargroep) == 1 else None),
            ("jaargroep", self.jaargroep),
            ("begindatum", self.begindatum),
            ("einddatum", self.einddatum),
            ("brincode", self.brin),
            ("vestigingscode", self.vestiging),
            ("schoolsoort", self.schoolsoort),
        )


def basisschool_loopbaan(
    brin: str,
    vestiging: str,
    *,
    huidig: int = 2026,
    doublure: int | None = None,
    wissel: Mapping[int, tuple[str, str]] | None = None,
) -> list[Loopbaan]:
    """Groups 1-8, one row per school year, ending with group 8 in school year `huidig`-`huidig+1`.

    `doublure` is a school year in which the pupil repeated the previous group (one row more);
    `wissel` maps a school year to another (brin, vestiging) from that year on (a pupil who moved).
    """
    groepen = list(range(1, 9))
    jaren = list(range(huidig - 7, huidig + 1))
    if doublure is not None:
        jaren.insert(0, huidig - 8)
        index = jaren.index(doublure)
        groepen.insert(index, groepen[index - 1])
    rows: list[Loopbaan] = []
    school = (brin, vestiging)
    for jaar, groep in zip(jaren, groepen, strict=True):
        school = (wissel or {}).get(jaar, school)
        rows.append(
            Loopbaan(
                schooljaar=f"{jaar}-{jaar + 1}",
                jaargroep=str(groep),
                groepscode=f"{groep}{'ab'[jaar % 2]}",
                brin=school[0],
                vestiging=school[1],
                begindatum=date(jaar, 8, 1) if jaar > jaren[0] else date(jaar, 9, 1),
                einddatum=None if jaar == huidig else date(jaar + 1, 7, 31),
            )
        )
    return rows


def serialize(root: etree._Element, encoding: str = "UTF-8") -> bytes:
    """Pretty XML with a declaration, the way a school's package would write it."""
    etree.indent(root, space="  ")
    body = etree.tostring(root, encoding=encoding, xml_declaration=False, pretty_print=True)
    assert isinstance(body, bytes)
    return f'<?xml version="1.0" encoding="{encoding}"?>\n'.encode("ascii") + body
