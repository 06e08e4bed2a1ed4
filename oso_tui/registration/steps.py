"""The three registration steps as pure mappings from a dossier to pupil fields.

Each step turns a `Dossier` into a `Voorstel`: a flat mapping from a field path to a JSON value (see
`models`), plus where each value came from when that is not the dossier itself (placement is entered
by the user; a default opleiding is derived from the advice). The paths are the registered record's
vocabulary; `label` gives each a Dutch name for the diff and the pupil screen.

- personalia: ``personalia.*`` (names, birth date, PGN, address, communication, guardians, previous
  school) and ``plaatsing.*`` (school year, leerjaar, opleiding, klas, start date);
- loopbaan: ``loopbaan.*`` (school career rows, advice, eindtoets, other tests);
- begeleiding: ``begeleiding.*`` (support, diagnoses, medication, plans, OPP, TLV, LWOO, arrangements,
  verzuim, the list of attachments; the attachments themselves are never unpacked).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.dossier import codes
from oso_tui.dossier.models import (
    Adres,
    Bijlage,
    Communicatie,
    Dossier,
    Toets,
    Toetsresultaat,
    Zorgregel,
)
from oso_tui.errors import UsageError
from oso_tui.registration.diff import DiffRegel, splits_pad, unieke_rijen, vergelijk
from oso_tui.registration.models import Bron, Inhoud, Keuze, Modus, Rij, Stap, Waarde

VOORVOEGSELS: dict[Stap, tuple[str, ...]] = {
    "personalia": ("personalia.", "plaatsing."),
    "loopbaan": ("loopbaan.",),
    "begeleiding": ("begeleiding.",),
}

GESLACHT = {"0": "onbekend", "1": "vrouw", "2": "man", "9": "niet gespecificeerd"}


class Plaatsing(BaseModel):
    """The placement the school decides; entered by the user, never taken from the dossier."""

    model_config = ConfigDict(frozen=True)

    schooljaar: str | None = None
    leerjaar: int | None = None
    opleiding: str | None = None
    klas: str | None = None
    startdatum: date | None = None


class Voorstel(BaseModel):
    """What one step proposes to register: values by path, and the non-dossier origins."""

    model_config = ConfigDict(frozen=True)

    stap: Stap
    waarden: dict[str, Inhoud] = Field(default_factory=dict)
    bronnen: dict[str, Bron] = Field(default_factory=dict)


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

# The 2016-2018 care block under today's names: Zorgregel.soort -> (list, key fields, field names).
OUDE_ZORG: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "lgf": (
        "begeleiding.lgf",
        ("lgfdatum",),
        {
            "lgfdatum": "ingangsdatum",
            "codelgfonderwijssoort": "onderwijssoort",
            "lgfcvinummer": "cvi_nummer",
            "lgfindicatierec": "indicatie_rec",
            "lgfeinddatum": "einddatum",
            "lgfbrincode": "brin",
        },
    ),
    "opdc": (
        "begeleiding.opdc",
        ("opdc_ingangdatum",),
        {
            "opdc_ingangdatum": "ingangsdatum",
            "opdc_einddatum": "einddatum",
            "opdc_brin": "brin",
            "opdc_vestigingscode": "vestiging",
        },
    ),
    "begeleiding": (
        "begeleiding.begeleidingen",
        ("soortbegeleiding",),
        {"soortbegeleiding": "soort", "begeleidingvoortzetten": "voortzetten"},
    ),
    "extrahulp": (
        "begeleiding.begeleidingen",
        ("domein",),
        {"domein": "soort", "toelichtinghulp": "toelichting", "voortzetten": "voortzetten"},
    ),
    "onderwijsbelemmering": ("begeleiding.onderwijsbelemmeringen", ("tekst",), {"tekst": "omschrijving"}),
    "sterkpunt": ("begeleiding.sterke_punten", ("tekst",), {"tekst": "omschrijving"}),
    "specialist": (
        "begeleiding.specialisten",
        ("naam",),
        {"naam": "naam", "soort": "soort", "contact": "contact"},
    ),
    "instantie": (
        "begeleiding.specialisten",
        ("naam",),
        {"naam": "naam", "contactpersoon": "contactpersoon"},
    ),
    "upw": (
        "begeleiding.signaleringen",
        ("upwingangdatum",),
        {
            "upwingangdatum": "upw_ingangsdatum",
            "upwuitstroomprofiel": "uitstroomprofiel",
            "upwvoelementcode": "voelement",
            "upwleerjaar": "leerjaar",
        },
    ),
    "vir": (
        "begeleiding.signaleringen",
        ("ingevoerdinvir",),
        {"ingevoerdinvir": "in_verwijsindex", "reden": "reden"},
    ),
    "zat": (
        "begeleiding.signaleringen",
        ("besprokeninzat",),
        {"besprokeninzat": "besproken_in_zat", "reden": "reden"},
    ),
    "opp": (
        "begeleiding.opp_eerder",
        ("opp_ingangdatum",),
        {"opp_ingangdatum": "ingangsdatum", "opp_einddatum": "einddatum"},
    ),
}
# Single fields of the old care block: element -> registered path.
OUDE_ZORGVELDEN: dict[str, str] = {
    "naamib": "begeleiding.intern_begeleider",
    "sbobeschikkingsdatum": "begeleiding.sbo_beschikkingsdatum",
    "wsnsnummer": "begeleiding.wsns_nummer",
    "pgbdatum": "begeleiding.pgb.datum",
    "pgbomvang": "begeleiding.pgb.omvang",
    "specialebegeleiding": "begeleiding.speciale_begeleiding",
    "ambulantstartdatum": "begeleiding.ambulant.startdatum",
    "ambulantbrincode": "begeleiding.ambulant.brin",
    "ambulantvestigingscode": "begeleiding.ambulant.vestiging",
    "begeleidingsplanrec": "begeleiding.begeleidingsplan_rec",
    "toelichtingsef": "begeleiding.sociaal_emotioneel",
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


def _met_label(code: Waarde, label: str | None) -> str:
    text = weergave(code)
    return f"{text} ({label})" if label and label != text else text


def weergave(waarde: Inhoud, pad: str | None = None) -> str:
    """A value as one line: ja/nee for booleans, an address as people write it, codes with their label,
    else `deel: waarde` pairs."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, dict):
        if "straat" in waarde or "postcode" in waarde:
            return _adresregel(waarde)
        parts = []
        for k, v in waarde.items():
            if v is None or v == "":
                continue
            text = _met_label(v, codes.RELATIE_TOT_KIND.codes.get(str(v))) if k == "relatie" else weergave(v)
            parts.append(f"{k}: {text}")
        return ", ".join(parts)
    if pad in ADVIESVELDEN:
        return _met_label(waarde, advieslabel(str(waarde)))
    return str(waarde)


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


