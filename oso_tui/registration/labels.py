"""The registered record's vocabulary: which step owns a path, its Dutch label, its section, its display.

The diff, the pupil screen and the export all name and order fields from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from oso_tui.datums import toon_datum
from oso_tui.dossier import codes
from oso_tui.errors import UsageError
from oso_tui.registration.diff import splits_pad
from oso_tui.registration.models import Inhoud, Rij, Stap, Waarde

VOORVOEGSELS: dict[Stap, tuple[str, ...]] = {
    "personalia": ("personalia.", "plaatsing."),
    "loopbaan": ("loopbaan.",),
    "begeleiding": ("begeleiding.",),
}


# Labels ---------------------------------------------------------------------------------------------

LABELS: dict[str, str] = {
    "personalia.bsn": "BSN",
    "personalia.onderwijsnummer": "Onderwijsnummer",
    "personalia.voornamen": "Voornamen",
    "personalia.voorletters": "Voorletters",
    "personalia.voorvoegsel": "Voorvoegsel",
    "personalia.achternaam": "Achternaam",
    "personalia.roepnaam": "Roepnaam",
    "personalia.geboortedatum": "Geboortedatum",
    "personalia.geslacht": "Geslacht",
    "personalia.adresgeheim": "Adres geheim",
    "personalia.adres": "Adres",
    "personalia.postadres": "Postadres",
    "personalia.vorige_school.naam": "Vorige school",
    "personalia.vorige_school.brin": "BRIN vorige school",
    "personalia.vorige_school.vestiging": "Vestiging vorige school",
    "plaatsing.schooljaar": "Schooljaar",
    "plaatsing.leerjaar": "Leerjaar",
    "plaatsing.opleiding": "Opleiding",
    "plaatsing.klas": "Klas",
    "plaatsing.startdatum": "Startdatum",
    "loopbaan.advies.advies": "Schooladvies",
    "loopbaan.advies.herzienadvies": "Herzien advies",
    "loopbaan.advies.motivatie_herzienadvies": "Motivatie herzien advies",
    "loopbaan.advies.wensouders": "Wens ouders",
    "loopbaan.advies.wensleerling": "Wens leerling",
    "loopbaan.advies.profiel": "Profiel",
    "loopbaan.advies.argumentatie": "Argumentatie",
    "loopbaan.advies.aandachtspunten": "Aandachtspunten",
    "loopbaan.advies.contactnodig": "Contact gewenst",
    "loopbaan.advies.contactpersoon": "Contactpersoon",
    "loopbaan.advies.contacttelefoon": "Telefoon contactpersoon",
    "loopbaan.advies.contactemail": "E-mail contactpersoon",
    "loopbaan.eindtoets.deelgenomen": "Eindtoets deelgenomen",
    "loopbaan.eindtoets.toetssoort": "Eindtoets",
    "loopbaan.eindtoets.toetscode": "Eindtoets code",
    "loopbaan.eindtoets.toetsniveau": "Eindtoets niveau",
    "loopbaan.eindtoets.datum": "Eindtoets datum",
    "loopbaan.eindtoets.standaardscore": "Eindtoets score",
    "loopbaan.eindtoets.advies": "Eindtoets advies",
    "loopbaan.eindtoets.ontheffing": "Eindtoets ontheffing",
    "begeleiding.toelichting": "Toelichting onderwijsbehoeften",
    "begeleiding.medicijngebruik": "Medicijngebruik",
    "begeleiding.opp.ingangsdatum": "OPP ingangsdatum",
    "begeleiding.opp.einddatum": "OPP einddatum",
    "begeleiding.opp.bijlagen": "OPP bijlagen",
    "begeleiding.lwoo.ingangsdatum": "LWOO ingangsdatum",
    "begeleiding.lwoo.einddatum": "LWOO einddatum",
    "begeleiding.lwoo.beschikkingsnummer": "LWOO beschikking",
    "begeleiding.lwoo.swvnummer": "LWOO samenwerkingsverband",
    "begeleiding.rvc.centraleproblematiek": "RVC centrale problematiek",
    "begeleiding.rvc.maatregelen": "RVC maatregelen",
    "begeleiding.rvc.datum": "RVC datum",
    "begeleiding.rvc.indicatie": "RVC indicatie",
    "begeleiding.verzuim.dagdelengeoorloofd": "Verzuim dagdelen geoorloofd",
    "begeleiding.verzuim.dagdelenongeoorloofd": "Verzuim dagdelen ongeoorloofd",
    "begeleiding.verzuim.urengeoorloofd": "Verzuim uren geoorloofd",
    "begeleiding.verzuim.urenongeoorloofd": "Verzuim uren ongeoorloofd",
    "begeleiding.verzuim.meerdan25percent": "Verzuim meer dan 25%",
    "begeleiding.verzuim.frequentie": "Verzuimfrequentie",
    "begeleiding.verzuim.contactleerplicht": "Contact leerplicht",
    "begeleiding.verzuim.rmcmelding": "RMC-melding",
    "begeleiding.intern_begeleider": "Intern begeleider (vorige school)",
    "begeleiding.sbo_beschikkingsdatum": "SBO-beschikking",
    "begeleiding.wsns_nummer": "WSNS-nummer",
    "begeleiding.pgb.datum": "PGB datum",
    "begeleiding.pgb.omvang": "PGB omvang",
    "begeleiding.speciale_begeleiding": "Speciale begeleiding",
    "begeleiding.ambulant.startdatum": "Ambulante begeleiding sinds",
    "begeleiding.ambulant.brin": "Ambulante begeleiding BRIN",
    "begeleiding.ambulant.vestiging": "Ambulante begeleiding vestiging",
    "begeleiding.begeleidingsplan_rec": "Begeleidingsplan REC",
    "begeleiding.sociaal_emotioneel": "Sociaal-emotioneel functioneren",
    "begeleiding.rvc.signalering": "RVC signalering LWOO/PrO",
    "personalia.adres_buitenland": "Adres buitenland",
    "personalia.bezoekadres": "Bezoekadres",
    "personalia.huisarts": "Huisarts",
    "personalia.leerlinggewicht": "Leerlinggewicht",
    "personalia.onderwijs_sinds": "In het onderwijs sinds",
    "personalia.vorige_school.inschrijfdatum": "Ingeschreven op vorige school",
    "personalia.vorige_school.startdatum": "Start huidig onderwijs",
    "personalia.vorige_school.uitschrijfdatum": "Uitgeschreven op vorige school",
}

LIJSTEN: dict[str, str] = {
    "personalia.communicatie": "Contact",
    "personalia.verzorgers": "Verzorger",
    "loopbaan.schoolloopbaan": "Schooljaar",
    "loopbaan.eindtoets.onderdelen": "Eindtoets onderdeel",
    "loopbaan.toetsen": "Toets",
    "begeleiding.diagnoses": "Diagnose",
    "begeleiding.handelingsplannen": "Handelingsplan",
    "begeleiding.tlv": "TLV",
    "begeleiding.arrangementen": "Arrangement",
    "begeleiding.bijlagen": "Bijlage",
    "begeleiding.lgf": "LGF (rugzak)",
    "begeleiding.opdc": "Verblijf OPDC",
    "begeleiding.begeleidingen": "Begeleiding",
    "begeleiding.onderwijsbelemmeringen": "Onderwijsbelemmering",
    "begeleiding.sterke_punten": "Sterk punt",
    "begeleiding.specialisten": "Specialist",
    "begeleiding.signaleringen": "Signalering",
    "begeleiding.opp_eerder": "Eerder OPP",
    "loopbaan.cijferlijsten": "Cijferlijst",
    "loopbaan.vo.bevorderd": "Bevorderd",
    "loopbaan.vo.examenresultaten": "Examenresultaat",
    "loopbaan.vo.vakresultaten": "Vakresultaat VO",
    "loopbaan.vo.certificaten": "Certificaat",
    "loopbaan.vo.competenties": "Competentie",
    "loopbaan.vo.stages": "Stage",
    "loopbaan.vo.overig": "Overige VO-gegevens",
}


def label(pad: str) -> str:
    """The Dutch name of a path: a field's label, or a row's list title with its key."""
    lijst, sleutel = splits_pad(pad)
    if sleutel is not None:
        titel = LIJSTEN.get(lijst, lijst)
        parts = [part for part in sleutel.split("|") if part]
        if lijst == "personalia.verzorgers" and len(parts) == 2:
            parts[1] = f"relatie {parts[1]}"
        return f"{titel} {' · '.join(parts)}".strip()
    return LABELS.get(pad, pad)


_SECTIES: tuple[tuple[str, str], ...] = (
    ("personalia.adres", "Adres"),
    ("personalia.postadres", "Adres"),
    ("personalia.adresgeheim", "Adres"),
    ("personalia.communicatie", "Contact"),
    ("personalia.verzorgers", "Verzorgers"),
    ("personalia.vorige_school", "Vorige school"),
    ("personalia.", "Leerling"),
    ("plaatsing.", "Plaatsing"),
    ("loopbaan.schoolloopbaan", "Schoolloopbaan"),
    ("loopbaan.advies", "Advies"),
    ("loopbaan.eindtoets", "Eindtoets"),
    ("loopbaan.toetsen", "Toetsen"),
    ("begeleiding.verzuim", "Verzuim"),
    ("begeleiding.bijlagen", "Bijlagen"),
    ("begeleiding.", "Ondersteuning"),
)


def sectie(pad: str) -> str:
    """The section a path is shown under in the diff and the pupil view."""
    return next((title for prefix, title in _SECTIES if pad.startswith(prefix)), "Overig")


_SECTIE_VOLGORDE = {
    title: i
    for i, title in enumerate(
        (
            "Leerling",
            "Adres",
            "Contact",
            "Verzorgers",
            "Vorige school",
            "Plaatsing",
            "Schoolloopbaan",
            "Advies",
            "Eindtoets",
            "Toetsen",
            "Ondersteuning",
            "Verzuim",
            "Bijlagen",
        )
    )
}


def sectie_volgorde(pad: str) -> int:
    """The position of a path's section, for listing a pupil section by section."""
    return _SECTIE_VOLGORDE.get(sectie(pad), len(_SECTIE_VOLGORDE))


