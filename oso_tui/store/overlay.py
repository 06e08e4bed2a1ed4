"""A transaction's view of the store: the tables it staged over the committed state.

Kept apart from `lazy.py`, which opens and reads committed states; the overlay only layers a
transaction's replaced and dropped tables on top of one, parsing a committed table when it is read.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any, cast

from oso_tui.store.lazy import CommittedState, Tables

__all__ = ["Overlay", "parsed_base"]

_UNTOUCHED = object()


class Overlay(MutableMapping[str, dict[str, Any]]):
    """A transaction's view: the committed tables, with the ones TinyDB replaced or dropped on top.

    `TransactionMiddleware.begin` used to copy the base with `dict(base)`, which would parse every
    table; the overlay parses a table only when TinyDB reads it.
    """

    def __init__(self, base: Tables) -> None:
        self.base = base
        self.local: dict[str, dict[str, Any]] = {}
        self.dropped: set[str] = set()
        self.seen: dict[str, dict[str, Any]] = {}
        """The committed tables read through this overlay: held until it ends, so the commit compares
        with the very objects TinyDB read even if the committed state let go of them meanwhile."""

    def __getitem__(self, name: str) -> dict[str, Any]:
        table = self.local.get(name, _UNTOUCHED)
        if table is not _UNTOUCHED:
            return cast(dict[str, Any], table)
        if name in self.dropped:
            raise KeyError(name)
        table = self.seen.get(name, _UNTOUCHED)
        if table is _UNTOUCHED:
            table = self.seen[name] = self.base[name]
        return cast(dict[str, Any], table)

    def __setitem__(self, name: str, table: dict[str, Any]) -> None:
        self.local[name] = table
        self.dropped.discard(name)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.local.pop(name, None)
        if name in self.base:
            self.dropped.add(name)

    def __contains__(self, name: object) -> bool:
        return name in self.local or (name not in self.dropped and name in self.base)

    def __iter__(self) -> Iterator[str]:
        for name in self.base:
            if name not in self.dropped:
                yield name
        for name in self.local:
            if name not in self.base:
                yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def touched(self, name: str) -> bool:
        """Whether TinyDB replaced or dropped this table (reading does not count)."""
        return name in self.local or name in self.dropped


def parsed_base(data: Tables, base: Tables | None, name: str) -> dict[str, Any] | None:
    """The committed table `name` as already parsed: as the overlay `data` read it, else as `base`
    still holds it; None when neither has it in memory."""
    if isinstance(data, Overlay) and data.base is base:
        seen = data.seen.get(name)
        if seen is not None:
            return seen
    return base.parsed(name) if isinstance(base, CommittedState) else None
