"""The OSO business rules that matter for an overstapdossier, transcribed for the tests.

The official rules live in ValideerOSOgegevensset.xsl and ValideerOverstapprofielen.xsl (XSLT 2.0,
which lxml cannot run). This transcription checks the sample and generated dossiers independently
of the project's own reader, so they can be trusted as fixtures for it. Rule ids are the XSL's
(OVa.*, OG.*, OS.catNN, "codelijst N"), plus "elfproef" and "onderwijsnummer" for the PGN checks.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from oso_tui.dossier.identifiers import is_valid_bsn, is_valid_onderwijsnummer

CATEGORIEEN = (
    "cat_metadata", "cat_ouderinzage", "cat_school", "cat_leerling", "cat_oudersverzorgers", "cat_vve",
    "cat_schoolloopbaan", "cat_overstapadvies", "cat_onderwijsondersteuning", "cat_verzuim",
    "cat_eindtoetsbo", "cat_toetsresultaten", "cat_handelingsplannen", "cat_cijferlijsten", "cat_vombo",
    "cat_bijlagedocs",
)  # fmt: skip
# Paths below leerling that belong to a category (rules OS.cat05 .. OS.cat16).
CATEGORIE_PADEN = {
    "cat_oudersverzorgers": ("verzorgersaansprakelijk", "verzorger", "aansprakelijkeinstelling"),
    "cat_vve": ("vanpeuterspeelzaal", "naampeuterspeelzaal", "voorschools", "vroegschools"),
    "cat_schoolloopbaan": ("schoolloopbaanlijst",),
    "cat_overstapadvies": ("overstapadvies",),
    "cat_onderwijsondersteuning": tuple(
        f"onderwijsondersteuning/{name}"
        for name in [
            "toelichting_onderwijsbehoeften",
            "diagnose",
            "medicijngebruik",
            "opp",
            "tlv",
            "arrangement_cluster12",
            "arrangement_pao",
            "lwoo",
            "rvc",
        ]
    ),
    "cat_verzuim": ("verzuim",),
    "cat_eindtoetsbo": ("eindtoets_basisonderwijs",),
    "cat_toetsresultaten": ("toetslijst",),
    "cat_handelingsplannen": ("onderwijsondersteuning/handelingsplan",),
    "cat_cijferlijsten": ("cijferlijstlijst",),
    "cat_vombo": tuple(
        [
            "bevorderd",
            "examenresultaat",
            "resultaatvakkenvo",
            "certificaat",
            "competenties",
            "stage",
            "overigvombo",
        ]
    ),
    "cat_bijlagedocs": ("overigdocumentlijst",),
}
# fmt: off
ADVIES = {
    "01", "10", "20", "21", "22", "23", "30", "31", "32", "33", "34", "35", "40", "41", "42", "43", "44",
    "50", "51", "52", "60", "61", "70", "80",
}
DIAGNOSE = {
    "F79.VB", "F79.ZB", "HB", "F80", "F81.0", "F81.1", "F81.2", "F81.9", "F82", "F84", "F84.0", "F84.2",
    "F84.5", "F84.nld", "F84.mcdd", "F90", "F90.0", "F90.0+", "F90.0-", "F91", "F91.3", "F95", "F95.2",
    "F41.0", "F43.1", "F43.2", "F50", "F92.0", "F93.1", "F94", "Fspd", "G40", "H54.0", "H54.2", "H91.9.d",
    "H91.9.s", "Z62",
}
JAARGROEP = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "11", "12", "13", "14", "15", "16", "S", "P"}
REFERENTIESCORE = {
    "AE", "CAE", "IV", "CIV", "FN", "ON", "DLE", "Percentiel", "Percentage", "T-score", "Stanine", "DQ", "IQ",
    "ERK", "C-score", "Norm", "RNTRM", "ZML", "LGH", "AVI", "NAZ", "LM", "Standaardscore", "LA",
}
# fmt: on
PROFIEL = {"basis", "plus", "bespreek", "disharmonisch", "ondersteuning"}
EMAIL = re.compile(
    r"[a-zA-Z0-9!#$%*+=?^_`{|}~.-]+@[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$"
)
# Code lists checked value by value: (path pattern from the root, allowed values, rule id).
CODELIJSTEN: tuple[tuple[str, set[str], str], ...] = (
    (".//{*}overstapadvies/{*}advies", ADVIES, "codelijst 2"),
    (".//{*}overstapadvies/{*}wensouders", ADVIES, "codelijst 2"),
    (".//{*}overstapadvies/{*}wensleerling", ADVIES, "codelijst 2"),
    (".//{*}overstapadvies/{*}herzienadvies", ADVIES, "codelijst 2"),
    (
        ".//{*}overstapadvies/{*}profiel",
        {"basis", "plus", "bespreek", "disharmonisch", "ondersteuning"},
        "codelijst 21",
    ),
    (".//{*}communicatie/{*}soort", {"e-mail", "telefoon"}, "codelijst 4"),
    (".//{*}communicatie/{*}aanduiding", {"werk", "prive", "overig"}, "codelijst 5"),
    (".//{*}jaargroep", JAARGROEP, "codelijst 13"),
    (".//{*}geslacht", {"0", "1", "2"}, "codelijst 14"),
    (".//{*}metadata/{*}overstap", {"POPO", "POVO", "VOVO"}, "OVa.OS02"),
    (".//{*}adres/{*}soortadres", {"bezoek", "post", "gba"}, "codelijst 19"),
    (".//{*}diagnose/{*}code", DIAGNOSE, "codelijst 23"),
    (".//{*}referentiescore/{*}codereferentiescore", REFERENTIESCORE, "codelijst 11"),
    (
        ".//{*}referentiescore/{*}codevergelijkingsgroep",
        {"BB+", "BB", "KB", "GT", "HAVO", "VWO", "Landelijk"},
        "codelijst 22",
    ),
    (".//{*}overdrachtsoort", {"overstapdossier"}, "OVa.OS03"),
    (".//{*}inzage/{*}akkoord", {"Ja", "Nee", "Onbekend"}, "codelijst 37"),
    (".//{*}inzage/{*}toestemming", {"Ja", "Nee", "Onbekend"}, "codelijst 37"),
    (".//{*}verzorger/{*}relatietotkind", {str(n) for n in range(1, 10)}, "codelijst 41"),
    (".//{*}eindtoetsresultaat/{*}toetssoort", {"0011", "0012", "0013", "0014", "0016"}, "codelijst 42"),
    (".//{*}eindtoetsresultaat/{*}toetsniveau", {"G"}, "codelijst 43"),
    (".//{*}eindtoetsresultaat/{*}wettelijke_ontheffing", {"J", "N"}, "codelijst 44"),
    (".//{*}ond_referentieniveau", {"01", "02", "03", "04"}, "codelijst 45"),
    (".//{*}dom_referentieniveau", {"01", "02", "03", "04"}, "codelijst 45"),
    (".//{*}onderdeelcode", {"8000", "8001"}, "codelijst 46"),
    (".//{*}domeincode", {"8050", "8051"}, "codelijst 47"),
    (".//{*}metadata/{*}deeldossier", {"LAS", "LASLVS"}, "OVa.MD01"),
    (".//{*}metadata/{*}standaardversie", {"2019.1"}, "OG.02"),
    (".//{*}metadata/{*}validatieversie", {"2019.1.1"}, "OVa.MD02"),
)


def has(element: etree._Element, path: str) -> bool:
    return element.find("/".join(f"{{*}}{part}" for part in path.split("/"))) is not None


def value(element: etree._Element, path: str) -> str | None:
    found = element.find("/".join(f"{{*}}{part}" for part in path.split("/")))
    return None if found is None else (found.text or "")


def schooljaar_start(day: date) -> date:
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def rule_violations(root: etree._Element) -> list[str]:
    """The ids of the rules a POVO/VOVO overstapdossier breaks (empty for a good dossier)."""
    found: list[str] = []
    leerling = root.find("{*}huidigeschool/{*}leerling")
    school = root.find("{*}huidigeschool")
    assert leerling is not None and school is not None
    overstap = value(root, "metadata/overstap")
    datum = date.fromisoformat(value(root, "metadata/datum") or "")

    for path, allowed, rule in CODELIJSTEN:
        found += [rule for element in root.iterfind(path) if element.text not in allowed]
    for communicatie in root.iterfind(".//{*}communicatie"):
        soort, nummer = value(communicatie, "soort"), value(communicatie, "nummer") or ""
        if soort == "e-mail" and not EMAIL.match(nummer):
            found.append("OG.01")
        if value(communicatie, "geheim") == "true" and nummer not in ("9999999999", "geheim@geheim.geheim"):
            found.append("OVa.LL08")

    categorieen = root.find("{*}metadata/{*}categorie_uitlevering")
    if categorieen is None:
        found.append("OVa.MD03")
    else:
        for index, naam in enumerate(CATEGORIEEN, start=1):
            stand = value(categorieen, naam)
            if stand not in ("VERPLICHT", "OPTIONEEL", "VERBODEN", "OPT-UIT"):
                found.append("codelijst 48")
            aanwezig = any(has(leerling, path) for path in CATEGORIE_PADEN.get(naam, ()))
            if naam in CATEGORIE_PADEN and (
                (stand in ("VERBODEN", "OPT-UIT") and aanwezig) or (stand == "VERPLICHT" and not aanwezig)
            ):
                found.append(f"OS.cat{index:02d}")

    inzage = root.find("{*}inzage")
    if inzage is None:
        found.append("OVa.IZ01")
    else:
        if value(inzage, "inzage") not in ("true", "1"):
            found.append("OVa.IZ02")
        elif not has(inzage, "inzagedatum"):
            found.append("OVa.IZ03")
        if not has(inzage, "akkoord"):
            found.append("OVa.IZ04")
    if overstap == "VOVO" and not has(root, "inzage/toestemming"):
        found.append("OVa.IZ05")
    if not has(school, "adreslijst/adres"):
        found.append("OVa.SL01-school")
    if not has(school, "communicatielijst/communicatie"):
        found.append("OVa.SL02")

    checks: list[tuple[bool, str]] = [
        (has(leerling, "voornaam"), "OVa.LL01"),
        (has(leerling, "geboortedatum"), "OVa.LL02"),
        (not has(leerling, "geboortemaand"), "OVa.LL03"),
        (has(leerling, "adresgeheim"), "OVa.LL04"),
        (not has(leerling, "postcode4adres"), "OVa.LL07"),
        (not has(leerling, "geboorteplaats"), "OVa.LL10"),
        (not has(leerling, "nationaliteit"), "OVa.LL11"),
        (has(leerling, "bsn") or has(leerling, "onderwijsnummer"), "OVa.LL12"),
        (overstap != "POVO" or has(leerling, "leerlingid"), "OVa.LL13"),
        (has(leerling, "datuminschrijving"), "OVa.LL14"),
        (has(leerling, "verzorgersaansprakelijk"), "OVa.LL15"),
        (has(leerling, "schoolloopbaanlijst/schoolloopbaan"), "OVa.SL01"),
        (has(leerling, "overstapadvies"), "OVa.OA01"),
        (not has(leerling, "voorschools") and not has(leerling, "vroegschools"), "OVa.VV01"),
    ]
    found += [rule for ok, rule in checks if not ok]
    geheim = value(leerling, "adresgeheim") == "true"
    if geheim and (has(leerling, "adreslijst/adres") or has(leerling, "adresbuitenland")):
        found.append("OVa.LL06")
    if not geheim and not has(leerling, "adreslijst/adres") and not has(leerling, "adresbuitenland"):
        found.append("OVa.LL05")
    bsn, onderwijsnummer = value(leerling, "bsn"), value(leerling, "onderwijsnummer")
    if bsn is not None and not is_valid_bsn(bsn):
        found.append("elfproef")
    if onderwijsnummer is not None and not is_valid_onderwijsnummer(onderwijsnummer):
        found.append("onderwijsnummer")

    aansprakelijk = value(leerling, "verzorgersaansprakelijk") == "true"
    if aansprakelijk and not has(leerling, "verzorger"):
        found.append("OVa.OV01")
    if not aansprakelijk and overstap == "POVO" and not has(leerling, "aansprakelijkeinstelling"):
        found.append("OVa.AI01")
    for verzorger in leerling.iterfind("{*}verzorger"):
        if value(verzorger, "adresgeheim") == "true" and has(verzorger, "adreslijst/adres"):
            found.append("OVa.OV03")
        if has(verzorger, "overlijdensdatum") and value(verzorger, "overleden") != "true":
            found.append("OG.04")

    advies = leerling.find("{*}overstapadvies")
    if advies is not None:
        if overstap == "POVO" and value(school, "soort") != "SO" and not has(advies, "advies"):
            found.append("OVa.OA02")
        if not has(advies, "contactnodig"):
            found.append("OVa.OA03")
        if value(advies, "contactnodig") == "true":
            found += [] if has(advies, "contactpersoon") else ["OVa.OA04"]
            found += [] if has(advies, "contacttelefoon") else ["OVa.OA05"]

    eindtoets = leerling.find("{*}eindtoets_basisonderwijs")
    if eindtoets is not None and value(eindtoets, "deelgenomen") == "true":
        if not has(eindtoets, "eindtoetsresultaat"):
            found.append("OVa.EB02")
        if not has(eindtoets, "eindtoetsresultaat/toets_advies"):
            found.append("OVa.EB04")

    vanaf = date(schooljaar_start(datum).year - 2, 8, 1)
    for toets in leerling.iterfind("{*}toetslijst/{*}toets"):
        afname = date.fromisoformat(value(toets, "afname/afnamedatum") or "")
        if overstap == "POVO" and afname < vanaf:
            found.append("OVa.TR04")
        for resultaat in toets.iterfind(".//{*}resultaat"):
            if not (
                has(resultaat, "toetsscore")
                or has(resultaat, "referentiescore")
                or has(resultaat, "document")
            ):
                found.append("OVa.TR05")
            for score in resultaat.iterfind("{*}toetsscore"):
                if len(score) == 0:
                    found.append("OVa.TR06")
    return found
