"""The official OSO rules (XSLT 2.0 stylesheets in ../shared) run by saxonche, as a test oracle.

Each version's profile stylesheet includes its business rules (`include/ValideerOSOgegevensset_<v>.xsl`),
so one stylesheet per version and profile gives every official `Fout`: OV (overstapdossier and
overdracht binnen BRIN) and PaO (swv-dossier). 2016.1 has one stylesheet and no PaO profile yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from tests.dossier.conftest import official_folder

MELDINGEN = "{http://www.edustandaard.nl/oso_gegevensset/%s/schemas/Meldingen}"
_STEP = re.compile(r"/([^/\[]+)\[(\d+)\]")


@dataclass(frozen=True)
class Melding:
    """One official message: its type (Fout), the element path (our form) and the Dutch text."""

    type: str
    path: str
    tekst: str


def stylesheet(version: str, profile: str) -> Path | None:
    """The official stylesheet of a version and profile ("OV" or "PaO"), None when there is none."""
    folder = official_folder(version)
    names = {
        "OV": ("ValideerOverstapprofielen.xsl", "ValideerOSOprofielen.xsl"),
        "PaO": ("ValideerSwvPaO-profielen.xsl",),
    }[profile]
    for name in names:
        if (folder / name).is_file():
            return folder / name
    return None


def profile_of(raw: bytes) -> str:
    root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    soort = root.findtext("{*}overdrachtsoort")
    return "PaO" if soort == "swv-dossier" else "OV"


def _plain_path(locatie: str) -> str:
    """'/dossier[1]/huidigeschool[1]/leerling[1]/verzorger[2]' -> 'huidigeschool/leerling/verzorger[2]'."""
    steps = [name if index == "1" else f"{name}[{index}]" for name, index in _STEP.findall(locatie)]
    return "/".join(steps[1:])


@cache
def _processor() -> Any:
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@cache
def _executable(path: Path) -> Any:
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))


def run_official(raw: bytes, version: str, profile: str | None = None) -> list[Melding]:
    """Every message of the official rules of `version` for one dossier."""
    path = stylesheet(version, profile or profile_of(raw))
    if path is None:
        return []
    proc = _processor()
    node = proc.parse_xml(xml_text=raw.decode(_encoding(raw)))
    out = _executable(path).transform_to_string(xdm_node=node)
    root = etree.fromstring(out.encode("utf-8"))
    ns = MELDINGEN % version.split(".")[0]
    return [
        Melding(
            type=(m.findtext(f"{ns}type") or "").strip(),
            path=_plain_path((m.findtext(f"{ns}locatie") or "").strip()),
            tekst=" ".join((m.findtext(f"{ns}tekst") or "").split()),
        )
        for m in root.iter(f"{ns}melding")
    ]


def _encoding(raw: bytes) -> str:
    match = re.match(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""", raw)
    return match[1].decode("ascii") if match else "utf-8"


@cache
def official_schema(version: str) -> etree.XMLSchema | None:
    xsd = official_folder(version) / "OSO_gegevensset.xsd"
    return etree.XMLSchema(etree.parse(str(xsd))) if xsd.is_file() else None


def saxon_available() -> bool:
    try:
        import saxonche  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Verdict:
    """What the official schema and rules say of one dossier: the schema errors, then the rules' `Fout`s.

    The rules run only on a schema-valid dossier, as the standard intends (the stylesheets assume the
    schema: on an invalid dossier they may stop with a type error).
    """

    schema_errors: list[str]
    fouten: list[Melding]

    @property
    def valid(self) -> bool:
        return not self.schema_errors and not self.fouten


def official_verdict(raw: bytes, version: str) -> Verdict | None:
    """The official verdict, or None when this version's official files are absent."""
    schema = official_schema(version)
    if schema is None:
        return None
    root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    if not schema.validate(root):
        return Verdict([f"{e.line}: {e.message}" for e in schema.error_log], [])
    return Verdict([], [m for m in run_official(raw, version) if m.type == "Fout"])


@dataclass(frozen=True)
class Verschil:
    """A deliberate difference: official `Fout`s whose text matches `patroon` are, in oso-tui, a
    `waarschuwing` at the same element ("waarschuwing") or not reported ("genegeerd"), for `reden`."""

    patroon: str
    product: str
    reden: str


