"""Every business rule, with a case that passes and a case that fails, and the severity it carries.

Errors (fout) block registration: identity, privacy, data a step registers. Warnings are shown only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from oso_tui.dossier import Finding, read_dossier
from oso_tui.dossier.identifiers import is_valid_bsn, is_valid_onderwijsnummer
from oso_tui.dossier.inhoudsregels import toets_vanaf
from tests.dossier.builders import (
    VALID_ONDERWIJSNUMMER,
    add_after,
    add_child,
    base,
    drop,
    find,
    set_text,
    to_bytes,
)

Edit = Callable[[etree._Element], object]


def findings(edit: Edit | None = None, **kwargs: object) -> list[Finding]:
    root = base(**kwargs)
    if edit is not None:
        edit(root)
    return read_dossier(to_bytes(root)).findings


def by_code(found: list[Finding], code: str) -> list[Finding]:
    return [f for f in found if f.code == code]


def test_the_base_dossier_passes_every_rule() -> None:
    assert findings() == []


def test_profile_noise_about_data_we_do_not_register_is_left_out() -> None:
    def sparse(r: etree._Element) -> None:
        for path in (
            "huidigeschool/adreslijst",
            "huidigeschool/communicatielijst",
            "huidigeschool/leerling/leerlingid",
            "huidigeschool/leerling/datuminschrijving",
            "huidigeschool/leerling/overstapadvies/contactpersoon",
            "huidigeschool/leerling/overstapadvies/contacttelefoon",
            "huidigeschool/leerling/overstapadvies/contactnodig",
        ):
            drop(r, path)
        set_text(r, "huidigeschool/leerling/verzorgersaansprakelijk", "false")

    assert findings(sparse) == []


# (rule code, severity, edit that breaks it)
CASES: list[tuple[str, str, Edit]] = [
    ("OVa.LL12", "fout", lambda r: drop(r, "huidigeschool/leerling/bsn")),
    ("OSO.BSN", "blokkade", lambda r: set_text(r, "huidigeschool/leerling/bsn", "123456789")),
    ("OSO.BSN", "blokkade", lambda r: set_text(r, "huidigeschool/leerling/bsn", "11122233")),
    ("OSO.LL01", "fout", lambda r: set_text(r, "huidigeschool/leerling/achternaam", " ")),
    ("OVa.LL01", "fout", lambda r: [drop(r, "huidigeschool/leerling/voornaam") for _ in range(2)]),
    ("OVa.LL02", "fout", lambda r: drop(r, "huidigeschool/leerling/geboortedatum")),
    ("OVa.LL02", "fout", lambda r: set_text(r, "huidigeschool/leerling/geboortedatum", "14-05-2012")),
    ("OSO.LL02", "blokkade", lambda r: set_text(r, "huidigeschool/leerling/geboortedatum", "2025-01-01")),
    ("OSO.BRIN", "fout", lambda r: set_text(r, "huidigeschool/brincode", "1234")),
    ("OSO.VESTIGING", "fout", lambda r: set_text(r, "huidigeschool/vestigingscode", "A1")),
    ("OVa.MD01", "fout", lambda r: set_text(r, "metadata/deeldossier", "LVS")),
    ("OVa.IZ01", "fout", lambda r: drop(r, "inzage")),
    ("OVa.IZ02", "fout", lambda r: set_text(r, "inzage/inzage", "false")),
    ("OVa.IZ02", "fout", lambda r: drop(r, "inzage/inzage")),
    ("OVa.LL06", "fout", lambda r: set_text(r, "huidigeschool/leerling/adresgeheim", "true")),
    (
        "OVa.LL08",
        "fout",
        lambda r: set_text(r, "huidigeschool/leerling/communicatielijst/communicatie/geheim", "true"),
    ),
    (
        "OG.04",
        "fout",
        lambda r: add_after(
            r, "huidigeschool/leerling/verzorger/relatietotkind", "overlijdensdatum", "2020-01-01"
        ),
    ),
    (
        "OS.cat.onderwijsondersteuning",
        "fout",
        lambda r: set_text(r, "metadata/categorie_uitlevering/cat_onderwijsondersteuning", "OPT-UIT"),
    ),
    (
        "OS.cat.verzuim",
        "fout",
        lambda r: set_text(r, "metadata/categorie_uitlevering/cat_verzuim", "VERBODEN"),
    ),
    (
        "OS.cat.eindtoetsbo",
        "waarschuwing",
        lambda r: set_text(r, "metadata/categorie_uitlevering/cat_eindtoetsbo", "VERPLICHT"),
    ),
    (
        "OSO.SJ01",
        "waarschuwing",
        lambda r: set_text(
            r, "huidigeschool/leerling/schoolloopbaanlijst/schoolloopbaan/schooljaar", "2022-2024"
        ),
    ),
    (
        "OSO.SJ02",
        "waarschuwing",
        lambda r: set_text(
            r, "huidigeschool/leerling/schoolloopbaanlijst/schoolloopbaan/begindatum", "2023-09-01"
        ),
    ),
    (
        "OVa.TR04",
        "waarschuwing",
        lambda r: set_text(r, "huidigeschool/leerling/toetslijst/toets/afname/afnamedatum", "2021-07-31"),
    ),
    ("VOORLOPIG", "waarschuwing", lambda r: set_text(r, "inzage/voorlopigdossier", "true")),
    ("AKKOORD", "waarschuwing", lambda r: set_text(r, "inzage/akkoord", "Nee")),
    ("AKKOORD", "waarschuwing", lambda r: set_text(r, "inzage/akkoord", "Onbekend")),
    ("OVa.IZ03", "waarschuwing", lambda r: drop(r, "inzage/inzagedatum")),
    ("OVa.IZ04", "waarschuwing", lambda r: drop(r, "inzage/akkoord")),
    ("OVa.OS03", "blokkade", lambda r: set_text(r, "overdrachtsoort", "swv-dossier")),
    ("OVa.MD03", "waarschuwing", lambda r: drop(r, "metadata/categorie_uitlevering")),
    ("OVa.OS01", "waarschuwing", lambda r: drop(r, "metadata/overstap")),
    ("OVa.OS02", "waarschuwing", lambda r: set_text(r, "metadata/overstap", "VOMBO")),
    ("OVa.LL04", "waarschuwing", lambda r: drop(r, "huidigeschool/leerling/adresgeheim")),
    ("OVa.LL05", "waarschuwing", lambda r: drop(r, "huidigeschool/leerling/adreslijst")),
    (
        "OVa.LL10",
        "waarschuwing",
        lambda r: add_after(r, "huidigeschool/leerling/communicatielijst", "geboorteplaats", "Utrecht"),
    ),
    ("OVa.OV01", "waarschuwing", lambda r: drop(r, "huidigeschool/leerling/verzorger")),
    ("OVa.OA01", "waarschuwing", lambda r: drop(r, "huidigeschool/leerling/overstapadvies")),
    ("OVa.OA02", "waarschuwing", lambda r: drop(r, "huidigeschool/leerling/overstapadvies/advies")),
    ("OVa.OA04", "waarschuwing", lambda r: drop(r, "huidigeschool/leerling/overstapadvies/contactpersoon")),
    ("OVa.OA05", "waarschuwing", lambda r: drop(r, "huidigeschool/leerling/overstapadvies/contacttelefoon")),
    (
        "OVa.TR06",
        "waarschuwing",
        lambda r: drop(r, "huidigeschool/leerling/toetslijst/toets/resultaat/toetsscore/vaardigheidsscore"),
    ),
    (
        "OVa.TR05",
        "waarschuwing",
        lambda r: drop(r, "huidigeschool/leerling/toetslijst/toets/resultaat/toetsscore"),
    ),
    (
        "OG.01",
        "waarschuwing",
        lambda r: set_text(r, "huidigeschool/leerling/communicatielijst/communicatie/nummer", "geen-adres"),
    ),
    ("CODE", "waarschuwing", lambda r: set_text(r, "huidigeschool/leerling/overstapadvies/advies", "99")),
    ("CODE", "waarschuwing", lambda r: set_text(r, "huidigeschool/leerling/geslacht", "3")),
    ("CODE", "waarschuwing", lambda r: set_text(r, "huidigeschool/leerling/verzorger/relatietotkind", "12")),
    (
        "CODE",
        "waarschuwing",
        lambda r: set_text(r, "metadata/categorie_uitlevering/cat_verzuim", "MISSCHIEN"),
    ),
    (
        "CODE",
        "waarschuwing",
        lambda r: set_text(r, "huidigeschool/leerling/onderwijsondersteuning/diagnose/code", "X99"),
    ),
]


@pytest.mark.parametrize(
    ("code", "severity", "edit"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_fires_with_its_severity(code: str, severity: str, edit: Edit) -> None:
    found = by_code(findings(edit), code)
    assert found, f"{code} did not fire"
    assert {f.severity for f in found} == {severity}
    for f in found:
        assert f.message.endswith(".")
        assert f.path


def test_messages_name_path_and_line() -> None:
    (f,) = by_code(findings(lambda r: set_text(r, "huidigeschool/leerling/bsn", "123456789")), "OSO.BSN")
    assert f.path == "huidigeschool/leerling/bsn"
    assert f.line == find(base(), "huidigeschool/leerling/bsn").sourceline
    assert "eindigend op 789" in f.message
    assert "123456789" not in f.message  # the full number is never shown


def test_a_rule_wins_over_the_structure_finding_on_the_same_field() -> None:
    found = findings(lambda r: set_text(r, "huidigeschool/brincode", "12ab"))
    assert [f.code for f in found] == ["OSO.BRIN"]


def test_onderwijsnummer_pupil() -> None:
    def use_onderwijsnummer(r: etree._Element) -> None:
        bsn = find(r, "huidigeschool/leerling/bsn")
        bsn.tag = bsn.tag.replace("bsn", "onderwijsnummer")
        bsn.text = VALID_ONDERWIJSNUMMER

    result = read_dossier(to_bytes(_edited(use_onderwijsnummer)))
    assert result.ok and result.findings == []
    assert result.dossier is not None
    assert result.dossier.leerling.pgn == VALID_ONDERWIJSNUMMER
    assert result.dossier.leerling.bsn is None


def _edited(edit: Edit) -> etree._Element:
    root = base()
    edit(root)
    return root


def test_bsn_that_is_an_onderwijsnummer_says_so() -> None:
    (f,) = by_code(
        findings(lambda r: set_text(r, "huidigeschool/leerling/bsn", VALID_ONDERWIJSNUMMER)), "OSO.BSN"
    )
    assert "wel een geldig onderwijsnummer" in f.message


def test_secret_address_of_guardian() -> None:
    def secret(r: etree._Element) -> None:
        add_after(r, "huidigeschool/leerling/verzorger/geslacht", "adresgeheim", "true")
        add_child(
            r,
            "huidigeschool/leerling/verzorger",
            "<adreslijst><adres><soortadres>bezoek</soortadres><straat>Weg</straat><nummer>1</nummer>"
            "<postcode>1234AB</postcode><plaats>Ergens</plaats></adres></adreslijst>",
            index=5,
        )

    found = findings(secret)
    assert [f.severity for f in by_code(found, "OVa.OV03")] == ["fout"]


def test_secret_foreign_address() -> None:
    def secret(r: etree._Element) -> None:
        set_text(r, "huidigeschool/leerling/adresgeheim", "true")
        drop(r, "huidigeschool/leerling/adreslijst")
        add_after(r, "huidigeschool/leerling/communicatielijst", "adresbuitenland", "Rue 1, Paris")

    assert [f.severity for f in by_code(findings(secret), "OVa.LL09")] == ["fout"]


def test_secret_address_without_address_is_fine() -> None:
    def secret(r: etree._Element) -> None:
        set_text(r, "huidigeschool/leerling/adresgeheim", "true")
        drop(r, "huidigeschool/leerling/adreslijst")

    assert findings(secret) == []


def test_deceased_guardian_with_date_is_fine() -> None:
    def died(r: etree._Element) -> None:
        add_after(r, "huidigeschool/leerling/verzorger/relatietotkind", "overleden", "true")
        add_after(r, "huidigeschool/leerling/verzorger/overleden", "overlijdensdatum", "2020-01-01")

    assert findings(died) == []


def test_optout_category_that_is_empty_is_fine() -> None:
    def optout(r: etree._Element) -> None:
        set_text(r, "metadata/categorie_uitlevering/cat_onderwijsondersteuning", "OPT-UIT")
        drop(r, "huidigeschool/leerling/onderwijsondersteuning")

    assert findings(optout) == []


def test_optout_reports_every_element_present() -> None:
    found = findings(
        lambda r: set_text(r, "metadata/categorie_uitlevering/cat_onderwijsondersteuning", "OPT-UIT")
    )
    paths = sorted(f.path for f in by_code(found, "OS.cat.onderwijsondersteuning"))
    assert paths == [
        "huidigeschool/leerling/onderwijsondersteuning/diagnose",
        "huidigeschool/leerling/onderwijsondersteuning/medicijngebruik",
        "huidigeschool/leerling/onderwijsondersteuning/opp",
    ]


def test_unknown_advice_code_is_kept() -> None:
    root = _edited(lambda r: set_text(r, "huidigeschool/leerling/overstapadvies/advies", "99"))
    result = read_dossier(to_bytes(root))
    assert result.ok
    assert result.dossier is not None and result.dossier.overstapadvies is not None
    assert result.dossier.overstapadvies.advies == "99"


def test_profile_rules_do_not_apply_within_one_brin() -> None:
    found = findings(
        lambda r: [set_text(r, "overdrachtsoort", "overdrachtbinnenbrin"), drop(r, "inzage")],
        categories={"ouderinzage": "OPTIONEEL"},
    )
    assert found == []


def test_binnen_brin_privacy_rules_still_apply() -> None:
    found = findings(
        lambda r: [
            set_text(r, "overdrachtsoort", "overdrachtbinnenbrin"),
            set_text(r, "huidigeschool/leerling/adresgeheim", "true"),
        ]
    )
    assert [f.code for f in found] == ["OVb.LL02"]


@pytest.mark.parametrize(
    ("datum", "vanaf"),
    [
        (date(2024, 3, 1), date(2021, 8, 1)),
        (date(2024, 7, 31), date(2021, 8, 1)),
        (date(2024, 8, 1), date(2022, 8, 1)),
        (date(2016, 1, 2), date(2013, 8, 1)),
    ],
)
def test_toets_window(datum: date, vanaf: date) -> None:
    assert toets_vanaf(datum) == vanaf


def test_toets_on_the_first_allowed_day_is_fine() -> None:
    assert (
        findings(
            lambda r: set_text(r, "huidigeschool/leerling/toetslijst/toets/afname/afnamedatum", "2021-08-01")
        )
        == []
    )


def test_toets_window_only_for_povo() -> None:
    found = findings(
        lambda r: [
            set_text(r, "metadata/overstap", "VOVO"),
            set_text(r, "huidigeschool/leerling/toetslijst/toets/afname/afnamedatum", "2019-01-01"),
        ]
    )
    assert by_code(found, "OVa.TR04") == []


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_bsn_rule_is_the_elfproef(number: str) -> None:
    found = by_code(findings(lambda r: set_text(r, "huidigeschool/leerling/bsn", number)), "OSO.BSN")
    weighted = sum(w * int(d) for w, d in zip([9, 8, 7, 6, 5, 4, 3, 2, -1], number, strict=True))
    assert (found == []) == (weighted % 11 == 0) == is_valid_bsn(number)


@given(nine_digits)
def test_onderwijsnummer_rule_is_its_definition(number: str) -> None:
    def use(r: etree._Element) -> None:
        bsn = find(r, "huidigeschool/leerling/bsn")
        bsn.tag = bsn.tag.replace("bsn", "onderwijsnummer")
        bsn.text = number

    found = by_code(findings(use), "OSO.ONR")
    weighted = sum(w * int(d) for w, d in zip([9, 8, 7, 6, 5, 4, 3, 2, -1], number, strict=True))
    expected_ok = number.startswith("10") and weighted % 11 == 5
    assert (found == []) == expected_ok == is_valid_onderwijsnummer(number)


@pytest.mark.parametrize(
    ("year", "version", "severity"),
    [(2016, "2016.1", "blokkade"), (2017, "2017.1", "fout"), (2019, "2019.1", "fout")],
)
def test_a_swv_dossier_without_birth_date_is_a_fault_only_where_its_profile_demands_one(
    year: int, version: str, severity: str
) -> None:
    """2016.1 demands a birth date only of an overstapdossier; the SWV/PaO profile rules came in 2017.1."""

    def swv_without_birth_date(root: etree._Element) -> None:
        set_text(root, "overdrachtsoort", "swv-dossier")
        drop(root, "huidigeschool/leerling/geboortedatum")

    (found,) = by_code(findings(swv_without_birth_date, year=year, version=version), "OVa.LL02")
    assert found.severity == severity
