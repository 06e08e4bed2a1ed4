"""Write sample_dossiers/ (the fictional story, the broken files, manifest.json, inschrijvingen.csv).

    python -m benchmarks.make_samples [OUTDIR]      # default: sample_dossiers/ beside this package

The files are checked in; this script is their source, so a change to the story is made here and
the files are written again (a test checks that they are identical to what this script writes).
Every person, school and number is invented. School year of the story: 2026-2027, with a
March dossier and a May dossier (adding the final test) of the same pupil.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from lxml import etree

from benchmarks.generate import CSV_HEADER, Inschrijving, write_csv
from benchmarks.xmlbuild import (
    NS,
    STANDAARD_CATEGORIEEN,
    Adres,
    Communicatie,
    Document,
    Dossier,
    Eindtoets,
    Leerling,
    Loopbaan,
    School,
    Toets,
    Verzorger,
    basisschool_loopbaan,
    geheime_telefoon,
    node,
    overstapadvies,
    q,
    serialize,
    zip_bytes,
)

ROOT = Path(__file__).resolve().parents[1] / "sample_dossiers"

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


OPP_ZIP = zip_bytes(
    {
        "opp.txt": (
            "Ontwikkelingsperspectief (fictief voorbeeld)\n"
            "Uitstroombestemming: vmbo kader.\n"
            "Doelen: automatiseren tafels, begrijpend lezen op niveau 1F.\n"
        )
    }
)


def jesse() -> Dossier:
    """Care data: two diagnoses (dyslexia, ADHD), medication, an action plan, an OPP with its
    document, an arrangement and absence figures, from a special primary school (SBO)."""
    thuis = Adres("Esdoornlaan", "18", "7411ED", "Heuvelrijk")
    zorg = node(
        "onderwijsondersteuning",
        node(
            "diagnose",
            ("code", "F81.0"),
            ("naam", "Dyslexie"),
            ("datum", date(2022, 6, 14)),
            ("doorwie", "Drs. M. Hofman, GZ-psycholoog"),
            ("instantie", "Praktijk De Leeslamp (fictief)"),
        ),
        node(
            "diagnose",
            ("code", "F90"),
            ("naam", "ADHD"),
            ("datum", date(2024, 3, 5)),
            ("instantie", "Kinder- en jeugdpsychiatrie Heuvelrijk (fictief)"),
        ),
        ("medicijngebruik", True),
        node(
            "handelingsplan",
            ("startdatum", date(2026, 9, 1)),
            ("einddatum", date(2027, 7, 9)),
            ("isgerichtop", "rekenvaardigheid en planning"),
        ),
        node(
            "opp",
            ("opp_ingangdatum", date(2025, 10, 1)),
            ("opp_einddatum", date(2027, 7, 31)),
            Document("opp_jesse.zip", "Ontwikkelingsperspectiefplan", OPP_ZIP).element(),
        ),
        node(
            "arrangement_pao",
            ("arrangement_datum", date(2025, 9, 15)),
            ("arrangement_kenmerk", "Arrangement rekenen SWV Heuvelrijk (fictief)"),
            ("arrangement_einddatum", date(2027, 7, 31)),
        ),
    )
    verzuim = node(
        "verzuim",
        ("dagdelengeoorloofd", 14),
        ("dagdelenongeoorloofd", 3),
        ("meerdan25percent", False),
        ("contactleerplicht", False),
    )
    return Dossier(
        datum=date(2027, 3, 12),
        school=SPRINGPLANK,
        leerling=standaard_leerling(
            voornamen=["Jesse", "Willem"],
            roepnaam="Jesse",
            achternaam="Timmerman",
            geboortedatum=date(2014, 10, 8),
            geslacht=2,
            pgn="446419448",
            pgn_soort="bsn",
            leerlingid="SP-0456",
            adressen=[thuis],
            overstapadvies=overstapadvies(
                "30",
                wensouders="30",
                profiel="ondersteuning",
                argumentatie="Heeft structuur en een vaste mentor nodig.",
                contactpersoon="Mevr. L. Schouten (intern begeleider)",
                contacttelefoon="0570123400",
                aandachtspunten="Medicatie 's ochtends thuis; extra tijd bij toetsen; voorleessoftware.",
            ),
            loopbaan=basisschool_loopbaan("99WC", "00", wissel={2022: ("99WD", "00")}),
            onderwijsondersteuning=zorg,
            verzuim=verzuim,
            toetsen=toetsen_groep678((120, 131, 140), "V V IV"),
            verzorgers=[
                Verzorger(["Anouk"], "Timmerman", 1, "2", adressen=[thuis], communicatie=[tel("0655566670")]),
                Verzorger(["Erik"], "Timmerman", 2, "1", adressen=[thuis], communicatie=[tel("0655566680")]),
            ],
        ),
        inzagedatum=date(2027, 3, 10),
    )


RAPPORT_ZIP = zip_bytes(
    {
        "onderwijskundig_rapport.txt": (
            "Onderwijskundig rapport (fictief voorbeeld)\n"
            "Leerling: Evi Zonneveld, groep 8, OBS De Wilgenhoek\n"
            "Sterk in taal en wereldoriëntatie; werkt graag samen.\n"
        ),
        "leesmij.txt": "Dit archief hoort bij een fictief OSO-voorbeelddossier.\n",
    }
)


def evi() -> Dossier:
    """A small real attachment: overigdocumentlijst holds a base64 ZIP with two text files."""
    thuis = Adres("Beukenhof", "7", "2311BH", "Lindenhaven")
    return Dossier(
        datum=date(2027, 3, 8),
        school=WILGENHOEK,
        leerling=standaard_leerling(
            voornamen=["Evi"],
            roepnaam="Evi",
            achternaam="Zonneveld",
            geboortedatum=date(2015, 4, 2),
            geslacht=1,
            pgn="612854929",
            pgn_soort="bsn",
            leerlingid="WH-2019-022",
            adressen=[thuis],
            overstapadvies=overstapadvies("61", wensouders="61", profiel="basis"),
            loopbaan=basisschool_loopbaan("99WA", "00"),
            toetsen=toetsen_groep678((190, 208, 221), "II II I"),
            bijlagen=[
                Document("onderwijskundig_rapport.zip", "Onderwijskundig rapport groep 8", RAPPORT_ZIP)
            ],
            verzorgers=[
                Verzorger(["Kim"], "Zonneveld", 1, "2", adressen=[thuis], communicatie=[tel("0666677780")]),
            ],
        ),
        inzagedatum=date(2027, 3, 3),
    )


def milan() -> Dossier:
    """Four guardians: divorced parents at two addresses, a step-parent, and a grandmother who is
    not a legal representative; the father's address is secret."""
    moeder_adres = Adres("Populierenlaan", "23", "9712PL", "Oosterbroek")
    return Dossier(
        datum=date(2027, 3, 9),
        school=ZEPPELIN,
        leerling=standaard_leerling(
            voornamen=["Milan", "Sebastiaan"],
            roepnaam="Milan",
            voorvoegsel="de",
            achternaam="Boer",
            geboortedatum=date(2015, 3, 27),
            geslacht=2,
            pgn="750694476",
            pgn_soort="bsn",
            leerlingid="ZP-1188",
            adressen=[moeder_adres],
            overstapadvies=overstapadvies("50", wensouders="50"),
            loopbaan=basisschool_loopbaan("99WF", "00"),
            toetsen=toetsen_groep678((170, 185, 199), "III III II"),
            verzorgers=[
                Verzorger(
                    ["Sanne"],
                    "Dijkstra",
                    1,
                    "2",
                    adressen=[moeder_adres],
                    communicatie=[tel("0677788890", nood=True), mail("sanne.dijkstra@mail.example")],
                ),
                Verzorger(
                    ["Bas"],
                    "Boer",
                    2,
                    "1",
                    voorvoegsel="de",
                    adresgeheim=True,
                    communicatie=[tel("0677788800")],
                ),
                Verzorger(
                    ["Rachid"],
                    "El Amrani",
                    2,
                    "3",
                    adressen=[moeder_adres],
                    communicatie=[tel("0677788810")],
                    wettigevertegenwoordiger=False,
                ),
                Verzorger(
                    ["Wilhelmina"],
                    "Boer",
                    1,
                    "7",
                    voorvoegsel="de",
                    adressen=[Adres("Dorpsstraat", "2", "9713DS", "Oosterbroek")],
                    communicatie=[tel("0501234560", nood=True)],
                    wettigevertegenwoordiger=False,
                    overleden=False,
                ),
            ],
        ),
        inzagedatum=date(2027, 3, 5),
    )


