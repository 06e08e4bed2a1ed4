"""The summer purge beyond the store's packs: every exchange folder oso-tui moved or wrote files in.

Raw dossiers live in two places only: the store's own folder (packs and loose files, purged by the
store when their version is marked `verwijderd`) and the `rejected/` folder of an exchange folder,
with a reason file that carries the date the purge goes by. The store remembers each folder a fetch
used (table `uitwisselmappen`), so a folder named once with `fetch --inbox` is purged as well as the
configured inbox. Temp files a killed writer left in the store's dossier folder go with the purge too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from oso_tui.errors import OsoError
from oso_tui.exchange.base import Exchange
from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.folder import FolderExchange
from oso_tui.records import uitwisselmappen
from oso_tui.settings import Settings
from oso_tui.store import Store, Transaction
from oso_tui.store.files import remove_stale_temps

STALE_TEMP_SECONDS = 3600
"""A temp file in the dossier folder this old belongs to no writer that is still at work."""


def onthoud(tx: Transaction, exchange: Exchange) -> None:
    """Remember the folder of a folder exchange, so the purge finds it again."""
    if isinstance(exchange, FolderExchange):
        uitwisselmappen.remember(tx, exchange.inbox.resolve())


def mappen(store: Store, settings: Settings) -> list[Path]:
    """The configured inbox and every folder a fetch used, each once."""
    with store.snapshot() as view:
        known = uitwisselmappen.all(view)
    return sorted({settings.inbox_dir.resolve(), *known})


def verlopen_op(settings: Settings, today: date) -> Callable[[date], bool]:
    """Whether data dated `datum` has passed its summer by `today`; a date in the future counts as today."""

    def verlopen(datum: date) -> bool:
        return is_expired(min(datum, today), settings, today)

    return verlopen


def opschonen_map(exchange: Exchange, settings: Settings, today: date) -> list[Path]:
    """Purge one exchange: right after a fetch, so a refused pre-summer dossier does not linger."""
    return exchange.opschonen(verlopen_op(settings, today))


def opschonen(store: Store, settings: Settings, today: date) -> list[Path]:
    """Remove every file of a pre-summer dossier oso-tui moved or wrote outside the packs; what went."""
    removed: list[Path] = []
    for folder in mappen(store, settings):
        if not folder.is_dir():
            continue
        try:
            exchange = FolderExchange(folder)
        except OsoError:
            continue
        removed += opschonen_map(exchange, settings, today)
    removed += remove_stale_temps(store.raw_dir, older_than=STALE_TEMP_SECONDS)
    return removed
