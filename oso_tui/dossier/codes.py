"""The code lists of the OSO standard, with the Dutch labels oso-tui shows.

Which codes are valid comes from the official validation (ValideerOSOgegevensset.xsl, 2019.1); a
dossier with a code outside a list is still read: the code is kept and shown as itself, with a warning.
Labels are only given where the standard's own files or the general definitions (ICD-10 for diagnoses)
state them; the advice labels live in `oso_tui/data/adviescodes.toml`, which a school can correct.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType

_ADVIES_FILE = resources.files("oso_tui.data").joinpath("adviescodes.toml")
ADVIES_ENV = "OSO_TUI_ADVIESCODES"


@dataclass(frozen=True)
class CodeList:
    """One code list: its number in "OSO codelijsten", a Dutch name, and code -> label ('' if unknown)."""

    nummer: int
    naam: str
    codes: Mapping[str, str]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def label(self, code: str | None) -> str:
        """The Dutch label, or the code itself when there is no label (also for unknown codes)."""
        if code is None:
            return ""
        return self.codes.get(code) or code


def _list(nummer: int, naam: str, codes: dict[str, str]) -> CodeList:
    return CodeList(nummer, naam, MappingProxyType(codes))


def _plain(nummer: int, naam: str, codes: str) -> CodeList:
    return _list(nummer, naam, dict.fromkeys(codes.split(), ""))


GESLACHT = _list(14, "geslacht", {"0": "onbekend", "1": "vrouw", "2": "man"})
COMMUNICATIE_SOORT = _list(4, "communicatie soort", {"e-mail": "e-mail", "telefoon": "telefoon"})
COMMUNICATIE_AANDUIDING = _list(
    5, "communicatie aanduiding", {"werk": "werk", "prive": "privé", "overig": "overig"}
)
VOORSCHOOLSE_TOELEIDER = _plain(6, "voorschoolse toeleider", "1 2 3 4 5 6 7 8 9")
VOORSCHOOLSE_HISTORIE = _plain(7, "voorschoolse historie", "1 2 3 4 5")
VOORSCHOOLSE_DEELNAME = _plain(8, "voorschoolse deelname", "1 2 3 4 5")
VVE_PROGRAMMA = _plain(9, "VVE-programma", " ".join(str(n) for n in range(1, 16)))
NNCA = _plain(10, "NNCA", "0 1 2")
REFERENTIESCORE = _plain(
    11,
    "code referentiescore",
    "AE CAE IV CIV FN ON DLE Percentiel Percentage T-score Stanine DQ IQ ERK C-score Norm RNTRM ZML LGH AVI "
    "NAZ LM Standaardscore LA",
)
JAARGROEP = _plain(13, "jaargroep", "0 1 2 3 4 5 6 7 8 11 12 13 14 15 16 S P")
LEERLINGGEWICHT = _plain(15, "leerlinggewicht", "0.00 0.30 1.20")
OVERSTAP = _list(
    16,
    "soort overstap",
    {
        "VSPO": "",
        "VSWEC": "",
        "POPO": "basisschool naar basisschool",
        "POWEC": "",
        "POVO": "basisschool naar voortgezet onderwijs",
        "VOVO": "voortgezet naar voortgezet onderwijs",
        "VOMBO": "voortgezet onderwijs naar mbo",
        "VOHBO": "voortgezet onderwijs naar hbo",
        "VOWO": "voortgezet onderwijs naar wo",
        "WECWEC": "",
        "WECVO": "",
        "WECMBO": "",
        "POSWV": "basisschool naar samenwerkingsverband",
        "VOSWV": "voortgezet onderwijs naar samenwerkingsverband",
        "WECHBO": "",
        "WECWO": "",
        "OVERIG": "overig",
    },
)
SINDS: Mapping[tuple[int, str], int] = MappingProxyType(
    {(16, "POSWV"): 2017, (16, "VOSWV"): 2017, (29, "swv-dossier"): 2017}
)
"""Codes a list got in a later version, by (list number, code): the year of the first version that
knows them (dossiers for a samenwerkingsverband came with 2017.1). In an older dossier they are unknown."""


@cache
def nog_niet(jaar: int) -> frozenset[tuple[int, str]]:
    """The (list number, code) pairs the version of year `jaar` does not know yet (mostly none)."""
    return frozenset(key for key, sinds in SINDS.items() if sinds > jaar)


RVC_INDICATIE = _plain(17, "RVC-indicatie", "LWOO PRO")
HUISNUMMER_AANDUIDING = _list(18, "huisnummeraanduiding", {"TO": "tegenover", "BY": "bij"})
SOORT_ADRES = _list(
    19, "soort adres", {"bezoek": "woonadres", "post": "postadres", "gba": "adres volgens BRP"}
)
PROFIEL = _plain(21, "profiel", "basis plus bespreek disharmonisch ondersteuning")
VERGELIJKINGSGROEP = _plain(22, "vergelijkingsgroep", "BB+ BB KB GT HAVO VWO Landelijk")
DIAGNOSE = _list(
    23,
    "diagnose",
    {
        "F79.VB": "verstandelijke beperking",
        "F79.ZB": "zwakbegaafdheid",
        "HB": "hoogbegaafdheid",
        "F80": "taalontwikkelingsstoornis (TOS)",
        "F81.0": "dyslexie",
        "F81.1": "spellingstoornis",
        "F81.2": "dyscalculie",
        "F81.9": "leerstoornis",
        "F82": "motorische ontwikkelingsstoornis",
        "F84": "autismespectrumstoornis",
        "F84.0": "autisme",
        "F84.2": "syndroom van Rett",
        "F84.5": "syndroom van Asperger",
        "F84.nld": "NLD",
        "F84.mcdd": "MCDD",
        "F90": "ADHD",
        "F90.0": "ADHD/ADD",
        "F90.0+": "ADHD/ADD met medicijnen",
        "F90.0-": "ADHD/ADD zonder medicijnen",
        "F91": "gedragsstoornis",
        "F91.3": "oppositioneel-opstandige gedragsstoornis (ODD)",
        "F95": "ticstoornis",
        "F95.2": "syndroom van Gilles de la Tourette",
        "F41.0": "paniekstoornis",
        "F43.1": "posttraumatische stressstoornis (PTSS)",
        "F43.2": "aanpassingsstoornis",
        "F50": "eetstoornis",
        "F92.0": "depressieve gedragsstoornis",
        "F93.1": "fobische angststoornis",
        "F94": "stoornis in het sociaal functioneren",
        "Fspd": "",
        "G40": "epilepsie",
        "H54.0": "blind",
        "H54.2": "slechtziend",
        "H91.9.d": "doof",
        "H91.9.s": "slechthorend",
        "Z62": "opvoedingsproblemen",
    },
)
OVERDRACHTSOORT = _list(
    29,
    "soort overdracht",
    {
        "overstapdossier": "overstapdossier",
        "overdrachtbinnenbrin": "overdracht binnen dezelfde BRIN",
        "swv-dossier": "dossier voor het samenwerkingsverband",
    },
)
TLV_CATEGORIE = _list(
    31, "TLV-bekostigingscategorie", {"H": "hoog", "M": "midden", "L": "laag", "Nvt": "n.v.t."}
)
EXAMENUITSLAG = _plain(35, "examenuitslag", "geslaagd afgewezen herexamen")
BEOORDELING_EXAMENVAK = _plain(36, "beoordeling examenvak", "voldoende onvoldoende")
AKKOORD = _list(37, "akkoord", {"Ja": "ja", "Nee": "nee", "Onbekend": "onbekend"})
RELATIE_TOT_KIND = _list(
    41,
    "relatie tot kind",
    {
        "1": "vader",
        "2": "moeder",
        "3": "voogd",
        "4": "",
        "5": "anders",
        "6": "adoptiefmoeder",
        "7": "biologische moeder",
        "8": "",
        "9": "",
    },
)
TOETSSOORT = _list(
    42,
    "soort eindtoets",
    {"0011": "Centrale Eindtoets (CET)", "0012": "Route 8", "0013": "IEP Eindtoets", "0014": "", "0016": ""},
)
TOETSNIVEAU = _plain(43, "toetsniveau eindtoets", "G")
WETTELIJKE_ONTHEFFING = _list(44, "wettelijke ontheffing", {"J": "ja", "N": "nee"})
REFERENTIENIVEAU = _list(45, "referentieniveau", {"01": "lager dan 1F", "02": "1F", "03": "2F", "04": "1S"})
ONDERDEELCODE = _list(46, "onderdeel eindtoets", {"8000": "Nederlandse taal", "8001": "rekenen"})
DOMEINCODE = _list(47, "domein eindtoets", {"8050": "lezen", "8051": "taalverzorging"})
CATEGORIE = _list(
    48,
    "categorie uitlevering",
    {
        "VERPLICHT": "verplicht",
        "OPTIONEEL": "optioneel",
        "VERBODEN": "verboden",
        "OPT-UIT": "uitgezet (opt-out)",
    },
)

# Categories of selective delivery (metadata/categorie_uitlevering), without the "cat_" prefix:
# label, and the elements (paths below the root) that belong to the category.
_LL = "huidigeschool/leerling/"
_OO = _LL + "onderwijsondersteuning/"
CATEGORIEEN: Mapping[str, tuple[str, tuple[str, ...]]] = MappingProxyType(
    {
        "metadata": ("Metadata", ("metadata", "overdrachtsoort")),
        "ouderinzage": ("Ouderinzage", ("inzage",)),
        "school": ("School", ()),
        "leerling": ("Leerling", ()),
        "oudersverzorgers": (
            "Ouders/verzorgers",
            (_LL + "verzorgersaansprakelijk", _LL + "verzorger", _LL + "aansprakelijkeinstelling"),
        ),
        "vve": (
            "VVE",
            (
                _LL + "vanpeuterspeelzaal",
                _LL + "naampeuterspeelzaal",
                _LL + "voorschools",
                _LL + "vroegschools",
            ),
        ),
        "schoolloopbaan": ("Schoolloopbaan", (_LL + "schoolloopbaanlijst",)),
        "overstapadvies": ("Overstapadvies", (_LL + "overstapadvies",)),
        "onderwijsondersteuning": (
            "Onderwijsondersteuning",
            tuple(
                _OO + n
                for n in (
                    "toelichting_onderwijsbehoeften",
                    "diagnose",
                    "medicijngebruik",
                    "opp",
                    "tlv",
                    "arrangement_cluster12",
                    "arrangement_pao",
                    "lwoo",
                    "rvc",
                )
            ),
        ),
        "zorgenbegeleiding": ("Zorg en begeleiding", (_LL + "zorg", _LL + "sefunctioneren")),  # until 2018.1
        "verzuim": ("Verzuim", (_LL + "verzuim",)),
        "eindtoetsbo": ("Eindtoets basisonderwijs", (_LL + "eindtoets_basisonderwijs",)),
        "toetsresultaten": ("Toetsresultaten", (_LL + "toetslijst",)),
        "handelingsplannen": ("Handelingsplannen", (_OO + "handelingsplan", _LL + "handelingsplanlijst")),
        "cijferlijsten": ("Cijferlijsten", (_LL + "cijferlijstlijst",)),
        "vombo": (
            "VO-MBO",
            tuple(
                _LL + n
                for n in (
                    "bevorderd",
                    "examenresultaat",
                    "resultaatvakkenvo",
                    "certificaat",
                    "competenties",
                    "stage",
                    "overigvombo",
                )
            ),
        ),
        "bijlagedocs": ("Bijlagedocumenten", (_LL + "overigdocumentlijst",)),
    }
)


def _read_advies_file(path: Traversable) -> dict[str, str]:
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle).get("advies", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {str(k): str(v) for k, v in table.items() if isinstance(v, str)}


def _school_advies_file() -> Path | None:
    explicit = os.environ.get(ADVIES_ENV)
    if explicit:
        return Path(explicit)
    config = os.environ.get("OSO_TUI_CONFIG")
    if config:
        return Path(config).parent / "adviescodes.toml"
    from platformdirs import user_config_path

    return user_config_path("oso-tui", appauthor=False) / "adviescodes.toml"


def _table(path: Traversable, name: str) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle).get(name, {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {str(k): v for k, v in table.items()} if isinstance(table, dict) else {}


@cache
def advies_rang() -> Mapping[str, int]:
    """How high each advice code is ([rangorde] in adviescodes.toml, the school's file first)."""
    rang = {k: v for k, v in _table(_ADVIES_FILE, "rangorde").items() if isinstance(v, int)}
    school = _school_advies_file()
    if school is not None and school.is_file():
        rang.update({k: v for k, v in _table(school, "rangorde").items() if isinstance(v, int)})
    return MappingProxyType(rang)


def lager_advies(nieuw: str | None, oud: str | None) -> bool:
    """Whether advice `nieuw` is lower than `oud` (False when either has no rank)."""
    rang = advies_rang()
    return nieuw in rang and oud in rang and rang[nieuw] < rang[oud]  # type: ignore[index]


_TOETS_FILE = resources.files("oso_tui.data").joinpath("doorstroomtoets.toml")
TOETS_ENV = "OSO_TUI_DOORSTROOMTOETS"


@dataclass(frozen=True)
class Doorstroomtoets:
    """How the eind-/doorstroomtoets is read: element names, test labels, referentieniveau labels."""

    blok: tuple[str, ...]
    resultaat: tuple[str, ...]
    referentieniveau: tuple[str, ...]
    toetsen: Mapping[str, str]
    niveaus: Mapping[str, str]

    def toets_label(self, code: str | None) -> str | None:
        return (self.toetsen.get(code) or None) if code else None

    def niveau(self, code: str | None) -> str | None:
        """A referentieniveau as a school reads it (<1F, 1F, 1S, 2F, verhinderd); else the code."""
        return (self.niveaus.get(code) or code) if code else None


@cache
def doorstroomtoets() -> Doorstroomtoets:
    """The shipped doorstroomtoets.toml, extended by the school's own file where present."""
    files: list[Traversable] = [_TOETS_FILE]
    explicit = os.environ.get(TOETS_ENV)
    advies = _school_advies_file()
    school = Path(explicit) if explicit else advies.with_name("doorstroomtoets.toml") if advies else None
    if school is not None and school.is_file():
        files.append(school)
    names: dict[str, list[str]] = {"blok": [], "resultaat": [], "referentieniveau": []}
    toetsen: dict[str, str] = {}
    niveaus: dict[str, str] = {}
    for path in reversed(files):  # the school's names first, then the shipped ones
        for key, value in _table(path, "elementen").items():
            if key in names and isinstance(value, list):
                names[key] += [str(v) for v in value if str(v) not in names[key]]
    for path in files:  # the school's labels win
        toetsen.update({k: str(v) for k, v in _table(path, "toetsen").items() if isinstance(v, str)})
        niveaus.update(
            {k: str(v) for k, v in _table(path, "referentieniveaus").items() if isinstance(v, str)}
        )
    return Doorstroomtoets(
        blok=tuple(names["blok"]) or ("eindtoets_basisonderwijs",),
        resultaat=tuple(names["resultaat"]) or ("eindtoetsresultaat",),
        referentieniveau=tuple(names["referentieniveau"]) or ("ond_referentieniveau",),
        toetsen=MappingProxyType(toetsen),
        niveaus=MappingProxyType(niveaus),
    )


@cache
def advies_codes() -> CodeList:
    """Code list 2 (advies VO) with the shipped labels, overridden by the school's own file if present."""
    labels = _read_advies_file(_ADVIES_FILE)
    school = _school_advies_file()
    if school is not None and school.is_file():
        labels.update({k: v for k, v in _read_advies_file(school).items() if k in labels and v})
    return _list(2, "advies VO", labels)


def advies_label(code: str | None) -> str:
    """How to show an advice code: its label, or "advies 21" when no label is known."""
    if code is None:
        return ""
    label = advies_codes().codes.get(code)
    return label if label else f"advies {code}"


def geslacht_label(code: str | None) -> str:
    """Geslacht per OSO (0 onbekend, 1 vrouw, 2 man); other standards use other codes, so map explicitly."""
    return GESLACHT.label(code)


def categorie_label(naam: str) -> str:
    return CATEGORIEEN[naam][0] if naam in CATEGORIEEN else naam


# Which code list each coded element follows: (parent local name or "" for any, element, list, Dutch field).
CodeField = tuple[str, str, CodeList | None, str]
CODE_FIELDS: tuple[CodeField, ...] = (
    ("overstapadvies", "advies", None, "VO-advies van de school"),
    ("overstapadvies", "wensouders", None, "VO-advies volgens de ouders"),
    ("overstapadvies", "wensleerling", None, "VO-advies volgens de leerling"),
    ("overstapadvies", "herzienadvies", None, "herzien VO-advies"),
    ("overstapadvies", "profiel", PROFIEL, "profiel in het overstapadvies"),
    ("communicatie", "soort", COMMUNICATIE_SOORT, "soort communicatie"),
    ("communicatie", "aanduiding", COMMUNICATIE_AANDUIDING, "aanduiding communicatie"),
    ("voorschools", "codevoorschoolsetoeleider", VOORSCHOOLSE_TOELEIDER, "voorschoolse toeleider"),
    ("voorschools", "codevoorschoolsehistorie", VOORSCHOOLSE_HISTORIE, "voorschoolse historie"),
    ("voorschools", "codevoorschoolsedeelname", VOORSCHOOLSE_DEELNAME, "voorschoolse deelname"),
    ("voorschools", "codevoorschoolsprogramma", VVE_PROGRAMMA, "voorschools programma"),
    ("vroegschools", "codevroegschoolsprogramma", VVE_PROGRAMMA, "vroegschools programma"),
    ("leerling", "nnca", NNCA, "NNCA"),
    ("referentiescore", "codereferentiescore", REFERENTIESCORE, "code referentiescore"),
    ("referentiescore", "codevergelijkingsgroep", VERGELIJKINGSGROEP, "vergelijkingsgroep"),
    ("", "jaargroep", JAARGROEP, "jaargroep"),
    ("", "geslacht", GESLACHT, "geslacht"),
    ("leerling", "leerlinggewicht", LEERLINGGEWICHT, "leerlinggewicht"),
    ("metadata", "overstap", OVERSTAP, "soort overstap"),
    ("rvc", "rvcindicatie", RVC_INDICATIE, "RVC-indicatie"),
    ("adres", "aanduiding", HUISNUMMER_AANDUIDING, "huisnummeraanduiding"),
    ("adres", "soortadres", SOORT_ADRES, "soort adres"),
    ("diagnose", "code", DIAGNOSE, "diagnosecode"),
    ("dossier", "overdrachtsoort", OVERDRACHTSOORT, "soort overdracht"),
    ("tlv", "tlvcategorie", TLV_CATEGORIE, "TLV-bekostigingscategorie"),
    ("examenresultaat", "examenuitslag", EXAMENUITSLAG, "examenuitslag"),
    ("resultaatvakkenvo", "beoordelingexamenvak", BEOORDELING_EXAMENVAK, "beoordeling examenvak"),
    ("inzage", "akkoord", AKKOORD, "akkoord"),
    ("inzage", "toestemming", AKKOORD, "toestemming"),
    ("verzorger", "relatietotkind", RELATIE_TOT_KIND, "relatie tot kind"),
    ("eindtoetsresultaat", "toetssoort", TOETSSOORT, "soort eindtoets"),
    ("eindtoetsresultaat", "toetsniveau", TOETSNIVEAU, "toetsniveau eindtoets"),
    ("eindtoetsresultaat", "wettelijke_ontheffing", WETTELIJKE_ONTHEFFING, "wettelijke ontheffing"),
    ("onderdeel", "ond_referentieniveau", REFERENTIENIVEAU, "referentieniveau onderdeel"),
    ("domein", "dom_referentieniveau", REFERENTIENIVEAU, "referentieniveau domein"),
    ("onderdeel", "onderdeelcode", ONDERDEELCODE, "onderdeelcode eindtoets"),
    ("domein", "domeincode", DOMEINCODE, "domeincode eindtoets"),
)