VERSCHILLEN: tuple[Verschil, ...] = (
    Verschil(
        r"waarde die niet voorkomt in (in )?codelijst|waarde die niet gelijk is aan",
        "waarschuwing",
        "codelijsten veranderen per jaar; een onbekende of lege code wordt bewaard en zo getoond",
    ),
    Verschil(
        r"validatieversie is niet correct|correcte aanduiding voor deze versie",
        "genegeerd",
        "de validatieversie is een kenmerk van het pakket van de school; oso-tui kiest de versie op de "
        "namespace en meldt een standaardversie die daar niet bij past als waarschuwing",
    ),
    Verschil(
        r"minimaal één (adres|set communicatiegegevens) verplicht bij een school",
        "genegeerd",
        "adres en contact van de vorige school worden niet geregistreerd",
    ),
    Verschil(
        r"code van de leerling in de schooladministratie|Inschrijfdatum is verplicht",
        "genegeerd",
        "leerlingid en inschrijfdatum van de vorige school zijn niet nodig om in te schrijven",
    ),
    Verschil(
        r"aanduiding of verzorgers wel of niet aansprakelijk|Aansprakelijke instelling is verplicht",
        "genegeerd",
        "aansprakelijkheid wordt niet geregistreerd; de verzorgers zelf wel",
    ),
    Verschil(
        r"aanduiding of contact wel of niet nodig",
        "genegeerd",
        "zonder aanduiding is er geen contactverzoek; de rest van het advies blijft bruikbaar",
    ),
    Verschil(
        r"Inzagedatum' verplicht|ouders het wel of niet eens zijn|'Toestemming' .*verplicht|"
        r"indicatie 'adres geheim' verplicht|Nederlands of buitenlands adres is verplicht|"
        r"gegevensblok 'Overstapadvies'|Advies VO is verplicht|Contactpersoon verplicht|"
        r"Telefoonnummer verplicht|Minimaal één schoolloopbaan|Minimaal één verzorger is verplicht|"
        r"toetsresultaat moet minimaal|toetsscore moet minimaal|score moet minimaal|"
        r'blok "Categorie uitlevering"|e-mail adres|moet gegevens uit de categorie .* bevatten|'
        r"eindtoets.*(verplicht|ontbreekt)|soort overstap|Soort overstap",
        "waarschuwing",
        "onvolledige gegevens die een stap gebruikt: registreren kan, de school ziet de waarschuwing "
        "en bevestigt die; een weigering zou de inschrijving tegenhouden om een vergissing van de "
        "toeleverende school",
    ),
    Verschil(
        r'Soort overdracht heeft waarde|SWV-dossier moet de aanduiding "swv-dossier"',
        "blokkade",
        "een dossier van een andere soort is geen fout van dat dossier: oso-tui meldt het als niet te "
        "registreren (blokkade) en zet het bij ophalen opzij",
    ),
)


PAO = Verschil(
    r"SWV",
    "blokkade",
    "oso-tui registreert geen dossier voor een samenwerkingsverband: het meldt het als niet te "
    "registreren en zet het bij ophalen opzij; de PaO-profielregels over de inhoud zijn aan het "
    "systeem van het samenwerkingsverband (alleen een BSN of onderwijsnummer, dat er niet in hoort, is "
    "ook bij oso-tui een fout)",
)
TR04 = Verschil(
    r"Alleen toetsen uit het huidige en twee voorgaande schooljaren",
    "waarschuwing",
    "de stylesheets van 2017.1 tot en met 2019.1 komen nooit bij <toets>, die van 2016.1 wel: oso-tui "
    "waarschuwt in elke versie en neemt zo'n oude toets niet over",
)


def verschil_voor(tekst: str, profiel: str = "OV") -> Verschil | None:
    """The deliberate difference for one official message (in a PaO dossier: PAO)."""
    if profiel == "PaO":
        return PAO
    return next((v for v in (TR04, *VERSCHILLEN) if re.search(v.patroon, tekst)), None)


def related(official_path: str, product_path: str) -> bool:
    """Whether two element paths point at the same element or one lies inside the other."""
    a = [s for s in official_path.split("/") if s]
    b = [s.removesuffix("[1]") for s in product_path.split("/") if s]
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]
