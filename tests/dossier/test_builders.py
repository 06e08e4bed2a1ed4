"""Every dossier the tests build comes from one builder and is valid for the official XSD.

`registratie_data.dossier_xml` and `aanvraag_helpers.dossier_xml` only choose other parts of
`builders.dossier_text`; a part that broke the schema order would make every test that uses them
test a dossier no sender could send.
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from tests import aanvraag_helpers, registratie_data
from tests.dossier import builders
from tests.dossier.conftest import OFFICIAL, SKIP_REASON

XSD_PATH = OFFICIAL / "OSO_gegevensset.xsd"

BUILT = {
    "base": lambda: builders.to_bytes(builders.base()),
    "registratie": lambda: registratie_data.dossier_xml(),
    "registratie, eindtoets en zorg": lambda: registratie_data.dossier_xml(eindtoets=True, zorg=True),
    "registratie, voorlopig": lambda: registratie_data.dossier_xml(voorlopig=True, datum="2027-05-01"),
    "aanvraag": lambda: aanvraag_helpers.dossier_xml("111222333"),
    "aanvraag, andere school": lambda: aanvraag_helpers.dossier_xml(
        "100000004", datum=date(2025, 1, 2), brin="99ZZ", voornaam="Mila"
    ),
}


@pytest.fixture(scope="module")
def official_schema() -> etree.XMLSchema:
    if not XSD_PATH.is_file():
        pytest.skip(SKIP_REASON)
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


@pytest.mark.parametrize("name", list(BUILT))
def test_built_dossier_is_valid_for_the_official_xsd(official_schema: etree.XMLSchema, name: str) -> None:
    root = etree.fromstring(BUILT[name]())
    assert official_schema.validate(root), official_schema.error_log


def _texts(raw: bytes, local: str) -> list[str]:
    return [el.text or "" for el in etree.fromstring(raw).iter(f"{{{builders.NS}}}{local}")]


def test_the_wrappers_keep_their_own_defaults() -> None:
    registratie = registratie_data.dossier_xml(achternaam="Bakker", straat="Dorpsstraat", bsn="123")
    assert _texts(registratie, "achternaam") == ["Bakker", "Bakker"]  # the pupil and the parent
    assert _texts(registratie, "straat") == ["Dorpsstraat"]
    assert _texts(registratie, "bsn") == ["123"]
    assert _texts(registratie, "eindtoets_basisonderwijs") == []
    assert len(_texts(registratie_data.dossier_xml(eindtoets=True), "eindtoets_basisonderwijs")) == 1
    assert _texts(registratie_data.dossier_xml(voorlopig=True), "voorlopigdossier") == ["true"]

    aanvraag = aanvraag_helpers.dossier_xml("555", geboortedatum=date(2013, 2, 3), brin="98YY")
    assert _texts(aanvraag, "bsn") == ["555"]
    assert _texts(aanvraag, "geboortedatum") == ["2013-02-03"]
    assert _texts(aanvraag, "brincode") == ["98YY"]
    assert _texts(aanvraag, "cat_verzuim") == ["OPT-UIT"]
    assert _texts(aanvraag, "verzorger") == []
