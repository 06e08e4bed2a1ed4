"""BSN, onderwijsnummer, BRIN and vestiging checks agree with their definitions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oso_tui.dossier import identifiers as ids

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def weighted(number: str) -> int:
    return sum(w * int(d) for w, d in zip([9, 8, 7, 6, 5, 4, 3, 2, -1], number, strict=True))


@given(nine_digits)
def test_bsn_is_the_elfproef(number: str) -> None:
    assert ids.is_valid_bsn(number) == (weighted(number) % 11 == 0)


@given(nine_digits)
def test_onderwijsnummer_definition(number: str) -> None:
    expected = number.startswith("10") and weighted(number) % 11 == 5
    assert ids.is_valid_onderwijsnummer(number) == expected


@given(nine_digits)
def test_a_number_is_never_both(number: str) -> None:
    assert not (ids.is_valid_bsn(number) and ids.is_valid_onderwijsnummer(number))


@pytest.mark.parametrize(
    ("value", "kind"),
    [("111222333", "bsn"), ("123456782", "bsn"), ("1012 34 567", None), ("101234567", None)],
)
def test_pgn_kind_examples(value: str, kind: str | None) -> None:
    assert ids.pgn_kind(value) == kind


def test_onderwijsnummer_example() -> None:
    number = next(f"10{n:07d}" for n in range(10_000_000) if ids.is_valid_onderwijsnummer(f"10{n:07d}"))
    assert ids.validate_pgn(number) == number
    assert ids.pgn_kind(number) == "onderwijsnummer"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "Vul een BSN"),
        ("12345678a", "alleen cijfers"),
        ("1234", "dit zijn er 4"),
        ("123456789", "elfproef"),
    ],
)
def test_validate_pgn_messages(value: str, fragment: str) -> None:
    with pytest.raises(ids.InvalidIdentifierError, match=fragment):
        ids.validate_pgn(value)


def test_validate_pgn_compacts_typing() -> None:
    assert ids.validate_pgn(" 1112.22-333 ") == "111222333"


@pytest.mark.parametrize(("value", "ok"), [("12AB", True), ("00YY", True), ("1AB2", False), ("12ab", False)])
def test_brin(value: str, ok: bool) -> None:
    assert ids.is_valid_brin(value) is ok


def test_validate_brin_uppercases_and_vestiging_defaults() -> None:
    assert ids.validate_brin(" 12ab ") == "12AB"
    assert ids.validate_vestiging("") == "00"
    with pytest.raises(ids.InvalidIdentifierError, match="vestigingscode"):
        ids.validate_vestiging("1")
