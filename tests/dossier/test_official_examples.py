"""Every official example dossier reads without errors and gives the data registration needs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oso_tui.dossier import read_dossier
from tests.dossier.conftest import SKIP_REASON, official_examples

EXAMPLES = official_examples()


@pytest.mark.skipif(not EXAMPLES, reason=SKIP_REASON)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_official_example_reads_without_errors(path: Path) -> None:
    result = read_dossier(path)
    assert result.dossier is not None
    assert result.errors == [], [f.message for f in result.errors]
    assert result.ok
    assert result.version == "2019.1"
    assert result.namespace_year == 2019
    assert len(result.sha256) == 64


def test_full_example_gives_all_three_steps(full_example: bytes) -> None:
    result = read_dossier(full_example, source_name="full.xml")
    d = result.dossier
    assert d is not None
    assert d.metadata.datum == date(2016, 1, 2)
    assert d.metadata.overstap == "POVO"
    assert d.metadata.categorieen["onderwijsondersteuning"] == "OPTIONEEL"
    assert d.school.brin == "00YY" and d.school.vestiging == "00" and d.school.naam == "Testschool"
    ll = d.leerling
    assert ll.naam == "Daan van de Berg"
    assert ll.voornamen[:2] == ["Björn", "Johannes"]
    assert ll.geboortedatum == date(2003, 3, 17)
    assert ll.pgn == ll.bsn == "269326728"
    assert ll.geslacht == "2"
    assert [v.relatietotkind for v in d.verzorgers] == ["1", "6", "7", "5", "3"]
    assert d.schoolloopbaan[-1].schooljaar == "2015-2016"
    assert d.overstapadvies is not None and d.overstapadvies.advies == "40"
    assert d.eindtoets is not None and d.eindtoets.toetssoort == "0011" and d.eindtoets.standaardscore == 525
    assert [o.code for o in d.eindtoets.onderdelen] == ["8000", "8001"]
    assert len(d.toetsen) == 5
    zorg = d.onderwijsondersteuning
    assert zorg is not None
    assert [dg.codes for dg in zorg.diagnoses] == [["H91.9.s", "H54.2"], ["F90.0+"]]
    assert zorg.medicijngebruik is True
    assert zorg.opp is not None and zorg.opp.ingangsdatum == date(2015, 5, 4)
    assert len(zorg.tlvs) == 1 and zorg.tlvs[0].categorie == "L"
    assert {a.soort for a in zorg.arrangementen} == {"cluster12", "pao"}
    assert d.verzuim is not None and d.verzuim.dagdelengeoorloofd == 12
    assert len(d.bijlagen) == 15


def test_attachment_content_is_decoded_on_demand(full_example: bytes) -> None:
    d = read_dossier(full_example).dossier
    assert d is not None
    bijlage = d.bijlagen[0]
    assert bijlage.bestandsnaam == "Toelichting.pdf"
    inhoud = bijlage.inhoud()
    assert inhoud.startswith(b"PK")  # a ZIP, as the standard says
    assert len(inhoud) == bijlage.grootte
    assert "bestandsinhoud" not in repr(bijlage)


def test_optout_example_has_no_care_data(optout_example: bytes) -> None:
    result = read_dossier(optout_example)
    d = result.dossier
    assert d is not None
    assert d.onderwijsondersteuning is None
    assert d.metadata.categorieen["onderwijsondersteuning"] == "OPT-UIT"
    assert d.inzage is not None and d.inzage.akkoord == "Nee"