# Value helpers --------------------------------------------------------------------------------------


def _w(value: object) -> Waarde:
    """A dossier value as a JSON scalar: dates as ISO text, decimals as text, lists joined."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value if v) or None
    return str(value)


def _put(target: dict[str, Inhoud], pad: str, value: object) -> None:
    waarde = _w(value)
    if waarde is not None and waarde != "":
        target[pad] = waarde


def _row(**parts: object) -> Rij:
    return {k: _w(v) for k, v in parts.items() if _w(v) not in (None, "")}


def _rows(target: dict[str, Inhoud], lijst: str, rows: Iterable[tuple[tuple[Waarde, ...], Rij]]) -> None:
    target.update({p: r for p, r in unieke_rijen(lijst, rows).items() if r})


def _namen(bijlagen: Iterable[Bijlage | None]) -> str | None:
    return ", ".join(b.bestandsnaam for b in bijlagen if b is not None) or None


def _hoofdadres(adressen: list[Adres]) -> Adres | None:
    """The home address: the GBA address, else a visiting address, else the first that is not postal."""
    for soort in ("gba", "bezoek", None):
        for adres in adressen:
            if adres.soort == soort:
                return adres
    return next((a for a in adressen if a.soort != "post"), adressen[0] if adressen else None)


def _contact(items: list[Communicatie], soort: str) -> str | None:
    return ", ".join(c.nummer for c in items if c.soort == soort and c.nummer) or None


# Personalia -----------------------------------------------------------------------------------------

OPLEIDINGEN: tuple[tuple[str, str], ...] = (
    (r"\bpr(o|aktijk)", "pro"),
    (r"\bbasis|\bbb\b", "vmbo-b"),
    (r"\bkader|\bkb\b", "vmbo-k"),
    (r"\bgemengd|\bgl\b", "vmbo-gl"),
    (r"\btheoret|\btl\b|\bgt\b|\bmavo\b", "vmbo-t"),
    (r"\bhavo\b", "havo"),
    (r"\bvwo\b|\bgymnasium\b|\batheneum\b", "vwo"),
)


def standaard_opleiding(advieslabel: str | None) -> str | None:
    """A default opleiding from an advice label such as "havo/vwo" or "vmbo-kader"; None if unclear.

    Works on the label, not the code, because the label table is the part a school can correct.
    """
    if not advieslabel:
        return None
    text = advieslabel.lower()
    found = [name for pattern, name in OPLEIDINGEN if re.search(pattern, text)]
    return "/".join(found) if found else None


def personalia(
    dossier: Dossier,
    plaatsing: Plaatsing | None = None,
    *,
    advieslabel: Callable[[str], str | None] = lambda code: None,
) -> Voorstel:
    """Step 1: the pupil's personal data from the dossier plus the placement entered by the user."""
    ll = dossier.leerling
    w: dict[str, Inhoud] = {}
    _put(w, "personalia.bsn", ll.bsn)
    _put(w, "personalia.onderwijsnummer", ll.onderwijsnummer)
    _put(w, "personalia.voornamen", ll.voornamen)
    _put(w, "personalia.voorletters", ll.voorletters)
    _put(w, "personalia.voorvoegsel", ll.voorvoegsel)
    _put(w, "personalia.achternaam", ll.achternaam)
    _put(w, "personalia.roepnaam", ll.roepnaam)
    _put(w, "personalia.geboortedatum", ll.geboortedatum)
    if ll.geslacht is not None:
        _put(w, "personalia.geslacht", GESLACHT.get(ll.geslacht, ll.geslacht))
    _put(w, "personalia.adresgeheim", ll.adresgeheim)
    adres = _hoofdadres(ll.adressen)
    if adres is not None:
        row = _row(
            straat=adres.straat,
            huisnummer=adres.nummer,
            toevoeging=adres.toevoeging,
            postcode=adres.postcode,
            plaats=adres.plaats,
            land=adres.land_omschrijving or adres.land,
            gemeente=adres.gemeente if adres.gemeente != adres.plaats else None,
            aanduiding=adres.aanduiding,
            locatie=adres.locatieomschrijving,
        )
        if row:
            w["personalia.adres"] = row
    post = next((a for a in ll.adressen if a.soort == "post" and a is not adres), None)
    if post is not None and post.regel != (adres.regel if adres else ""):
        _put(w, "personalia.postadres", post.regel)
    bezoek = next((a for a in ll.adressen if a.soort == "bezoek" and a is not adres), None)
    if bezoek is not None and bezoek.regel != (adres.regel if adres else ""):
        _put(w, "personalia.bezoekadres", bezoek.regel)
    _put(w, "personalia.adres_buitenland", "; ".join(ll.adresbuitenland))
    _put(w, "personalia.leerlinggewicht", ll.leerlinggewicht)
    _put(w, "personalia.onderwijs_sinds", ll.onderwijssinds)
    _put(w, "personalia.vorige_school.inschrijfdatum", ll.datuminschrijving)
    _put(w, "personalia.vorige_school.startdatum", ll.startdatumhuidigonderwijs)
    _put(w, "personalia.vorige_school.uitschrijfdatum", ll.datumuitschrijving)
    if ll.huisarts is not None:
        arts = ll.huisarts
        row = _row(
            naam=" ".join(
                p for p in (*arts.voornamen[:1], arts.voorletters, arts.voorvoegsel, arts.achternaam) if p
            ),
            adres=(_hoofdadres(arts.adressen) or Adres()).regel,
            telefoon=_contact(arts.communicatie, "telefoon"),
            email=_contact(arts.communicatie, "e-mail"),
        )
        if row:
            w["personalia.huisarts"] = row
    _rows(
        w,
        "personalia.communicatie",
        (
            (
                (c.soort, c.aanduiding),
                _row(
                    soort=c.soort,
                    aanduiding=c.aanduiding,
                    nummer=c.nummer,
                    geheim=c.geheim,
                    noodnummer=c.noodnummer,
                ),
            )
            for c in ll.communicatie
        ),
    )
    _rows(
        w,
        "personalia.verzorgers",
        (
            (
                (v.naam, v.relatietotkind),
                _row(
                    naam=v.naam,
                    voornamen=v.voornamen,
                    voorletters=v.voorletters,
                    voorvoegsel=v.voorvoegsel,
                    achternaam=v.achternaam,
                    geslacht=GESLACHT.get(v.geslacht, v.geslacht) if v.geslacht else None,
                    relatie=v.relatietotkind,
                    wettelijk_vertegenwoordiger=v.wettigevertegenwoordiger,
                    overleden=v.overleden,
                    overlijdensdatum=v.overlijdensdatum,
                    roepnaam=v.roepnaam,
                    telefoon=_contact(v.communicatie, "telefoon"),
                    email=_contact(v.communicatie, "e-mail"),
                    adres=(_hoofdadres(v.adressen) or Adres()).regel,
                    adresgeheim=v.adresgeheim,
                ),
            )
            for v in dossier.verzorgers
        ),
    )
    _put(w, "personalia.vorige_school.naam", dossier.school.naam)
    _put(w, "personalia.vorige_school.brin", dossier.school.brin)
    _put(w, "personalia.vorige_school.vestiging", dossier.school.vestiging)

    bronnen: dict[str, Bron] = {}
    p = plaatsing or Plaatsing()
    for field in ("schooljaar", "leerjaar", "opleiding", "klas", "startdatum"):
        pad = f"plaatsing.{field}"
        _put(w, pad, getattr(p, field))
        if pad in w:
            bronnen[pad] = "invoer"
    if "plaatsing.opleiding" not in w:
        advies = dossier.overstapadvies
        code = advies and (advies.herzienadvies or advies.advies)
        default = standaard_opleiding(advieslabel(code)) if code else None
        if default:
            w["plaatsing.opleiding"] = default
            bronnen["plaatsing.opleiding"] = "afgeleid"
    return Voorstel(stap="personalia", waarden=w, bronnen=bronnen)


