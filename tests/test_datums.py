"""Dates as a school types them: Dutch and ISO in, dd-mm-jjjj out."""

from datetime import date

import pytest

from oso_tui.datums import parse_datum, toon_datum
from oso_tui.errors import UsageError
from oso_tui.settings import parse_iso_date


@pytest.mark.parametrize(
    "text", ["05-03-2027", "5-3-2027", "5/3/2027", "05.03.2027", "2027-03-05", " 2027-3-5 "]
)
def test_every_usual_spelling_is_the_same_day(text: str) -> None:
    assert parse_datum(text) == date(2027, 3, 5)


@pytest.mark.parametrize("text", ["31-02-2027", "2027-13-01", "maart", "", "05-03-27"])
def test_nonsense_is_refused_in_dutch(text: str) -> None:
    with pytest.raises(ValueError, match="geen geldige datum"):
        parse_datum(text)
    with pytest.raises(UsageError, match=r"--sinds .* dd-mm-jjjj"):
        parse_iso_date(text, "--sinds")


def test_shown_as_dd_mm_jjjj() -> None:
    assert toon_datum(date(2027, 3, 5)) == "05-03-2027"
