"""The sample dossiers: valid against the official XSD, true to the business rules, telling the story.

The business rules are checked with the transcription in tests/oso_rules.py, independent of the
project's own reader (written in parallel), so the samples can serve as fixtures for that reader.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from benchmarks import make_samples
from oso_tui.dossier.identifiers import is_valid_bsn, is_valid_onderwijsnummer
from tests.oso_rules import has, rule_violations, value

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_dossiers"
SHARED = Path(__file__).resolve().parents[3] / "shared"
XSD_PATH = SHARED / "oso-gegevensset-2019.1" / "OSO_gegevensset.xsd"
NS_2019 = "http://www.edustandaard.nl/oso_gegevensset/2019/dossier"

MANIFEST: dict[str, Any] = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
VALID = {entry["bestand"]: entry for entry in MANIFEST["dossiers"]}
INVALID = {entry["bestand"]: entry for entry in MANIFEST["ongeldig"]}

# Parsing here never resolves entities, loads a DTD or touches the network.
SAFE = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    if not XSD_PATH.is_file():
        pytest.skip(f"official OSO XSD not found at {XSD_PATH} (the shared reference folder is absent)")
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


@pytest.fixture(scope="module")
def optional_xsd() -> etree.XMLSchema | None:
    """The XSD when the shared folder is there; tests that check more than the XSD run without it."""
    return etree.XMLSchema(etree.parse(str(XSD_PATH))) if XSD_PATH.is_file() else None


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), SAFE)


# --- valid samples -------------------------------------------------------------------------------------


def test_the_set_is_complete() -> None:
    on_disk = {p.name for p in SAMPLES.glob("*.xml")}
    invalid_on_disk = {f"invalid/{p.name}" for p in (SAMPLES / "invalid").glob("*.xml")}
    assert on_disk == set(VALID)
    assert invalid_on_disk == set(INVALID)
    assert len(VALID) >= 12
    assert len(INVALID) >= 6
    assert (SAMPLES / "README.md").is_file()
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name in [*VALID, *INVALID]:
        assert f"`{name}`" in readme, f"{name} is not described in sample_dossiers/README.md"


def test_checked_in_files_are_what_the_script_writes(tmp_path: Path) -> None:
    """The script is the source of the samples: a hand edit of one file would drift from the story."""
    make_samples.write_all(tmp_path)
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    checked_in = {
        p.relative_to(SAMPLES)
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.name != "README.md" and "versies" not in p.relative_to(SAMPLES).parts
    }  # versies/: one dossier per yearly version, outside the story (tests/dossier/test_version_samples.py)
    assert written == checked_in
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (SAMPLES / relative).read_bytes(), relative


@pytest.mark.parametrize("name", sorted(VALID))
def test_sample_is_valid_against_the_official_xsd(name: str, xsd: etree.XMLSchema) -> None:
    tree = parse(SAMPLES / name)
    assert xsd.validate(tree), [f"{e.line}: {e.message}" for e in xsd.error_log]
    assert tree.getroot().tag == f"{{{NS_2019}}}dossier"
    assert tree.docinfo.doctype == ""


@pytest.mark.parametrize("name", sorted(VALID))
def test_sample_follows_the_business_rules(name: str) -> None:
    assert rule_violations(parse(SAMPLES / name).getroot()) == []


@pytest.mark.parametrize("name", sorted(VALID))
def test_manifest_agrees_with_the_file(name: str) -> None:
    entry = VALID[name]
    root = parse(SAMPLES / name).getroot()
    leerling = root.find("{*}huidigeschool/{*}leerling")
    assert leerling is not None
    pgn = value(leerling, "bsn") or value(leerling, "onderwijsnummer")
    assert entry["pgn"] == pgn
    assert entry["pgn_soort"] == ("bsn" if has(leerling, "bsn") else "onderwijsnummer")
    assert entry["geboortedatum"] == value(leerling, "geboortedatum")
    assert entry["brin"] == value(root, "huidigeschool/brincode")
    assert entry["vestiging"] == value(root, "huidigeschool/vestigingscode")
    assert entry["school"] == value(root, "huidigeschool/naam")
    assert entry["achternaam"] == value(leerling, "achternaam")
    assert entry["voorvoegsel"] == value(leerling, "voorvoegsel")
    assert entry["datum"] == value(root, "metadata/datum")
    assert entry["overstap"] == value(root, "metadata/overstap")
    assert entry["rol"] in ("maart", "mei", "enkel")
    assert entry["toont"]


@pytest.mark.parametrize("name", sorted(VALID))
def test_sample_dates_fit_the_story(name: str) -> None:
    """School year 2026-2027: dossiers from March to May 2027, pupils born around 2014-2015."""
    root = parse(SAMPLES / name).getroot()
    datum = date.fromisoformat(value(root, "metadata/datum") or "")
    assert date(2027, 3, 1) <= datum <= date(2027, 5, 31)
    geboren = date.fromisoformat(value(root, "huidigeschool/leerling/geboortedatum") or "")
    assert date(2013, 1, 1) <= geboren <= date(2015, 12, 31)
    groepen = {e.text for e in root.iterfind(".//{*}schoolloopbaan/{*}jaargroep")}
    assert {str(g) for g in range(1, 9)} <= groepen
    jaren = [e.text for e in root.iterfind(".//{*}schoolloopbaan/{*}schooljaar")]
    assert jaren[-1] == "2026-2027"
    for afname in root.iterfind(".//{*}toets/{*}afname/{*}afnamedatum"):
        assert date(2024, 8, 1) <= date.fromisoformat(afname.text or "") <= datum


def test_enrolment_csv_lists_every_pupil_once() -> None:
    lines = (SAMPLES / "inschrijvingen.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "pgn;geboortedatum;brin;vestiging;achternaam"
    rows = {line.split(";")[0]: line.split(";") for line in lines[1:]}
    assert len(rows) == len(lines) - 1
    assert set(rows) == {entry["pgn"] for entry in VALID.values()}
    for entry in VALID.values():
        assert rows[entry["pgn"]] == [
            entry["pgn"], entry["geboortedatum"], entry["brin"], entry["vestiging"], entry["achternaam"],
        ]  # fmt: skip


# --- the story ---------------------------------------------------------------------------------------


def root_of(name: str) -> etree._Element:
    return parse(SAMPLES / name).getroot()


def with_role(rol: str) -> list[str]:
    return [name for name, entry in VALID.items() if entry["rol"] == rol]


def test_march_and_may_versions_of_the_same_pupil() -> None:
    [maart], [mei] = with_role("maart"), with_role("mei")
    a, b = VALID[maart], VALID[mei]
    assert (a["pgn"], a["geboortedatum"], a["brin"], a["vestiging"]) == (
        b["pgn"],
        b["geboortedatum"],
        b["brin"],
        b["vestiging"],
    )
    assert a["datum"].startswith("2027-03") and b["datum"].startswith("2027-05")
    old, new = root_of(maart), root_of(mei)
    # since 2023-2024 the March version already holds the doorstroomtoets and the definitive advice;
    # the May version adjusts the advice upwards
    score = ".//{*}eindtoets_basisonderwijs/{*}eindtoetsresultaat/{*}standaardscore"
    assert old.find(score) is not None and new.find(score) is not None
    assert old.find(".//{*}herzienadvies") is None
    assert new.find(".//{*}herzienadvies") is not None

    def adres(root: etree._Element) -> list[str | None]:
        return [e.text for e in root.iterfind("{*}huidigeschool/{*}leerling/{*}adreslijst/{*}adres/*")]

    def telefoons(root: etree._Element) -> list[str | None]:
        return [e.text for e in root.iterfind(".//{*}verzorger//{*}communicatie/{*}nummer")]

    assert adres(old) != adres(new)
    assert telefoons(old) != telefoons(new)
    assert value(old, "huidigeschool/leerling/achternaam") == value(new, "huidigeschool/leerling/achternaam")


def test_the_story_covers_every_case() -> None:
    roots = {name: root_of(name) for name in VALID}

    def some(predicate: Callable[[etree._Element], bool]) -> bool:
        return any(predicate(root) for root in roots.values())

    assert some(lambda r: r.find(".//{*}leerling/{*}onderwijsnummer") is not None)
    assert some(lambda r: any(e.text == "OPT-UIT" for e in r.iterfind(".//{*}categorie_uitlevering/*")))
    assert some(lambda r: value(r, "inzage/voorlopigdossier") == "true")
    assert some(lambda r: value(r, "inzage/akkoord") == "Nee" and has(r, "inzage/redennietakkoord"))
    assert some(
        lambda r: (
            len(r.findall(".//{*}onderwijsondersteuning/{*}diagnose")) >= 2
            and r.find(".//{*}onderwijsondersteuning/{*}opp") is not None
        )
    )
    assert some(lambda r: len(r.findall(".//{*}leerling/{*}verzorger")) >= 3)
    assert some(lambda r: value(r, "huidigeschool/leerling/adresgeheim") == "true")
    assert some(lambda r: value(r, "metadata/overstap") == "VOVO")
    assert some(lambda r: r.find(".//{*}overigdocumentlijst/{*}document") is not None)


def test_attachments_are_real_small_zip_files() -> None:
    seen = 0
    for name in VALID:
        for inhoud in root_of(name).iterfind(".//{*}document/{*}bestandsinhoud"):
            data = base64.b64decode(inhoud.text or "", validate=True)
            assert len(data) < 4096
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.testzip() is None
                assert all(archive.read(info).decode("utf-8") for info in archive.infolist())
            seen += 1
    assert seen >= 2


def test_pgns_are_fictional_but_valid() -> None:
    pgns = [entry["pgn"] for entry in VALID.values()]
    assert len(set(pgns)) == len(pgns) - 1  # only the March/May pair shares one
    for entry in VALID.values():
        check = is_valid_bsn if entry["pgn_soort"] == "bsn" else is_valid_onderwijsnummer
        assert check(entry["pgn"])


def test_latin1_sample_keeps_its_encoding() -> None:
    [name] = [n for n, entry in VALID.items() if "ISO-8859-1" in entry["toont"]]
    raw = (SAMPLES / name).read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert value(root_of(name), "huidigeschool/leerling/achternaam") == "Çelik"


# --- broken files --------------------------------------------------------------------------------------


def test_every_broken_file_differs_in_its_own_way() -> None:
    contents = [(SAMPLES / name).read_bytes() for name in INVALID]
    assert len(set(contents)) == len(contents)
    assert len({entry["reden"] for entry in INVALID.values()}) == len(INVALID)


@pytest.mark.parametrize("name", sorted(n for n, e in INVALID.items() if e["controle"] == "regel"))
def test_rule_broken_file_is_xsd_valid_and_breaks_exactly_its_rule(
    name: str, optional_xsd: etree.XMLSchema | None
) -> None:
    """These pass the XSD, so only the business-rule layer can catch them; each breaks one rule."""
    tree = parse(SAMPLES / name)
    if optional_xsd is not None:
        assert optional_xsd.validate(tree), [e.message for e in optional_xsd.error_log]
    assert rule_violations(tree.getroot()) == [INVALID[name]["regel"]]


@pytest.mark.parametrize("name", sorted(n for n, e in INVALID.items() if e["controle"] == "xsd"))
def test_schema_broken_file_fails_the_xsd_for_its_reason(name: str, xsd: etree.XMLSchema) -> None:
    tree = parse(SAMPLES / name)
    assert not xsd.validate(tree)
    messages = " ".join(e.message for e in xsd.error_log)
    name = name.removeprefix("invalid/")
    expected = {
        "geboortedatum_ongeldig.xml": "geboortedatum",
        "brin_fout.xml": "brincode",
        "verkeerde_root.xml": "No matching global declaration",
        "vreemde_namespace.xml": "No matching global declaration",
        "onbekende_versie.xml": "No matching global declaration",
    }[name]
    assert expected in messages
    root = tree.getroot()
    if name == "verkeerde_root.xml":
        assert etree.QName(root).localname == "leerlingdossier"
        assert etree.QName(root).namespace == NS_2019
    if name == "vreemde_namespace.xml":
        assert "edustandaard" not in (etree.QName(root).namespace or "")
    if name == "onbekende_versie.xml":
        assert etree.QName(root).namespace == "http://www.edustandaard.nl/oso_gegevensset/2031/dossier"
        assert value(root, "metadata/standaardversie") == "2031.1"
        # Apart from its version it is a good dossier: the reader should only warn.
        assert rule_violations(root) == ["OG.02"]


def test_unreadable_files_do_not_parse() -> None:
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring((SAMPLES / "invalid/kapot_afgebroken.xml").read_bytes(), SAFE)
    assert (SAMPLES / "invalid/leeg.xml").read_bytes() == b""


@pytest.mark.parametrize("name", sorted(n for n, e in INVALID.items() if e["controle"] == "beveiliging"))
def test_hostile_file_carries_a_doctype_and_is_harmless_when_parsed_safely(name: str) -> None:
    raw = (SAMPLES / name).read_bytes()
    assert raw.count(b"<!DOCTYPE dossier") == 1
    assert len(raw) < 20_000
    name = name.removeprefix("invalid/")
    if name == "xxe_lokaal_bestand.xml":
        assert b'SYSTEM "file:///' in raw and b"&geheim;" in raw
    if name == "billion_laughs.xml":
        assert raw.count(b"<!ENTITY") >= 10 and b"&lol9;" in raw
        # libxml2 refuses the amplification even with entity resolution off.
        with pytest.raises(etree.XMLSyntaxError, match="amplification"):
            etree.fromstring(raw, SAFE)
        return
    tree = etree.ElementTree(etree.fromstring(raw, SAFE))
    assert tree.docinfo.doctype.startswith("<!DOCTYPE dossier")
    achternaam = tree.getroot().find(".//{*}leerling/{*}achternaam")
    assert achternaam is not None
    # With entity resolution off nothing is expanded and no local file is read.
    assert "root:" not in etree.tostring(achternaam, encoding="unicode")
    if name == "externe_dtd.xml":
        assert (tree.docinfo.system_url or "").startswith("http://")


def test_broken_manifest_entries_are_well_formed() -> None:
    for entry in INVALID.values():
        assert entry["controle"] in ("xml", "xsd", "regel", "beveiliging")
        assert entry["verwacht"] in ("onleesbaar", "fout", "blokkade", "waarschuwing")
        assert entry["reden"].endswith(".")
        if entry["controle"] == "regel":
            assert entry["regel"]


def test_contact_data_is_visibly_fictional() -> None:
    """No real domain or school code can leak in: mail and web under .example, BRIN codes in 99W?."""
    for name in VALID:
        root = root_of(name)
        for communicatie in root.iterfind(".//{*}communicatie"):
            if value(communicatie, "soort") == "e-mail":
                assert (value(communicatie, "nummer") or "").endswith(".example"), name
        for website in root.iterfind(".//{*}website"):
            assert (website.text or "").endswith(".example"), name
        for brin in root.iterfind(".//{*}brincode"):
            assert re.fullmatch(r"99W[A-Z]", brin.text or ""), name


def _judged(result: dict[str, Any]) -> str:
    """What `oso-tui check --json` says of one file, in the words of the manifest."""
    severities = {f["severity"] for f in result["findings"]}
    if not result["ok"] and result["version"] is None:
        return "onleesbaar"  # refused before it was read as a dossier
    for severity in ("fout", "blokkade", "waarschuwing"):
        if severity in severities:
            return severity
    return "ok"


def test_manifest_says_what_check_says_of_every_sample(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The manifest's judgement of each broken file is the product's own, and every story dossier can be
    registered (a warning at most): neither can drift from the other."""
    from oso_tui.cli import main

    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso.json"))
    monkeypatch.delenv("OSO_TUI_CONFIG", raising=False)
    main(["check", "--json", str(SAMPLES), str(SAMPLES / "invalid")])
    results = {
        Path(r["file"]).relative_to(SAMPLES).as_posix(): r for r in json.loads(capsys.readouterr().out)
    }
    assert set(results) == set(VALID) | set(INVALID)
    said = {name: _judged(result) for name, result in results.items()}
    assert {name: said[name] for name in INVALID} == {name: e["verwacht"] for name, e in INVALID.items()}
    for name in VALID:
        assert said[name] in ("ok", "waarschuwing"), name
        assert results[name]["registreerbaar"], name
