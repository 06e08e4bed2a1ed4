"""The structure check: our own tables say what the official XSD says, with Dutch messages.

Unit tests use the dossier built in the tests; the conformance tests compare with the official XSD in
../shared (and skip, saying why, when it is absent).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from oso_tui.dossier import read_dossier
from oso_tui.dossier.schema import SCHEMAS, Simple, data_text, tables, to_data
from oso_tui.dossier.structure import check_structure, simple_value_problem
from tests.dossier.builders import add_after, add_child, base, drop, find, set_text, to_bytes
from tests.dossier.conftest import OFFICIAL, SKIP_REASON, VERSIONS, official_folder, skip_reason

XSD_PATH = OFFICIAL / "OSO_gegevensset.xsd"
needs_xsd = pytest.mark.skipif(not XSD_PATH.is_file(), reason=SKIP_REASON)


def structure(root: etree._Element) -> list[str]:
    return [f.message for f in check_structure(root)]


def test_generated_schema_is_an_xsd_for_any_year() -> None:
    from oso_tui.dossier.structure import schema_xsd

    for year, version in (
        (2016, "2016.1"),
        (2017, "2017.1"),
        (2018, "2018.1"),
        (2019, "2019.1"),
        (2030, "2019.1"),
    ):
        uri = f"http://www.edustandaard.nl/oso_gegevensset/{year}/dossier"
        schema = etree.XMLSchema(etree.fromstring(schema_xsd(uri, version).encode()))
        assert schema.validate(base(year=year, version=f"{year}.1")), (year, schema.error_log)


def test_valid_dossier_has_no_structure_findings() -> None:
    assert structure(base()) == []


def test_missing_mandatory_element() -> None:
    root = drop(base(), "huidigeschool/aanleverpunt")
    findings = check_structure(root)
    assert len(findings) == 1
    f = findings[0]
    assert "<aanleverpunt>" in f.message and "verplicht" in f.message
    assert f.path == "huidigeschool/aanleverpunt"
    assert f.line == find(base(), "huidigeschool/soort").sourceline  # where it was expected
    assert f.severity == "fout" and f.code == "XSD"


def test_missing_element_at_the_end_names_the_parent() -> None:
    root = drop(base(), "huidigeschool/leerling/verzorger/wettigevertegenwoordiger")
    (f,) = check_structure(root)
    assert "In <verzorger> ontbreekt het verplichte element <wettigevertegenwoordiger>" in f.message
    assert f.path == "huidigeschool/leerling/verzorger/wettigevertegenwoordiger"


def test_unexpected_element() -> None:
    root = add_after(base(), "huidigeschool/leerling/achternaam", "lievelingskleur", "blauw")
    (f,) = check_structure(root)
    assert "<lievelingskleur> is hier niet toegestaan in <leerling>" in f.message
    assert f.path == "huidigeschool/leerling/lievelingskleur"


def test_element_in_wrong_order() -> None:
    root = base()
    leerling = find(root, "huidigeschool/leerling")
    bsn = find(root, "huidigeschool/leerling/bsn")
    leerling.remove(bsn)
    leerling.insert(0, bsn)
    assert any("<bsn>" in m for m in structure(root))


def test_element_from_another_namespace() -> None:
    root = base()
    find(root, "huidigeschool/leerling").insert(0, etree.Element("{urn:elders}extra"))
    assert any("hoort niet bij de OSO-namespace" in m for m in structure(root))


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        ("metadata/datum", "2024-02-30", "geen bestaande datum"),
        ("metadata/datum", "01-03-2024", "geen geldige datum"),
        ("inzage/inzage", "ja", "geen geldige ja/nee-waarde"),
        ("huidigeschool/brincode", "12ab", "niet de vereiste vorm"),
        ("huidigeschool/vestigingscode", "1", "niet de vereiste vorm"),
        ("huidigeschool/leerling/geslacht", "v", "geen geheel getal"),
        (
            "huidigeschool/leerling/schoolloopbaanlijst/schoolloopbaan/schooljaar",
            "2023/2024",
            "vereiste vorm",
        ),
        ("huidigeschool/naam", "", "is leeg"),
        ("huidigeschool/leerling/verzuim/dagdelengeoorloofd", "drie", "geen geheel getal"),
        (
            "huidigeschool/leerling/toetslijst/toets/resultaat/toetsscore/vaardigheidsscore",
            "1,5",
            "geen getal",
        ),
    ],
)
def test_value_types(path: str, value: str, fragment: str) -> None:
    findings = check_structure(set_text(base(), path, value))
    assert any(fragment in f.message for f in findings), [f.message for f in findings]
    assert all(re.sub(r"\[\d+\]", "", f.path) == path for f in findings)


def test_sensitive_values_are_not_quoted() -> None:
    root = set_text(base(), "huidigeschool/leerling/bsn", "")
    messages = structure(root)
    assert messages and all("''" not in m for m in messages)
    root = set_text(base(), "huidigeschool/leerling/geboortedatum", "morgen")
    assert any("'morgen'" in m for m in structure(root))


def test_text_inside_a_complex_element() -> None:
    root = base()
    find(root, "huidigeschool/leerling/overstapadvies").text = "los"
    assert any("mag geen losse tekst bevatten" in m for m in structure(root))


def test_child_inside_a_simple_element() -> None:
    root = add_child(base(), "huidigeschool/naam", "<extra>x</extra>")
    assert any("mag alleen een waarde bevatten" in m for m in structure(root))


def test_attributes() -> None:
    root = base()
    find(root, "huidigeschool/leerling/achternaam").set("soort", "x")
    find(root, "huidigeschool/adreslijst/adres/plaats").set(
        "{http://www.w3.org/2001/XMLSchema-instance}nil", "false"
    )
    root.set("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "x y")
    assert structure(root) == ["Het attribuut 'soort' is niet toegestaan bij <achternaam>."]


def test_attribute_allowed_on_land() -> None:
    root = add_child(base(), "huidigeschool/adreslijst/adres", '<land omschrijving="Nederland">6030</land>')
    assert structure(root) == []
    find(root, "huidigeschool/adreslijst/adres/land").set("omschrijving", "")
    assert structure(root) == ["Het attribuut 'omschrijving' van <land> is leeg."]


def test_comments_and_processing_instructions_are_ignored() -> None:
    root = base()
    find(root, "huidigeschool/leerling").insert(3, etree.Comment(" opmerking "))
    find(root, "huidigeschool").insert(0, etree.ProcessingInstruction("pakket", "x"))
    assert structure(root) == []


def test_choice_bsn_or_onderwijsnummer_not_both() -> None:
    root = add_after(base(), "huidigeschool/leerling/bsn", "onderwijsnummer", "100000004")
    assert any("<onderwijsnummer>" in m for m in structure(root))


def test_unknown_newer_versions_get_warnings_once() -> None:
    root = base(year=2024, version="2024.1")
    add_after(root, "huidigeschool/leerling/verzorger/achternaam", "geboortedatum", "1980-01-01")
    add_after(root, "huidigeschool/leerling/verzorger/achternaam", "geboortedatum", "1980-01-01")
    findings = check_structure(root, strict=False)
    assert findings and all(f.severity == "waarschuwing" for f in findings)
    result = read_dossier(to_bytes(root))
    assert result.ok
    (summary,) = [f for f in result.findings if f.code == "XSD"]
    assert summary.severity == "waarschuwing"
    assert "versie 2024.1" in summary.message and "van versie 2019.1" in summary.message
    assert "op 1 plaats" in summary.message
    assert "In <verzorger> staat <geboortedatum>" in summary.message
    assert summary.line is not None


def test_each_known_version_is_checked_by_its_own_structure() -> None:
    """A guardian's birth date is in the 2018.1 schema and not in 2019.1; the old care block the reverse."""
    old = base(year=2018, version="2018.1")
    add_after(old, "huidigeschool/leerling/verzorger/achternaam", "geboortedatum", "1980-01-01")
    assert read_dossier(to_bytes(old)).findings == []
    new = base()
    add_after(new, "huidigeschool/leerling/verzorger/achternaam", "geboortedatum", "1980-01-01")
    (f,) = read_dossier(to_bytes(new)).findings
    assert f.severity == "fout" and f.code == "XSD" and "<geboortedatum>" in f.message
    old_with_new_block = base(year=2017, version="2017.1")
    zorg = find(old_with_new_block, "huidigeschool/leerling/zorg")
    zorg.tag = zorg.tag.replace("zorg", "onderwijsondersteuning")
    errors = read_dossier(to_bytes(old_with_new_block)).faults
    assert errors and all(e.code == "XSD" for e in errors)