def parse_plaatsing(text: str) -> Plaatsing:
    """`schooljaar=2027-2028,leerjaar=1,opleiding=havo/vwo,klas=1B[,startdatum=2027-08-30]`."""
    values: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in Plaatsing.model_fields:
            raise UsageError(
                f"'{part}' in --plaatsing is onbekend; gebruik schooljaar=, leerjaar=, opleiding=, klas= "
                "en startdatum=."
            )
        values[key] = value
    return plaatsing_uit(values)


def plaatsing_uit(values: Mapping[str, str]) -> Plaatsing:
    """A placement from form fields (schooljaar, leerjaar, opleiding, klas, startdatum); empty means unset."""
    unknown = [k for k in values if k not in Plaatsing.model_fields]
    if unknown:
        raise UsageError(f"'{unknown[0]}' is geen veld van de plaatsing.")
    clean = {k: v.strip() for k, v in values.items() if v and v.strip()}
    jaar = clean.get("schooljaar")
    if jaar is not None:
        match = re.fullmatch(r"(\d{4})-(\d{4})", jaar)
        if match is None or int(match[2]) != int(match[1]) + 1:
            raise UsageError(f"Schooljaar '{jaar}' is ongeldig; schrijf het als 2027-2028.")
    leerjaar = clean.get("leerjaar")
    if leerjaar is not None and not (leerjaar.isdigit() and 1 <= int(leerjaar) <= 6):
        raise UsageError(f"Leerjaar '{leerjaar}' is ongeldig; kies 1 tot en met 6.")
    start = clean.get("startdatum")
    try:
        startdatum = date.fromisoformat(start) if start else None
    except ValueError:
        raise UsageError(f"Startdatum '{start}' is geen geldige datum (verwacht JJJJ-MM-DD).") from None
    return Plaatsing(
        schooljaar=jaar,
        leerjaar=int(leerjaar) if leerjaar else None,
        opleiding=clean.get("opleiding"),
        klas=clean.get("klas"),
        startdatum=startdatum,
    )


