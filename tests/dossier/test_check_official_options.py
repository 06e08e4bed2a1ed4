"""`oso-tui check --xsd FILE` and `--officieel --regels MAP`: the official schema and rules, in Dutch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from oso_tui.cli import main
from oso_tui.dossier import officieel
from oso_tui.dossier.xsdcheck import dutch
from tests.dossier.builders import add_after, base, drop, find, set_text, to_bytes
from tests.dossier.conftest import SHARED, official_folder, skip_reason
from tests.dossier.official import saxon_available

XSD_2019 = official_folder("2019.1") / "OSO_gegevensset.xsd"
needs_xsd = pytest.mark.skipif(not XSD_2019.is_file(), reason=skip_reason("2019.1"))
needs_saxon = pytest.mark.skipif(not saxon_available(), reason="saxonche (the test extra) is not installed")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("english", "dutch_text"),
    [
        (
            "Element '{urn:x}soort': This element is not expected. Expected is ( {urn:x}aanleverpunt ).",
            "Het element <soort> is hier niet toegestaan (verwacht: <aanleverpunt>).",
        ),
        (
            "Element '{urn:x}verzorger': Missing child element(s). "
            "Expected is ( {urn:x}wettigevertegenwoordiger ).",
            "In <verzorger> ontbreekt het verplichte element <wettigevertegenwoordiger>.",
        ),
        (
            "Element '{urn:x}bsn': [facet 'pattern'] The value '123' is not accepted "
            "by the pattern '[0-9]{9}'.",
            "De waarde van <bsn> heeft niet de vereiste vorm.",
        ),
        (
            "Element '{urn:x}datum': '2024-13-01' is not a valid value of the atomic type 'xs:date'.",
            "De waarde van <datum> is geen geldige waarde van het type date.",
        ),
        (
            "Element '{urn:x}leerling', attribute 'foo': The attribute 'foo' is not allowed.",
            "Het attribuut 'foo' is niet toegestaan bij <leerling>.",
        ),
        (
            "Element '{urn:x}dossier': No matching global declaration available for the validation root.",
            "Het hoofdelement <dossier> hoort niet bij dit schema (een andere namespace of versie).",
        ),
        ("something else entirely", "De opbouw van het dossier wijkt af van het schema."),
    ],
)
def test_lxml_messages_in_dutch_without_values(english: str, dutch_text: str) -> None:
    assert dutch(english) == dutch_text
    assert "123" not in dutch(english) and "2024-13-01" not in dutch(english)


@needs_xsd
def test_xsd_option_reports_schema_errors_with_line_and_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = drop(base(), "huidigeschool/aanleverpunt")
    path = tmp_path / "d.xml"
    path.write_bytes(to_bytes(root))
    code, out, _ = run([str(path), "--xsd", str(XSD_2019)], capsys)
    assert code == 1
    lines = [line for line in out.splitlines() if "XSD" in line or "niet toegestaan" in line]
    expected = "Het element <soort> is hier niet toegestaan (verwacht: <aanleverpunt>). [huidigeschool/soort]"
    soort = find(etree.fromstring(path.read_bytes()), "huidigeschool/soort").sourceline
    assert any(f":{soort}: fout: {expected}" in line for line in lines), out


@needs_xsd
def test_xsd_option_refuses_a_dossier_of_another_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "oud.xml"
    path.write_bytes(to_bytes(base(year=2017, version="2017.1")))
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    code, out, _ = run([str(path), "--xsd", str(XSD_2019), "--json"], capsys)
    assert code == 1
    (report,) = json.loads(out)
    assert report["findings"][-1]["code"] == "XSD-BESTAND"
    assert "hoort niet bij dit schema" in report["findings"][-1]["message"]


def test_xsd_option_with_a_file_that_is_no_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dossier = tmp_path / "d.xml"
    dossier.write_bytes(to_bytes(base()))
    bad = tmp_path / "geen.xsd"
    bad.write_text("<niet-een-schema/>", encoding="utf-8")
    code, _, err = run([str(dossier), "--xsd", str(bad)], capsys)
    assert code == 2 and "geen bruikbaar XML-schema" in err
    code, _, err = run([str(dossier), "--xsd", str(tmp_path / "weg.xsd")], capsys)
    assert code == 2 and "kan niet gelezen worden" in err


def test_officieel_without_saxonche_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(officieel, "installed", lambda: False)
    dossier = tmp_path / "d.xml"
    dossier.write_bytes(to_bytes(base()))
    code, out, err = run([str(dossier), "--officieel", "--regels", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert "pip install 'oso-tui[officieel]'" in err


@needs_saxon
def test_officieel_without_rules_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dossier = tmp_path / "d.xml"
    dossier.write_bytes(to_bytes(base()))
    code, _, err = run([str(dossier), "--officieel"], capsys)
    assert code == 2 and "--regels MAP" in err


@needs_saxon
@pytest.mark.parametrize("year", [2016, 2017, 2018, 2019])
def test_officieel_runs_the_rules_of_the_dossiers_own_version(
    year: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    version = f"{year}.1"
    if not official_folder(version).is_dir():
        pytest.skip(skip_reason(version))
    good = tmp_path / "goed.xml"
    good.write_bytes(to_bytes(base(year=year, version=version)))
    bad = tmp_path / "fout.xml"
    bad.write_bytes(to_bytes(set_text(base(year=year, version=version), "inzage/inzage", "false")))
    code, out, _ = run([str(good), str(bad), "--officieel", "--regels", str(SHARED), "--json"], capsys)
    assert code == 1
    good_report, bad_report = json.loads(out)
    assert good_report["ok"] is True
    official = [f for f in bad_report["findings"] if f["code"] == "OFFICIEEL"]
    assert official and official[0]["severity"] == "fout" and official[0]["path"] == "inzage"
    assert official[0]["line"] is not None and "ingezien" in official[0]["message"]


@needs_saxon
def test_officieel_with_the_folder_of_one_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = official_folder("2019.1")
    if not folder.is_dir():
        pytest.skip(skip_reason("2019.1"))
    dossier = tmp_path / "d.xml"
    dossier.write_bytes(
        to_bytes(add_after(base(), "huidigeschool/leerling/geboortedatum", "geboortemaand", "2012-05"))
    )
    code, out, _ = run([str(dossier), "--officieel", "--regels", str(folder)], capsys)
    assert code == 1
    assert "fout:" in out
    old = tmp_path / "oud.xml"
    old.write_bytes(to_bytes(base(year=2018, version="2018.1")))
    code, out, _ = run([str(old), "--officieel", "--regels", str(folder)], capsys)
    assert code == 0 and "geen officiële OV-regels van versie 2018.1" in out


@needs_saxon
def test_officieel_for_a_version_without_rules_in_the_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dossier = tmp_path / "nieuw.xml"
    dossier.write_bytes(to_bytes(base(year=2024, version="2024.1")))
    code, out, _ = run([str(dossier), "--officieel", "--regels", str(tmp_path)], capsys)
    assert code == 0 and "geen officiële OV-regels van versie 2024.1" in out