@pytest.mark.parametrize(
    ("simple", "value", "ok"),
    [
        (Simple(base="date"), " 2024-01-31 ", True),
        (Simple(base="date"), "2024-01-31Z", True),
        (Simple(base="date"), "2024-01-31+01:00", True),
        (Simple(base="date"), "2024-1-31", False),
        (Simple(base="boolean"), "1", True),
        (Simple(base="boolean"), "True", False),
        (Simple(base="int"), "2147483648", False),
        (Simple(base="integer", min_inclusive=0, max_inclusive=1000), "1001", False),
        (Simple(base="integer"), "٣", False),  # only ASCII digits are XSD digits for integers
        (Simple(base="decimal"), ".5", True),
        (Simple(base="decimal"), "1e5", False),
        (Simple(min_length=1), " ", True),  # xs:string keeps whitespace: one space is not empty
        (Simple(min_length=1, max_length=3), "abcd", False),
        (Simple(pattern="[0-9][0-9]"), "0１", False),
    ],
)
def test_simple_values(simple: Simple, value: str, ok: bool) -> None:
    assert (simple_value_problem(simple, value) is None) is ok


# ------------------------------------------------------------------ conformance with the official XSD


@pytest.mark.parametrize("version", VERSIONS)
def test_our_tables_are_the_official_xsd_of_each_version(version: str) -> None:
    """Each version's tables in the product are what its official XSD says, derived again here."""
    from tests.dossier.xsd_tables import tables_from_xsd

    xsd = official_folder(version) / "OSO_gegevensset.xsd"
    if not xsd.is_file():
        pytest.skip(skip_reason(version))
    simple, complex_, root = tables_from_xsd(xsd)
    ours = tables(version)
    assert root == ours.root
    assert simple == ours.simple
    assert complex_ == ours.complex
    shipped = SCHEMAS / f"v{version.replace('.', '_')}.json"
    assert shipped.read_text(encoding="utf-8") == data_text(to_data(simple, complex_, root)), (
        "the data file is what the generator writes"
    )


