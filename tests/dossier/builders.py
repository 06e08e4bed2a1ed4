"""The one builder of OSO dossier XML in the tests, and ways to break what it builds.

Tests make their own inputs (no dependency on sample_dossiers/ or ../shared). `dossier_text` assembles
a dossier from its parts; every test's dossier comes from it (`registratie_data.dossier_xml` and
`aanvraag_helpers.dossier_xml` only choose other parts). `base()` gives the tree of a valid 2019.1
POVO overstapdossier for one fictional pupil (`base(year=2017, version="2017.1")` the same in the
structure of an older version); the helpers below it change one thing.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

NS = "http://www.edustandaard.nl/oso_gegevensset/2019/dossier"
VALID_BSN = "111222333"
VALIDATIEVERSIE = {"2016.1": "2016.1.2", "2017.1": "2017.1.2"}  # what each version's profile rules expect
VALID_ONDERWIJSNUMMER = "100000004"  # starts with 10, weighted sum % 11 == 5


def zipped(name: str = "verslag.txt", text: str = "Een kort fictief verslag.\n") -> str:
    """One file in a zip archive, base64 as a dossier carries an attachment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


CATEGORIES = (
    "metadata",
    "ouderinzage",
    "school",
    "leerling",
    "oudersverzorgers",
    "vve",
    "schoolloopbaan",
    "overstapadvies",
    "onderwijsondersteuning",
    "verzuim",
    "eindtoetsbo",
    "toetsresultaten",
    "handelingsplannen",
    "cijferlijsten",
    "vombo",
    "bijlagedocs",
)


def _categories(overrides: dict[str, str], year: int = 2019, default_value: str = "OPTIONEEL") -> str:
    if year == 2016:  # selective delivery came with 2017.1
        return ""
    default = {name: default_value for name in CATEGORIES}
    default.update({"metadata": "VERPLICHT", "ouderinzage": "VERPLICHT", "school": "VERPLICHT"})
    default.update({"leerling": "VERPLICHT", "vve": "VERBODEN", "vombo": "VERBODEN"})
    default.update(overrides)
    names = [
        ("zorgenbegeleiding" if n == "onderwijsondersteuning" and year < 2019 else n) for n in CATEGORIES
    ]
    default.setdefault("zorgenbegeleiding", default["onderwijsondersteuning"])
    cats = "".join(f"<cat_{name}>{default[name]}</cat_{name}>" for name in names)
    return f"<categorie_uitlevering>{cats}</categorie_uitlevering>"


@dataclass(frozen=True)
class Adres:
    straat: str = "Lindelaan"
    nummer: str = "4"
    postcode: str = "3512AB"
    plaats: str = "Utrecht"
    soort: str = "bezoek"
    land: bool = False  # with <land omschrijving="Nederland">6030</land>

    def xml(self) -> str:
        land = '<land omschrijving="Nederland">6030</land>' if self.land else ""
        return (
            f"<adreslijst><adres><soortadres>{self.soort}</soortadres><straat>{self.straat}</straat>"
            f"<nummer>{self.nummer}</nummer><postcode>{self.postcode}</postcode>"
            f"<plaats>{self.plaats}</plaats>{land}</adres></adreslijst>"
        )


