"""Suite-wide settings: property tests judge results, never how fast a busy machine ran them; every
test runs apart from the machine it runs on (no site-wide config, its own state folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("oso-tui", deadline=None)
settings.load_profile("oso-tui")


@pytest.fixture(autouse=True)
def _isolated_from_the_machine(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSO_TUI_SITE_CONFIG", "")
    state: Path = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("OSO_TUI_STATE_DIR", str(state))
