"""Nothing in a dossier is dropped unseen: every leaf value is registered by a step, shown with the
dossier's data, or listed as "niet overgenomen" with its path, value and reason.

Walks every official example, every sample, the per-version dossiers and the built dossier of every
version; and checks that every field of every version's schema has a deliberate place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from oso_tui.dossier import read_dossier
from oso_tui.dossier.schema import El, tables
from oso_tui.dossier.verantwoording import ONBEKEND, bladeren, gemaskeerd, regel_voor
from oso_tui.dossier.xmlutil import path_of, plain_path_of
from oso_tui.registration import steps
from tests.dossier.builders import base, to_bytes
from tests.dossier.conftest import VERSIONS, official_examples

REPO = Path(__file__).resolve().parents[2]
FILES = [
    *official_examples(),
    *sorted((REPO / "sample_dossiers").glob("*.xml")),
    *sorted((REPO / "sample_dossiers" / "versies").glob("*.xml")),
]
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _strings(value: object) -> set[str]:
    """Every text a registered value shows, and its parts."""
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    text = str(value)
    parts = {text}
    for sep in ("; ", ", ", ": ", " "):
        parts |= {p for chunk in list(parts) for p in chunk.split(sep)}
    return {p.strip() for p in parts} | {p.strip().strip("()") for p in parts}


def _normal(value: str) -> str:
    return {"true": "True", "false": "False", "1": "1", "0": "0"}.get(value, value)


def assert_every_leaf_lands(raw: bytes) -> None:
    result = read_dossier(raw)
    dossier = result.dossier
    assert dossier is not None
    root = etree.fromstring(raw, SAFE)
    voorstellen = {
        stap: steps.voorstel(stap, dossier, advieslabel=lambda code: None).waarden  # type: ignore[arg-type]
        for stap in ("personalia", "loopbaan", "begeleiding")
    }
    strings = {stap: _strings(w) for stap, w in voorstellen.items()}
    niet = {(n.pad, n.waarde) for n in dossier.niet_overgenomen}
    for pad, plain, waarde in bladeren(root):
        regel = regel_voor(plain.partition("/@")[0])
        if "/document/" in plain:
            assert any(b.bron for b in dossier.bijlagen) or dossier.bijlagen, pad
            continue
        if regel.bestemming == "niet":
            assert (pad, waarde) in niet, (pad, waarde)
        elif regel.bestemming == "dossier":
            assert waarde in (str(dossier.metadata.datum), result.version), pad
        else:
            assert voorstellen[regel.stap], (pad, regel.stap)
            if not regel.omgezet:
                assert _normal(waarde) in strings[regel.stap] or waarde in strings[regel.stap], (
                    pad,
                    waarde,
                    regel.stap,
                )


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_leaf_of_examples_and_samples_lands_somewhere(path: Path) -> None:
    assert_every_leaf_lands(path.read_bytes())


@pytest.mark.parametrize("path", FILES[:3], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_leaf_paths_are_the_paths_findings_use(path: Path) -> None:
    root = etree.fromstring(path.read_bytes(), SAFE)
    expected = [
        (path_of(el), plain_path_of(el), (el.text or "").strip())
        for el in root.iter()
        if isinstance(el.tag, str) and el.getparent() is not None and not len(el) and (el.text or "").strip()
    ]
    assert expected and [b for b in bladeren(root) if "/@" not in b[0]] == expected


def test_a_list_of_many_rows_numbers_each_row() -> None:
    rows = "".join(f"<rij><n>{i}</n></rij>" for i in range(2000))
    root = etree.fromstring(f"<dossier><lijst>{rows}<enkel>x</enkel></lijst></dossier>".encode())
    paden = [pad for pad, _plain, _waarde in bladeren(root)]
    assert paden[0] == "lijst/rij[1]/n" and paden[1999] == "lijst/rij[2000]/n" and paden[-1] == "lijst/enkel"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_leaf_of_the_built_dossier_lands_somewhere(version: str) -> None:
    assert_every_leaf_lands(to_bytes(base(year=int(version[:4]), version=version)))


def _leaf_paths(version: str) -> set[str]:
    t = tables(version)
    found: set[str] = set()

    def walk(type_key: str, path: str, depth: int) -> None:
        complex_ = t.complex.get(type_key)
        if complex_ is None or complex_.simple is not None or depth > 12:
            found.add(path)
            return

        def visit(p: object) -> None:
            if isinstance(p, El):
                walk(p.type, f"{path}/{p.name}".lstrip("/"), depth + 1)
            elif p is not None:
                for item in p.items:  # type: ignore[attr-defined]
                    visit(item)

        visit(complex_.content)

    walk(t.root.type, "", 0)
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_every_field_of_every_version_has_a_deliberate_place(version: str) -> None:
    unplaced = sorted(p for p in _leaf_paths(version) if regel_voor(p).reden == ONBEKEND)
    assert unplaced == []


def test_not_taken_over_lists_path_value_and_reason_and_masks_care_data() -> None:
    root = base(year=2018, version="2018.1")
    verzorger = root.find("{*}huidigeschool/{*}leerling/{*}verzorger")
    assert verzorger is not None
    iban = etree.SubElement(verzorger, verzorger.tag.replace("verzorger", "iban"))
    iban.text = "NL00TEST0123456789"
    zorg = root.find("{*}huidigeschool/{*}leerling/{*}zorg")
    assert zorg is not None
    arts = etree.SubElement(zorg, zorg.tag.replace("zorg", "artslijst"))
    dossier = read_dossier(to_bytes(root)).dossier
    assert dossier is not None
    (item,) = [n for n in dossier.niet_overgenomen if n.pad.endswith("iban")]
    assert item.waarde == "NL00TEST0123456789" and "bankgegevens" in item.reden and item.stap == "personalia"
    assert not item.zorg
    assert arts is not None
    hidden = gemaskeerd(
        [n.model_copy(update={"zorg": True, "waarde": "geheim"}) for n in dossier.niet_overgenomen[:1]], False
    )
    assert hidden[0].waarde == "(zorggegeven)"


def test_check_json_lists_what_is_not_taken_over_with_care_values_masked_without_the_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from oso_tui.cli import main
    from tests.dossier.builders import add_child

    root = base(year=2018, version="2018.1")
    add_child(
        root,
        "huidigeschool/leerling/zorg",
        "<artslijst><arts><achternaam>Lammers</achternaam><adreslijst><adres><soortadres>bezoek</soortadres>"
        "<straat>Zorgpad</straat><nummer>7</nummer><postcode>1234AB</postcode><plaats>Ergens</plaats></adres>"
        "</adreslijst><soort>logopedist</soort></arts></artslijst>",
        index=3,
    )
    dossier = tmp_path / "d.xml"
    dossier.write_bytes(to_bytes(root))
    assert read_dossier(dossier).findings == []
    config = tmp_path / "config.toml"
    config.write_text('[rollen]\nsecretariaat = ["administratie"]\nib = ["zorg"]\n', encoding="utf-8")

    def report(user: str) -> dict[str, str]:
        monkeypatch.setattr("oso_tui.cli.common.getpass.getuser", lambda: user)
        assert main(["--config", str(config), "check", str(dossier), "--json"]) == 0
        (found,) = json.loads(capsys.readouterr().out)
        return {n["pad"]: n["waarde"] for n in found["niet_overgenomen"]}

    ib, secretariaat = report("ib"), report("secretariaat")
    straat = "huidigeschool/leerling/zorg/artslijst/arts/adreslijst/adres/straat"
    assert ib[straat] == "Zorgpad"
    assert secretariaat[straat] == "(zorggegeven)"
    assert secretariaat["metadata/pakketnaam"] == "Testpakket"