@dataclass(frozen=True)
class Leerling:
    """The pupil's own data; `inhoud` are the blocks after the pupil's identity, in schema order."""

    voornamen: Sequence[str] = ("Sanne", "Maria")
    voorletters: str | None = "S.M."
    voorvoegsel: str | None = "de"
    achternaam: str = "Vries"
    roepnaam: str = "Sanne"
    geboortedatum: str = "2012-05-14"
    adres: Adres | None = Adres()
    communicatie: bool = True  # an e-mail address and a secret telephone number
    bsn: str = VALID_BSN
    inschrijving: bool = True  # leerlingid, datuminschrijving, verzorgersaansprakelijk

    def xml(self, inhoud: Sequence[str]) -> str:
        parts = [f"<voornaam>{v}</voornaam>" for v in self.voornamen]
        if self.voorletters is not None:
            parts.append(f"<voorletters-1>{self.voorletters}</voorletters-1>")
        if self.voorvoegsel is not None:
            parts.append(f"<voorvoegsel>{self.voorvoegsel}</voorvoegsel>")
        parts.append(f"<achternaam>{self.achternaam}</achternaam><roepnaam>{self.roepnaam}</roepnaam>")
        parts.append(f"<geboortedatum>{self.geboortedatum}</geboortedatum><geslacht>1</geslacht>")
        parts.append("<adresgeheim>false</adresgeheim>")
        if self.adres is not None:
            parts.append(self.adres.xml())
        if self.communicatie:
            parts.append(
                "<communicatielijst>"
                "<communicatie><soort>e-mail</soort><aanduiding>prive</aanduiding>"
                "<nummer>ouders@voorbeeld.nl</nummer><geheim>false</geheim><noodnummer>false</noodnummer>"
                "</communicatie>"
                "<communicatie><soort>telefoon</soort><aanduiding>prive</aanduiding><nummer>9999999999</nummer>"
                "<geheim>true</geheim><noodnummer>false</noodnummer></communicatie>"
                "</communicatielijst>"
            )
        parts.append(f"<bsn>{self.bsn}</bsn>")
        if self.inschrijving:
            parts.append(
                "<leerlingid>L0042</leerlingid><datuminschrijving>2016-08-22</datuminschrijving>"
                "<verzorgersaansprakelijk>true</verzorgersaansprakelijk>"
            )
        body = "\n      ".join([*parts, *(block for block in inhoud if block)])
        return f"<leerling>\n      {body}\n    </leerling>"


def school_xml(naam: str = "Basisschool De Regenboog", brin: str = "12AB", details: bool = True) -> str:
    """<huidigeschool>'s own elements; `details` adds its address, telephone and soort."""
    adres = Adres().xml() if details else ""
    communicatie = (
        "<communicatielijst><communicatie><soort>telefoon</soort><aanduiding>werk</aanduiding>"
        "<nummer>0301234567</nummer></communicatie></communicatielijst>"
        if details
        else ""
    )
    soort = "<soort>BO</soort>" if details else ""
    return (
        f"<naam>{naam}</naam>{adres}{communicatie}<brincode>{brin}</brincode>"
        f"<vestigingscode>00</vestigingscode><aanleverpunt>1</aanleverpunt>{soort}"
    )


def overstapadvies_xml(advies: str = "50", contact: bool = True) -> str:
    extra = (
        "<wensouders>50</wensouders><contactnodig>true</contactnodig>"
        "<contactpersoon>Juf Jansen</contactpersoon>"
        "<contacttelefoon>0301234567</contacttelefoon>"
        if contact
        else ""
    )
    return f"<overstapadvies><advies>{advies}</advies>{extra}</overstapadvies>"


LOOPBAAN_7_8 = (
    "<schoolloopbaanlijst>"
    "<schoolloopbaan><schooljaar>2022-2023</schooljaar><groepscode>7A</groepscode><jaargroep>7</jaargroep>"
    "<begindatum>2022-08-22</begindatum><einddatum>2023-07-31</einddatum>"
    "<brincode>12AB</brincode><vestigingscode>00</vestigingscode></schoolloopbaan>"
    "<schoolloopbaan><schooljaar>2023-2024</schooljaar><groepscode>8A</groepscode><jaargroep>8</jaargroep>"
    "<brincode>12AB</brincode><vestigingscode>00</vestigingscode></schoolloopbaan>"
    "</schoolloopbaanlijst>"
)

LOOPBAAN_8 = (
    "<schoolloopbaanlijst><schoolloopbaan><schooljaar>2026-2027</schooljaar><groepscode>8</groepscode>"
    "<groepsnaam>groep 8</groepsnaam><jaargroep>8</jaargroep><brincode>99XX</brincode>"
    "<vestigingscode>00</vestigingscode></schoolloopbaan></schoolloopbaanlijst>"
)


