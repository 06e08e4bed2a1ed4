"""How the screens write a diff's values: whole addresses, Dutch dates, codes with their label or
"code 60 (onbekend)", and only the changed parts of a changed list row."""

from __future__ import annotations

from oso_tui.display import aantal
from oso_tui.registration.labels import naast_elkaar, nl_datum, weergave
from oso_tui.screens.diffrijen import kort_pad, telling
from oso_tui.screens.omzetten import diff_view
from oso_tui.screens.viewmodels import NietOvergenomen
from tests.ui.stub import StubBackend, stap_plan

ADRES = {
    "straat": "Kerkweg",
    "huisnummer": 12,
    "toevoeging": "a",
    "postcode": "1234AB",
    "plaats": "Ergens",
    "land": "België",
}


def test_a_changed_address_is_shown_whole_on_both_sides() -> None:
    oud = {**ADRES, "postcode": "1234AC"}
    assert naast_elkaar(oud, ADRES, "personalia.adres") == (
        "Kerkweg 12 a, 1234AC Ergens, België",
        "Kerkweg 12 a, 1234AB Ergens, België",
    )


def test_addresses_that_read_the_same_name_the_part_that_differs() -> None:
    oud, nieuw = {**ADRES, "gemeente": "Oud"}, {**ADRES, "gemeente": "Nieuw"}
    g, d = naast_elkaar(oud, nieuw, "personalia.adres")
    assert g != d
    assert g.startswith("Kerkweg 12 a, 1234AB Ergens, België") and "gemeente: Oud" in g
    assert "gemeente: Nieuw" in d


def test_a_changed_list_row_shows_only_its_changed_parts_with_dutch_dates() -> None:
    oud = {"school": "De Wilg", "datum": "2019-09-01", "groep": "7"}
    nieuw = {"school": "De Wilg", "datum": "2019-09-02", "groep": "7"}
    assert naast_elkaar(oud, nieuw, "loopbaan.schoolloopbaan[2019]") == (
        "datum: 01-09-2019",
        "datum: 02-09-2019",
    )


def test_dates_are_dutch_on_screen_and_iso_elsewhere() -> None:
    assert naast_elkaar(None, "2019-09-01", "personalia.vorige_school.inschrijfdatum") == ("", "01-09-2019")
    assert weergave("2019-09-01") == "2019-09-01"
    assert nl_datum("2019-02-31") == "2019-02-31"  # no such day: left as it came
    assert nl_datum("12-2019-09-01") == "12-2019-09-01"


def test_an_unknown_code_says_so_and_a_known_one_has_its_label() -> None:
    _, onbekend = naast_elkaar(None, "60", "loopbaan.advies.advies")
    assert onbekend == "code 60 (onbekend)"
    _, bekend = naast_elkaar(None, "40", "loopbaan.advies.advies")
    assert bekend == "40 (vmbo gemengde leerweg)"
    assert weergave("60", "loopbaan.advies.advies") == "60"  # files and the command line: the bare code


def test_counts_are_in_the_right_number() -> None:
    assert aantal(1, "leerling", "leerlingen") == "1 leerling"
    assert aantal(2, "aanvraag", "aanvragen") == "2 aanvragen"
    assert aantal(0, "leerling", "leerlingen") == "0 leerlingen"


def test_the_status_line_counts_hidden_lines_and_values_not_taken_over() -> None:
    row = StubBackend().rows[0]
    niet = [NietOvergenomen(pad="metadata/pakketnaam", waarde="LVS", reden="techniek", stap="personalia")]
    plan = stap_plan(
        row,
        "personalia",
        {"personalia.achternaam": "x"},
        {"personalia.achternaam": "x", "personalia.roepnaam": "y"},
        niet_overgenomen=niet,
    )
    view = diff_view("a1", plan, zorg=True)
    assert telling(view, 1) == "1 nieuw · 1 gelijk verborgen · 1 niet overgenomen"
    assert telling(view, 0, niet_overgenomen=False) == "1 nieuw · 1 gelijk"


def test_a_value_not_taken_over_is_named_by_its_element() -> None:
    assert kort_pad("huidigeschool/leerling/verzorger[1]/communicatie/noodnummer") == "noodnummer"
    assert kort_pad("huidigeschool/leerling/nationaliteit[2]/code") == "nationaliteit/code"