# Loopbaan -------------------------------------------------------------------------------------------


def _resultaat(r: Toetsresultaat) -> Rij:
    return _row(
        vaardigheidsscore=r.vaardigheidsscore,
        schaal=r.codevaardigheidsschaal,
        aantalopgaven=r.aantalopgaven,
        aantalgoed=r.aantalgoed,
        aantalfout=r.aantalfout,
        aantalgelezen=r.aantalgelezen,
        tijd=r.tijd,
        referentiescores="; ".join(
            f"{s.code} {s.waarde} ({', '.join(p for p in (s.vergelijkingsgroep, s.kwalificatie) if p)})"
            for s in r.referentiescores
        ),
    )


def toegestane_toetsen(dossier: Dossier) -> list[Toets]:
    """The tests a step registers: in a POVO dossier only those of this and the two previous school
    years (OVa.TR04; older ones are shown as not taken over)."""
    if dossier.metadata.overstap != "POVO":
        return list(dossier.toetsen)
    from oso_tui.dossier.rules import toets_vanaf  # lxml loads with the reader, not with the steps

    vanaf = toets_vanaf(dossier.metadata.datum)
    return [t for t in dossier.toetsen if t.afnamedatum is None or t.afnamedatum >= vanaf]


def loopbaan(dossier: Dossier) -> Voorstel:
    """Step 2: school career, advice, the eindtoets and other tests."""
    w: dict[str, Inhoud] = {}
    _rows(
        w,
        "loopbaan.schoolloopbaan",
        (
            (
                (s.schooljaar, s.groepsnaam or s.groepscode or s.jaargroep),
                _row(
                    schooljaar=s.schooljaar,
                    groep=s.groepsnaam or s.groepscode,
                    jaargroep=s.jaargroep,
                    brin=s.brin,
                    vestiging=s.vestiging,
                    begindatum=s.begindatum,
                    einddatum=s.einddatum,
                    schoolsoort=s.schoolsoortomschrijving or s.schoolsoort,
                    voelement=s.voelementomschrijving or s.voelementcode,
                    groepscode=(
                        s.groepscode
                        if s.groepsnaam and s.groepscode not in (s.groepsnaam, s.jaargroep)
                        else None
                    ),
                    schoolsoortcode=s.schoolsoort if s.schoolsoortomschrijving else None,
                    voelementcode=s.voelementcode if s.voelementomschrijving else None,
                    schooltype=s.schooltype,
                ),
            )
            for s in dossier.schoolloopbaan
        ),
    )
    advies = dossier.overstapadvies
    if advies is not None:
        for field in (
            "advies",
            "herzienadvies",
            "motivatie_herzienadvies",
            "wensouders",
            "wensleerling",
            "profiel",
            "argumentatie",
            "aandachtspunten",
            "contactnodig",
            "contactpersoon",
            "contacttelefoon",
            "contactemail",
        ):
            _put(w, f"loopbaan.advies.{field}", getattr(advies, field))
    toets = dossier.eindtoets
    if toets is not None:
        _put(w, "loopbaan.eindtoets.deelgenomen", toets.deelgenomen)
        toetsen = codes.doorstroomtoets()
        _put(
            w,
            "loopbaan.eindtoets.toetssoort",
            toets.toetsomschrijving or toetsen.toets_label(toets.toetssoort) or toets.toetssoort,
        )
        if toets.toetsomschrijving or toetsen.toets_label(toets.toetssoort):
            _put(w, "loopbaan.eindtoets.toetscode", toets.toetssoort)
        _put(w, "loopbaan.eindtoets.toetsniveau", toets.toetsniveau)
        _put(w, "loopbaan.eindtoets.datum", toets.datum_afname)
        _put(w, "loopbaan.eindtoets.standaardscore", toets.standaardscore)
        _put(w, "loopbaan.eindtoets.advies", toets.toets_advies)
        _put(w, "loopbaan.eindtoets.ontheffing", toets.wettelijke_ontheffing)
        _rows(
            w,
            "loopbaan.eindtoets.onderdelen",
            (
                (
                    (o.code,),
                    _row(
                        onderdeel=o.omschrijving or o.code,
                        referentieniveau=toetsen.niveau(o.referentieniveau),
                        domeinen="; ".join(
                            f"{d.omschrijving or d.code}: {toetsen.niveau(d.referentieniveau) or '-'}"
                            for d in o.domeinen
                        ),
                    ),
                )
                for o in toets.onderdelen
            ),
        )
    _rows(
        w,
        "loopbaan.toetsen",
        (
            (
                (t.code, _w(t.afnamedatum)),
                {
                    **_row(
                        code=t.code,
                        naam=t.naam,
                        leergebied=t.leergebied,
                        versie=t.versie,
                        afnamedatum=t.afnamedatum,
                        jaargroep=t.jaargroep,
                        dl=t.dl,
                        opmerking=t.opmerking,
                        onderdelen="; ".join(
                            f"{o.naam or o.code}: {weergave(_resultaat(o.resultaat))}" for o in t.onderdelen
                        ),
                    ),
                    **_resultaat(t.resultaat),
                },
            )
            for t in toegestane_toetsen(dossier)
        ),
    )
    for blok, (lijst, sleutel) in BLOKKEN.items():
        _rows(
            w,
            lijst,
            (
                (
                    tuple(rij.get(k) for k in sleutel) or (str(i),),
                    {k.replace("/", "."): v for k, v in rij.items()},
                )
                for i, rij in enumerate(dossier.blokken.get(blok, []))
            ),
        )
    return Voorstel(stap="loopbaan", waarden=w)


