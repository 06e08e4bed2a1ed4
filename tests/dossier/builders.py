"""A small, complete, valid fictional dossier built inside the tests, and ways to break it.

Tests make their own inputs (no dependency on sample_dossiers/ or ../shared): `base()` gives the
tree of a valid 2019.1 POVO overstapdossier for one fictional pupil (`base(year=2017,
version="2017.1")` the same in the structure of an older version), the helpers change one thing.
"""

from __future__ import annotations

import base64
import io
import zipfile

from lxml import etree

NS = "http://www.edustandaard.nl/oso_gegevensset/2019/dossier"
VALID_BSN = "111222333"
VALIDATIEVERSIE = {"2016.1": "2016.1.2", "2017.1": "2017.1.2"}  # what each version's profile rules expect
VALID_ONDERWIJSNUMMER = "100000004"  # starts with 10, weighted sum % 11 == 5


def _attachment() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("verslag.txt", "Een kort fictief verslag.\n")
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


def _categories(overrides: dict[str, str], year: int = 2019) -> str:
    if year == 2016:  # selective delivery came with 2017.1
        return ""
    default = {name: "OPTIONEEL" for name in CATEGORIES}
    default.update({"metadata": "VERPLICHT", "ouderinzage": "VERPLICHT", "school": "VERPLICHT"})
    default.update({"leerling": "VERPLICHT", "vve": "VERBODEN", "vombo": "VERBODEN"})
    default.update(overrides)
    names = [
        ("zorgenbegeleiding" if n == "onderwijsondersteuning" and year < 2019 else n) for n in CATEGORIES
    ]
    default.setdefault("zorgenbegeleiding", default["onderwijsondersteuning"])
    cats = "".join(f"<cat_{name}>{default[name]}</cat_{name}>" for name in names)
    return f"<categorie_uitlevering>{cats}</categorie_uitlevering>"


def _care(year: int) -> str:
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


def xml_text(categories: dict[str, str] | None = None, year: int = 2019, version: str = "2019.1") -> str:
    adres = (
        "<adres><soortadres>bezoek</soortadres><straat>Lindelaan</straat><nummer>4</nummer>"
        "<postcode>3512AB</postcode><plaats>Utrecht</plaats></adres>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<dossier xmlns="http://www.edustandaard.nl/oso_gegevensset/{year}/dossier">
  <metadata>
    <deeldossier>LASLVS</deeldossier>
    <pakketnaam>Testpakket</pakketnaam>
    <pakketversie>1</pakketversie>
    <datum>2024-03-01</datum>
    <standaardversie>{version}</standaardversie>
    <validatieversie>{VALIDATIEVERSIE.get(version, version + ".1")}</validatieversie>
    {_categories(categories or {}, year)}
    <overstap>POVO</overstap>
  </metadata>
  <overdrachtsoort>overstapdossier</overdrachtsoort>
  <inzage>
    <voorlopigdossier>false</voorlopigdossier>
    <inzage>true</inzage>
    <inzagedatum>2024-02-20</inzagedatum>
    <akkoord>Ja</akkoord>
    <toestemming>Ja</toestemming>
  </inzage>
  <huidigeschool>
    <naam>Basisschool De Regenboog</naam>
    <adreslijst>{adres}</adreslijst>
    <communicatielijst>
      <communicatie><soort>telefoon</soort><aanduiding>werk</aanduiding><nummer>0301234567</nummer></communicatie>
    </communicatielijst>
    <brincode>12AB</brincode>
    <vestigingscode>00</vestigingscode>
    <aanleverpunt>1</aanleverpunt>
    <soort>BO</soort>
    <leerling>
      <voornaam>Sanne</voornaam>
      <voornaam>Maria</voornaam>
      <voorletters-1>S.M.</voorletters-1>
      <voorvoegsel>de</voorvoegsel>
      <achternaam>Vries</achternaam>
      <roepnaam>Sanne</roepnaam>
      <geboortedatum>2012-05-14</geboortedatum>
      <geslacht>1</geslacht>
      <adresgeheim>false</adresgeheim>
      <adreslijst>{adres}</adreslijst>
      <communicatielijst>
        <communicatie><soort>e-mail</soort><aanduiding>prive</aanduiding><nummer>ouders@voorbeeld.nl</nummer>
          <geheim>false</geheim><noodnummer>false</noodnummer></communicatie>
        <communicatie><soort>telefoon</soort><aanduiding>prive</aanduiding><nummer>9999999999</nummer>
          <geheim>true</geheim><noodnummer>false</noodnummer></communicatie>
      </communicatielijst>
      <bsn>{VALID_BSN}</bsn>
      <leerlingid>L0042</leerlingid>
      <datuminschrijving>2016-08-22</datuminschrijving>
      <verzorgersaansprakelijk>true</verzorgersaansprakelijk>
      <overstapadvies>
        <advies>50</advies>
        <wensouders>50</wensouders>
        <contactnodig>true</contactnodig>
        <contactpersoon>Juf Jansen</contactpersoon>
        <contacttelefoon>0301234567</contacttelefoon>
      </overstapadvies>
      <schoolloopbaanlijst>
        <schoolloopbaan>
          <schooljaar>2022-2023</schooljaar><groepscode>7A</groepscode><jaargroep>7</jaargroep>
          <begindatum>2022-08-22</begindatum><einddatum>2023-07-31</einddatum>
          <brincode>12AB</brincode><vestigingscode>00</vestigingscode>
        </schoolloopbaan>
        <schoolloopbaan>
          <schooljaar>2023-2024</schooljaar><groepscode>8A</groepscode><jaargroep>8</jaargroep>
          <brincode>12AB</brincode><vestigingscode>00</vestigingscode>
        </schoolloopbaan>
      </schoolloopbaanlijst>
      {_care(min(year, 2019))}
      <verzuim><dagdelengeoorloofd>3</dagdelengeoorloofd><dagdelenongeoorloofd>0</dagdelenongeoorloofd></verzuim>
      <toetslijst>
        <toets>
          <toetsidentificatie><eldtoetscode>RW8</eldtoetscode><toetsnaam>Rekenen-Wiskunde</toetsnaam></toetsidentificatie>
          <afname><afnamedatum>2023-01-15</afnamedatum><jaargroep>7</jaargroep></afname>
          <resultaat><toetsscore><vaardigheidsscore>98.5</vaardigheidsscore></toetsscore></resultaat>
        </toets>
      </toetslijst>
      <overigdocumentlijst>
        <document><bestandsnaam>verslag.zip</bestandsnaam><omschrijving>Verslag</omschrijving>
          <bestandsinhoud>{_attachment()}</bestandsinhoud></document>
      </overigdocumentlijst>
      <verzorger>
        <voornaam>Peter</voornaam><voorvoegsel>de</voorvoegsel><achternaam>Vries</achternaam><geslacht>2</geslacht>
        <relatietotkind>1</relatietotkind><wettigevertegenwoordiger>true</wettigevertegenwoordiger>
      </verzorger>
    </leerling>
  </huidigeschool>
</dossier>
"""


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