def sara() -> Dossier:
    """A secret address (adresgeheim=true): no address at all, phone as the 9999999999 placeholder."""
    return Dossier(
        datum=date(2027, 3, 10),
        school=KOMPAS,
        leerling=standaard_leerling(
            voornamen=["Sara"],
            roepnaam="Sara",
            achternaam="Lindeboom",
            geboortedatum=date(2015, 8, 19),
            geslacht=1,
            pgn="342732481",
            pgn_soort="bsn",
            leerlingid="KP-0901",
            adresgeheim=True,
            communicatie=[geheime_telefoon()],
            overstapadvies=overstapadvies(
                "60",
                wensouders="60",
                contactpersoon="Mevr. D. Prins (directeur)",
                contacttelefoon="0264567800",
                aandachtspunten="Adres is geheim: geen gegevens aan derden; contact via de directeur.",
            ),
            loopbaan=basisschool_loopbaan("99WB", "00"),
            toetsen=toetsen_groep678((175, 190, 205), "III II II"),
            verzorgers=[
                Verzorger(
                    ["Fatima"], "Lindeboom", 1, "2", adresgeheim=True, communicatie=[geheime_telefoon()]
                ),
            ],
        ),
        inzagedatum=date(2027, 3, 8),
    )


def thijs() -> Dossier:
    """A VOVO transfer: a pupil in the second year of another secondary school switches school."""
    thuis = Adres("Collegeweg", "88", "9712CW", "Oosterbroek")
    loopbaan = [
        *basisschool_loopbaan("99WA", "00", huidig=2024),
        Loopbaan(
            "2025-2026",
            "11",
            "99WE",
            "00",
            groepscode="1H2",
            begindatum=date(2025, 8, 18),
            einddatum=date(2026, 7, 31),
            schoolsoort="VO",
        ),
        Loopbaan(
            "2026-2027", "12", "99WE", "00", groepscode="2H1", begindatum=date(2026, 8, 17), schoolsoort="VO"
        ),
    ]
    return Dossier(
        datum=date(2027, 3, 12),
        school=OOSTERBROEK_VO,
        overstap="VOVO",
        toestemming="Ja",
        leerling=standaard_leerling(
            voornamen=["Thijs"],
            roepnaam="Thijs",
            achternaam="Verhoeven",
            geboortedatum=date(2013, 6, 5),
            geslacht=2,
            pgn="671351825",
            pgn_soort="bsn",
            leerlingid="SGO-24117",
            datuminschrijving=date(2025, 8, 1),
            adressen=[thuis],
            overstapadvies=overstapadvies(
                None,
                argumentatie="Verhuist binnen de regio; havo 2 met voldoende resultaten.",
                contactpersoon="Dhr. K. Mulder (mentor)",
                contacttelefoon="0501112200",
            ),
            loopbaan=loopbaan,
            verzorgers=[
                Verzorger(["Linda"], "Verhoeven", 1, "2", adressen=[thuis], communicatie=[tel("0688899900")]),
            ],
        ),
        inzagedatum=date(2027, 3, 11),
    )