def care_xml(year: int) -> str:
    """The care block: <onderwijsondersteuning> from 2019.1, the older <zorg> before."""
    if year >= 2019:
        return (
            "<onderwijsondersteuning>"
            "<diagnose><code>F81.0</code><naam>Dyslexie</naam><datum>2020-06-01</datum></diagnose>"
            "<medicijngebruik>false</medicijngebruik>"
            "<opp><opp_ingangdatum>2023-09-01</opp_ingangdatum></opp>"
            "</onderwijsondersteuning>"
        )
    return (
        "<zorg><opp><opp_ingangdatum>2023-09-01</opp_ingangdatum></opp>"
        "<diagnose><code>F81.0</code><naam>Dyslexie</naam><datum>2020-06-01</datum></diagnose>"
        "<medicijngebruik>false</medicijngebruik></zorg>"
    )


def dyslexieverklaring_xml() -> str:
    """<onderwijsondersteuning> with a diagnosis that carries its declaration as a document."""
    return (
        "<onderwijsondersteuning><diagnose><code>F81.0</code><naam>Dyslexie</naam><datum>2024-02-01</datum>"
        "<doorwie>Drs. Fictief</doorwie><document><bestandsnaam>dyslexieverklaring.pdf</bestandsnaam>"
        "<omschrijving>Dyslexieverklaring</omschrijving>"
        f"<bestandsinhoud>{zipped('dyslexieverklaring.pdf', 'fictieve verklaring')}</bestandsinhoud>"
        "</document></diagnose><medicijngebruik>false</medicijngebruik></onderwijsondersteuning>"
    )


EINDTOETS = (
    "<eindtoets_basisonderwijs><eindtoetsresultaat><toetssoort>0013</toetssoort><toetsniveau>G</toetsniveau>"
    "<toetsomschrijving>IEP Eindtoets</toetsomschrijving><datum_afname>2027-04-15</datum_afname>"
    "<wettelijke_ontheffing>N</wettelijke_ontheffing><standaardscore>88</standaardscore>"
    "<toets_advies>havo/vwo</toets_advies><onderdelen><onderdeel><onderdeelcode>8001</onderdeelcode>"
    "<onderdeelomschrijving>Rekenen</onderdeelomschrijving><ond_referentieniveau>03</ond_referentieniveau>"
    "</onderdeel></onderdelen></eindtoetsresultaat><deelgenomen>true</deelgenomen></eindtoets_basisonderwijs>"
)

VERZUIM = (
    "<verzuim><dagdelengeoorloofd>3</dagdelengeoorloofd>"
    "<dagdelenongeoorloofd>0</dagdelenongeoorloofd></verzuim>"
)

TOETSLIJST = (
    "<toetslijst><toets>"
    "<toetsidentificatie><eldtoetscode>RW8</eldtoetscode><toetsnaam>Rekenen-Wiskunde</toetsnaam></toetsidentificatie>"
    "<afname><afnamedatum>2023-01-15</afnamedatum><jaargroep>7</jaargroep></afname>"
    "<resultaat><toetsscore><vaardigheidsscore>98.5</vaardigheidsscore></toetsscore></resultaat>"
    "</toets></toetslijst>"
)


def documenten_xml() -> str:
    return (
        "<overigdocumentlijst><document><bestandsnaam>verslag.zip</bestandsnaam><omschrijving>Verslag</omschrijving>"
        f"<bestandsinhoud>{zipped()}</bestandsinhoud></document></overigdocumentlijst>"
    )


def verzorger_xml(
    voornaam: str = "Peter", voorvoegsel: str | None = "de", achternaam: str = "Vries", geslacht: str = "2"
) -> str:
    tussen = f"<voorvoegsel>{voorvoegsel}</voorvoegsel>" if voorvoegsel is not None else ""
    return (
        f"<verzorger><voornaam>{voornaam}</voornaam>{tussen}<achternaam>{achternaam}</achternaam>"
        f"<geslacht>{geslacht}</geslacht><relatietotkind>1</relatietotkind>"
        "<wettigevertegenwoordiger>true</wettigevertegenwoordiger></verzorger>"
    )


