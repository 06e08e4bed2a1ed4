"""Code lists: Dutch labels, unknown codes shown as the code, advice labels a school can correct."""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui.dossier import codes


@pytest.fixture(autouse=True)
def fresh_advies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(codes.ADVIES_ENV, str(tmp_path / "geen-bestand.toml"))
    codes.advies_codes.cache_clear()
    yield  # type: ignore[misc]
    codes.advies_codes.cache_clear()


def test_geslacht_is_mapped_explicitly() -> None:
    assert [codes.geslacht_label(c) for c in ("0", "1", "2")] == ["onbekend", "vrouw", "man"]
    assert codes.geslacht_label("M") == "M"  # another standard's code is shown, not guessed


def test_unknown_codes_show_as_themselves() -> None:
    assert codes.TOETSSOORT.label("0011") == "Centrale Eindtoets (CET)"
    assert codes.TOETSSOORT.label("0014") == "0014"  # valid code without a known label
    assert codes.TOETSSOORT.label("9999") == "9999"
    assert codes.REFERENTIENIVEAU.label("04") == "1S"
    assert codes.RELATIE_TOT_KIND.label("1") == "vader"
    assert codes.CATEGORIE.label("OPT-UIT") == "uitgezet (opt-out)"
    assert codes.categorie_label("onderwijsondersteuning") == "Onderwijsondersteuning"


def test_advies_list_has_exactly_the_official_codes() -> None:
    official = "01 10 20 21 22 23 30 31 32 33 34 35 40 41 42 43 44 50 51 52 60 61 70 80"
    assert sorted(codes.advies_codes().codes) == official.split()


def test_advies_without_label_is_shown_as_code() -> None:
    assert codes.advies_label("40") == "vmbo gemengde leerweg"
    assert codes.advies_label("21") == "advies 21"
    assert codes.advies_label("99") == "advies 99"
    assert codes.advies_label(None) == ""


def test_school_can_correct_advice_labels(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own = tmp_path / "adviescodes.toml"
    own.write_text(
        '[advies]\n"21" = "vmbo basis/kader"\n"40" = "vmbo-gl"\n"99" = "bestaat niet"\n', encoding="utf-8"
    )
    monkeypatch.setenv(codes.ADVIES_ENV, str(own))
    codes.advies_codes.cache_clear()
    assert codes.advies_label("21") == "vmbo basis/kader"
    assert codes.advies_label("40") == "vmbo-gl"
    assert "99" not in codes.advies_codes()  # a school file labels codes, it does not invent them


def test_broken_school_file_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own = tmp_path / "adviescodes.toml"
    own.write_text("[advies\n", encoding="utf-8")
    monkeypatch.setenv(codes.ADVIES_ENV, str(own))
    codes.advies_codes.cache_clear()
    assert codes.advies_label("40") == "vmbo gemengde leerweg"


def test_school_file_beside_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(codes.ADVIES_ENV)
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "adviescodes.toml").write_text('[advies]\n"60" = "havo"\n', encoding="utf-8")
    codes.advies_codes.cache_clear()
    assert codes.advies_label("60") == "havo"


def test_every_category_of_the_standard_is_known() -> None:
    from tests.dossier.builders import CATEGORIES

    assert set(CATEGORIES) <= set(codes.CATEGORIEEN)


@pytest.mark.parametrize(("year", "unknown"), [(2016, True), (2017, False), (2019, False)])
def test_codes_for_a_samenwerkingsverband_are_unknown_before_2017(year: int, unknown: bool) -> None:
    """2016.1 had no PaO dossiers: its lists 16 and 29 lack POSWV, VOSWV and swv-dossier, and its
    official rules call them unknown."""
    from oso_tui.dossier import read_dossier
    from tests.dossier.builders import base, to_bytes

    later = codes.nog_niet(year)
    assert ((codes.OVERSTAP.nummer, "POSWV") in later) is unknown and "POSWV" in codes.OVERSTAP
    assert ((codes.OVERDRACHTSOORT.nummer, "swv-dossier") in later) is unknown
    assert (codes.OVERSTAP.nummer, "POVO") not in later
    root = base(year=year, version=f"{year}.1")
    root.find("{*}metadata/{*}overstap").text = "VOSWV"  # type: ignore[union-attr]
    warned = [f.path for f in read_dossier(to_bytes(root)).findings if "Onbekende code 'VOSWV'" in f.message]
    assert warned == (["metadata/overstap"] if unknown else [])
