"""Deterministic UI tests: fixed today, no cursor blink, no polling, colours pinned, workers awaited."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from oso_tui.app import OsoApp
from tests.ui.stub import StubBackend

SIZES = {"small": (80, 24), "large": (120, 40)}


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-05-20")
    monkeypatch.delenv("OSO_TUI_CONFIG", raising=False)
    # Times on screen are local: pin the zone, and make the C library read it now (it caches the zone
    # until tzset), then put back the zone the other tests run in.
    with pytest.MonkeyPatch.context() as zone:
        zone.setenv("TZ", "Europe/Amsterdam")
        time.tzset()
        yield
    time.tzset()


@pytest.fixture
def stub() -> StubBackend:
    return StubBackend()


def make_app(backend: object) -> OsoApp:
    return OsoApp(backend, blink=False, poll_seconds=None)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and the screen repaint, so what a test sees is the final state."""
    for _ in range(3):
        # DirectoryTree keeps a loader worker alive for as long as it exists: do not wait for that one.
        finite = [w for w in pilot.app.workers if w.group != "_loader"]
        if finite:  # an empty list would mean "all workers"
            await pilot.app.workers.wait_for_complete(finite)
        await pilot.pause()
    errors = [n.message for n in pilot.app._notifications if n.title == "Programmafout"]
    assert not errors, errors
