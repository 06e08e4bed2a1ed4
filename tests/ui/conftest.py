"""Deterministic UI tests: fixed today, no cursor blink, no polling, colours pinned, workers awaited.

Tests over the real services share one seeded demo store per test process: it is built once, and each
test works on its own copy (`seeded`), so a test pays for copying a few files, not for seeding.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from oso_tui.app import OsoApp
from oso_tui.services import demo
from oso_tui.services.sessie import open_store
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.ui.stub import StubBackend

SIZES = {"small": (80, 24), "large": (120, 40)}
USER = "tester"


def demo_settings(folder: Path, roles: dict[str, tuple[str, ...]] | None = None) -> Settings:
    return Settings(
        db_path=folder / "oso-tui.json",
        config_path=folder / "config.toml",
        fixed_today=demo.DEMO_TODAY,
        roles=roles or {},
    )


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store as `oso-tui demo` seeds it, built once per test process; tests copy it."""
    folder = tmp_path_factory.mktemp("demo-sjabloon")
    settings = demo_settings(folder)
    demo.seed(open_store(settings), settings, USER)
    return folder


def copy_demo(template: Path, folder: Path) -> tuple[Store, Settings]:
    """A test's own demo store in `folder`: the template's files, opened as a school's would be."""
    shutil.copytree(template, folder, ignore=shutil.ignore_patterns("*.lock"), dirs_exist_ok=True)
    settings = demo_settings(folder)
    return open_store(settings), settings


@pytest.fixture
def seeded(demo_template: Path, tmp_path: Path) -> tuple[Store, Settings]:
    return copy_demo(demo_template, tmp_path)


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
    for turn in range(10):
        # DirectoryTree keeps a loader worker alive for as long as it exists: do not wait for that one.
        finite = [w for w in pilot.app.workers if w.group != "_loader"]
        if finite:  # an empty list would mean "all workers"
            await pilot.app.workers.wait_for_complete(finite)
        await pilot.pause()
        # at least three rounds; more while a worker's result started another (a busy machine makes
        # the chain apply -> close -> reload outlast three)
        if turn >= 2 and not [w for w in pilot.app.workers if w.group != "_loader" and not w.is_finished]:
            break
    errors = [n.message for n in pilot.app._notifications if n.title == "Programmafout"]
    assert not errors, errors
