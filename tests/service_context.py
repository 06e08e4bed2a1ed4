"""The services' context for tests: a store, its settings (defaults beside the store) and a user."""

from __future__ import annotations

from oso_tui.services import Context
from oso_tui.settings import Settings
from oso_tui.store import Store


def ctx_of(store: Store, settings: Settings | None = None, user: str = "test") -> Context:
    """What a use case needs; reading needs no particular settings or user, so both have defaults."""
    if settings is None:
        settings = Settings(db_path=store.path, config_path=store.path.with_name("geen-config.toml"))
    return Context(store, settings, user)