def stap_van(pad: str) -> Stap | None:
    """Which step owns a path."""
    for stap, prefixes in VOORVOEGSELS.items():
        if pad.startswith(prefixes):
            return stap
    return None


def eigen(stap: Stap) -> Callable[[str], bool]:
    prefixes = VOORVOEGSELS[stap]
    return lambda pad: pad.startswith(prefixes)


ADVIESVELDEN = frozenset(
    f"loopbaan.advies.{f}" for f in ("advies", "herzienadvies", "wensouders", "wensleerling")
)


def _met_label(code: Waarde, label: str | None, scherm: bool = False) -> str:
    text = weergave(code)
    if scherm and not label:
        return f"code {text} (onbekend)"
    return f"{text} ({label})" if label and label != text else text


_ISO_DATUM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def nl_datum(text: str) -> str:
    """An ISO date as a Dutch reader expects it (05-03-2027); any other text as it is."""
    match = _ISO_DATUM.fullmatch(text)
    if match is None:
        return text
    try:
        return toon_datum(date(*(int(g) for g in match.groups())))
    except ValueError:
        return text


def weergave(waarde: Inhoud, pad: str | None = None, *, scherm: bool = False) -> str:
    """A value as one line: ja/nee for booleans, an address as people write it, codes with their label,
    else `deel: waarde` pairs.

    `scherm` is the screens' form: dates as dd-mm-jjjj and a code without a known label as
    "code 60 (onbekend)"; files and the command line keep ISO dates and the bare code."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, dict):
        if is_adres(waarde):
            return _adresregel(waarde)
        parts = []
        for k, v in waarde.items():
            if v is None or v == "":
                continue
            if k == "relatie":
                text = _met_label(v, codes.RELATIE_TOT_KIND.codes.get(str(v)), scherm)
            else:
                text = weergave(v, scherm=scherm)
            parts.append(f"{k}: {text}")
        return ", ".join(parts)
    if pad in ADVIESVELDEN:
        return _met_label(waarde, advieslabel(str(waarde)), scherm)
    return nl_datum(str(waarde)) if scherm else str(waarde)


def is_adres(waarde: Inhoud) -> bool:
    """A registered address: a row with a street or a postcode, shown and compared as one value."""
    return isinstance(waarde, dict) and ("straat" in waarde or "postcode" in waarde)


def naast_elkaar(geregistreerd: Inhoud, dossier: Inhoud, pad: str) -> tuple[str, str]:
    """Both sides of a diff line as the screens show them.

    A changed list row shows only the parts that differ; an address is always shown whole (street,
    number, addition, postcode, place, country), since a postcode alone says little. When two
    addresses read the same but differ in a part the line leaves out (the gemeente, say), that part
    is added, so a line marked changed never shows two equal values.
    """
    g = weergave(geregistreerd, pad, scherm=True)
    d = weergave(dossier, pad, scherm=True)
    if not (isinstance(geregistreerd, dict) and isinstance(dossier, dict)):
        return g, d
    verschil = [
        k
        for k in (*dossier, *(k for k in geregistreerd if k not in dossier))
        if geregistreerd.get(k) not in (None, "") or dossier.get(k) not in (None, "")
        if geregistreerd.get(k) != dossier.get(k)
    ]
    if not verschil:
        return g, d

    def delen(rij: Rij) -> str:
        return ", ".join(f"{k}: {weergave(rij.get(k), scherm=True) or '—'}" for k in verschil)

    if is_adres(geregistreerd) or is_adres(dossier):
        return (f"{g} ({delen(geregistreerd)})", f"{d} ({delen(dossier)})") if g == d else (g, d)
    return delen(geregistreerd), delen(dossier)


def advieslabel(code: str) -> str | None:
    """The label of an advice code from the school's label table, or None where none is known."""
    return codes.advies_codes().codes.get(code) or None


