"""The columns of the request list, the cells of one row, and the messages its workers send.

A column is one `Kolom`: header, width, its cell and its sort key. The list shows the services' own row
(`oso_tui.services.AanvraagRegel`), so a new column is that field plus one line in `COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.message import Message

from oso_tui.screens.viewmodels import STATUSES, Koppeling, Melding, fold, mask_pgn, school, stappen_code

if TYPE_CHECKING:
    from oso_tui.screens.lijstmodel import Lijstmodel
    from oso_tui.services import AanvraagRegel, TodoRegel
    from oso_tui.widgets.tabel import Cell


def nl_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


VOORVOEGSELS = frozenset(
    {"van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "aan", "bij", "uit", "voor"}
    | {"onder", "over", "von", "vom", "zu", "la", "le", "les", "du", "des", "di", "da", "dal", "del"}
    | {"della", "dos", "das", "d'", "l'"}
)
"""Words before a surname that sorting skips: 'Sanne de Vries' sorts under V."""


def achternaam(naam: str) -> str:
    """The surname in a name as the list shows it: without the first name and the voorvoegsels.

    A name from a dossier is 'roepnaam voorvoegsel achternaam'; a request without a dossier shows
    only the surname it was made with ('de Vries', 'Jansen'), which starts with no first name when its
    first word is a voorvoegsel or it is one word.
    """
    words = naam.split()
    if len(words) > 1 and words[0].casefold() not in VOORVOEGSELS:
        words = words[1:]
    while len(words) > 1 and words[0].casefold() in VOORVOEGSELS:
        words = words[1:]
    return " ".join(words)


def fast_fold(text: str) -> str:
    """`fold` (case- and accent-blind), without its per-character work for plain ASCII."""
    return text.casefold() if text.isascii() else fold(text)


def naam_sleutel(naam: str) -> tuple[str, str]:
    """Sort on the surname, then on the whole name; case- and accent-blind."""
    return fast_fold(achternaam(naam)), fast_fold(naam)


@dataclass(frozen=True)
class Kolom:
    """One column of the request list: header, width (None: the rest), its cell and its sort key.

    `dan` names the column whose order breaks ties in this one's sort key.
    """

    key: str
    label: str
    width: int | None
    cell: Callable[[AanvraagRegel], str]
    sort: Callable[[AanvraagRegel], Any] | None = None
    narrow_width: int | None = None
    narrow_cell: Callable[[AanvraagRegel], str] | None = None
    dan: str | None = None


COLUMNS = (
    Kolom(
        "status",
        "Status",
        11,
        lambda r: r.status,
        lambda r: STATUSES.index(r.status) if r.status in STATUSES else 99,
        dan="naam",
    ),
    Kolom("naam", "Naam", None, lambda r: r.naam, lambda r: naam_sleutel(r.naam)),
    Kolom("geboren", "Geboren", 10, lambda r: nl_date(r.geboortedatum), lambda r: r.geboortedatum),
    Kolom("pgn", "PGN", 9, lambda r: mask_pgn(r.pgn), narrow_width=4, narrow_cell=lambda r: "…" + r.pgn[-3:]),
    Kolom("school", "School", 7, school, school, dan="naam"),
    Kolom(
        "dossier",
        "Dossier",
        10,
        lambda r: nl_date(r.laatste_dossierdatum),
        lambda r: r.laatste_dossierdatum or date.min,
    ),
    Kolom("stappen", "Stap", 6, stappen_code, lambda r: (len(r.stappen), stappen_code(r))),
)
SORT_ORDER = tuple(k.key for k in COLUMNS if k.sort is not None)


def cellen(row: AanvraagRegel, *, smal: bool, werk: TodoRegel | None, gekozen: bool) -> list[Cell]:
    """One row's cells as the table draws them: the selection mark first, the status in its tone."""
    cells: list[Cell] = [("✓" if gekozen else " ", "")]
    for kolom in COLUMNS:
        if kolom.key == "status":
            cells.append((row.status, f"status--{row.status}" if row.status in STATUSES else ""))
        elif kolom.key == "stappen":
            cells.append((stappen_code(row, werk.nieuwere_versie if werk else ()), ""))
        else:
            cell = kolom.narrow_cell if smal and kolom.narrow_cell else kolom.cell
            cells.append((cell(row), ""))
    return cells


class Geladen(Message):
    """The request list as read and prepared (in the worker), with the store's generation then."""

    def __init__(self, model: Lijstmodel, generation: int) -> None:
        super().__init__()
        self.model = model
        self.generation = generation


class Gedaan(Message):
    """An action on requests finished; `koppelingen` are name mismatches that wait for a yes."""

    def __init__(self, melding: Melding, koppelingen: Sequence[Koppeling] = ()) -> None:
        super().__init__()
        self.melding = melding
        self.koppelingen = koppelingen