# Blocks registered as rows of their values: element -> (list, key fields).
BLOKKEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "cijferlijst": ("loopbaan.cijferlijsten", ("cijferlijstTypelijst/naam", "afnamedatum", "periode")),
    "bevorderd": ("loopbaan.vo.bevorderd", ("leerjaar",)),
    "examenresultaat": ("loopbaan.vo.examenresultaten", ("soortdiploma", "examenjaar")),
    "resultaatvakkenvo": ("loopbaan.vo.vakresultaten", ("vakcode",)),
    "certificaat": ("loopbaan.vo.certificaten", ("certificaat",)),
    "competenties": ("loopbaan.vo.competenties", ("competentiereferentie", "competentiebeschrijving")),
    "stage": ("loopbaan.vo.stages", ("begindatum", "soortstage")),
    "overigvombo": ("loopbaan.vo.overig", ()),
}


# Begeleiding ----------------------------------------------------------------------------------------


def begeleiding(dossier: Dossier) -> Voorstel:
    """Step 3: support and care data, verzuim and the list of attachments (care data: zorg role only)."""
    w: dict[str, Inhoud] = {}
    o = dossier.onderwijsondersteuning
    if o is not None:
        _put(w, "begeleiding.toelichting", o.toelichting.bestandsnaam if o.toelichting else None)
        _rows(
            w,
            "begeleiding.diagnoses",
            (
                (
                    (" ".join(d.codes) or d.naam,),
                    _row(
                        codes=d.codes,
                        naam=d.naam,
                        datum=d.datum,
                        door=d.doorwie,
                        instantie=d.instantie,
                        bijlagen=_namen(d.bijlagen),
                    ),
                )
                for d in o.diagnoses
            ),
        )
        _put(w, "begeleiding.medicijngebruik", o.medicijngebruik)
        _rows(
            w,
            "begeleiding.handelingsplannen",
            (
                (
                    (_w(h.startdatum), h.isgerichtop),
                    _row(
                        startdatum=h.startdatum,
                        einddatum=h.einddatum,
                        gericht_op=h.isgerichtop,
                        bijlage=_namen([h.bijlage]),
                    ),
                )
                for h in o.handelingsplannen
            ),
        )
        if o.opp is not None:
            _put(w, "begeleiding.opp.ingangsdatum", o.opp.ingangsdatum)
            _put(w, "begeleiding.opp.einddatum", o.opp.einddatum)
            _put(w, "begeleiding.opp.bijlagen", _namen(o.opp.bijlagen))
        _rows(
            w,
            "begeleiding.tlv",
            (
                (
                    (t.beschikkingsnummer or _w(t.ingangsdatum),),
                    _row(
                        ingangsdatum=t.ingangsdatum,
                        einddatum=t.einddatum,
                        categorie=t.categorie,
                        swvnummer=t.swvnummer,
                        beschikkingsnummer=t.beschikkingsnummer,
                        bijlage=_namen([t.bijlage]),
                    ),
                )
                for t in o.tlvs
            ),
        )
        _rows(
            w,
            "begeleiding.arrangementen",
            (
                (
                    (a.soort, _w(a.datum)),
                    _row(
                        soort=a.soort,
                        datum=a.datum,
                        einddatum=a.einddatum,
                        brin=a.brin,
                        vestiging=a.vestiging,
                        kenmerk=a.kenmerk,
                        beschikkingsnummer=a.beschikkingsnummer,
                    ),
                )
                for a in o.arrangementen
            ),
        )
        if o.lwoo is not None:
            _put(w, "begeleiding.lwoo.ingangsdatum", o.lwoo.ingangsdatum)
            _put(w, "begeleiding.lwoo.einddatum", o.lwoo.einddatum)
            _put(w, "begeleiding.lwoo.beschikkingsnummer", o.lwoo.beschikkingsnummer)
            _put(w, "begeleiding.lwoo.swvnummer", o.lwoo.swvnummer)
        if o.rvc is not None:
            _put(w, "begeleiding.rvc.centraleproblematiek", o.rvc.centraleproblematiek)
            _put(w, "begeleiding.rvc.maatregelen", o.rvc.maatregelen)
            _put(w, "begeleiding.rvc.datum", o.rvc.rvcdatum)
            _put(w, "begeleiding.rvc.indicatie", o.rvc.rvcindicatie)
            _put(w, "begeleiding.rvc.signalering", o.rvc.signalering)
        _oude_zorg(w, o.overig)
    v = dossier.verzuim
    if v is not None:
        for field in (
            "dagdelengeoorloofd",
            "dagdelenongeoorloofd",
            "urengeoorloofd",
            "urenongeoorloofd",
            "meerdan25percent",
            "frequentie",
            "contactleerplicht",
            "rmcmelding",
        ):
            _put(w, f"begeleiding.verzuim.{field}", getattr(v, field))
    _rows(
        w,
        "begeleiding.bijlagen",
        (
            (
                (b.bestandsnaam,),
                _row(
                    bestandsnaam=b.bestandsnaam, omschrijving=b.omschrijving, grootte=b.grootte, bron=b.bron
                ),
            )
            for b in dossier.bijlagen
        ),
    )
    return Voorstel(stap="begeleiding", waarden=w)