def _adresregel(adres: Rij) -> str:
    def part(*keys: str) -> str:
        return " ".join(str(adres[k]) for k in keys if adres.get(k) not in (None, ""))

    land = adres.get("land")
    return ", ".join(
        p
        for p in (part("straat", "huisnummer", "toevoeging"), part("postcode", "plaats"), land and str(land))
        if p and p != "Nederland"
    )


def veldnamen(stappen: Iterable[Stap] = ("personalia", "loopbaan", "begeleiding")) -> list[str]:
    """The field and list paths a choice can name, for these steps."""
    wanted = tuple(p for stap in stappen for p in VOORVOEGSELS[stap])
    return [pad for pad in (*LABELS, *LIJSTEN) if pad.startswith(wanted)]


def veldpad(naam: str, stappen: Iterable[Stap] = ("personalia", "loopbaan", "begeleiding")) -> str:
    """The full path of a field named in full (`personalia.adres`), by a row path, or by an unambiguous
    short name (`adres`, `klas`, `vorige_school.naam`); UsageError naming the valid names otherwise."""
    stappen = tuple(stappen)
    naam = naam.strip()
    bekend = veldnamen(stappen)
    lijst, sleutel = splits_pad(naam)
    if naam in bekend or (sleutel is not None and lijst in bekend):
        return naam
    kort = naam.lower()
    kandidaten = [p for p in bekend if p.lower().endswith("." + kort)]
    if len(kandidaten) == 1:
        return kandidaten[0]
    if kandidaten:
        raise UsageError(f"Het veld '{naam}' is niet eenduidig; bedoelt u {' of '.join(kandidaten)}?")
    raise UsageError(f"Onbekend veld '{naam}'; geldige velden: {', '.join(bekend)}.")
