"""A PGN (BSN or onderwijsnummer) as lists and messages show it: only its last three digits.

Privacy by default: the CLI, the screens and the services' messages all mask through here.
"""

from __future__ import annotations


def mask_pgn(pgn: str) -> str:
    """For columns: dots for all but the last three digits, so the width stays."""
    return "•" * max(len(pgn) - 3, 0) + pgn[-3:]


def pgn_tail(pgn: str) -> str:
    """For sentences: "PGN …782"."""
    return f"PGN …{pgn[-3:]}"
