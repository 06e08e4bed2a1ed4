"""Surnames compared one way everywhere: without accents, case, spaces and punctuation.

A request's typed surname, a registered surname and a dossier's surname agree when they are the same
letters, with or without the dossier's voorvoegsel ("van Dijk", "Dijk", "Van-Dijk" and "vanDijk").
"""

from __future__ import annotations

import unicodedata


def normalize(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().casefold()
    return "".join(ch for ch in text if ch.isalnum())


def agree(gegeven: str | None, achternaam: str, voorvoegsel: str | None = None) -> bool:
    """A given surname (typed, or registered) agrees with the dossier's, with or without its voorvoegsel.

    Nothing given agrees with everything: a request need not name the pupil.
    """
    if not gegeven:
        return True
    want = normalize(gegeven)
    return want in {normalize(achternaam), normalize(f"{voorvoegsel or ''}{achternaam}")}
