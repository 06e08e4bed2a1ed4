"""The three steps as pure mappings from a dossier to pupil fields (no store needed)."""

from __future__ import annotations

import pytest

from oso_tui.dossier import read_dossier
from oso_tui.registration import steps
from oso_tui.registration.steps import Plaatsing, standaard_opleiding
from tests.registratie_data import PGN, dossier_xml


def dossier(**kwargs: object):  # type: ignore[no-untyped-def]
    result = read_dossier(dossier_xml(**kwargs))  # type: ignore[arg-type]
    assert result.ok and result.dossier is not None
    return result.dossier


@pytest.mark.parametrize(
    ("label", "opleiding"),
    [
        ("havo/vwo", "havo/vwo"),
        ("vwo", "vwo"),
        ("vmbo gemengde leerweg", "vmbo-gl"),
        ("vmbo kaderberoepsgerichte leerweg", "vmbo-k"),
        ("vmbo theoretische leerweg / havo", "vmbo-t/havo"),
        ("praktijkonderwijs", "pro"),
        ("", None),
        ("advies 21", None),
    ],
)
def test_default_opleiding_from_the_advice_label(label: str, opleiding: str | None) -> None:
    assert standaard_opleiding(label) == opleiding


def test_personalia_maps_names_address_guardians_and_the_placement() -> None:
    d = dossier()
    v = steps.personalia(
        d, Plaatsing(schooljaar="2027-2028", leerjaar=1, klas="1B"), advieslabel=lambda c: "havo"
    )
    w = v.waarden
    assert w["personalia.bsn"] == PGN and w["personalia.achternaam"] == "Vermeulen"
    assert w["personalia.voornamen"] == "Noor Anna" and w["personalia.geboortedatum"] == "2015-06-01"
    assert w["personalia.geslacht"] == "vrouw"
    assert w["personalia.adres"] == {
        "straat": "Kastanjelaan",
        "huisnummer": "12",
        "postcode": "3511AB",
        "plaats": "Utrecht",
        "land": "Nederland",
    }
    [guardian] = [p for p in w if p.startswith("personalia.verzorgers[")]
    assert steps.label(guardian) == "Verzorger Sanne Vermeulen · relatie 1"
    assert w["plaatsing.klas"] == "1B" and v.bronnen["plaatsing.klas"] == "invoer"
    assert w["plaatsing.opleiding"] == "havo" and v.bronnen["plaatsing.opleiding"] == "afgeleid"
    chosen = steps.personalia(d, Plaatsing(opleiding="vwo"), advieslabel=lambda c: "havo")
    assert (
        chosen.waarden["plaatsing.opleiding"] == "vwo" and chosen.bronnen["plaatsing.opleiding"] == "invoer"
    )
    assert "plaatsing.opleiding" not in steps.personalia(d).waarden, "no label, no default"
    assert all(steps.stap_van(p) == "personalia" for p in w)


def test_loopbaan_maps_career_advice_and_eindtoets() -> None:
    w = steps.loopbaan(dossier(eindtoets=True)).waarden
    assert w["loopbaan.schoolloopbaan[2026-2027|groep 8]"] == {
        "schooljaar": "2026-2027",
        "groep": "groep 8",
        "jaargroep": "8",
        "brin": "99XX",
        "vestiging": "00",
    }
    assert w["loopbaan.advies.advies"] == "60"
    assert w["loopbaan.eindtoets.standaardscore"] == 88 and w["loopbaan.eindtoets.advies"] == "havo/vwo"
    assert w["loopbaan.eindtoets.onderdelen[8001]"] == {"onderdeel": "Rekenen", "referentieniveau": "2F"}
    assert "loopbaan.eindtoets.standaardscore" not in steps.loopbaan(dossier()).waarden


def test_begeleiding_lists_attachments_without_their_content() -> None:
    w = steps.begeleiding(dossier(zorg=True)).waarden
    assert w["begeleiding.diagnoses[F81.0]"]["naam"] == "Dyslexie"  # type: ignore[index]
    assert w["begeleiding.medicijngebruik"] is False
    bijlage = w["begeleiding.bijlagen[dyslexieverklaring.pdf]"]
    assert isinstance(bijlage, dict) and set(bijlage) == {"bestandsnaam", "omschrijving", "grootte", "bron"}
    assert steps.begeleiding(dossier()).waarden == {}


def test_values_are_shown_with_code_labels() -> None:
    assert steps.weergave(True) == "ja" and steps.weergave(None) == ""
    assert steps.weergave(
        {"straat": "Laan", "huisnummer": "3", "postcode": "1234AB", "plaats": "Ergens"}
    ) == ("Laan 3, 1234AB Ergens")
    assert steps.weergave({"naam": "X", "relatie": "7"}) == "naam: X, relatie: 7 (biologische moeder)"
    assert steps.weergave("99", "loopbaan.advies.advies") == "99"
