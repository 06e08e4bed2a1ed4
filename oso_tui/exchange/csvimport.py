"""Reading a CSV of enrolments for a collective request, as spreadsheet programs save it.

Header row with the columns `pgn`, `geboortedatum`, `brin` and optionally `vestiging` and `achternaam`
(any order, any case); `;` or `,` between fields; UTF-8 with or without a byte-order mark. Every bad row
is reported with its row number as the spreadsheet shows it (the header is row 1) and a Dutch reason;
nothing of a bad row is used.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from oso_tui.dossier.identifiers import validate_brin, validate_pgn, validate_vestiging
from oso_tui.errors import OsoError, ReadError
from oso_tui.readfile import read_regular

REQUIRED = ("pgn", "geboortedatum", "brin")
OPTIONAL = ("vestiging", "achternaam")
_ALIASES = {"bsn": "pgn", "onderwijsnummer": "pgn", "geboorte_datum": "geboortedatum", "brinnummer": "brin"}
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
MAX_CSV_BYTES = 20 * 1024 * 1024
"""The default of the setting `max_csv_mb`."""


@dataclass(frozen=True)
class CsvRegel:
    """One good row: checked identifiers, ready to become a request."""

    rij: int
    pgn: str
    geboortedatum: date
    brin: str
    vestiging: str = "00"
    achternaam: str | None = None


@dataclass(frozen=True)
class CsvFout:
    """One refused row and why."""

    rij: int
    reden: str
    waarden: dict[str, str] = field(default_factory=dict)  # the row's cells by column, for display


@dataclass
class CsvResultaat:
    regels: list[CsvRegel] = field(default_factory=list)
    fouten: list[CsvFout] = field(default_factory=list)


def parse_date(value: str) -> date:
    """YYYY-MM-DD, or DD-MM-YYYY as Dutch spreadsheets write it (also with / or .)."""
    text = value.strip()
    match = _DUTCH_DATE.fullmatch(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"geboortedatum '{value}' is geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)"
        ) from None


def read_csv_file(path: Path, max_bytes: int = MAX_CSV_BYTES) -> CsvResultaat:
    """Read and check a CSV file; a file that cannot be read at all is a ReadError.

    A file over `max_bytes` (setting `max_csv_mb`) is refused before reading, and anything but a
    regular file (a device such as /dev/zero, a pipe) at once.
    """

    def too_large() -> str:
        return (
            f"{path} is groter dan de grens van {max_bytes / (1024 * 1024):.0f} MB voor een "
            "aanvraaglijst en wordt niet gelezen (instelling max_csv_mb)."
        )

    data = read_regular(path, max_bytes, too_large, soort="CSV-bestand")
    return read_csv_bytes(data, name=str(path))


def read_csv_bytes(data: bytes, *, name: str = "de CSV") -> CsvResultaat:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadError(
            f"{name} is geen UTF-8; sla het bestand op als 'CSV UTF-8 (door komma's gescheiden)'."
        ) from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise ReadError(f"{name} is leeg: verwacht een kopregel met pgn, geboortedatum en brin.")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    result = CsvResultaat()
    seen: dict[str, int] = {}
    for index, row in enumerate(_safe_rows(rows, name), start=1):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _header(row, name)
            continue
        cells = {column: row[i].strip() for i, column in enumerate(header) if i < len(row) and column}
        try:
            regel = _row(index, header, row)
        except (OsoError, ValueError) as exc:
            reason = exc.message if isinstance(exc, OsoError) else str(exc)
            result.fouten.append(CsvFout(index, reason.rstrip("."), cells))
            continue
        if regel.pgn in seen:
            result.fouten.append(CsvFout(index, f"PGN staat ook al in rij {seen[regel.pgn]}", cells))
            continue
        seen[regel.pgn] = index
        result.regels.append(regel)
    if header is None:
        raise ReadError(f"{name} is leeg: verwacht een kopregel met pgn, geboortedatum en brin.")
    return result


def _safe_rows(rows: Iterator[list[str]], name: str) -> Iterator[list[str]]:
    """The csv module's own errors (a runaway quoted field) as one Dutch read error."""
    try:
        yield from rows
    except csv.Error as exc:
        raise ReadError(f"{name} is geen leesbare CSV ({exc}); controleer aanhalingstekens.") from None


def _header(row: list[str], name: str) -> list[str]:
    columns = [_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in row]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        what = f"de kolom {missing[0]}" if len(missing) == 1 else f"de kolommen {', '.join(missing)}"
        verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
        found = ", ".join(c for c in columns if c) or "niets"
        raise ReadError(f"In de kopregel van {name} {verb} {what} (gevonden: {found}).")
    return columns


def _row(index: int, header: list[str], row: list[str]) -> CsvRegel:
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        raise ValueError(f"{len(row)} velden, de kopregel heeft er {len(header)}")
    values = {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(header)}
    for column in REQUIRED:
        if not values.get(column):
            raise ValueError(f"{column} ontbreekt")
    pgn = values["pgn"]
    if len(pgn) == 8 and pgn.isdigit():
        pgn = "0" + pgn  # a spreadsheet dropped the leading zero of a BSN; the elfproef still decides
    vestiging = values.get("vestiging", "")
    if len(vestiging) == 1 and vestiging.isdigit():
        vestiging = "0" + vestiging
    return CsvRegel(
        rij=index,
        pgn=validate_pgn(pgn),
        geboortedatum=parse_date(values["geboortedatum"]),
        brin=validate_brin(values["brin"]),
        vestiging=validate_vestiging(vestiging),
        achternaam=values.get("achternaam") or None,
    )
