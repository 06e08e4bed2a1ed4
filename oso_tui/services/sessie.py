"""What a long-running session (the terminal app) needs besides the use cases: open, watch, describe."""

from __future__ import annotations

from oso_tui.settings import Settings
from oso_tui.store import Store, open_store

__all__ = ["Store", "generatie", "omvang", "open_store"]


def generatie(store: Store) -> int:
    """Changes with every committed transaction, by any process: the app polls it to reload."""
    return store.generation()


def omvang(store: Store, settings: Settings) -> str:
    """The store in one Dutch line: file size, requests and pupils (for `--startuptime`)."""
    from oso_tui.services.context import Context
    from oso_tui.services.listing import count_statuses

    telling = count_statuses(Context(store, settings, ""))
    try:
        size = settings.db_path.stat().st_size
    except OSError:
        size = 0
    return (
        f"{settings.db_path.name}: {size / 1024:.0f} kB, {telling.totaal} aanvragen, "
        f"{telling.leerlingen} leerlingen, {telling.dossiers} dossiers"
    )
