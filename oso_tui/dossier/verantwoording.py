"""Where every value of a dossier goes: registered by a step, shown with the dossier, or not taken over.

Nothing is dropped unseen. Each leaf value (an element with text, or an attribute) falls under the
longest matching rule below: a step registers it (`registratie`), the pupil's view shows it with the
dossier's data (`dossier`: its date and version), or it is listed as "niet overgenomen" with its path,
its value and the reason (`niet`), in the diff of the step it belongs to and in `oso-tui check --json`.
A value under no rule (a field of a newer version) is listed as not taken over too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from oso_tui.dossier.models import NietOvergenomen
from oso_tui.dossier.xmlutil import elements, local

Bestemming = Literal["registratie", "dossier", "niet"]
StapNaam = Literal["personalia", "loopbaan", "begeleiding"]


@dataclass(frozen=True)
class Regel:
    bestemming: Bestemming
    stap: StapNaam  # the step that registers it, or whose diff lists it when it is not taken over
    reden: str = ""
    omgezet: bool = False  # registered in another form (a code as its label, parts as one line)


LL = "huidigeschool/leerling/"
_PAKKET = "technische gegevens van het pakket van de vorige school"
_SCHOOL = "gegevens van de vorige school zelf; de school houdt een eigen scholenlijst bij"
_MINIMAAL = "niet nodig voor de inschrijving (dataminimalisatie)"
_VVE = "voor- en vroegschoolse educatie: voor het voortgezet onderwijs niet nodig (dataminimalisatie)"
_CONTACT = "alleen naam, soort en telefoon worden overgenomen; het adres van een instantie niet"
_AFNAME = "wie de toets afnam, is voor de nieuwe school niet nodig"

P: StapNaam = "personalia"
L: StapNaam = "loopbaan"
B: StapNaam = "begeleiding"


def _r(stap: StapNaam, omgezet: bool = False) -> Regel:
    return Regel("registratie", stap, omgezet=omgezet)


def _niet(stap: StapNaam, reden: str) -> Regel:
    return Regel("niet", stap, reden)


REGELS: dict[str, Regel] = {
    # metadata, inzage, the sending school
    "metadata/datum": Regel("dossier", P),
    "metadata/standaardversie": Regel("dossier", P),
    "metadata/deeldossier": _niet(P, _PAKKET),
    "metadata/pakketnaam": _niet(P, _PAKKET),
    "metadata/pakketversie": _niet(P, _PAKKET),
    "metadata/validatieversie": _niet(P, _PAKKET),
    "metadata/overstap": _niet(
        P, "de soort overstap bepaalt welke regels gelden; geen gegeven van de leerling"
    ),
    "metadata/categorie_uitlevering": _niet(
        P, "welke categorieën de ouders uitzetten bepaalt de controle; geen gegeven van de leerling"
    ),
    "overdrachtsoort": _niet(P, "de soort dossier bepaalt welke regels gelden; geen gegeven van de leerling"),
    "inzage": _niet(
        P, "inzage en akkoord van de ouders gelden voor dit dossier; oso-tui waarschuwt vóór registreren"
    ),
    "huidigeschool": _niet(P, _SCHOOL),
    "huidigeschool/naam": _r(P),
    "huidigeschool/brincode": _r(P),
    "huidigeschool/vestigingscode": _r(P),
    # personalia
    LL + "voornaam": _r(P),
    LL + "voorletters-1": _r(P),
    LL + "voorvoegsel": _r(P),
    LL + "achternaam": _r(P),
    LL + "roepnaam": _r(P),
    LL + "geboortedatum": _r(P),
    LL + "geslacht": _r(P, omgezet=True),
    LL + "adresgeheim": _r(P),
    LL + "adreslijst": _r(P),
    LL + "adreslijst/adres/soortadres": _r(P, omgezet=True),
    LL + "adreslijst/adres/land": _r(P, omgezet=True),
    LL + "communicatielijst": _r(P),
    LL + "bsn": _r(P),
    LL + "onderwijsnummer": _r(P),
    LL + "adresbuitenland": _r(P),
    LL + "datuminschrijving": _r(P),
    LL + "onderwijssinds": _r(P),
    LL + "startdatumhuidigonderwijs": _r(P),
    LL + "datumuitschrijving": _r(P),
    LL + "leerlinggewicht": _r(P),
    LL + "huisarts": _r(P, omgezet=True),
    LL + "verzorger": _r(P),
    LL + "verzorger/geslacht": _r(P, omgezet=True),
    LL + "verzorger/adreslijst": _r(P, omgezet=True),
    LL + "verzorger/communicatielijst": _niet(
        P, "van een verzorger worden alleen telefoon en e-mail overgenomen"
    ),
    LL + "verzorger/communicatielijst/communicatie/nummer": _r(P),
    LL + "verzorger/geboortedatum": _niet(
        P, "de geboortedatum van een verzorger is niet nodig (dataminimalisatie)"
    ),
    LL + "verzorger/banknummer": _niet(
        P, "bankgegevens vraagt de school zelf, voor de eigen financiële administratie"
    ),
    LL + "verzorger/iban": _niet(
        P, "bankgegevens vraagt de school zelf, voor de eigen financiële administratie"
    ),
    LL + "geboortemaand": _niet(P, "alleen de geboortedatum wordt geregistreerd"),
    LL + "postcode4adres": _niet(P, "een postcode4-adres hoort niet in een overstapdossier"),
    LL + "gba": _niet(P, "naam en geboortedatum volgens de BRP: de school neemt die van de leerling over"),
    LL + "geboorteplaats": _niet(P, _MINIMAAL),
    LL + "nationaliteit": _niet(P, _MINIMAAL),
    LL + "leerlingid": _niet(P, "het leerlingnummer van de vorige school; de school geeft een eigen nummer"),
    LL + "teruggeplaatstnaarbrin": _niet(P, "alleen van belang bij terugplaatsing in het speciaal onderwijs"),
    LL + "nnca": _niet(P, _MINIMAAL),
    LL + "tehuis": _niet(P, _MINIMAAL),
    LL + "verzorgersaansprakelijk": _niet(P, "aansprakelijkheid wordt niet geregistreerd; de verzorgers wel"),
    LL + "aansprakelijkeinstelling": _niet(
        P, "aansprakelijkheid wordt niet geregistreerd; de verzorgers wel"
    ),
    LL + "vanpeuterspeelzaal": _niet(P, _VVE),
    LL + "naampeuterspeelzaal": _niet(P, _VVE),
    LL + "voorschools": _niet(P, _VVE),
    LL + "vroegschools": _niet(P, _VVE),
    # loopbaan
    LL + "schoolloopbaanlijst": _r(L),
    LL + "overstapadvies": _r(L),
    LL + "eindtoets_basisonderwijs": _r(L),
    LL + "eindtoets_basisonderwijs/eindtoetsresultaat/onderdelen": _r(L, omgezet=True),
    LL + "toetslijst": _r(L),
    LL + "toetslijst/toets/toetsonderdeel": _r(L, omgezet=True),
    LL + "toetslijst/toets/afname/afgenomendoor": _niet(L, _AFNAME),
    LL + "cijferlijstlijst": _r(L, omgezet=True),
    LL + "bevorderd": _r(L, omgezet=True),
    LL + "examenresultaat": _r(L, omgezet=True),
    LL + "resultaatvakkenvo": _r(L, omgezet=True),
    LL + "certificaat": _r(L, omgezet=True),
    LL + "competenties": _r(L, omgezet=True),
    LL + "stage": _r(L, omgezet=True),
    LL + "overigvombo": _r(L, omgezet=True),
    # begeleiding
    LL + "onderwijsondersteuning": _r(B),
    LL + "onderwijsondersteuning/rvc/signaleringlwoopro": _r(B, omgezet=True),
    LL + "zorg": _r(B, omgezet=True),
    LL + "zorg/artslijst/arts/adreslijst": _niet(B, _CONTACT),
    LL + "zorg/contactoverigeinstanties/instelling/adreslijst": _niet(B, _CONTACT),
    LL + "zorg/contactoverigeinstanties/instelling/communicatielijst": _niet(B, _CONTACT),
    LL + "zorg/contactoverigeinstanties/contactpersoon/adreslijst": _niet(B, _CONTACT),
    LL + "zorg/contactoverigeinstanties/contactpersoon/communicatielijst": _niet(B, _CONTACT),
    LL + "zorg/rvc/signaleringlwoopro": _r(B, omgezet=True),
    LL + "sefunctioneren": _r(B, omgezet=True),
    LL + "handelingsplanlijst": _r(B),
    LL + "verzuim": _r(B),
    LL + "overigdocumentlijst": _r(B),
}
# Attachments: wherever a <document> is, the begeleiding step lists it (the content stays in the
# stored dossier and is saved with `oso-tui bijlagen`, never unpacked).
DOCUMENT = Regel("registratie", B, omgezet=True)
ONBEKEND = "een veld dat oso-tui in deze versie niet kent"
ZORG_PREFIXEN = tuple(
    LL + n for n in ("zorg", "onderwijsondersteuning", "sefunctioneren", "handelingsplanlijst", "verzuim")
)


def regel_voor(plain: str) -> Regel:
    """The rule of a value at a path of local names without positions (longest prefix wins)."""
    if "/document/" in plain:
        return DOCUMENT
    from oso_tui.dossier.codes import doorstroomtoets

    if any(plain.startswith(LL + blok) for blok in doorstroomtoets().blok[1:]):
        return Regel("registratie", L, omgezet=True)  # a later version's name for the test block
    path = plain
    while True:
        found = REGELS.get(path)
        if found is not None:
            return found
        if "/" not in path:
            return _niet(P, ONBEKEND)
        path = path.rpartition("/")[0]


def bladeren(root: etree._Element) -> Iterator[tuple[str, str, str]]:
    """(path with positions, path without, value) of every leaf value below the root.

    The paths are built on the way down (as `path_of` writes them), so a list of many rows costs its
    length, not its length squared.
    """

    def walk(el: etree._Element, pad: str, plain: str) -> Iterator[tuple[str, str, str]]:
        for name, value in el.attrib.items():
            key = str(name)
            if not key.startswith("{") and str(value).strip():
                yield f"{pad}/@{key}", f"{plain}/@{key}", str(value).strip()
        kids = list(elements(el))
        if not kids:
            text = (el.text or "").strip()
            if text and el.getparent() is not None:
                yield pad, plain, text
            return
        names = [local(kid) for kid in kids]
        counts = Counter(names)
        seen: Counter[str] = Counter()
        for kid, name in zip(kids, names, strict=True):
            seen[name] += 1
            step = f"{name}[{seen[name]}]" if counts[name] > 1 else name
            yield from walk(kid, f"{pad}/{step}".lstrip("/"), f"{plain}/{name}".lstrip("/"))

    yield from walk(root, "", "")


def _regel_van(plain: str) -> Regel:
    return regel_voor(plain.partition("/@")[0]) if "/@" in plain else regel_voor(plain)


def niet_overgenomen(root: etree._Element) -> list[NietOvergenomen]:
    """Every value of the dossier that no step registers and the view does not show, with the reason."""
    found = []
    for pad, plain, waarde in bladeren(root):
        regel = _regel_van(plain)
        if regel.bestemming == "niet":
            zorg = plain.startswith(ZORG_PREFIXEN)
            found.append(
                NietOvergenomen(pad=pad, waarde=waarde, reden=regel.reden, stap=regel.stap, zorg=zorg)
            )
    return found


def gemaskeerd(items: list[NietOvergenomen], zorg_zichtbaar: bool) -> list[NietOvergenomen]:
    """The list as a user sees it: care values masked for users without the zorg role."""
    if zorg_zichtbaar:
        return items
    return [i.model_copy(update={"waarde": "(zorggegeven)"}) if i.zorg else i for i in items]