def zoe() -> Dossier:
    """Written in ISO-8859-1 (declared in the XML declaration), with diacritics in the names."""
    thuis = Adres("Schoolstraat", "5", "5611SC", "Zandhoven")
    return Dossier(
        datum=date(2027, 3, 5),
        school=ZEPPELIN,
        leerling=standaard_leerling(
            voornamen=["Zoë", "Anaïs"],
            roepnaam="Zoë",
            achternaam="Çelik",
            geboortedatum=date(2015, 9, 12),
            geslacht=1,
            pgn="526258020",
            pgn_soort="bsn",
            leerlingid="ZP-1201",
            adressen=[thuis],
            overstapadvies=overstapadvies("42", wensouders="50", argumentatie="Creatief, vraagt uitdaging."),
            loopbaan=basisschool_loopbaan("99WF", "00"),
            toetsen=toetsen_groep678((160, 178, 193), "III III II"),
            verzorgers=[
                Verzorger(["Ayşe"], "Çelik", 1, "2", adressen=[thuis], communicatie=[tel("0699900010")]),
            ],
        ),
        inzagedatum=date(2027, 3, 2),
    )


def bram() -> Dossier:
    """Repeated group 4 (nine career rows) and changed school in group 6, to a branch (vestiging 01)."""
    thuis = Adres("Noorderweg", "9", "6822NA", "Beekdal")
    return Dossier(
        datum=date(2027, 3, 11),
        school=KOMPAS_NOORD,
        leerling=standaard_leerling(
            voornamen=["Bram"],
            roepnaam="Bram",
            achternaam="IJzerman",
            geboortedatum=date(2014, 8, 20),
            geslacht=2,
            pgn="758070238",
            pgn_soort="bsn",
            leerlingid="KPN-1177",
            datuminschrijving=date(2018, 9, 1),
            adressen=[thuis],
            overstapadvies=overstapadvies("21", wensouders="30"),
            loopbaan=basisschool_loopbaan("99WC", "00", doublure=2021, wissel={2023: ("99WB", "01")}),
            toetsen=toetsen_groep678((130, 142, 150), "V IV IV"),
            verzorgers=[
                Verzorger(["Mark"], "IJzerman", 2, "1", adressen=[thuis], communicatie=[tel("0610101010")]),
            ],
        ),
        inzagedatum=date(2027, 3, 9),
    )


