"""The sample pupils that each show one special case: care data, attachments, secret addresses, VOVO,
Latin-1, repeating a year, a May-only dossier."""

from __future__ import annotations

from datetime import date

from benchmarks.sample_leerlingen import (
    KOMPAS,
    KOMPAS_NOORD,
    OOSTERBROEK_VO,
    SPRINGPLANK,
    WILGENHOEK,
    ZEPPELIN,
    mail,
    standaard_leerling,
    tel,
    toetsen_groep678,
)
from benchmarks.xmlbuild import (
    STANDAARD_CATEGORIEEN,
    Adres,
    Document,
    Loopbaan,
    Verzorger,
    basisschool_loopbaan,
    geheime_telefoon,
    node,
    zip_bytes,
)
from benchmarks.xmldossier import Dossier, Eindtoets, overstapadvies

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
