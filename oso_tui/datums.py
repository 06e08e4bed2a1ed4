"""Dates as a Dutch school types and reads them: `dd-mm-jjjj`, `d-m-jjjj` and ISO in, `dd-mm-jjjj` out.

One helper for every place a person types a date (CLI options, CSV cells, later the app's fields) and
one for every place a person reads one; JSON and the store keep ISO.
"""

from __future__ import annotations

import re
from datetime import date

_DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
VORM = "dd-mm-jjjj of jjjj-mm-dd"
"""How to write a date, for messages."""


def parse_datum(value: str) -> date:
    """`dd-mm-jjjj`, `d-m-jjjj` (also with `/` or `.`) or ISO `jjjj-mm-dd`; ValueError in Dutch otherwise."""
    text = value.strip()
    dutch = _DUTCH.fullmatch(text)
    iso = _ISO.fullmatch(text)
    try:
        if dutch:
            day, month, year = (int(g) for g in dutch.groups())
            return date(year, month, day)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"'{value}' is geen geldige datum ({VORM})")


def toon_datum(value: date) -> str:
    """A date as a Dutch reader expects it: 05-03-2027."""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
