"""`p` on the request list makes the printable overview and says where it is."""

from __future__ import annotations

import pytest

from oso_tui.services import overzicht
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.ui.conftest import settle
from tests.ui.test_flows_demo import app_for


async def test_p_makes_the_overview_and_says_where(
    seeded: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the real services (without Chromium, so HTML only): the file is there and the toast names it."""
    store, settings = seeded
    monkeypatch.setattr(overzicht, "chromium", lambda: None)
    written = settings.data_dir / "overzicht-2027-05-25.html"
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert written.is_file()
        assert any(f"{written.stem}.html" in str(n.message) for n in app._notifications)
