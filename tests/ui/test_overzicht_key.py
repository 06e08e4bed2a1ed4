"""`p` on the request list makes the printable overview and says where it is."""

from __future__ import annotations

from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend


async def test_p_makes_the_overview_and_says_where(stub: StubBackend) -> None:
    app = make_app(stub)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert stub.overviews == 1
        assert any("overzicht-2027-05-20.html" in str(n.message) for n in app._notifications)
