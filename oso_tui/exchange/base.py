"""The transport of dossiers, hidden behind one interface so the services do not know which one runs.

The real OSO network (a SOAP broker with certificates) is out of reach; a folder of XML files and a demo
that plays the sending schools stand in for it. An exchange only delivers bytes and is told afterwards
what became of each item; reading, matching and storing are the services' job.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oso_tui.errors import OsoError, ReadError
from oso_tui.exchange.models import Aanvraag


class ItemGoneError(ReadError):
    """The item disappeared between listing and reading (another session fetched it): skip it."""


@dataclass(frozen=True)
class Binnenkomend:
    """One dossier the exchange can deliver: `naam` is what the user sees, `sleutel` the exchange's handle."""

    naam: str
    sleutel: str
    grootte: int | None = None


class Exchange(ABC):
    """Where dossiers come from. Implementations never delete anything the store does not hold."""

    #: A short Dutch description for summaries, e.g. "map /srv/oso/inbox" or "demo".
    naam: str = ""

    def klaargezet(self, aanvragen: Sequence[Aanvraag]) -> set[str]:
        """Ids of the given waiting requests whose dossier the sending school has prepared.

        Most transports cannot tell before fetching; the default knows nothing.
        """
        return set()

    @abstractmethod
    def binnenkomend(self, aanvragen: Sequence[Aanvraag]) -> list[Binnenkomend]:
        """The dossiers available now, given the current requests (a demo school answers requests)."""

    @abstractmethod
    def lees(self, item: Binnenkomend) -> bytes:
        """The raw bytes of one item; raises ReadError when it cannot be read."""

    @abstractmethod
    def verwerkt(self, item: Binnenkomend) -> None:
        """The store holds the item's bytes durably (stored now or before): it need not be kept or offered."""

    def verwerkt_alle(self, items: Sequence[Binnenkomend]) -> list[str]:
        """`verwerkt` for each item; the message of each one that failed, in the items' order.

        One failure does not stop the others: the store is already right, and an item left behind
        is a no-op at the next fetch.
        """
        meldingen: list[str] = []
        for item in items:
            try:
                self.verwerkt(item)
            except OsoError as exc:
                meldingen.append(exc.message)
        return meldingen

    @abstractmethod
    def afgewezen(self, item: Binnenkomend, reden: str, datum: date | None = None) -> None:
        """The item was refused for `reden` (one Dutch sentence); whatever is kept of it goes after the
        summer vacation following `datum` (the dossier's date, or the day it came in)."""

    def opschonen(self, verlopen: Callable[[date], bool]) -> list[Path]:
        """Remove every copy this exchange kept whose date `verlopen` says has passed its summer."""
        return []

    def laten(self, item: Binnenkomend, reden: str) -> None:  # noqa: B027 - optional hook
        """The item stays where it is (no request yet, or waiting for confirmation)."""
