"""The doorstroomtoets: read under any element name, referentieniveaus as a school reads them, labels a
school can extend, and an adjusted advice highlighted (downwards: a warning)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from oso_tui.dossier import codes, read_dossier
from oso_tui.registration import steps
from tests.dossier.builders import add_child, base, find, set_text, to_bytes

TOETS = (
    "<{blok}><{res}><toetssoort>{code}</toetssoort><toetsniveau>G</toetsniveau>"
    "<datum_afname>2024-02-06</datum_afname><standaardscore>85</standaardscore><toets_advies>havo</toets_advies>"
    "<onderdelen><onderdeel><onderdeelcode>8000</onderdeelcode><onderdeelomschrijving>Taal</onderdeelomschrijving>"
    "<{niveau}>{taal}</{niveau}></onderdeel><onderdeel><onderdeelcode>8001</onderdeelcode>"
    "<onderdeelomschrijving>Rekenen</onderdeelomschrijving><{niveau}>{rekenen}</{niveau}></onderdeel>"
    "</onderdelen></{res}><deelgenomen>true</deelgenomen></{blok}>"
)


def with_test(root: etree._Element, **parts: str) -> etree._Element:
    values = {
        "blok": "eindtoets_basisonderwijs",
        "res": "eindtoetsresultaat",
        "niveau": "ond_referentieniveau",
        "code": "0013",
        "taal": "03",
        "rekenen": "04",
    }
    values.update(parts)
    verzuim = find(root, "huidigeschool/leerling/verzuim")
    leerling = verzuim.getparent()
    assert leerling is not None
    add_child(root, "huidigeschool/leerling", TOETS.format(**values), index=leerling.index(verzuim) + 1)
    return root


@pytest.fixture(autouse=True)
def fresh_tables() -> None:
    codes.doorstroomtoets.cache_clear()
    codes.advies_rang.cache_clear()


def test_2019_eindtoets_elements_register_as_the_doorstroomtoets_with_reference_levels() -> None:
    result = read_dossier(to_bytes(with_test(base())))
    assert result.findings == []
    assert result.dossier is not None
    w = steps.loopbaan(result.dossier).waarden
    assert w["loopbaan.eindtoets.toetssoort"] == "IEP" and w["loopbaan.eindtoets.toetscode"] == "0013"
    assert w["loopbaan.eindtoets.onderdelen[8000]"]["referentieniveau"] == "2F"  # type: ignore[index]
    assert w["loopbaan.eindtoets.onderdelen[8001]"]["referentieniveau"] == "1S"  # type: ignore[index]


def test_a_later_versions_doorstroomtoets_names_are_read_and_registered() -> None:
    root = with_test(
        base(year=2024, version="2024.1"),
        blok="doorstroomtoets",
        res="doorstroomtoetsresultaat",
        niveau="referentieniveau",
        taal="verhinderd",
        rekenen="&lt;1F",
    )
    result = read_dossier(to_bytes(root))
    assert result.ok and result.dossier is not None and result.dossier.eindtoets is not None
    w = steps.loopbaan(result.dossier).waarden
    assert w["loopbaan.eindtoets.standaardscore"] == 85
    assert w["loopbaan.eindtoets.onderdelen[8000]"]["referentieniveau"] == "verhinderd"  # type: ignore[index]
    assert w["loopbaan.eindtoets.onderdelen[8001]"]["referentieniveau"] == "<1F"  # type: ignore[index]
    assert not [n for n in result.dossier.niet_overgenomen if "doorstroomtoets" in n.pad]


def test_a_school_extends_the_tests_and_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "doorstroomtoets.toml"
    own.write_text(
        '[elementen]\nblok = ["doorstroom"]\n[toetsen]\n"0031" = "Doorstroomtoets Nieuw"\n'
        '[referentieniveaus]\n"2A" = "2A (school)"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(codes.TOETS_ENV, str(own))
    root = with_test(base(year=2025, version="2025.1"), blok="doorstroom", code="0031", taal="2A")
    result = read_dossier(to_bytes(root))
    assert result.dossier is not None and result.dossier.eindtoets is not None
    w = steps.loopbaan(result.dossier).waarden
    assert w["loopbaan.eindtoets.toetssoort"] == "Doorstroomtoets Nieuw"
    assert w["loopbaan.eindtoets.onderdelen[8000]"]["referentieniveau"] == "2A (school)"  # type: ignore[index]
    assert codes.doorstroomtoets().toets_label("0011") == "Centrale Eindtoets (CET)"  # the shipped ones stay


def _dossier_with_advice(advies: str, herzien: str | None = None) -> steps.Voorstel:
    root = set_text(base(), "huidigeschool/leerling/overstapadvies/advies", advies)
    if herzien is not None:
        add_child(
            root,
            "huidigeschool/leerling/overstapadvies",
            f"<herzienadvies>{herzien}</herzienadvies>",
            index=2,
        )
    result = read_dossier(to_bytes(root))
    assert result.dossier is not None, result.findings
    return steps.loopbaan(result.dossier)


def test_an_advice_adjusted_upwards_is_highlighted() -> None:
    maart = _dossier_with_advice("50")
    later = _dossier_with_advice("50", herzien="60")
    regels = steps.vergelijk_stap(maart.waarden, later)
    (herzien,) = [r for r in regels if r.pad == "loopbaan.advies.herzienadvies"]
    assert herzien.label.endswith("▲ bijgesteld")
    assert steps.advieswaarschuwingen(maart.waarden, later) == []


def test_an_advice_adjusted_downwards_is_a_warning() -> None:
    root = set_text(base(), "huidigeschool/leerling/overstapadvies/advies", "60")
    add_child(root, "huidigeschool/leerling/overstapadvies", "<herzienadvies>50</herzienadvies>", index=2)
    result = read_dossier(to_bytes(root))
    (warning,) = [f for f in result.findings if f.code == "ADVIES"]
    assert warning.severity == "waarschuwing" and "alleen naar boven" in warning.message
    maart = _dossier_with_advice("60")
    later = _dossier_with_advice("50")
    regels = steps.vergelijk_stap(maart.waarden, later)
    (advies,) = [r for r in regels if r.pad == "loopbaan.advies.advies"]
    assert advies.label.endswith("▼ lager dan geregistreerd")
    (message,) = steps.advieswaarschuwingen(maart.waarden, later)
    assert "lager dan het geregistreerde advies" in message


def test_advice_codes_without_a_rank_are_not_compared() -> None:
    assert not codes.lager_advies("01", "60") and not codes.lager_advies("50", "80")
    assert codes.lager_advies("50", "60") and not codes.lager_advies("60", "50")


def test_the_plan_warns_when_a_later_version_lowers_the_advice(tmp_path: Path) -> None:
    from oso_tui import services
    from oso_tui.store import Store
    from tests.dossier.builders import VALID_BSN
    from tests.registratie_data import aanvraag, make_settings, ontvang
    from tests.service_context import ctx_of

    advies = "huidigeschool/leerling/overstapadvies/advies"
    store = Store.open(tmp_path / "oso.json")
    ctx = ctx_of(store, make_settings(tmp_path), "admin")
    aanvraag(store, pgn=VALID_BSN)
    ontvang(store, to_bytes(set_text(base(), advies, "60")), pgn=VALID_BSN, datum="2027-03-01")
    services.register(ctx, pgn=VALID_BSN, stappen=["personalia", "loopbaan"], accepteer_waarschuwingen=True)
    ontvang(store, to_bytes(set_text(base(), advies, "50")), pgn=VALID_BSN, datum="2027-03-10")
    plan = services.plan(ctx, pgn=VALID_BSN, stap="loopbaan")
    assert any("lager dan het geregistreerde advies" in w for w in plan.waarschuwingen)
    (regel,) = [r for r in plan.regels if r.pad == "loopbaan.advies.advies"]
    assert regel.label.endswith("▼ lager dan geregistreerd")