def dossier_text(
    *,
    year: int = 2019,
    version: str = "2019.1",
    datum: str = "2024-03-01",
    categories: dict[str, str] | None = None,
    category_default: str = "OPTIONEEL",
    voorlopig: bool = False,
    inzagedatum: str = "2024-02-20",
    toestemming: bool = True,
    school: str | None = None,
    leerling: Leerling | None = None,
    inhoud: Sequence[str] | None = None,
) -> str:
    """A POVO overstapdossier from its parts; the defaults are the valid fictional dossier of `base()`.

    `school` is the inside of <huidigeschool> before the pupil (`school_xml`), `inhoud` the pupil's
    blocks after the identity (overstapadvies ... verzorger) in schema order.
    """
    if inhoud is None:
        inhoud = [
            overstapadvies_xml(),
            LOOPBAAN_7_8,
            care_xml(min(year, 2019)),
            VERZUIM,
            TOETSLIJST,
            documenten_xml(),
            verzorger_xml(),
        ]
    toestemming_xml = "<toestemming>Ja</toestemming>" if toestemming else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<dossier xmlns="http://www.edustandaard.nl/oso_gegevensset/{year}/dossier">
  <metadata>
    <deeldossier>LASLVS</deeldossier>
    <pakketnaam>Testpakket</pakketnaam>
    <pakketversie>1</pakketversie>
    <datum>{datum}</datum>
    <standaardversie>{version}</standaardversie>
    <validatieversie>{VALIDATIEVERSIE.get(version, version + ".1")}</validatieversie>
    {_categories(categories or {}, year, category_default)}
    <overstap>POVO</overstap>
  </metadata>
  <overdrachtsoort>overstapdossier</overdrachtsoort>
  <inzage>
    <voorlopigdossier>{"true" if voorlopig else "false"}</voorlopigdossier>
    <inzage>true</inzage>
    <inzagedatum>{inzagedatum}</inzagedatum>
    <akkoord>Ja</akkoord>
    {toestemming_xml}
  </inzage>
  <huidigeschool>
    {school_xml() if school is None else school}
    {(leerling or Leerling()).xml(inhoud)}
  </huidigeschool>
</dossier>
"""


def xml_text(categories: dict[str, str] | None = None, year: int = 2019, version: str = "2019.1") -> str:
    """The valid fictional dossier of one version's structure."""
    return dossier_text(categories=categories, year=year, version=version)


def base(**kwargs: object) -> etree._Element:
    """The root of the valid fictional dossier (keyword arguments go to `xml_text`)."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)
    return etree.fromstring(xml_text(**kwargs).encode("utf-8"), parser)  # type: ignore[arg-type]


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def find(root: etree._Element, path: str) -> etree._Element:
    """The first element at a slash path of local names below the root (must exist)."""
    found = root.find("/".join(f"{{{_ns(root)}}}{p}" for p in path.split("/")))
    assert found is not None, path
    return found


def _ns(root: etree._Element) -> str:
    return str(root.tag)[1:].partition("}")[0]


def set_text(root: etree._Element, path: str, value: str) -> etree._Element:
    el = find(root, path)
    el.text = value
    return root


def drop(root: etree._Element, path: str) -> etree._Element:
    el = find(root, path)
    parent = el.getparent()
    assert parent is not None
    parent.remove(el)
    return root


def add_after(root: etree._Element, path: str, name: str, value: str | None = None) -> etree._Element:
    """Insert a new element <name> right after the element at `path`."""
    el = find(root, path)
    new = etree.Element(f"{{{_ns(root)}}}{name}")
    new.text = value
    el.addnext(new)
    new.tail = el.tail
    return root


def add_child(root: etree._Element, path: str, xml: str, index: int | None = None) -> etree._Element:
    """Append (or insert at `index`) a fragment, written without namespace, inside the element at `path`."""
    parent = find(root, path)
    fragment = etree.fromstring(f'<wrap xmlns="{_ns(root)}">{xml}</wrap>')
    for i, new in enumerate(list(fragment)):
        if index is None:
            parent.append(new)
        else:
            parent.insert(index + i, new)
    return root


def variant(edit: str, *args: str, **kwargs: object) -> bytes:
    """The base dossier's bytes after one edit: variant("set_text", "huidigeschool/brincode", "x")."""
    root = base(**kwargs)
    {"set_text": set_text, "drop": drop, "add_after": add_after, "add_child": add_child}[edit](root, *args)
    return to_bytes(root)
