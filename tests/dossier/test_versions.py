"""Every yearly namespace from 2016 on is read; the version is reported; unknown ones only warn."""

from __future__ import annotations

import pytest

from oso_tui.dossier import read_dossier
from tests.dossier.builders import add_child, base, drop, to_bytes


@pytest.mark.parametrize("year", [2016, 2017, 2018, 2019])
def test_known_versions_read_without_errors(year: int) -> None:
    result = read_dossier(to_bytes(base(year=year, version=f"{year}.1")))
    assert result.ok, [f.message for f in result.errors]
    assert result.version == f"{year}.1"
    assert result.namespace_year == year
    assert not any(f.code == "VERSIE" for f in result.findings)
    assert result.dossier is not None and result.dossier.leerling.naam == "Sanne de Vries"


@pytest.mark.parametrize("year", [2020, 2024, 2031])
def test_newer_versions_are_read_with_a_warning(year: int) -> None:
    result = read_dossier(to_bytes(base(year=year, version=f"{year}.1")))
    assert result.ok
    (warning,) = [f for f in result.findings if f.code == "VERSIE"]
    assert warning.severity == "waarschuwing"
    assert f"Onbekende OSO-versie {year}.1" in warning.message
    assert warning.line is not None


def test_version_that_does_not_match_the_namespace_warns() -> None:
    result = read_dossier(to_bytes(base(year=2019, version="2018.1")))
    assert result.ok
    assert [f.code for f in result.findings] == ["OG.02"]


def test_older_structure_is_read_by_its_own_version() -> None:
    """A 2017 dossier has <zorg> instead of <onderwijsondersteuning>: valid by its own schema, no findings."""
    root = base(year=2017, version="2017.1")
    zorg = root.find("{*}huidigeschool/{*}leerling/{*}zorg")
    assert zorg is not None
    zorg.clear()
    add_child(
        root,
        "huidigeschool/leerling/zorg",
        "<naamib>Mevr. Koppenol</naamib><tlv><tlvingangdatum>2016-04-04</tlvingangdatum>"
        "<tlvswvnummer>PO00</tlvswvnummer><tlvcategorie>L</tlvcategorie>"
        "<tlvbeschikkingsnummer>55</tlvbeschikkingsnummer></tlv>"
        "<arrangement><arrangement_datum>2015-01-28</arrangement_datum><arrangement_brin>12AB</arrangement_brin>"
        "<arrangement_vestigingscode>00</arrangement_vestigingscode></arrangement>"
        "<diagnose><code>F81.0</code><naam>Dyslexie</naam></diagnose>",
    )
    result = read_dossier(to_bytes(root))
    assert result.findings == []
    zorg_model = result.dossier.onderwijsondersteuning if result.dossier else None
    assert zorg_model is not None
    assert [d.codes for d in zorg_model.diagnoses] == [["F81.0"]]
    assert zorg_model.tlvs[0].categorie == "L"
    assert [a.soort for a in zorg_model.arrangementen] == ["arrangement"]


def test_profiles_popo_vovo_binnenbrin_swv_read() -> None:
    for overstap, soort in (
        ("POPO", "overstapdossier"),
        ("VOVO", "overstapdossier"),
        ("POVO", "overdrachtbinnenbrin"),
    ):
        root = base()
        root.find(f"{{{root.nsmap[None]}}}metadata/{{{root.nsmap[None]}}}overstap").text = overstap  # type: ignore[union-attr]
        root.find(f"{{{root.nsmap[None]}}}overdrachtsoort").text = soort  # type: ignore[union-attr]
        result = read_dossier(to_bytes(root))
        assert result.ok, (overstap, soort, [f.message for f in result.errors])
        assert result.dossier is not None and result.dossier.metadata.overstap == overstap


