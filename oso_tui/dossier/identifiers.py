"""Identifiers of the OSO standard: BSN, onderwijsnummer, BRIN and vestiging.

A PGN (persoonsgebonden nummer) is either a BSN or, for pupils without one, an onderwijsnummer.
Both are 9 digits checked with the weights 9, 8, ..., 2, -1: the weighted sum of a BSN is
divisible by 11 (elfproef); that of an onderwijsnummer leaves 5 and it starts with "10".
"""

from __future__ import annotations

import re
from typing import Literal

from oso_tui.errors import RefusedError

PgnKind = Literal["bsn", "onderwijsnummer"]

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_BRIN = re.compile(r"[0-9]{2}[A-Z]{2}")
_VESTIGING = re.compile(r"[0-9]{2}")


class InvalidIdentifierError(RefusedError):
    """An identifier that fails its check; the message says which and why, in Dutch."""


def compact(value: str) -> str:
    """Strip the spaces, dots and dashes people type between digits."""
    return re.sub(r"[\s.\-]", "", value)


def checksum(number: str) -> int:
    """The weighted sum modulo 11 of a 9-digit number."""
    return sum(w * int(d) for w, d in zip(_WEIGHTS, number, strict=True)) % 11


def is_valid_bsn(value: str) -> bool:
    number = compact(value)
    return len(number) == 9 and number.isascii() and number.isdigit() and checksum(number) == 0


def is_valid_onderwijsnummer(value: str) -> bool:
    number = compact(value)
    return (
        len(number) == 9
        and number.isascii()
        and number.isdigit()
        and number.startswith("10")
        and checksum(number) == 5
    )


def pgn_kind(value: str) -> PgnKind | None:
    """Which kind of PGN this is, or None when it is neither."""
    if is_valid_bsn(value):
        return "bsn"
    if is_valid_onderwijsnummer(value):
        return "onderwijsnummer"
    return None


def validate_pgn(value: str) -> str:
    """The compacted PGN, or InvalidIdentifierError with a message a user can act on."""
    number = compact(value)
    if not number:
        raise InvalidIdentifierError("Vul een BSN of onderwijsnummer in.")
    if not (number.isascii() and number.isdigit()):
        raise InvalidIdentifierError(f"'{value}' is geen BSN of onderwijsnummer: alleen cijfers.")
    if len(number) != 9:
        raise InvalidIdentifierError(
            f"'{value}' is geen BSN of onderwijsnummer: dat zijn 9 cijfers, dit zijn er {len(number)}."
        )
    if pgn_kind(number) is None:
        raise InvalidIdentifierError(
            f"'{value}' is geen geldig BSN (elfproef klopt niet) en geen geldig onderwijsnummer."
        )
    return number


def is_valid_brin(value: str) -> bool:
    return bool(_BRIN.fullmatch(value))


def is_valid_vestiging(value: str) -> bool:
    return bool(_VESTIGING.fullmatch(value))


def validate_brin(value: str) -> str:
    code = value.strip().upper()
    if not is_valid_brin(code):
        raise InvalidIdentifierError(
            f"'{value}' is geen BRIN-code: twee cijfers en twee hoofdletters, bijvoorbeeld 12AB."
        )
    return code


def validate_vestiging(value: str) -> str:
    code = value.strip() or "00"
    if not is_valid_vestiging(code):
        raise InvalidIdentifierError(f"'{value}' is geen vestigingscode: twee cijfers, bijvoorbeeld 00.")
    return code
