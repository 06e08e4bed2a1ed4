"""Start-up of the app: the list read ahead in a thread, and the garbage collector paused until the
list is painted (see `oso_tui.collector`). Asserted on state, never on timings."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date

import pytest

from oso_tui import collector, services
from oso_tui.errors import ReadError
from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.backend import ServiceBackend, demo_exchange
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.service_context import ctx_of
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend

USER = "tester"


@pytest.fixture
def paused_gc() -> Iterator[None]:
    """Start as the app's start-up does; afterwards the test process collects as before."""
    collector.pause_gc()
    try:
        yield
    finally:
        collector.settle_gc()
        assert gc.isenabled() and gc.get_freeze_count() == 0


def ids(rows: list[object]) -> list[str]:
    return [r.id for r in rows]  # type: ignore[attr-defined]


def test_a_prefetched_list_is_the_list(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    fresh = ServiceBackend(store, settings, USER, demo_exchange).list_requests()
    backend = ServiceBackend(store, settings, USER, demo_exchange)
    backend.prefetch_requests()
    assert backend.list_requests() == fresh
    assert backend.list_requests() == fresh, "after the prefetched rows it reads as always"


def test_a_list_prefetched_before_a_change_is_read_again(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    backend = ServiceBackend(store, settings, USER, demo_exchange)
    backend.prefetch_requests()
    backend._prefetched[0].join()  # type: ignore[index]
    made = services.request(
        ctx_of(store, settings, USER), pgn="123456782", geboortedatum=date(2014, 2, 3), brin="12AB"
    )
    assert made.id in ids(backend.list_requests())  # type: ignore[arg-type]


def test_a_failed_prefetch_reports_its_error_when_the_list_is_read(
    seeded: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = seeded
    backend = ServiceBackend(store, settings, USER, demo_exchange)

    def broken(ctx: object, status: object = None, earlier: object = None) -> list[services.AanvraagRegel]:
        raise ReadError("De lijst is onleesbaar.")

    monkeypatch.setattr(services, "list_requests", broken)
    backend.prefetch_requests()
    with pytest.raises(ReadError, match="onleesbaar"):
        backend.list_requests()


async def test_collecting_resumes_once_the_list_is_painted(stub: StubBackend, paused_gc: None) -> None:
    assert not gc.isenabled()
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RequestListScreen) and app.screen.loaded
        assert app.first_paint is not None
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0, "what start-up built is out of the collector's sight"


async def test_collecting_resumes_after_a_while_when_the_list_never_comes(
    stub: StubBackend, paused_gc: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable() -> list[object]:
        raise ReadError("De database is onleesbaar.")

    monkeypatch.setattr(stub, "list_requests", unreadable)
    monkeypatch.setattr("oso_tui.app.SETTLE_SECONDS", 0.2)
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.first_paint is None
        await pilot.pause(0.5)
        assert gc.isenabled() and gc.get_freeze_count() == 0


async def test_start_up_objects_rejoin_normal_collection_a_while_after_the_paint(
    stub: StubBackend, paused_gc: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The freeze right after the paint is the previous test's; here only that the timer lifts it.

    Polled up to a generous bound, so a slow or busy machine cannot make it fail.
    """
    monkeypatch.setattr("oso_tui.app.SETTLE_SECONDS", 0.5)
    app = make_app(stub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(100):
            if gc.get_freeze_count() == 0:
                break
            await pilot.pause(0.1)
        assert gc.isenabled() and gc.get_freeze_count() == 0


def test_collecting_is_not_paused_twice_or_resumed_when_not_paused() -> None:
    assert gc.isenabled()
    collector.settle_gc()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        collector.pause_gc()
        collector.settle_gc()
        assert not gc.isenabled(), "a collector someone else stopped stays stopped"
    finally:
        gc.enable()


async def test_a_name_is_shown_as_written_never_as_markup(stub: StubBackend) -> None:
    name = "[bold]Ada[/bold] :smile: [rood"
    stub.rows[0] = stub.rows[0].model_copy(update={"naam": name})
    app = make_app(stub)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        (row,) = [i for i, r in enumerate(screen.shown) if r.naam == name]
        assert screen.tabel.cells(row)[2][0] == name
        drawn = [strip.text for strip in screen._compositor.render_strips()]
        assert any(f"  {name}  " in line for line in drawn), "drawn as written"