def liv() -> Dossier:
    """Only a May dossier (requested late): the final test (Route 8) is in it from the start."""
    thuis = Adres("Kerkpad", "12", "2311KP", "Lindenhaven")
    return Dossier(
        datum=date(2027, 5, 20),
        school=WILGENHOEK,
        categorieen={**STANDAARD_CATEGORIEEN, "cat_eindtoetsbo": "VERPLICHT"},
        leerling=standaard_leerling(
            voornamen=["Liv"],
            roepnaam="Liv",
            achternaam="Achterberg",
            geboortedatum=date(2015, 6, 30),
            geslacht=1,
            pgn="566776157",
            pgn_soort="bsn",
            leerlingid="WH-2019-031",
            adressen=[thuis],
            overstapadvies=overstapadvies("41", wensouders="41"),
            loopbaan=basisschool_loopbaan("99WA", "00"),
            eindtoets=Eindtoets(
                "0012", "Route 8 Doorstroomtoets", date(2027, 2, 10), 221, "vmbo-gt", "02", "02", "02"
            ),
            toetsen=toetsen_groep678((165, 180, 196), "III III II"),
            verzorgers=[
                Verzorger(
                    ["Anouk"], "Achterberg", 1, "2", adressen=[thuis], communicatie=[tel("0620202020")]
                ),
            ],
        ),
        inzagedatum=date(2027, 5, 15),
    )


@dataclass(frozen=True)
class Sample:
    bestand: str
    maak: Callable[[], Dossier]
    rol: str  # "maart" / "mei" for the pair, otherwise "enkel"
    toont: Sequence[str]
    encoding: str = "UTF-8"


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "01_wijngaarden_maart.xml",
        lambda: noor(False),
        "maart",
        ("maart-versie", "doorstroomtoets en definitief advies", "twee verzorgers"),
    ),
    Sample(
        "02_wijngaarden_mei.xml",
        lambda: noor(True),
        "mei",
        ("mei-versie", "herzien advies", "nieuw adres", "nieuw telefoonnummer"),
    ),
    Sample("03_mansour_onderwijsnummer.xml", tarek, "enkel", ("onderwijsnummer",)),
    Sample("04_kramer_opt_uit.xml", lotte, "enkel", ("opt-uit categorieën", "vestiging 01")),
    Sample("05_bouwmeester_voorlopig.xml", sem, "enkel", ("voorlopig dossier",)),
    Sample("06_hazelaar_niet_akkoord.xml", fleur, "enkel", ("akkoord=Nee",)),
    Sample(
        "07_timmerman_zorg.xml",
        jesse,
        "enkel",
        ("diagnoses", "medicatie", "handelingsplan", "OPP met bijlage", "arrangement", "verzuim", "SBO"),
    ),
    Sample("08_zonneveld_bijlage.xml", evi, "enkel", ("bijlage (ZIP)",)),
    Sample("09_de_boer_verzorgers.xml", milan, "enkel", ("vier verzorgers", "geheim adres verzorger")),
    Sample("10_lindeboom_adresgeheim.xml", sara, "enkel", ("adresgeheim", "geheim telefoonnummer")),
    Sample("11_verhoeven_vovo.xml", thijs, "enkel", ("VOVO-overstap", "toestemming")),
    Sample("12_celik_latin1.xml", zoe, "enkel", ("ISO-8859-1", "diakrieten"), encoding="ISO-8859-1"),
    Sample("13_ijzerman_doublure.xml", bram, "enkel", ("doublure", "schoolwissel", "vestiging 01")),
    Sample("14_achterberg_mei.xml", liv, "enkel", ("alleen mei-versie", "eindtoets Route 8")),
)


