"""The export file: a CSV that Dutch Excel opens as it should, and a target that is checked first.

Dutch Excel splits on `;` and reads UTF-8 only with a byte order mark, so the CSV has both, and every
field is quoted. Every cell may hold text from a dossier, and a spreadsheet runs a cell that starts
with `=`, `+`, `-` or `@` (or tab or CR, which some treat the same) as a formula. A spreadsheet that
guesses another separator (`,` or tab) splits a cell further, so every piece it could cut out must be
safe too: such a character at the start of a cell, or right after a character a spreadsheet may split
on, gets a `'` before it (the spreadsheets' own sign for "text"). Nothing else in a value changes.

An export holds every BSN, so it is written owner-only into a temp file beside the target and only
moved into place when all went well; the target is checked before anything is written, so a folder,
a missing folder or a read-only place costs one Dutch sentence and leaves no file behind.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from oso_tui.errors import UsageError
from oso_tui.registration import steps
from oso_tui.registration.diff import splits_pad
from oso_tui.registration.models import STAP_TITELS

FORMULA_START = frozenset("=+-@\t\r")
"""A piece of a cell starting with one of these is a formula to some spreadsheet."""

SPLITS_AT = frozenset(';,\t\r\n"')
"""Where a spreadsheet may cut a cell into pieces: the separators it may guess, line ends, quotes."""

BOM = "\ufeff"

LIJST_KOPPEN: dict[str, str] = {
    "personalia.communicatie": "Contactgegevens",
    "personalia.verzorgers": "Verzorgers",
    "loopbaan.schoolloopbaan": "Schoolloopbaan",
    "loopbaan.eindtoets.onderdelen": "Eindtoetsonderdelen",
    "loopbaan.toetsen": "Toetsen",
    "begeleiding.diagnoses": "Diagnoses",
    "begeleiding.handelingsplannen": "Handelingsplannen",
    "begeleiding.tlv": "TLV's",
    "begeleiding.arrangementen": "Arrangementen",
    "begeleiding.bijlagen": "Bijlagen",
}
"""Column headers of the list columns (every row of a list goes into one cell)."""


def veilige_cel(text: str) -> str:
    """`text` with a `'` before every formula character a spreadsheet could see at the start of a cell."""
    if not any(c in FORMULA_START for c in text):
        return text
    out: list[str] = []
    at_start = True
    for char in text:
        if at_start and char in FORMULA_START:
            out.append("'")
        out.append(char)
        at_start = char in SPLITS_AT
    return "".join(out)


def kop(kolom: str) -> str:
    """The header a person reads for an export column (a field path, a list, or one of the fixed ones)."""
    if kolom == "pgn":
        return "BSN of onderwijsnummer"
    if kolom == "naam":
        return "Naam"
    if kolom.startswith("stap."):
        stap = kolom.removeprefix("stap.")
        titel = next((t for s, t in STAP_TITELS.items() if s == stap), stap)
        return f"{titel}: geregistreerd op"
    if kolom in LIJST_KOPPEN:
        return LIJST_KOPPEN[kolom]
    return steps.label(kolom)


def koppen(kolommen: Sequence[str]) -> list[str]:
    """Headers for the columns, each different (a clash keeps the technical path in brackets)."""
    seen: set[str] = set()
    result = []
    for kolom in kolommen:
        text = kop(kolom)
        if text in seen:
            text = f"{text} ({kolom})"
        seen.add(text)
        result.append(text)
    return result


def kolom_van(pad: str) -> tuple[str, bool]:
    """The column of a path and whether it is a list row (rows of one list share a cell)."""
    lijst, sleutel = splits_pad(pad)
    return (lijst, True) if sleutel is not None else (pad, False)


def csv_tekst(kolommen: Sequence[str], rijen: Iterable[Mapping[str, str]]) -> str:
    """The CSV in the Excel dialect: BOM, `;`, every field quoted, CRLF; every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([veilige_cel(k) for k in koppen(kolommen)])
    for rij in rijen:
        writer.writerow([veilige_cel(rij.get(k, "")) for k in kolommen])
    return BOM + out.getvalue()


def controleer_doel(out: Path) -> None:
    """Refuse a target that cannot become the export file, before anything is written or audited."""
    if out.is_dir():
        raise UsageError(f"{out} is een map; geef een bestandsnaam, bijvoorbeeld {out / 'export.csv'}.")
    if out.exists() and not out.is_file():
        raise UsageError(f"{out} is geen gewoon bestand (maar een apparaat of pipe); kies een bestandsnaam.")
    parent = out.parent
    if not parent.is_dir():
        raise UsageError(f"De map {parent} bestaat niet; maak haar eerst of kies een andere plek.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"In de map {parent} mag u niet schrijven; kies een andere plek.")


def schrijf_tijdelijk(out: Path, tekst: str) -> Path:
    """The export in a temp file beside `out`, owner-only whatever the umask (it holds BSNs)."""
    controleer_doel(out)
    staged = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="", closefd=False) as handle:
                handle.write(tekst)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
        raise _schrijffout(out, exc) from None
    return staged


def plaats(staged: Path, out: Path) -> None:
    """Move the finished temp file onto `out`; on failure the temp file goes and `out` is untouched."""
    try:
        staged.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
        raise _schrijffout(out, exc) from None


def _schrijffout(out: Path, exc: OSError) -> UsageError:
    if exc.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST) and out.is_dir():
        return UsageError(f"{out} is een map; geef een bestandsnaam, bijvoorbeeld {out / 'export.csv'}.")
    if exc.errno == errno.ENOSPC:
        reden = "de schijf is vol"
    elif exc.errno == errno.EROFS:
        reden = "het bestandssysteem is alleen-lezen"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reden = f"u mag niet schrijven in {out.parent}"
    else:
        reden = exc.strerror or type(exc).__name__
    return UsageError(f"Het bestand {out} kan niet geschreven worden ({reden}).")
