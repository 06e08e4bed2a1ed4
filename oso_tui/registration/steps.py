"""The three registration steps as pure mappings from a dossier to pupil fields.

Labels and sections live in `labels`, value helpers in `waarden`, the old care block in `zorgblok`,
the adjusted-advice marks in `advies`; the names other modules use are re-exported here.

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
from collections.abc import Callable, Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.dossier import codes
from oso_tui.dossier.models import Adres, Dossier, Toets, Toetsresultaat
from oso_tui.errors import UsageError
from oso_tui.registration.advies import advieswaarschuwingen as _advieswaarschuwingen
from oso_tui.registration.advies import markeer_advies
from oso_tui.registration.diff import DiffRegel, vergelijk
from oso_tui.registration.labels import ADVIESVELDEN as ADVIESVELDEN
from oso_tui.registration.labels import LABELS as LABELS
from oso_tui.registration.labels import LIJSTEN as LIJSTEN
from oso_tui.registration.labels import advieslabel as advieslabel
from oso_tui.registration.labels import label as label
from oso_tui.registration.labels import sectie as sectie
from oso_tui.registration.labels import sectie_volgorde as sectie_volgorde
from oso_tui.registration.labels import weergave as weergave
from oso_tui.registration.models import Bron, Inhoud, Keuze, Modus, Rij, Stap
from oso_tui.registration.waarden import (
    bijlagenamen,
    contact,
    hoofdadres,
    json_waarde,
    maak_rij,
    zet,
    zet_rijen,
)
from oso_tui.registration.zorgblok import registreer_oude_zorg

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


def stap_van(pad: str) -> Stap | None:
    """Which step owns a path."""
    for stap, prefixes in VOORVOEGSELS.items():
        if pad.startswith(prefixes):
            return stap
    return None


def eigen(stap: Stap) -> Callable[[str], bool]:
    prefixes = VOORVOEGSELS[stap]
    return lambda pad: pad.startswith(prefixes)


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
    zet(w, "personalia.bsn", ll.bsn)
    zet(w, "personalia.onderwijsnummer", ll.onderwijsnummer)
    zet(w, "personalia.voornamen", ll.voornamen)
    zet(w, "personalia.voorletters", ll.voorletters)
    zet(w, "personalia.voorvoegsel", ll.voorvoegsel)
    zet(w, "personalia.achternaam", ll.achternaam)
    zet(w, "personalia.roepnaam", ll.roepnaam)
    zet(w, "personalia.geboortedatum", ll.geboortedatum)
    if ll.geslacht is not None:
        zet(w, "personalia.geslacht", GESLACHT.get(ll.geslacht, ll.geslacht))
    zet(w, "personalia.adresgeheim", ll.adresgeheim)
    adres = hoofdadres(ll.adressen)
    if adres is not None:
        row = maak_rij(
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
        zet(w, "personalia.postadres", post.regel)
    bezoek = next((a for a in ll.adressen if a.soort == "bezoek" and a is not adres), None)
    if bezoek is not None and bezoek.regel != (adres.regel if adres else ""):
        zet(w, "personalia.bezoekadres", bezoek.regel)
    zet(w, "personalia.adres_buitenland", "; ".join(ll.adresbuitenland))
    zet(w, "personalia.leerlinggewicht", ll.leerlinggewicht)
    zet(w, "personalia.onderwijs_sinds", ll.onderwijssinds)
    zet(w, "personalia.vorige_school.inschrijfdatum", ll.datuminschrijving)
    zet(w, "personalia.vorige_school.startdatum", ll.startdatumhuidigonderwijs)
    zet(w, "personalia.vorige_school.uitschrijfdatum", ll.datumuitschrijving)
    if ll.huisarts is not None:
        arts = ll.huisarts
        row = maak_rij(
            naam=" ".join(
                p for p in (*arts.voornamen[:1], arts.voorletters, arts.voorvoegsel, arts.achternaam) if p
            ),
            adres=(hoofdadres(arts.adressen) or Adres()).regel,
            telefoon=contact(arts.communicatie, "telefoon"),
            email=contact(arts.communicatie, "e-mail"),
        )
        if row:
            w["personalia.huisarts"] = row
    zet_rijen(
        w,
        "personalia.communicatie",
        (
            (
                (c.soort, c.aanduiding),
                maak_rij(
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
    zet_rijen(
        w,
        "personalia.verzorgers",
        (
            (
                (v.naam, v.relatietotkind),
                maak_rij(
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
                    telefoon=contact(v.communicatie, "telefoon"),
                    email=contact(v.communicatie, "e-mail"),
                    adres=(hoofdadres(v.adressen) or Adres()).regel,
                    adresgeheim=v.adresgeheim,
                ),
            )
            for v in dossier.verzorgers
        ),
    )
    zet(w, "personalia.vorige_school.naam", dossier.school.naam)
    zet(w, "personalia.vorige_school.brin", dossier.school.brin)
    zet(w, "personalia.vorige_school.vestiging", dossier.school.vestiging)

    bronnen: dict[str, Bron] = {}
    p = plaatsing or Plaatsing()
    for field in ("schooljaar", "leerjaar", "opleiding", "klas", "startdatum"):
        pad = f"plaatsing.{field}"
        zet(w, pad, getattr(p, field))
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
    return maak_rij(
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
    zet_rijen(
        w,
        "loopbaan.schoolloopbaan",
        (
            (
                (s.schooljaar, s.groepsnaam or s.groepscode or s.jaargroep),
                maak_rij(
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
            zet(w, f"loopbaan.advies.{field}", getattr(advies, field))
    toets = dossier.eindtoets
    if toets is not None:
        zet(w, "loopbaan.eindtoets.deelgenomen", toets.deelgenomen)
        toetsen = codes.doorstroomtoets()
        zet(
            w,
            "loopbaan.eindtoets.toetssoort",
            toets.toetsomschrijving or toetsen.toets_label(toets.toetssoort) or toets.toetssoort,
        )
        if toets.toetsomschrijving or toetsen.toets_label(toets.toetssoort):
            zet(w, "loopbaan.eindtoets.toetscode", toets.toetssoort)
        zet(w, "loopbaan.eindtoets.toetsniveau", toets.toetsniveau)
        zet(w, "loopbaan.eindtoets.datum", toets.datum_afname)
        zet(w, "loopbaan.eindtoets.standaardscore", toets.standaardscore)
        zet(w, "loopbaan.eindtoets.advies", toets.toets_advies)
        zet(w, "loopbaan.eindtoets.ontheffing", toets.wettelijke_ontheffing)
        zet_rijen(
            w,
            "loopbaan.eindtoets.onderdelen",
            (
                (
                    (o.code,),
                    maak_rij(
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
    zet_rijen(
        w,
        "loopbaan.toetsen",
        (
            (
                (t.code, json_waarde(t.afnamedatum)),
                {
                    **maak_rij(
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
        zet_rijen(
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
        zet(w, "begeleiding.toelichting", o.toelichting.bestandsnaam if o.toelichting else None)
        zet_rijen(
            w,
            "begeleiding.diagnoses",
            (
                (
                    (" ".join(d.codes) or d.naam,),
                    maak_rij(
                        codes=d.codes,
                        naam=d.naam,
                        datum=d.datum,
                        door=d.doorwie,
                        instantie=d.instantie,
                        bijlagen=bijlagenamen(d.bijlagen),
                    ),
                )
                for d in o.diagnoses
            ),
        )
        zet(w, "begeleiding.medicijngebruik", o.medicijngebruik)
        zet_rijen(
            w,
            "begeleiding.handelingsplannen",
            (
                (
                    (json_waarde(h.startdatum), h.isgerichtop),
                    maak_rij(
                        startdatum=h.startdatum,
                        einddatum=h.einddatum,
                        gericht_op=h.isgerichtop,
                        bijlage=bijlagenamen([h.bijlage]),
                    ),
                )
                for h in o.handelingsplannen
            ),
        )
        if o.opp is not None:
            zet(w, "begeleiding.opp.ingangsdatum", o.opp.ingangsdatum)
            zet(w, "begeleiding.opp.einddatum", o.opp.einddatum)
            zet(w, "begeleiding.opp.bijlagen", bijlagenamen(o.opp.bijlagen))
        zet_rijen(
            w,
            "begeleiding.tlv",
            (
                (
                    (t.beschikkingsnummer or json_waarde(t.ingangsdatum),),
                    maak_rij(
                        ingangsdatum=t.ingangsdatum,
                        einddatum=t.einddatum,
                        categorie=t.categorie,
                        swvnummer=t.swvnummer,
                        beschikkingsnummer=t.beschikkingsnummer,
                        bijlage=bijlagenamen([t.bijlage]),
                    ),
                )
                for t in o.tlvs
            ),
        )
        zet_rijen(
            w,
            "begeleiding.arrangementen",
            (
                (
                    (a.soort, json_waarde(a.datum)),
                    maak_rij(
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
            zet(w, "begeleiding.lwoo.ingangsdatum", o.lwoo.ingangsdatum)
            zet(w, "begeleiding.lwoo.einddatum", o.lwoo.einddatum)
            zet(w, "begeleiding.lwoo.beschikkingsnummer", o.lwoo.beschikkingsnummer)
            zet(w, "begeleiding.lwoo.swvnummer", o.lwoo.swvnummer)
        if o.rvc is not None:
            zet(w, "begeleiding.rvc.centraleproblematiek", o.rvc.centraleproblematiek)
            zet(w, "begeleiding.rvc.maatregelen", o.rvc.maatregelen)
            zet(w, "begeleiding.rvc.datum", o.rvc.rvcdatum)
            zet(w, "begeleiding.rvc.indicatie", o.rvc.rvcindicatie)
            zet(w, "begeleiding.rvc.signalering", o.rvc.signalering)
        registreer_oude_zorg(w, o.overig)
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
            zet(w, f"begeleiding.verzuim.{field}", getattr(v, field))
    zet_rijen(
        w,
        "begeleiding.bijlagen",
        (
            (
                (b.bestandsnaam,),
                maak_rij(
                    bestandsnaam=b.bestandsnaam, omschrijving=b.omschrijving, grootte=b.grootte, bron=b.bron
                ),
            )
            for b in dossier.bijlagen
        ),
    )
    return Voorstel(stap="begeleiding", waarden=w)


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