def _oude_zorg(w: dict[str, Inhoud], regels: Iterable[Zorgregel]) -> None:
    """The 2016-2018 care block under the names a school uses today (see OUDE_ZORG)."""
    per_lijst: dict[str, list[tuple[tuple[Waarde, ...], Rij]]] = {}
    for regel in regels:
        if regel.soort == "zorg":
            for name, value in regel.velden.items():
                _put(w, OUDE_ZORGVELDEN[name], _bool_of(value))
            continue
        lijst, sleutel, namen = OUDE_ZORG[regel.soort]
        row = _row(**{namen[k]: _bool_of(v) for k, v in regel.velden.items() if k in namen})
        per_lijst.setdefault(lijst, []).append((tuple(regel.velden.get(k) for k in sleutel), row))
    for lijst, rows in per_lijst.items():
        _rows(w, lijst, rows)


def _bool_of(value: str) -> str | bool:
    """XSD booleans as booleans, so they show as ja/nee."""
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip(), value)


# One entry point ------------------------------------------------------------------------------------


def voorstel(
    stap: Stap,
    dossier: Dossier,
    plaatsing: Plaatsing | None = None,
    *,
    advieslabel: Callable[[str], str | None] = lambda code: None,
) -> Voorstel:
    if stap == "personalia":
        return personalia(dossier, plaatsing, advieslabel=advieslabel)
    if stap == "loopbaan":
        return loopbaan(dossier)
    return begeleiding(dossier)


