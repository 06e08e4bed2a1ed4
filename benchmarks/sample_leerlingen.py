"""The story's sending schools, their shared builders and the first pupils of the sample dossiers.

Every person, school and number is invented (see `benchmarks.make_samples`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from benchmarks.xmlbuild import (
    STANDAARD_CATEGORIEEN,
    Adres,
    Communicatie,
    School,
    Verzorger,
    basisschool_loopbaan,
)
from benchmarks.xmldossier import Dossier, Eindtoets, Leerling, Toets, overstapadvies

# --- the sending schools (fictional BRIN range 99W?) ---------------------------------------------

WILGENHOEK = School(
    "OBS De Wilgenhoek",
    "99WA",
    "00",
    Adres("Wilgenlaan", "2", "2311WH", "Lindenhaven"),
    "0711234500",
    "administratie@wilgenhoek.school.example",
    directeur="J. Verbeek",
    website="www.wilgenhoek.school.example",
)
KOMPAS = School(
    "CBS Het Kompas",
    "99WB",
    "00",
    Adres("Kompasstraat", "10", "6821KP", "Beekdal"),
    "0264567800",
    "info@hetkompas.school.example",
)
KOMPAS_NOORD = replace(
    KOMPAS,
    naam="CBS Het Kompas, locatie Noord",
    vestiging="01",
    adres=Adres("Noorderweg", "77", "6822NW", "Beekdal"),
    telefoon="0264567811",
)
VUURTOREN = School(
    "KBS De Vuurtoren",
    "99WC",
    "00",
    Adres("Havenkade", "31", "1711VT", "Rietdijk"),
    "0229876500",
    "info@vuurtoren.school.example",
)
SPRINGPLANK = School(
    "SBO De Springplank",
    "99WD",
    "00",
    Adres("Akkerweg", "5", "7411SP", "Heuvelrijk"),
    "0570123400",
    "zorg@springplank.school.example",
    soort="SBO",
)
OOSTERBROEK_VO = School(
    "Scholengemeenschap Oosterbroek",
    "99WE",
    "00",
    Adres("Collegeweg", "1", "9712OB", "Oosterbroek"),
    "0501112200",
    "leerlingzaken@sg-oosterbroek.school.example",
    soort="VO",
)
ZEPPELIN = School(
    "IKC De Zeppelin",
    "99WF",
    "00",
    Adres("Luchtschipstraat", "8", "5611ZP", "Zandhoven"),
    "0402223300",
    "info@dezeppelin.school.example",
)


def tel(nummer: str, aanduiding: str = "prive", *, nood: bool = False) -> Communicatie:
    return Communicatie("telefoon", nummer, aanduiding, noodnummer=nood)


def mail(adres: str) -> Communicatie:
    return Communicatie("e-mail", adres, "prive")


def toetsen_groep678(scores: Sequence[int], niveaus: str) -> list[Toets]:
    """Rekenen and begrijpend lezen, midden groep 6, 7 and 8: all within the last three school years."""
    rows: list[Toets] = []
    for index, (groep, afname) in enumerate(
        (("6", date(2025, 1, 21)), ("7", date(2026, 1, 20)), ("8", date(2027, 1, 19)))
    ):
        rows.append(
            Toets(
                f"LVS-RW-M{groep}",
                "rekenen-wiskunde",
                f"Rekenen-Wiskunde midden groep {groep}",
                afname,
                groep,
                scores[index],
                niveaus.split()[index],
            )
        )
        rows.append(
            Toets(
                f"LVS-BL-M{groep}",
                "begrijpend lezen",
                f"Begrijpend lezen midden groep {groep}",
                afname,
                groep,
                scores[index] - 12,
                niveaus.split()[index],
            )
        )
    return rows


def standaard_leerling(**fields: object) -> Leerling:
    """A leerling with the fields every POVO sample shares; callers override what they show."""
    values: dict[str, object] = {
        "datuminschrijving": date(2019, 9, 1),
        "verzorgersaansprakelijk": True,
    }
    values.update(fields)
    return Leerling(**values)  # type: ignore[arg-type]


# --- the story -------------------------------------------------------------------------------------

NOOR_THUIS_MAART = Adres("Lindelaan", "14", "2311AB", "Lindenhaven")
NOOR_THUIS_MEI = Adres("Kastanjestraat", "3", "2312KC", "Lindenhaven", toevoeging="b")


def noor(mei: bool) -> Dossier:
    """The March/May pair: same PGN and school; May adds the final test, a revised advice,
    a new address (the family moved) and a new mobile number for the mother."""
    thuis = NOOR_THUIS_MEI if mei else NOOR_THUIS_MAART
    moeder = Verzorger(
        ["Iris", "Johanna"],
        "Wijngaarden",
        1,
        "2",
        voorvoegsel="van",
        adressen=[thuis],
        communicatie=[
            tel("0612345670" if mei else "0698765430", nood=True),
            mail("iris.vanwijngaarden@mail.example"),
        ],
        iban="NL00BANK0123456789",
    )
    vader = Verzorger(
        ["Jeroen"],
        "Wijngaarden",
        2,
        "1",
        voorvoegsel="van",
        adressen=[thuis],
        communicatie=[tel("0687654320"), tel("0719876540", "werk")],
    )
    advies = overstapadvies(
        "60",
        wensouders="61",
        wensleerling="61",
        herzienadvies="61" if mei else None,
        motivatie_herzienadvies=(
            "De uitslag van de doorstroomtoets ligt hoger dan het advies; na overleg met ouders herzien."
            if mei
            else None
        ),
        profiel="plus",
        argumentatie="Noor werkt nauwkeurig en zelfstandig; plannen van huiswerk vraagt nog aandacht.",
        contactpersoon="Mevr. A. Kuiper (groepsleerkracht)",
        contacttelefoon="0711234500",
        contactemail="a.kuiper@wilgenhoek.school.example",
        aandachtspunten="Faalangst bij toetsen; helpt als de mentor het vooraf bespreekt.",
    )
    # Since 2023-2024 the doorstroomtoets is in February: the March dossier holds its result and the
    # definitive advice; the May version adjusts the advice upwards.
    eindtoets = Eindtoets("0013", "IEP Doorstroomtoets", date(2027, 2, 9), 88, "havo/vwo", "03", "02", "03")
    leerling = standaard_leerling(
        voornamen=["Noor", "Elisabeth"],
        roepnaam="Noor",
        voorvoegsel="van",
        achternaam="Wijngaarden",
        geboortedatum=date(2015, 2, 11),
        geslacht=1,
        pgn="377855017",
        pgn_soort="bsn",
        leerlingid="WH-2019-014",
        adressen=[thuis],
        communicatie=[],
        overstapadvies=advies,
        loopbaan=basisschool_loopbaan("99WA", "00"),
        eindtoets=eindtoets,
        toetsen=toetsen_groep678((182, 204, 226), "III II I"),
        verzorgers=[moeder, vader],
    )
    return Dossier(
        datum=date(2027, 5, 18) if mei else date(2027, 3, 8),
        school=WILGENHOEK,
        leerling=leerling,
        inzagedatum=date(2027, 5, 14) if mei else date(2027, 3, 4),
    )


def tarek() -> Dossier:
    """A pupil without a BSN: identified by an onderwijsnummer."""
    thuis = Adres("Zonnebloemstraat", "41", "6821ZB", "Beekdal")
    return Dossier(
        datum=date(2027, 3, 9),
        school=KOMPAS,
        leerling=standaard_leerling(
            voornamen=["Tarek"],
            roepnaam="Tarek",
            achternaam="Mansour",
            geboortedatum=date(2014, 11, 23),
            geslacht=2,
            pgn="109021697",
            pgn_soort="onderwijsnummer",
            leerlingid="KP-0877",
            adressen=[thuis],
            overstapadvies=overstapadvies("40", wensouders="40", argumentatie="Leert snel Nederlands."),
            loopbaan=basisschool_loopbaan("99WB", "00"),
            toetsen=toetsen_groep678((150, 168, 181), "IV IV III"),
            verzorgers=[
                Verzorger(["Leila"], "Mansour", 1, "2", adressen=[thuis], communicatie=[tel("0611122230")])
            ],
        ),
        inzagedatum=date(2027, 3, 5),
    )


def lotte() -> Dossier:
    """The sending school switched six optional categories off (OPT-UIT): those blocks are absent."""
    thuis = Adres("Noorderweg", "120", "6822NX", "Beekdal")
    categorieen = dict(STANDAARD_CATEGORIEEN)
    for categorie in (
        "cat_onderwijsondersteuning",
        "cat_verzuim",
        "cat_toetsresultaten",
        "cat_handelingsplannen",
        "cat_cijferlijsten",
        "cat_bijlagedocs",
    ):
        categorieen[categorie] = "OPT-UIT"
    return Dossier(
        datum=date(2027, 3, 10),
        school=KOMPAS_NOORD,
        categorieen=categorieen,
        leerling=standaard_leerling(
            voornamen=["Lotte", "Maria"],
            roepnaam="Lotte",
            achternaam="Kramer",
            geboortedatum=date(2015, 5, 30),
            geslacht=1,
            pgn="302275745",
            pgn_soort="bsn",
            leerlingid="KPN-1203",
            adressen=[thuis],
            overstapadvies=overstapadvies("70", wensouders="70", profiel="basis"),
            loopbaan=basisschool_loopbaan("99WB", "01"),
            verzorgers=[
                Verzorger(["Marieke"], "Kramer", 1, "2", adressen=[thuis], communicatie=[tel("0622233340")]),
            ],
        ),
        inzagedatum=date(2027, 3, 8),
    )


def sem() -> Dossier:
    """A provisional dossier (voorlopigdossier=true): prepared before the final version."""
    thuis = Adres("Merelstraat", "9", "1711MS", "Rietdijk")
    return Dossier(
        datum=date(2027, 3, 2),
        school=VUURTOREN,
        voorlopig=True,
        leerling=standaard_leerling(
            voornamen=["Sem"],
            roepnaam="Sem",
            achternaam="Bouwmeester",
            geboortedatum=date(2015, 7, 3),
            geslacht=2,
            pgn="768129734",
            pgn_soort="bsn",
            leerlingid="VT-3312",
            adressen=[thuis],
            overstapadvies=overstapadvies("31", wensouders="40"),
            loopbaan=basisschool_loopbaan("99WC", "00"),
            toetsen=toetsen_groep678((140, 160, 171), "IV III III"),
            verzorgers=[
                Verzorger(
                    ["Petra"], "Bouwmeester", 1, "2", adressen=[thuis], communicatie=[tel("0633344450")]
                ),
                Verzorger(
                    ["Dennis"], "Bouwmeester", 2, "1", adressen=[thuis], communicatie=[tel("0633344460")]
                ),
            ],
        ),
        inzagedatum=date(2027, 2, 26),
    )


def fleur() -> Dossier:
    """Parents have seen the dossier but do not agree with it (akkoord=Nee, with their reason)."""
    thuis = Adres("Vijverlaan", "66", "1712VL", "Rietdijk")
    return Dossier(
        datum=date(2027, 3, 11),
        school=VUURTOREN,
        akkoord="Nee",
        redennietakkoord="Ouders zijn het niet eens met het schooladvies; zij verwachten havo.",
        leerling=standaard_leerling(
            voornamen=["Fleur"],
            roepnaam="Fleur",
            achternaam="Hazelaar",
            geboortedatum=date(2015, 1, 17),
            geslacht=1,
            pgn="458342798",
            pgn_soort="bsn",
            leerlingid="VT-3340",
            adressen=[thuis],
            overstapadvies=overstapadvies(
                "40",
                wensouders="60",
                wensleerling="60",
                argumentatie="Werkhouding wisselend; rekenen blijft achter.",
                contactpersoon="Dhr. R. Dijkman (intern begeleider)",
                contacttelefoon="0229876500",
            ),
            loopbaan=basisschool_loopbaan("99WC", "00"),
            toetsen=toetsen_groep678((150, 171, 190), "IV III III"),
            verzorgers=[
                Verzorger(["Esther"], "Hazelaar", 1, "2", adressen=[thuis], communicatie=[tel("0644455560")]),
            ],
        ),
        inzagedatum=date(2027, 3, 9),
    )
