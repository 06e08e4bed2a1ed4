"""A dossier whose declared encoding does not match its bytes: Latin-1 declared, UTF-8 written.

The XML is then well formed, so nothing fails, but every accented letter is read as two: "Björn"
becomes "BjÃ¶rn". Bytes in Latin-1 are almost never valid UTF-8 by chance, so when a single-byte
encoding is declared and the non-ASCII bytes all form valid UTF-8, the mistake is as good as certain.
"""

from __future__ import annotations

import re

from oso_tui.dossier.findings import WAARSCHUWING, Finding

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
SINGLE_BYTE = frozenset(
    {
        "iso-8859-1",
        "iso8859-1",
        "iso_8859-1",
        "latin1",
        "latin-1",
        "l1",
        "iso-8859-15",
        "iso8859-15",
        "latin-9",
        "windows-1252",
        "cp1252",
    }
)
_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")


def codering_findings(raw: bytes) -> list[Finding]:
    """One warning when a single-byte encoding is declared but the text is UTF-8; else none."""
    match = _DECLARED.match(raw)
    if match is None or raw.isascii():
        return []
    declared = match[1].decode("ascii").lower()
    if declared not in SINGLE_BYTE:
        return []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return []  # really a single-byte file
    word = _WORD.search(text)
    assert word is not None  # the text is not ASCII, so some word holds a non-ASCII letter
    shown = word[0][:30]
    codec = "cp1252" if declared in ("windows-1252", "cp1252") else "latin-1"
    misread = shown.encode("utf-8").decode(codec, errors="replace")
    line = text.count("\n", 0, word.start()) + 1
    return [
        Finding(
            severity=WAARSCHUWING,
            code="CODERING",
            line=line,
            message=(
                f"Het dossier zegt dat het in {match[1].decode('ascii')} is geschreven, maar de tekst is "
                f"UTF-8: '{shown}' wordt dan gelezen als '{misread}'. Vraag de school het dossier opnieuw "
                "aan te maken met de juiste codering, of controleer namen en adressen met letters als "
                "ë, ö en é extra goed."
            ),
        )
    ]