def vergelijk_stap(
    geregistreerd: Mapping[str, Inhoud],
    voorstel_: Voorstel,
    *,
    modus: Modus = "aanvullen",
    keuzes: Mapping[str, Keuze] | None = None,
) -> list[DiffRegel]:
    """The diff of one step against what is registered; an adjusted advice is marked in its label."""
    regels = vergelijk(
        geregistreerd,
        voorstel_.waarden,
        eigen=eigen(voorstel_.stap),
        modus=modus,
        keuzes=keuzes,
        label=label,
    )
    if voorstel_.stap != "loopbaan":
        return regels
    return [_markeer_advies(r, geregistreerd, voorstel_.waarden) for r in regels]


def _code(value: Inhoud) -> str | None:
    return value if isinstance(value, str) else None


def _markeer_advies(
    regel: DiffRegel, geregistreerd: Mapping[str, Inhoud], nieuw: Mapping[str, Inhoud]
) -> DiffRegel:
    """Mark an adjusted advice: upwards (allowed) and downwards (a warning) show in the label."""
    if regel.pad == "loopbaan.advies.herzienadvies" and regel.dossier is not None:
        schooladvies = _code(nieuw.get("loopbaan.advies.advies")) or _code(
            geregistreerd.get("loopbaan.advies.advies")
        )
        lager = codes.lager_advies(_code(regel.dossier), schooladvies)
        return regel.model_copy(
            update={"label": f"{regel.label} {'▼ lager dan het schooladvies' if lager else '▲ bijgesteld'}"}
        )
    if regel.pad == "loopbaan.advies.advies" and regel.oordeel == "gewijzigd":
        lager = codes.lager_advies(_code(regel.dossier), _code(regel.geregistreerd))
        return regel.model_copy(
            update={"label": f"{regel.label} {'▼ lager dan geregistreerd' if lager else '▲ bijgesteld'}"}
        )
    return regel


