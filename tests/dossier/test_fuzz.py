"""Fuzz-style: mutated dossiers always end in a result with clean findings, never an exception.

Hypothesis drops, duplicates, moves and retypes elements and cuts or flips bytes, a few hundred times
in all; every outcome must be a ReadResult (or ReadError for size), with Dutch findings that say where.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from oso_tui.dossier import ReadResult, read_dossier
from tests.dossier.builders import base, to_bytes
from tests.dossier.conftest import EXAMPLES, SKIP_REASON

BASE = to_bytes(base())
ODD = ("", " ", "x", "-1", "2019-13-40", "true", "99", "12AB", "€", "\u0000", "<", "&amp;", "9" * 40)


def check(result: ReadResult) -> None:
    assert isinstance(result, ReadResult)
    assert len(result.sha256) == 64
    for f in result.findings:
        assert f.severity in ("fout", "waarschuwing", "blokkade")
        assert f.message and f.message[0].isupper()
        assert "Traceback" not in f.message
        assert f.line is None or f.line >= 1
    if result.dossier is None:
        assert not result.ok


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_trees_always_read(data: st.DataObject) -> None:
    root = base()
    for _ in range(data.draw(st.integers(1, 4))):
        targets = [e for e in root.iter() if isinstance(e.tag, str)][1:]
        el = data.draw(st.sampled_from(targets))
        parent = el.getparent()
        assert parent is not None
        kind = data.draw(st.sampled_from(["drop", "duplicate", "move", "retext", "rename", "attr", "nest"]))
        if kind == "drop":
            parent.remove(el)
        elif kind == "duplicate":
            el.addnext(etree.fromstring(etree.tostring(el)))
        elif kind == "move":
            other = data.draw(st.sampled_from(targets))
            if el is not other and el not in other.iterancestors():
                parent.remove(el)
                other.append(el)
        elif kind == "retext":
            value = data.draw(st.sampled_from(ODD) | st.text(max_size=12))
            try:
                el.text = value
            except ValueError:  # lxml refuses control characters; the bytes test covers those
                el.text = "x"
        elif kind == "rename":
            el.tag = (
                str(el.tag).rpartition("}")[0]
                + "}"
                + data.draw(st.sampled_from(["bsn", "datum", "x", "zorg"]))
            )
        elif kind == "attr":
            el.set(data.draw(st.sampled_from(["omschrijving", "x"])), data.draw(st.sampled_from(ODD[:5])))
        elif kind == "nest":
            el.append(etree.Element(el.tag))
    check(read_dossier(to_bytes(root)))


@settings(max_examples=150, deadline=None)
@given(
    cut=st.integers(0, len(BASE)),
    flips=st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), max_size=4),
)
def test_cut_and_flipped_bytes_always_read(cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(BASE)
    for index, value in flips:
        data[index] = value
    check(read_dossier(bytes(data[:cut]) if cut else bytes(data)))


OPTOUT = EXAMPLES / "Voorbeelddossier_OV_POVO_opt_out.xml"


@pytest.mark.skipif(not OPTOUT.is_file(), reason=SKIP_REASON)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mutated_official_example_always_reads(data: st.DataObject) -> None:
    root = etree.fromstring(OPTOUT.read_bytes())
    targets = [e for e in root.iter() if isinstance(e.tag, str)][1:]
    for el in data.draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True)):
        parent = el.getparent()
        if parent is None:
            continue
        if data.draw(st.booleans()):
            parent.remove(el)
        else:
            el.addnext(etree.fromstring(etree.tostring(el)))
    check(read_dossier(etree.tostring(root, xml_declaration=True, encoding="UTF-8")))
