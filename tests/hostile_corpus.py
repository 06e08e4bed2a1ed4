"""The hostile corpus (tests/hostile/, see its README) and the checks every test over it shares.

The dossiers and the CSV are files in the repository; names that carry ESC (which XML cannot hold,
but a file name and a CSV file name can) are made here, in a test's own temporary folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent / "hostile"
ZORG_XML = HOSTILE / "vijandig_zorg.xml"
BERG_XML = HOSTILE / "vijandig_berg.xml"
CSV = HOSTILE / "inschrijvingen_vijandig.csv"

ZORG_PGN = "990000011"
BERG_PGN = "990000023"
VOS_PGN = "990000047"  # only in the CSV: a surname with CR/LF, accepted as a request
ZORG_ACHTERNAAM = "Timmerman[/bold]\r\noso-tui: 0 fouten"
ZORG_ROEPNAAM = "[bold red]Jesse"
BERG_ROEPNAAM = "[@click=app.screenshot()]Evi"
BERG_ACHTERNAAM = "Berg[/bold]"

ESC_NAME = "a\x1b[31m\x1b]0;titel\x07[@click=app.quit].xml"
"""The inbox file name of the care dossier: ESC sequences, a BEL and markup."""
ESC_NAME_SHOWN = "a\\x1b[31m\\x1b]0;titel\\x07[@click=app.quit].xml"
CSV_NAME = "inschrijvingen\x1b[2J[bold]\u202e.csv"

# What must never reach a terminal raw: C0 except tab and the newline that ends a line, DEL, C1, the
# bidi overrides and isolates, the Unicode line and paragraph separators. Independent of the code under
# test on purpose.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def raw_controls(text: str) -> list[str]:
    """The raw control characters in `text`, empty when it is safe for a terminal."""
    return RAW_CONTROL.findall(text)


def make_inbox(folder: Path) -> Path:
    """An inbox with both hostile dossiers, one under a file name full of ESC sequences."""
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    shutil.copy(ZORG_XML, inbox / ESC_NAME)
    shutil.copy(BERG_XML, inbox / BERG_XML.name)
    return inbox


def make_csv(folder: Path) -> Path:
    """The hostile enrolment list under a hostile file name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / CSV_NAME
    shutil.copy(CSV, target)
    return target