# --- the broken files --------------------------------------------------------------------------------


def broken_base() -> Dossier:
    """The dossier every broken file starts from, so each differs from a valid one in one way only."""
    thuis = Adres("Akkerweg", "40", "7411AW", "Heuvelrijk")
    return Dossier(
        datum=date(2027, 3, 10),
        school=VUURTOREN,
        leerling=standaard_leerling(
            voornamen=["Robin"],
            roepnaam="Robin",
            achternaam="Voorbeeld",
            geboortedatum=date(2015, 3, 3),
            geslacht=0,
            pgn="963989935",
            pgn_soort="bsn",
            leerlingid="VT-9999",
            adressen=[thuis],
            overstapadvies=overstapadvies("60", wensouders="60"),
            loopbaan=basisschool_loopbaan("99WC", "00"),
            toetsen=toetsen_groep678((170, 180, 190), "III III III"),
            verzorgers=[
                Verzorger(["Kim"], "Voorbeeld", 0, "1", adressen=[thuis], communicatie=[tel("0600000010")])
            ],
        ),
        inzagedatum=date(2027, 3, 5),
    )


def _find(root: etree._Element, path: str) -> etree._Element:
    found = root.find("/".join(q(part) for part in path.split("/")))
    if found is None:
        raise LookupError(path)
    return found


def _leerling(root: etree._Element) -> etree._Element:
    return _find(root, "huidigeschool/leerling")


def _tree() -> etree._Element:
    return broken_base().element()


def _set(path: str, value: str) -> Callable[[], bytes]:
    def make() -> bytes:
        root = _tree()
        _find(root, path).text = value
        return serialize(root)

    return make


def _drop(path: str) -> Callable[[], bytes]:
    def make() -> bytes:
        root = _tree()
        element = _find(root, path)
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)
        return serialize(root)

    return make


def _opt_uit_met_gegevens() -> bytes:
    root = _tree()
    _find(root, "metadata/categorie_uitlevering/cat_toetsresultaten").text = "OPT-UIT"
    return serialize(root)


def _toets_te_oud() -> bytes:
    root = _tree()
    toetslijst = _find(root, "huidigeschool/leerling/toetslijst")
    oud = Toets(
        "LVS-RW-M5", "rekenen-wiskunde", "Rekenen-Wiskunde midden groep 5", date(2024, 1, 23), "5", 150, "III"
    )
    toetslijst.insert(0, oud.element())
    return serialize(root)


def _geen_pgn() -> bytes:
    root = _tree()
    leerling = _leerling(root)
    leerling.remove(_find(leerling, "bsn"))
    return serialize(root)


def _renamed_root(
    namespace: str, localname: str = "dossier", versie: str | None = None
) -> Callable[[], bytes]:
    def make() -> bytes:
        data = serialize(_tree()).decode("utf-8")
        data = data.replace(f'xmlns="{NS}"', f'xmlns="{namespace}"')
        if localname != "dossier":
            data = data.replace("<dossier ", f"<{localname} ").replace("</dossier>", f"</{localname}>")
        if versie:
            data = data.replace("<standaardversie>2019.1<", f"<standaardversie>{versie}<")
        return data.encode("utf-8")

    return make


def _with_doctype(doctype: str, achternaam: str) -> Callable[[], bytes]:
    def make() -> bytes:
        data = serialize(_tree()).decode("utf-8")
        head, rest = data.split("\n", 1)
        rest = rest.replace("<achternaam>Voorbeeld</achternaam>", f"<achternaam>{achternaam}</achternaam>", 1)
        return f"{head}\n{doctype}\n{rest}".encode()

    return make