@pytest.fixture(scope="module")
def official_schema() -> etree.XMLSchema:
    if not XSD_PATH.is_file():
        pytest.skip(SKIP_REASON)
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


@needs_xsd
def test_builder_dossier_is_valid_for_the_official_xsd(official_schema: etree.XMLSchema) -> None:
    assert official_schema.validate(base()), official_schema.error_log


MUTATIONS = ("drop", "duplicate", "swap", "retext", "wrap")
ODD_TEXTS = (
    "",
    " ",
    "x",
    "2019-02-30",
    "2019-02-03",
    "12",
    "-1",
    "true",
    "12AB",
    "1.5",
    "1001",
    "00",
    "2019-2020",
)


@needs_xsd
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_structure_verdict_agrees_with_the_official_xsd(
    official_schema: etree.XMLSchema, data: st.DataObject
) -> None:
    root = base()
    targets = [e for e in root.iter() if isinstance(e.tag, str)][1:]
    for _ in range(data.draw(st.integers(1, 3))):
        el = data.draw(st.sampled_from(targets))
        parent = el.getparent()
        if parent is None:
            continue
        kind = data.draw(st.sampled_from(MUTATIONS))
        if kind == "drop":
            parent.remove(el)
        elif kind == "duplicate":
            el.addnext(etree.fromstring(etree.tostring(el)))
        elif kind == "swap" and el.getnext() is not None:
            nxt = el.getnext()
            assert nxt is not None
            parent.remove(nxt)
            el.addprevious(nxt)
        elif kind == "retext":
            el.text = data.draw(st.sampled_from(ODD_TEXTS))
        elif kind == "wrap":
            wrapper = etree.Element(el.tag)
            el.addprevious(wrapper)
            wrapper.append(el)
        targets = [e for e in root.iter() if isinstance(e.tag, str)][1:]
    theirs = official_schema.validate(root)
    explained = check_structure(root, fast=False)  # the Dutch walker on its own
    assert (not explained) == theirs, (
        [f.message for f in explained],
        str(official_schema.error_log.last_error) if not theirs else "",
    )
    assert (not check_structure(root)) == theirs  # the fast path via the XSD made from our tables