def effectief_advies(gegevens: Mapping[str, Inhoud]) -> str | None:
    """The advice that counts: the adjusted one where there is one."""
    return _code(gegevens.get("loopbaan.advies.herzienadvies")) or _code(
        gegevens.get("loopbaan.advies.advies")
    )


def advieswaarschuwingen(geregistreerd: Mapping[str, Inhoud], voorstel_: Voorstel) -> list[str]:
    """A warning when this dossier's advice is lower than the registered one: advice may only go up."""
    if voorstel_.stap != "loopbaan":
        return []
    oud, nieuw = effectief_advies(geregistreerd), effectief_advies(voorstel_.waarden)
    if not codes.lager_advies(nieuw, oud):
        return []
    return [
        f"Het advies in dit dossier ({weergave(nieuw, 'loopbaan.advies.advies')}) is lager dan het "
        f"geregistreerde advies ({weergave(oud, 'loopbaan.advies.advies')}); een advies mag alleen naar "
        "boven worden bijgesteld. Overleg met de toeleverende school."
    ]


def naam_uit(gegevens: Mapping[str, Inhoud]) -> str | None:
    """The display name from registered personalia (roepnaam or first voornaam, voorvoegsel, achternaam)."""
    achternaam = gegevens.get("personalia.achternaam")
    if not isinstance(achternaam, str) or not achternaam:
        return None
    roepnaam = gegevens.get("personalia.roepnaam")
    voornamen = gegevens.get("personalia.voornamen")
    first = roepnaam if isinstance(roepnaam, str) and roepnaam else None
    if first is None and isinstance(voornamen, str) and voornamen:
        first = voornamen.split()[0]
    voorvoegsel = gegevens.get("personalia.voorvoegsel")
    parts = [first, voorvoegsel if isinstance(voorvoegsel, str) else None, achternaam]
    return " ".join(p for p in parts if p)
