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

Personalia and the one entry point (`voorstel`) are here; loopbaan and begeleiding have their own
modules (the old care block of 2016.1-2018.1 in `zorgblok`), the vocabulary (labels, sections, display)
is in `labels`, the adjusted-advice marks in `advies`, and this module re-exports what others use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from oso_tui.datums import VORM, parse_datum
from oso_tui.dossier import codes
from oso_tui.dossier.models import (
    Adres,
    Dossier,
)
from oso_tui.errors import UsageError
from oso_tui.registration.advies import advieswaarschuwingen as _advieswaarschuwingen
from oso_tui.registration.advies import markeer_advies
from oso_tui.registration.begeleiding import begeleiding as begeleiding
from oso_tui.registration.diff import DiffRegel, vergelijk
from oso_tui.registration.labels import ADVIESVELDEN as ADVIESVELDEN
from oso_tui.registration.labels import LABELS as LABELS
from oso_tui.registration.labels import LIJSTEN as LIJSTEN
from oso_tui.registration.labels import VOORVOEGSELS as VOORVOEGSELS
from oso_tui.registration.labels import advieslabel as advieslabel
from oso_tui.registration.labels import eigen as eigen
from oso_tui.registration.labels import label as label
from oso_tui.registration.labels import sectie as sectie
from oso_tui.registration.labels import sectie_volgorde as sectie_volgorde
from oso_tui.registration.labels import stap_van as stap_van
from oso_tui.registration.labels import weergave as weergave
from oso_tui.registration.loopbaan import BLOKKEN as BLOKKEN
from oso_tui.registration.loopbaan import loopbaan as loopbaan
from oso_tui.registration.loopbaan import toegestane_toetsen as toegestane_toetsen
from oso_tui.registration.models import Bron, Inhoud, Keuze, Modus, Stap
from oso_tui.registration.models import Plaatsing as Plaatsing
from oso_tui.registration.models import Voorstel as Voorstel
from oso_tui.registration.values import contact as _contact
from oso_tui.registration.values import hoofdadres as _hoofdadres
from oso_tui.registration.values import put as _put
from oso_tui.registration.values import row as _row
from oso_tui.registration.values import rows as _rows

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
        _put(w, "personalia.geslacht", codes.geslacht_label(ll.geslacht) or None)
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
                    geslacht=codes.geslacht_label(v.geslacht) or None,
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
        startdatum = parse_datum(start) if start else None
    except ValueError:
        raise UsageError(f"Startdatum '{start}' is geen geldige datum (verwacht {VORM}).") from None
    return Plaatsing(
        schooljaar=jaar,
        leerjaar=int(leerjaar) if leerjaar else None,
        opleiding=clean.get("opleiding"),
        klas=clean.get("klas"),
        startdatum=startdatum,
    )


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
    return [markeer_advies(r, geregistreerd, voorstel_.waarden) for r in regels]


def advieswaarschuwingen(geregistreerd: Mapping[str, Inhoud], voorstel_: Voorstel) -> list[str]:
    """A warning when this dossier's advice is lower than the registered one (see `advies`)."""
    if voorstel_.stap != "loopbaan":
        return []
    return _advieswaarschuwingen(geregistreerd, voorstel_.waarden)


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