XXE = '<!DOCTYPE dossier [\n  <!ENTITY geheim SYSTEM "file:///etc/passwd">\n]>'
LOL = "\n".join(
    ["<!DOCTYPE dossier [", '  <!ENTITY lol0 "lol">']
    + [f'  <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    + ["]>"]
)
EXTERNE_DTD = '<!DOCTYPE dossier SYSTEM "http://dtd.example.invalid/oso-dossier.dtd">'


def _kapot() -> bytes:
    data = serialize(_tree())
    return data[: data.index(b"<schoolloopbaanlijst>") + 40]


@dataclass(frozen=True)
class Broken:
    bestand: str
    maak: Callable[[], bytes]
    reden: str  # Dutch: what is wrong
    controle: str  # how a test sees it: "xml" | "xsd" | "regel" | "beveiliging"
    verwacht: str  # what `oso-tui check` judges: "onleesbaar" | "fout" | "blokkade" | "waarschuwing"
    regel: str | None = None  # the rule id in the official XSL, or "elfproef"/"onderwijsnummer"
    extra: dict[str, str] = field(default_factory=dict)


BROKEN: tuple[Broken, ...] = (
    Broken(
        "kapot_afgebroken.xml", _kapot, "Het bestand houdt midden in een element op.", "xml", "onleesbaar"
    ),
    Broken("leeg.xml", lambda: b"", "Het bestand is leeg.", "xml", "onleesbaar"),
    Broken(
        "bsn_elfproef.xml",
        _set("huidigeschool/leerling/bsn", "963989936"),
        "Het BSN 963989936 voldoet niet aan de elfproef.",
        "regel",
        "blokkade",
        "elfproef",
    ),
    Broken(
        "onderwijsnummer_fout.xml",
        lambda: serialize(_onderwijsnummer_fout()),
        "Het onderwijsnummer 100648479 voldoet niet aan de rekenregel (rest 5 bij deling door 11).",
        "regel",
        "blokkade",
        "onderwijsnummer",
    ),
    Broken(
        "inzage_false.xml",
        _set("inzage/inzage", "false"),
        "Ouders hebben het dossier niet ingezien (inzage=false).",
        "regel",
        "fout",
        "OVa.IZ02",
    ),
    Broken(
        "geen_geboortedatum.xml",
        _drop("huidigeschool/leerling/geboortedatum"),
        "De geboortedatum van de leerling ontbreekt.",
        "regel",
        "fout",
        "OVa.LL02",
    ),
    Broken(
        "geen_pgn.xml",
        _geen_pgn,
        "De leerling heeft geen BSN en geen onderwijsnummer.",
        "regel",
        "fout",
        "OVa.LL12",
    ),
    Broken(
        "opt_uit_met_gegevens.xml",
        _opt_uit_met_gegevens,
        "De categorie toetsresultaten staat op OPT-UIT, maar het dossier bevat toch toetsen.",
        "regel",
        "fout",
        "OS.cat12",
    ),
    Broken(
        "toets_te_oud.xml",
        _toets_te_oud,
        "Een toets van januari 2024 valt buiten het huidige en de twee vorige schooljaren.",
        "regel",
        "waarschuwing",
        "OVa.TR04",
    ),
    Broken(
        "geboortedatum_ongeldig.xml",
        _set("huidigeschool/leerling/geboortedatum", "2015-02-30"),
        "De geboortedatum 2015-02-30 bestaat niet.",
        "xsd",
        "fout",
    ),
    Broken(
        "brin_fout.xml",
        _set("huidigeschool/brincode", "9WC"),
        "De BRIN-code van de school (9WC) heeft niet de vorm twee cijfers en twee letters.",
        "xsd",
        "fout",
    ),
    Broken(
        "xxe_lokaal_bestand.xml",
        _with_doctype(XXE, "&geheim;"),
        "Een DOCTYPE met een entiteit die naar een lokaal bestand wijst (XXE).",
        "beveiliging",
        "onleesbaar",
    ),
    Broken(
        "billion_laughs.xml",
        _with_doctype(LOL, "&lol9;"),
        "Een DOCTYPE met geneste entiteiten die exploderen bij uitpakken (billion laughs).",
        "beveiliging",
        "onleesbaar",
    ),
    Broken(
        "externe_dtd.xml",
        _with_doctype(EXTERNE_DTD, "Voorbeeld"),
        "Een DOCTYPE die een externe DTD via het netwerk wil laden.",
        "beveiliging",
        "onleesbaar",
    ),
    Broken(
        "verkeerde_root.xml",
        _renamed_root(NS, "leerlingdossier"),
        "Het hoofdelement heet leerlingdossier in plaats van dossier.",
        "xsd",
        "onleesbaar",
    ),
    Broken(
        "vreemde_namespace.xml",
        _renamed_root("urn:voorbeeld:ander-formaat:dossier"),
        "Het dossier staat in een namespace die niet van de OSO-gegevensset is.",
        "xsd",
        "onleesbaar",
    ),
    Broken(
        "onbekende_versie.xml",
        _renamed_root("http://www.edustandaard.nl/oso_gegevensset/2031/dossier", versie="2031.1"),
        "Een onbekende jaarversie (namespace 2031, standaardversie 2031.1); te lezen met een waarschuwing.",
        "xsd",
        "waarschuwing",
    ),
)


def _onderwijsnummer_fout() -> etree._Element:
    root = _tree()
    bsn = _find(root, "huidigeschool/leerling/bsn")
    bsn.tag = q("onderwijsnummer")
    bsn.text = "100648479"
    return root


# --- writing ------------------------------------------------------------------------------------------


def manifest_entry(sample: Sample, dossier: Dossier) -> dict[str, object]:
    leerling = dossier.leerling
    naam = " ".join(part for part in (leerling.roepnaam, leerling.voorvoegsel, leerling.achternaam) if part)
    return {
        "bestand": sample.bestand,
        "pgn": leerling.pgn,
        "pgn_soort": leerling.pgn_soort,
        "geboortedatum": leerling.geboortedatum.isoformat() if leerling.geboortedatum else None,
        "brin": dossier.school.brin,
        "vestiging": dossier.school.vestiging,
        "school": dossier.school.naam,
        "achternaam": leerling.achternaam,
        "voorvoegsel": leerling.voorvoegsel,
        "naam": naam,
        "datum": dossier.datum.isoformat(),
        "overstap": dossier.overstap,
        "rol": sample.rol,
        "toont": list(sample.toont),
    }


def write_all(outdir: Path) -> None:
    """Write every sample, every broken file, the manifest and the enrolment CSV into `outdir`."""
    (outdir / "invalid").mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, object]] = []
    inschrijvingen: dict[str, Inschrijving] = {}
    for sample in SAMPLES:
        dossier = sample.maak()
        (outdir / sample.bestand).write_bytes(serialize(dossier.element(), sample.encoding))
        entries.append(manifest_entry(sample, dossier))
        leerling = dossier.leerling
        assert leerling.geboortedatum is not None
        inschrijvingen.setdefault(
            leerling.pgn,
            Inschrijving(
                leerling.pgn,
                leerling.geboortedatum,
                dossier.school.brin,
                dossier.school.vestiging,
                leerling.achternaam,
            ),
        )
    ongeldig: list[dict[str, object]] = []
    for broken in BROKEN:
        (outdir / "invalid" / broken.bestand).write_bytes(broken.maak())
        ongeldig.append(
            {
                "bestand": f"invalid/{broken.bestand}",
                "reden": broken.reden,
                "controle": broken.controle,
                "verwacht": broken.verwacht,
                "regel": broken.regel,
            }
        )
    manifest = {
        "versie": 1,
        "omschrijving": "Fictieve OSO-voorbeelddossiers (2019.1) voor oso-tui; schooljaar 2026-2027.",
        "csv_kolommen": list(CSV_HEADER),
        "dossiers": entries,
        "ongeldig": ongeldig,
    }
    (outdir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_csv(outdir / "inschrijvingen.csv", list(inschrijvingen.values()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.make_samples", description=__doc__)
    parser.add_argument("outdir", type=Path, nargs="?", default=ROOT)
    args = parser.parse_args(argv)
    write_all(args.outdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
