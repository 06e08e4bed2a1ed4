"""Suite-wide settings: property tests judge results, never how fast a busy machine ran them."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("oso-tui", deadline=None)
settings.load_profile("oso-tui")
