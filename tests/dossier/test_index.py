"""The child index makes reading faster and must never change what is read; pinned two ways.

Golden findings of the sample dossiers were recorded with the reader before it had the index. And
every model and finding read with the index equals the one read with plain lxml lookups (children
by local name, each text read from its element, every search a walk), for the samples, the official
examples and mutated trees (duplicated, dropped, moved, renamed elements, comments inside values,
foreign namespaces, padded values), where a lookup could take a different path.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from oso_tui.dossier import extract, inhoudsregels, read_dossier, regelbasis, rules, xmlutil
from oso_tui.dossier.extract import MissingDatumError, build_dossier, read_kop
from oso_tui.dossier.findings import Finding
from oso_tui.dossier.models import Dossier, DossierKop
from oso_tui.dossier.parser import SEARCHED
from oso_tui.dossier.rules import check_rules
from oso_tui.dossier.xmlutil import indexed
from tests.dossier.builders import base
from tests.dossier.conftest import official_examples

REPO = Path(__file__).resolve().parents[2]
GOLDEN = json.loads((Path(__file__).parent / "golden_findings.json").read_text(encoding="utf-8"))
SAFE = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def _read(root: etree._Element) -> tuple[Dossier | None, DossierKop | None, list[Finding]]:
    try:
        kop = read_kop(root)
    except MissingDatumError:
        return None, None, []
    return build_dossier(root, 2019), kop, check_rules(root, kop)


class _Plain:
    """Children by local name, found the obvious way; no texts, so each text is read from its element."""

    def __init__(self, el: etree._Element | None) -> None:
        self.kids: dict[str, list[etree._Element]] = {}
        self.texts: dict[str, str | None] = {}
        for c in el.iterchildren(etree.Element) if el is not None else ():
            self.kids.setdefault(etree.QName(c).localname, []).append(c)

    def first(self, name: str) -> etree._Element | None:
        return self.kids.get(name, [None])[0]

    def text(self, name: str) -> str | None:
        return xmlutil.text_of(self.first(name))


def _read_plain(root: etree._Element) -> tuple[Dossier | None, DossierKop | None, list[Finding]]:
    with pytest.MonkeyPatch.context() as patch:
        modules = (xmlutil, regelbasis, rules, inhoudsregels, extract)
        for module in modules:
            if hasattr(module, "entry"):
                patch.setattr(module, "entry", _Plain)
            if hasattr(module, "descendants"):
                patch.setattr(module, "descendants", lambda el, name: list(el.iter("{*}" + name)))
        return _read(root)


def assert_kop_matches(dossier: Dossier | None, kop: DossierKop | None) -> None:
    """The head read on its own says what the full model says."""
    assert (dossier is None) == (kop is None)
    if dossier is None or kop is None:
        return
    ll = dossier.leerling
    assert (kop.datum, kop.overdrachtsoort, kop.overstap, kop.brin) == (
        dossier.metadata.datum,
        dossier.overdrachtsoort,
        dossier.metadata.overstap,
        dossier.school.brin,
    )
    assert (kop.pgn, kop.geboortedatum, kop.naam, kop.achternaam, kop.voorvoegsel) == (
        ll.pgn,
        ll.geboortedatum,
        ll.naam,
        ll.achternaam,
        ll.voorvoegsel,
    )


def assert_same_with_index(root: etree._Element) -> None:
    with indexed(SEARCHED):
        fast = _read(root)
    assert fast == _read_plain(root)
    assert_kop_matches(fast[0], fast[1])


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_findings_of_samples_are_unchanged(name: str) -> None:
    result = read_dossier(REPO / name)
    found = [[f.severity, f.code, f.path, f.line, f.message] for f in result.findings]
    assert found == GOLDEN[name]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_reading_without_the_model_finds_the_same(name: str) -> None:
    full = read_dossier(REPO / name)
    light = read_dossier(REPO / name, model=False)
    assert light.dossier is None
    assert light.findings == full.findings
    assert_kop_matches(full.dossier, light.kop)


def test_golden_covers_the_invalid_samples() -> None:
    invalid = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "sample_dossiers/invalid").glob("*.xml"))
    assert invalid and set(invalid) <= set(GOLDEN)
    assert sum(len(GOLDEN[n]) for n in invalid) > 0


@pytest.mark.parametrize(
    "path",
    [*sorted((REPO / "sample_dossiers").glob("*.xml")), *official_examples()],
    ids=lambda p: p.name,
)
def test_index_reads_the_same_as_plain_lookups(path: Path) -> None:
    assert_same_with_index(etree.fromstring(path.read_bytes(), SAFE))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_index_reads_mutated_trees_the_same(data: st.DataObject) -> None:
    root = base()
    for _ in range(data.draw(st.integers(1, 4))):
        targets = [e for e in root.iter(etree.Element)][1:]
        el = data.draw(st.sampled_from(targets))
        parent = el.getparent()
        assert parent is not None
        kind = data.draw(
            st.sampled_from(["drop", "duplicate", "move", "rename", "comment", "foreign", "text"])
        )
        if kind == "drop":
            parent.remove(el)
        elif kind == "duplicate":
            el.addnext(copy.deepcopy(el))
        elif kind == "move":
            other = data.draw(st.sampled_from(targets))
            if el is not other and el not in other.iterancestors():
                parent.remove(el)
                other.append(el)
        elif kind == "rename":
            el.tag = data.draw(st.sampled_from(targets)).tag
        elif kind == "comment":
            el.insert(0, etree.Comment("opmerking"))
        elif kind == "foreign":
            el.tag = "{urn:elders}" + etree.QName(el).localname
        else:
            el.text = data.draw(st.sampled_from(["", " x ", "true", "2019-13-40", "POVO", "Nee", "99"]))
    assert_same_with_index(root)
