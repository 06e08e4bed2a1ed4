"""The official OSO rules as the oracle: what the official schema and stylesheets say, oso-tui says too.

For every dossier here (the official examples, the samples, the per-version dossiers, the generator's
output and hypothesis-mutated dossiers of every version): a dossier the official schema and rules
accept gets no `fout` from oso-tui; each official `Fout` is a `fout` of oso-tui at the same element,
unless it is one of the deliberate differences written down in `tests/dossier/official.py`
(VERSCHILLEN, each with its reason; the README lists them too). Needs saxonche (the test extra) and
the official files in ../shared; skips with the reason when either is absent.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from oso_tui.dossier import read_dossier
from tests.dossier.builders import base, to_bytes
from tests.dossier.conftest import VERSIONS, official_examples, official_folder, skip_reason
from tests.dossier.official import official_verdict, profile_of, related, saxon_available, verschil_voor

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "sample_dossiers").glob("*.xml")) + sorted(
    p for p in (REPO / "sample_dossiers" / "invalid").glob("*.xml") if b"<!DOCTYPE" not in p.read_bytes()
)
VERSIE_SAMPLES = sorted((REPO / "sample_dossiers" / "versies").glob("*.xml"))

pytestmark = pytest.mark.skipif(
    not saxon_available(),
    reason="saxonche (the test extra) is not installed: the official XSLT rules cannot run",
)


def _version(raw: bytes) -> str | None:
    try:
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    ns = etree.QName(root).namespace or ""
    year = ns.removeprefix("http://www.edustandaard.nl/oso_gegevensset/")[:4]
    version = f"{year}.1"
    return version if version in VERSIONS and etree.QName(root).localname == "dossier" else None


def agrees(raw: bytes) -> None:
    """Assert that oso-tui's verdict on one dossier agrees with the official one (see the module doc)."""
    version = _version(raw)
    if version is None:
        return
    verdict = official_verdict(raw, version)
    if verdict is None:
        pytest.skip(skip_reason(version))
    result = read_dossier(raw)
    faults = result.faults
    if verdict.valid:
        assert faults == [], [f.message for f in faults]
        return
    if verdict.schema_errors:
        assert faults, verdict.schema_errors
    profiel = profile_of(raw)
    for melding in verdict.fouten:
        if any(related(melding.path, f.path) for f in faults):
            continue
        verschil = verschil_voor(melding.tekst, profiel)
        assert verschil is not None, (melding, [f.path for f in faults])
        if verschil.product == "blokkade":
            assert any(f.severity == "blokkade" for f in result.findings), melding
        elif verschil.product == "waarschuwing":
            assert any(related(melding.path, f.path) for f in result.findings), (
                melding,
                [(f.severity, f.path) for f in result.findings],
            )


@pytest.mark.parametrize("path", official_examples() + SAMPLES + VERSIE_SAMPLES, ids=lambda p: p.name)
def test_samples_and_examples_agree_with_the_official_rules(path: Path) -> None:
    agrees(path.read_bytes())


def test_the_per_version_dossiers_are_valid_for_the_official_rules() -> None:
    for path in VERSIE_SAMPLES:
        version = path.name[:6].replace("_", ".")
        verdict = official_verdict(path.read_bytes(), version)
        if verdict is None:
            pytest.skip(skip_reason(version))
        assert verdict.valid, (path.name, verdict)


def test_generated_dossiers_agree_with_the_official_rules() -> None:
    from benchmarks.generate import iter_dossiers

    for _name, data, _row in iter_dossiers(12, seed=3, versies=True):
        agrees(data)


def _mutate(root: etree._Element, index: int, op: str, value: str) -> etree._Element:
    els = [e for e in root.iter() if isinstance(e.tag, str)][1:]
    target = els[index % len(els)]
    parent = target.getparent()
    assert parent is not None
    if op == "drop":
        parent.remove(target)
    elif op == "dup":
        target.addnext(copy.deepcopy(target))
    elif len(target) == 0:
        target.text = value
    return root


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(version="2016.1", index=371, op="text", value="x", swv=True)  # POSWV, unknown before 2017.1
@given(
    version=st.sampled_from(VERSIONS),
    index=st.integers(min_value=0, max_value=400),
    op=st.sampled_from(["drop", "dup", "text"]),
    value=st.sampled_from(["", "x", "VERBODEN", "OPT-UIT", "99", "2030-01-01", "false", "true", "12AB", "0"]),
    swv=st.booleans(),
)
def test_mutated_dossiers_agree_with_the_official_rules(
    version: str, index: int, op: str, value: str, swv: bool
) -> None:
    if not (official_folder(version) / "OSO_gegevensset.xsd").is_file():
        pytest.skip(skip_reason(version))
    year = int(version[:4])
    root = base(year=year, version=version)
    if swv:
        root.find("{*}overdrachtsoort").text = "swv-dossier"  # type: ignore[union-attr]
        root.find("{*}metadata/{*}overstap").text = "POSWV"  # type: ignore[union-attr]
        bsn = root.find("{*}huidigeschool/{*}leerling/{*}bsn")
        assert bsn is not None
        bsn.getparent().remove(bsn)  # type: ignore[union-attr]
    agrees(to_bytes(_mutate(root, index, op, value)))