@pytest.mark.parametrize("year", [2017, 2018, 2019])
def test_an_swv_dossier_is_valid_but_not_registered(year: int) -> None:
    """A PaO dossier has no BSN (the standard forbids it there): no fault, but put aside with its reason."""
    root = base(year=year, version=f"{year}.1")
    root.find("{*}metadata/{*}overstap").text = "POSWV"  # type: ignore[union-attr]
    root.find("{*}overdrachtsoort").text = "swv-dossier"  # type: ignore[union-attr]
    drop(root, "huidigeschool/leerling/bsn")
    result = read_dossier(to_bytes(root))
    assert result.faults == []
    assert not result.ok
    (block,) = result.errors
    assert block.severity == "blokkade" and "niet voor een school bedoeld" in block.message


def test_older_care_category_is_also_known_by_its_2019_name() -> None:
    root = base(year=2018, version="2018.1")
    uitlevering = root.find("{*}metadata/{*}categorie_uitlevering")
    assert uitlevering is not None
    cat = uitlevering.find("{*}cat_zorgenbegeleiding")
    assert cat is not None
    cat.text = "OPT-UIT"
    drop(root, "huidigeschool/leerling/zorg")
    result = read_dossier(to_bytes(root))
    assert result.dossier is not None
    assert result.dossier.metadata.categorieen["zorgenbegeleiding"] == "OPT-UIT"
    assert result.dossier.metadata.categorieen["onderwijsondersteuning"] == "OPT-UIT"


def test_old_care_block_maps_onto_begeleiding_under_todays_names() -> None:
    from oso_tui.registration.steps import begeleiding

    root = base(year=2018, version="2018.1")
    zorg = root.find("{*}huidigeschool/{*}leerling/{*}zorg")
    assert zorg is not None
    zorg.clear()
    add_child(
        root,
        "huidigeschool/leerling/zorg",
        "<naamib>Mevr. Koppenol</naamib>"
        "<lgf><lgfdatum>2015-05-12</lgfdatum><codelgfonderwijssoort>21</codelgfonderwijssoort></lgf>"
        "<opp><opp_ingangdatum>2016-09-01</opp_ingangdatum></opp>"
        "<opp><opp_ingangdatum>2017-09-01</opp_ingangdatum></opp>"
        "<verblijf_opdc><opdc_ingangdatum>2016-01-08</opdc_ingangdatum><opdc_einddatum>2016-04-01"
        "</opdc_einddatum><opdc_brin>12AB</opdc_brin><opdc_vestigingscode>00</opdc_vestigingscode></verblijf_opdc>"
        "<onderwijsbelemmering>Extra tijd bij lezen.</onderwijsbelemmering>"
        "<begeleiding><soortbegeleiding>RT lezen</soortbegeleiding><begeleidingvoortzetten>true"
        "</begeleidingvoortzetten></begeleiding>"
        "<artslijst><arts><achternaam>Lammers</achternaam><soort>logopedist</soort></arts></artslijst>",
    )
    result = read_dossier(to_bytes(root))
    assert result.findings == []
    assert result.dossier is not None
    w = begeleiding(result.dossier).waarden
    assert w["begeleiding.intern_begeleider"] == "Mevr. Koppenol"
    assert w["begeleiding.opp.ingangsdatum"] == "2016-09-01"
    assert [v for p, v in w.items() if p.startswith("begeleiding.opp_eerder")] == [
        {"ingangsdatum": "2017-09-01"}
    ]
    (lgf,) = [v for p, v in w.items() if p.startswith("begeleiding.lgf")]
    assert lgf == {"ingangsdatum": "2015-05-12", "onderwijssoort": "21"}
    (opdc,) = [v for p, v in w.items() if p.startswith("begeleiding.opdc")]
    assert opdc == {
        "ingangsdatum": "2016-01-08",
        "einddatum": "2016-04-01",
        "brin": "12AB",
        "vestiging": "00",
    }
    (hulp,) = [v for p, v in w.items() if p.startswith("begeleiding.begeleidingen")]
    assert hulp == {"soort": "RT lezen", "voortzetten": True}
    (arts,) = [v for p, v in w.items() if p.startswith("begeleiding.specialisten")]
    assert arts == {"naam": "Lammers", "soort": "logopedist"}
    assert any(p.startswith("begeleiding.onderwijsbelemmeringen") for p in w)
