"""The benchmark generator: valid, varied, reproducible dossiers with an enrolment CSV that matches."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from benchmarks.generate import CSV_HEADER, generate, iter_dossiers, main
from oso_tui.dossier.identifiers import pgn_kind
from tests.oso_rules import rule_violations, value

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
XSD_PATH = SHARED / "oso-gegevensset-2019.1" / "OSO_gegevensset.xsd"


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    if not XSD_PATH.is_file():
        pytest.skip(f"official OSO XSD not found at {XSD_PATH} (the shared reference folder is absent)")
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


@pytest.fixture(scope="module")
def optional_xsd() -> etree.XMLSchema | None:
    """The XSD when the shared folder is there; tests that check more than the XSD run without it."""
    return etree.XMLSchema(etree.parse(str(XSD_PATH))) if XSD_PATH.is_file() else None


@pytest.fixture(scope="module")
def sample() -> list[tuple[str, bytes, etree._Element]]:
    """200 generated dossiers, parsed once for the whole module."""
    return [(name, data, etree.fromstring(data)) for name, data, _ in iter_dossiers(200, seed=11)]


def test_generated_dossiers_are_valid_against_the_official_xsd(
    sample: list[tuple[str, bytes, etree._Element]], xsd: etree.XMLSchema
) -> None:
    for name, _, root in sample:
        assert xsd.validate(root), (name, [f"{e.line}: {e.message}" for e in xsd.error_log][:3])


def test_generated_dossiers_follow_the_business_rules(
    sample: list[tuple[str, bytes, etree._Element]],
) -> None:
    for name, _, root in sample:
        assert rule_violations(root) == [], name


def test_generated_dossiers_are_varied(sample: list[tuple[str, bytes, etree._Element]]) -> None:
    roots = [root for _, _, root in sample]

    def count(predicate: Callable[[etree._Element], bool]) -> int:
        return sum(1 for root in roots if predicate(root))

    pgns = [
        value(r, "huidigeschool/leerling/bsn") or value(r, "huidigeschool/leerling/onderwijsnummer")
        for r in roots
    ]
    assert len(set(pgns)) == len(pgns)
    assert Counter(pgn_kind(p or "") for p in pgns).keys() == {"bsn", "onderwijsnummer"}
    assert (
        len({(value(r, "huidigeschool/brincode"), value(r, "huidigeschool/vestigingscode")) for r in roots})
        > 10
    )
    assert {(value(r, "metadata/datum") or "")[:7] for r in roots} == {"2027-03", "2027-05"}
    assert count(lambda r: r.find(".//{*}eindtoets_basisonderwijs") is not None) > 20
    assert count(lambda r: any(e.text == "OPT-UIT" for e in r.iterfind(".//{*}categorie_uitlevering/*"))) > 10
    assert count(lambda r: value(r, "inzage/voorlopigdossier") == "true") > 0
    assert count(lambda r: value(r, "inzage/akkoord") == "Nee") > 0
    assert count(lambda r: r.find(".//{*}onderwijsondersteuning/{*}diagnose") is not None) > 5
    assert count(lambda r: len(r.findall(".//{*}leerling/{*}verzorger")) == 1) > 5
    assert count(lambda r: len(r.findall(".//{*}leerling/{*}verzorger")) == 2) > 5


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    first = list(iter_dossiers(25, seed=3))
    again = list(iter_dossiers(25, seed=3))
    other = list(iter_dossiers(25, seed=4))
    assert first == again
    assert [data for _, data, _ in first] != [data for _, data, _ in other]


def test_generate_writes_files_and_a_matching_csv(tmp_path: Path) -> None:
    paths = generate(30, tmp_path, seed=9)
    assert len(paths) == 30 and all(p.is_file() for p in paths)
    with (tmp_path / "inschrijvingen.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert tuple(rows[0]) == CSV_HEADER == ("pgn", "geboortedatum", "brin", "vestiging", "achternaam")
    assert len(rows) == 31
    for path, row in zip(paths, rows[1:], strict=True):
        root = etree.parse(str(path)).getroot()
        leerling = "huidigeschool/leerling"
        pgn = value(root, f"{leerling}/bsn") or value(root, f"{leerling}/onderwijsnummer")
        assert row == [
            pgn,
            value(root, f"{leerling}/geboortedatum"),
            value(root, "huidigeschool/brincode"),
            value(root, "huidigeschool/vestigingscode"),
            value(root, f"{leerling}/achternaam"),
        ]
    # Written files are the same bytes as the in-memory iterator gives for that seed.
    assert [p.read_bytes() for p in paths] == [data for _, data, _ in iter_dossiers(30, seed=9)]


def test_versions_give_each_pupil_a_march_and_a_newer_may_dossier(
    tmp_path: Path, optional_xsd: etree.XMLSchema | None
) -> None:
    plain = [row for _, _, row in iter_dossiers(12, seed=5)]
    paths = generate(12, tmp_path, seed=5, versies=True)
    maart = sorted(tmp_path.glob("*.xml"))
    mei = sorted((tmp_path / "mei").glob("*.xml"))
    assert len(maart) == len(mei) == 12 and len(paths) == 24
    rows = (tmp_path / "inschrijvingen.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert rows == [";".join(row.row()) for row in plain]  # the same pupils as without versions
    for old_path, new_path in zip(maart, mei, strict=True):
        assert new_path.name == old_path.name.replace(".xml", "_mei.xml")
        old, new = etree.parse(str(old_path)).getroot(), etree.parse(str(new_path)).getroot()
        for root in (old, new):
            if optional_xsd is not None:
                assert optional_xsd.validate(root), [e.message for e in optional_xsd.error_log][:3]
            assert rule_violations(root) == []
        for path in ("bsn", "onderwijsnummer", "geboortedatum", "achternaam"):
            assert value(old, f"huidigeschool/leerling/{path}") == value(
                new, f"huidigeschool/leerling/{path}"
            )
        assert (value(old, "metadata/datum") or "") < (value(new, "metadata/datum") or "")
        assert old.find(".//{*}eindtoets_basisonderwijs") is None
        assert new.find(".//{*}eindtoets_basisonderwijs/{*}eindtoetsresultaat") is not None


def test_command_line(tmp_path: Path) -> None:
    assert main(["3", str(tmp_path / "a"), "--seed", "2"]) == 0
    assert len(list((tmp_path / "a").glob("*.xml"))) == 3
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.generate", "2", str(tmp_path / "b"), "--seed", "2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "2 dossiers" in result.stderr
    assert (tmp_path / "b" / "dossier_000000.xml").read_bytes() == (
        tmp_path / "a" / "dossier_000000.xml"
    ).read_bytes()


def test_command_line_refuses_a_negative_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["-1", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "n moet 0 of groter zijn" in capsys.readouterr().err


def test_generated_contact_data_is_visibly_fictional(sample: list[tuple[str, bytes, etree._Element]]) -> None:
    for name, _, root in sample:
        for communicatie in root.iterfind(".//{*}communicatie"):
            if value(communicatie, "soort") == "e-mail":
                assert (value(communicatie, "nummer") or "").endswith(".example"), name
        for brin in root.iterfind(".//{*}brincode"):
            assert re.fullmatch(r"9[0-9]X[A-Z]", brin.text or ""), name
