"""The request list as plain data: filtered and sorted without building anything per row.

Loading turns every request into a few plain values, once, in the worker thread that read them: the
folded text the search looks in, whether the pupil is on the to-do list, and per sortable column the
row's rank (an array of ints, ties equal). A keystroke then filters with one comparison per row and
sorts row numbers by an int: a few milliseconds for 20,000 rows, with no object per row and so no
work for the garbage collector. The table draws only the rows on screen (`oso_tui.widgets.tabel`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from oso_tui.screens.kolommen import COLUMNS, fast_fold
from oso_tui.screens.viewmodels import Overzicht, school

if TYPE_CHECKING:
    from oso_tui.services import AanvraagRegel, TodoRegel


def zoektekst(regel: AanvraagRegel) -> str:
    """What the search looks in: name, school, status, the PGN's last digits, the birth date.

    Folded, so 'celik' finds Çelik; typed digits also match the end of the whole PGN (`toon`)."""
    return fast_fold(f"{regel.naam} {school(regel)} {regel.status} {regel.pgn[-3:]} {regel.geboortedatum}")


def _ranks(keys: Sequence[Any]) -> array[int]:
    """Each row's place in the order of `keys`, equal keys equal places."""
    ranks = array("i", bytes(4 * len(keys)))
    place, previous = -1, object()
    for index in sorted(range(len(keys)), key=keys.__getitem__):
        key = keys[index]
        if key != previous:
            place, previous = place + 1, key
        ranks[index] = place
    return ranks


class Lijstmodel(Sequence["AanvraagRegel"]):
    """Every request as loaded, and the ones shown (`volgorde`: row numbers, filtered and sorted).

    As a sequence it is the rows shown, in their order.
    """

    def __init__(self, rows: Iterable[AanvraagRegel] = (), werk: Iterable[TodoRegel] = ()) -> None:
        self.rows: list[AanvraagRegel] = list(rows)
        self.werk: Mapping[str, TodoRegel] = {regel.pgn: regel for regel in werk}
        self.overzicht = Overzicht.van(self.rows)
        self.statussen = [r.status for r in self.rows]
        self.zoekteksten = [zoektekst(r) for r in self.rows]
        self.pgns = [r.pgn for r in self.rows]
        te_doen = [r.pgn in self.werk and r.status != "ingetrokken" for r in self.rows]
        self.te_doen = bytes(te_doen)
        self.te_doen_leerlingen = len({r.pgn for r, nodig in zip(self.rows, te_doen, strict=True) if nodig})
        self.rangen: dict[str, array[int]] = {}
        for kolom in sorted((k for k in COLUMNS if k.sort is not None), key=lambda k: k.dan is not None):
            assert kolom.sort is not None
            keys: list[Any] = [kolom.sort(r) for r in self.rows]
            if kolom.dan is not None:
                dan = self.rangen[kolom.dan]
                keys = [(key, dan[index]) for index, key in enumerate(keys)]
            self.rangen[kolom.key] = _ranks(keys)
        self.volgorde: list[int] = list(range(len(self.rows)))
        self._index = {r.id: index for index, r in enumerate(self.rows)}

    def toon(self, *, status: str | None, tekst: str, werklijst: bool, kolom: str, omgekeerd: bool) -> None:
        """Filter by status, text and to-do, then sort by `kolom`: one pass per filter, one sort of ints."""
        shown: Iterable[int] = range(len(self.rows))
        if status is not None:
            statussen = self.statussen
            shown = [i for i in shown if statussen[i] == status]
        needle = fast_fold(tekst.strip())
        if needle:
            teksten, pgns = self.zoekteksten, self.pgns
            if needle.isdigit():
                shown = [i for i in shown if needle in teksten[i] or pgns[i].endswith(needle)]
            else:
                shown = [i for i in shown if needle in teksten[i]]
        if werklijst:
            te_doen = self.te_doen
            shown = [i for i in shown if te_doen[i]]
        volgorde = list(shown)
        rangen = self.rangen.get(kolom)
        if rangen is not None:
            volgorde.sort(key=rangen.__getitem__, reverse=omgekeerd)
        self.volgorde = volgorde

    def kent(self, aanvraag_id: str) -> bool:
        """Whether this request was loaded (shown or not)."""
        return aanvraag_id in self._index

    def positie(self, aanvraag_id: str) -> int | None:
        """Where the request with this id is shown, or None when it is not."""
        index = self._index.get(aanvraag_id)
        if index is None:
            return None
        try:
            return self.volgorde.index(index)
        except ValueError:
            return None

    def __len__(self) -> int:
        return len(self.volgorde)

    @overload
    def __getitem__(self, position: int) -> AanvraagRegel: ...

    @overload
    def __getitem__(self, position: slice) -> list[AanvraagRegel]: ...

    def __getitem__(self, position: int | slice) -> AanvraagRegel | list[AanvraagRegel]:
        if isinstance(position, slice):
            return [self.rows[i] for i in self.volgorde[position]]
        return self.rows[self.volgorde[position]]
