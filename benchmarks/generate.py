"""Write N fictional, varied OSO dossiers plus a matching enrolment CSV, reproducible from a seed.

    python -m benchmarks.generate 1000 /tmp/dossiers --seed 7
    python -m benchmarks.generate 1000 /tmp/dossiers --seed 7 --versies   # March + May (in mei/)

The benchmarks (issue 7) feed these to the folder exchange; the CSV is what a school would upload
for a collective request. Every person, school and number is invented: names are drawn from short
lists of common Dutch names, PGNs are random numbers that pass the elfproef (BSN) or the
onderwijsnummer rule, BRIN codes are drawn from a fictional "9?X?" range.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

from benchmarks.xmlbuild import (
    STANDAARD_CATEGORIEEN,
    Adres,
    Communicatie,
    Document,
    School,
    Verzorger,
    basisschool_loopbaan,
    geheime_telefoon,
    node,
    serialize,
    zip_bytes,
)
from benchmarks.xmldossier import Dossier, Eindtoets, Leerling, Toets, overstapadvies

CSV_HEADER = ("pgn", "geboortedatum", "brin", "vestiging", "achternaam")
CSV_NAAM = "inschrijvingen.csv"
MEI_MAP = "mei"
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def _check_digit(first8: str, remainder: int) -> int | None:
    """The 9th digit that makes the weighted sum (last weight -1) equal `remainder` mod 11."""
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, first8, strict=True))
    digit = (total - remainder) % 11
    return digit if digit < 10 else None


def bsn_from(first8: str) -> str | None:
    """A BSN (elfproef) with these first eight digits, or None when no check digit fits."""
    digit = _check_digit(first8, 0)
    return None if digit is None else f"{first8}{digit}"


def onderwijsnummer_from(middle6: str) -> str | None:
    """An onderwijsnummer ("10" + six digits + check digit, sum % 11 == 5), or None."""
    digit = _check_digit(f"10{middle6}", 5)
    return None if digit is None else f"10{middle6}{digit}"


def random_pgn(rng: random.Random, soort: str, taken: set[str]) -> str:
    """A fresh PGN of the given kind, not in `taken` (which it extends)."""
    while True:
        if soort == "bsn":
            pgn = bsn_from(f"{rng.randint(2, 9)}{rng.randrange(10**7):07d}")
        else:
            pgn = onderwijsnummer_from(f"{rng.randrange(10**6):06d}")
        if pgn is not None and pgn not in taken:
            taken.add(pgn)
            return pgn


# --- invented material --------------------------------------------------------------------------

JONGENS = (
    "Daan", "Sem", "Luuk", "Milan", "Levi", "Noah", "Finn", "Bram", "Thijs", "Jesse", "Ruben", "Mees",
    "Julian", "Stijn", "Gijs", "Teun", "Hugo", "Siem", "Otis", "Ravi", "Youssef", "Mohammed", "Ilias",
)  # fmt: skip
MEISJES = (
    "Emma", "Julia", "Sophie", "Tess", "Zoë", "Mila", "Sara", "Evi", "Lotte", "Noor", "Fleur", "Liv",
    "Nina", "Roos", "Isa", "Yara", "Fenna", "Lieke", "Amira", "Hiba", "Chloé", "Saar", "Jasmijn",
)  # fmt: skip
ACHTERNAMEN = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Bakker"), ("", "Visser"), ("", "Smit"),
    ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"),
    ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"),
    ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("", "Kok"), ("", "Jacobs"),
    ("", "Yılmaz"), ("", "El Amrani"), ("", "Nguyen"), ("", "Kowalski"), ("", "Öztürk"), ("", "Hoekstra"),
)  # fmt: skip
VOLWASSENEN_M = ("Mark", "Jeroen", "Bas", "Tim", "Rachid", "Pieter", "Erik", "Mehmet", "Dennis", "Wouter")
VOLWASSENEN_V = ("Linda", "Sanne", "Iris", "Fatima", "Marieke", "Esther", "Anouk", "Ayşe", "Petra", "Kim")
STRATEN = (
    "Lindelaan", "Kastanjestraat", "Molenweg", "Beukenhof", "Dorpsstraat", "Schoolstraat", "Vijverlaan",
    "Zonnebloemstraat", "Kerkpad", "Populierenlaan", "Merelstraat", "Havenkade", "Akkerweg", "Esdoornlaan",
)  # fmt: skip
PLAATSEN = (
    ("Veldhoven-Noord", "3521"), ("Beekdal", "6821"), ("Lindenhaven", "2311"), ("Oosterbroek", "9712"),
    ("Weidemeer", "8011"), ("Zandhoven", "5611"), ("Rietdijk", "1711"), ("Heuvelrijk", "7411"),
)  # fmt: skip
SCHOOLNAMEN = (
    "De Regenboog", "Het Kompas", "De Vlieger", "De Wilgenhoek", "Het Zonnelied", "De Sterrenkijker",
    "De Springplank", "Het Palet", "De Boomgaard", "De Vuurtoren", "Het Klaverblad", "De Zeppelin",
)  # fmt: skip
LETTERS = "ABCDEFGHJKLMNPRSTVWZ"


def _postcode(rng: random.Random, cijfers: str) -> str:
    return f"{cijfers[:3]}{rng.randint(0, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"


def _adres(rng: random.Random) -> Adres:
    plaats, cijfers = rng.choice(PLAATSEN)
    return Adres(
        rng.choice(STRATEN), str(rng.randint(1, 240)), _postcode(rng, cijfers), plaats, gemeente=plaats
    )


def _mobiel(rng: random.Random) -> str:
    return f"06{rng.randrange(10**8):08d}"


def scholen(rng: random.Random, aantal: int = 40) -> list[School]:
    """A pool of fictional primary schools with distinct BRIN + vestiging."""
    pool: list[School] = []
    seen: set[tuple[str, str]] = set()
    while len(pool) < aantal:
        brin = f"9{rng.randint(0, 9)}X{rng.choice(LETTERS)}"
        vestiging = rng.choice(("00", "00", "00", "01", "02"))
        if (brin, vestiging) in seen:
            continue
        seen.add((brin, vestiging))
        naam = f"{rng.choice(('Basisschool', 'OBS', 'CBS', 'KBS', 'IKC'))} {rng.choice(SCHOOLNAMEN)}"
        pool.append(
            School(
                naam=naam,
                brin=brin,
                vestiging=vestiging,
                adres=_adres(rng),
                telefoon=f"0{rng.randint(10, 79)}{rng.randrange(10**7):07d}",
                email=f"info@{brin.lower()}{vestiging}.school.example",
                soort=rng.choice(("BO",) * 9 + ("SBO",)),
            )
        )
    return pool


# --- one dossier ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inschrijving:
    """One row of the enrolment CSV: what the receiving school knows before it requests."""

    pgn: str
    geboortedatum: date
    brin: str
    vestiging: str
    achternaam: str

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.pgn, self.geboortedatum.isoformat(), self.brin, self.vestiging, self.achternaam)


ADVIEZEN = ("10", "20", "21", "30", "31", "40", "41", "42", "50", "60", "61", "70")
_TOETSEN = (
    ("RW", "rekenen-wiskunde", "Rekenen-Wiskunde"),
    ("SP", "spelling", "Spelling"),
    ("BL", "begrijpend lezen", "Begrijpend lezen"),
    ("TL", "technisch lezen", "Technisch lezen"),
)


def _toetsen(rng: random.Random, datum: date) -> list[Toets]:
    """LVS results from the current and the two previous school years only (OVa.TR04)."""
    result: list[Toets] = []
    for code, leergebied, naam in rng.sample(_TOETSEN, rng.randint(0, 4)):
        for groep, afname in (("6", date(2025, 1, 20)), ("7", date(2026, 1, 19)), ("8", date(2027, 1, 18))):
            if afname <= datum and rng.random() < 0.7:
                result.append(
                    Toets(
                        f"LVS-{code}-M{groep}",
                        leergebied,
                        f"{naam} midden groep {groep}",
                        afname + timedelta(days=rng.randint(0, 10)),
                        groep,
                        rng.randint(120, 260),
                        rng.choice(["I", "II", "III", "IV", "V"]),
                    )
                )
    return result


def _zorg(rng: random.Random) -> etree._Element:
    """A small onderwijsondersteuning block: one diagnosis, sometimes medication."""
    code, naam = rng.choice((("F81.0", "Dyslexie"), ("F81.2", "Dyscalculie"), ("F90", "ADHD")))
    return node(
        "onderwijsondersteuning",
        node(
            "diagnose",
            ("code", code),
            ("naam", naam),
            ("datum", date(2025, rng.randint(1, 12), rng.randint(1, 28))),
            ("instantie", "Praktijk voor leerlingbegeleiding (fictief)"),
        ),
        ("medicijngebruik", rng.random() < 0.3),
    )


def dossier_for(
    rng: random.Random, school: School, taken: set[str], index: int
) -> tuple[Dossier, Inschrijving]:
    """One random but coherent POVO dossier, plus the enrolment row that matches it."""
    meisje = rng.random() < 0.5
    voornamen = [rng.choice(MEISJES if meisje else JONGENS)]
    if rng.random() < 0.4:
        voornamen.append(rng.choice(MEISJES if meisje else JONGENS))
    voorvoegsel, achternaam = rng.choice(ACHTERNAMEN)
    geboortedatum = date(2014, 10, 1) + timedelta(days=rng.randint(0, 364))
    soort = "onderwijsnummer" if rng.random() < 0.05 else "bsn"
    pgn = random_pgn(rng, soort, taken)
    mei = rng.random() < 0.5
    datum = date(2027, 5, rng.randint(1, 28)) if mei else date(2027, 3, rng.randint(1, 14))
    adresgeheim = rng.random() < 0.03
    thuis = _adres(rng)

    categorieen = dict(STANDAARD_CATEGORIEEN)
    opt_uit = rng.random() < 0.2
    if opt_uit:
        for categorie in (
            "cat_onderwijsondersteuning",
            "cat_verzuim",
            "cat_toetsresultaten",
            "cat_bijlagedocs",
        ):
            categorieen[categorie] = "OPT-UIT"

    verzorgers = [
        Verzorger(
            [rng.choice(VOLWASSENEN_V)],
            achternaam if rng.random() < 0.7 else rng.choice(ACHTERNAMEN)[1],
            1,
            "2",
            voorvoegsel=voorvoegsel or None,
            adresgeheim=adresgeheim,
            adressen=[thuis],
            communicatie=[Communicatie("telefoon", _mobiel(rng), noodnummer=True)],
        )
    ]
    if rng.random() < 0.8:
        verzorgers.append(
            Verzorger(
                [rng.choice(VOLWASSENEN_M)],
                achternaam,
                2,
                "1",
                voorvoegsel=voorvoegsel or None,
                adresgeheim=adresgeheim,
                adressen=[thuis if rng.random() < 0.7 else _adres(rng)],
                communicatie=[
                    Communicatie("telefoon", _mobiel(rng)),
                    Communicatie("e-mail", f"ouder{index}@mail.example"),
                ],
            )
        )

    advies = rng.choice(ADVIEZEN)
    eindtoets = _eindtoets(rng) if mei and rng.random() < 0.9 else None
    zorg = None
    if not opt_uit and rng.random() < 0.2:
        zorg = _zorg(rng)
    bijlagen: list[Document] = []
    if not opt_uit and rng.random() < 0.1:
        bijlagen.append(
            Document(
                "groepsplan.zip",
                "Groepsplan groep 8",
                zip_bytes({"groepsplan.txt": f"Fictief groepsplan voor leerling {index}.\n"}),
            )
        )

    leerling = Leerling(
        voornamen=voornamen,
        roepnaam=voornamen[0],
        voorvoegsel=voorvoegsel or None,
        achternaam=achternaam,
        geboortedatum=geboortedatum,
        geslacht=1 if meisje else 2,
        pgn=pgn,
        pgn_soort=soort,
        leerlingid=f"LL{index:06d}",
        datuminschrijving=date(geboortedatum.year + 4, geboortedatum.month, min(geboortedatum.day, 28)),
        adresgeheim=adresgeheim,
        adressen=[thuis],
        communicatie=[geheime_telefoon()] if adresgeheim else [],
        overstapadvies=overstapadvies(
            advies,
            wensouders=advies if rng.random() < 0.8 else rng.choice(ADVIEZEN),
            profiel=rng.choice(("basis", "plus", None)),
            argumentatie="Werkt zelfstandig en geconcentreerd.",
            contactpersoon="Mevr. Groepsleerkracht" if rng.random() < 0.3 else None,
            contacttelefoon=school.telefoon,
        ),
        loopbaan=basisschool_loopbaan(school.brin, school.vestiging),
        onderwijsondersteuning=zorg,
        eindtoets=eindtoets,
        toetsen=[] if opt_uit else _toetsen(rng, datum),
        bijlagen=bijlagen,
        verzorgers=verzorgers,
    )
    dossier = Dossier(
        datum=datum,
        school=school,
        leerling=leerling,
        categorieen=categorieen,
        voorlopig=rng.random() < 0.05,
        inzagedatum=datum - timedelta(days=rng.randint(1, 10)),
        akkoord="Nee" if rng.random() < 0.05 else "Ja",
    )
    if dossier.akkoord == "Nee":
        dossier.redennietakkoord = "Ouders willen het advies eerst bespreken."
    return dossier, Inschrijving(pgn, geboortedatum, school.brin, school.vestiging, achternaam)


def _eindtoets(rng: random.Random) -> Eindtoets:
    return Eindtoets(
        "0013",
        "IEP Doorstroomtoets (fictief resultaat)",
        date(2027, 2, rng.randint(2, 12)),
        rng.randint(60, 100),
        rng.choice(("vmbo-kb", "vmbo-gt", "vmbo-gt/havo", "havo", "havo/vwo", "vwo")),
        rng.choice(("01", "02", "03")),
        rng.choice(("01", "02", "03")),
        rng.choice(("01", "02", "03")),
    )


def maart_en_mei(dossier: Dossier, rng: random.Random) -> tuple[Dossier, Dossier]:
    """The same pupil twice: a March dossier without final test and the newer May one with it.

    The May version also gives the first guardian a new mobile number, so a renewed request has
    something to supplement and something to overwrite.
    """
    leerling = dossier.leerling
    maart = replace(
        dossier,
        datum=date(2027, 3, rng.randint(1, 14)),
        inzagedatum=None,
        leerling=replace(leerling, eindtoets=None),
    )
    verzorgers = list(leerling.verzorgers)
    if verzorgers:
        eerste = verzorgers[0]
        nieuw = [Communicatie("telefoon", _mobiel(rng), noodnummer=True), *eerste.communicatie[1:]]
        verzorgers[0] = replace(eerste, communicatie=nieuw)
    mei = replace(
        dossier,
        datum=date(2027, 5, rng.randint(1, 28)),
        inzagedatum=None,
        leerling=replace(leerling, eindtoets=leerling.eindtoets or _eindtoets(rng), verzorgers=verzorgers),
    )
    return maart, mei


def iter_dossiers(
    n: int, *, seed: int = 0, versies: bool = False
) -> Iterator[tuple[str, bytes, Inschrijving]]:
    """(file name, XML bytes, enrolment row) for N pupils; the same seed gives the same bytes.

    With `versies` every pupil comes twice: `dossier_NNNNNN.xml` (March) and
    `dossier_NNNNNN_mei.xml` (May, with the final test), for renewal at scale. The pupils are the
    same as without `versies` (the versions draw from their own random stream).
    """
    rng = random.Random(seed)
    pool = scholen(rng)
    taken: set[str] = set()
    for index in range(n):
        dossier, inschrijving = dossier_for(rng, rng.choice(pool), taken, index)
        if not versies:
            yield f"dossier_{index:06d}.xml", serialize(dossier.element()), inschrijving
            continue
        maart, mei = maart_en_mei(dossier, random.Random(f"{seed}/{index}"))
        yield f"dossier_{index:06d}.xml", serialize(maart.element()), inschrijving
        yield f"dossier_{index:06d}_mei.xml", serialize(mei.element()), inschrijving


def generate(n: int, outdir: Path, *, seed: int = 0, versies: bool = False) -> list[Path]:
    """Write N dossiers and `inschrijvingen.csv` into `outdir`; returns the dossier paths.

    With `versies` the newer May versions go into `outdir/mei/`, so a benchmark can fetch the
    March ones first, renew the requests, and then drop the May ones into the inbox.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    if versies:
        (outdir / MEI_MAP).mkdir(exist_ok=True)
    paths: list[Path] = []
    rows: dict[str, Inschrijving] = {}
    for name, data, inschrijving in iter_dossiers(n, seed=seed, versies=versies):
        path = outdir / MEI_MAP / name if name.endswith("_mei.xml") else outdir / name
        path.write_bytes(data)
        paths.append(path)
        rows.setdefault(inschrijving.pgn, inschrijving)
    write_csv(outdir / CSV_NAAM, list(rows.values()))
    return paths


def write_csv(path: Path, rows: Sequence[Inschrijving]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(row.row() for row in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Schrijf N fictieve OSO-dossiers en een bijpassende inschrijvingen-CSV.",
    )
    parser.add_argument("n", type=int, help="aantal dossiers")
    parser.add_argument("outdir", type=Path, help="map voor de dossiers en inschrijvingen.csv")
    parser.add_argument("--seed", type=int, default=0, help="zelfde seed, zelfde bestanden (standaard 0)")
    parser.add_argument(
        "--versies",
        action="store_true",
        help="per leerling een maartversie en een nieuwere meiversie (met eindtoets) in de submap mei/",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n moet 0 of groter zijn")
    paths = generate(args.n, args.outdir, seed=args.seed, versies=args.versies)
    print(f"{len(paths)} dossiers en {CSV_NAAM} geschreven naar {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
