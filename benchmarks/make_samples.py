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
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import CSV_HEADER, Inschrijving, write_csv
from benchmarks.sample_bijzonder import bram, evi, jesse, liv, milan, sara, thijs, zoe
from benchmarks.sample_kapot import BROKEN
from benchmarks.sample_leerlingen import fleur, lotte, noor, sem, tarek
from benchmarks.xmlbuild import serialize
from benchmarks.xmldossier import Dossier

ROOT = Path(__file__).resolve().parents[1] / "sample_dossiers"


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
