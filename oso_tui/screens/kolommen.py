"""The columns of the request list and the messages its workers send.

A column is one `Kolom`: header, width, its cell and its sort key. The list shows the services' own row
(`oso_tui.services.AanvraagRegel`), so a new column is that field plus one line in `COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.message import Message

from oso_tui.screens.viewmodels import STATUSES, Koppeling, Melding, mask_pgn, school, stappen_code

if TYPE_CHECKING:
    from oso_tui.services import AanvraagRegel, TodoRegel


def nl_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


@dataclass(frozen=True)
class Kolom:
    """One column of the request list: header, width (None: the rest), its cell and its sort key."""

    key: str
    label: str
    width: int | None
    cell: Callable[[AanvraagRegel], str]
    sort: Callable[[AanvraagRegel], Any] | None = None
    narrow_width: int | None = None
    narrow_cell: Callable[[AanvraagRegel], str] | None = None


COLUMNS = (
    Kolom(
        "status",
        "Status",
        11,
        lambda r: r.status,
        lambda r: (STATUSES.index(r.status) if r.status in STATUSES else 99, r.naam.lower()),
    ),
    Kolom("naam", "Naam", None, lambda r: r.naam, lambda r: r.naam.lower()),
    Kolom("geboren", "Geboren", 10, lambda r: nl_date(r.geboortedatum), lambda r: r.geboortedatum),
    Kolom("pgn", "PGN", 9, lambda r: mask_pgn(r.pgn), narrow_width=4, narrow_cell=lambda r: "…" + r.pgn[-3:]),
    Kolom("school", "School", 7, school, lambda r: (school(r), r.naam.lower())),
    Kolom(
        "dossier",
        "Dossier",
        10,
        lambda r: nl_date(r.laatste_dossierdatum),
        lambda r: r.laatste_dossierdatum or date.min,
    ),
    Kolom("stappen", "Stap", 6, stappen_code, lambda r: (len(r.stappen), stappen_code(r))),
)
BY_KEY = {k.key: k for k in COLUMNS}
SORT_ORDER = tuple(k.key for k in COLUMNS if k.sort is not None)


class Geladen(Message):
    """The request list as read, with the store's generation at that moment."""

    def __init__(self, rows: list[AanvraagRegel], generation: int, werk: list[TodoRegel]) -> None:
        super().__init__()
        self.rows = rows
        self.werk = werk
        self.generation = generation


class Gedaan(Message):
    """An action on requests finished; `koppelingen` are name mismatches that wait for a yes."""

    def __init__(self, melding: Melding, koppelingen: Sequence[Koppeling] = ()) -> None:
        super().__init__()
        self.melding = melding
        self.koppelingen = koppelingen
