"""The collector pause around bulk work: paused inside, back as it was after, whatever happens."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from oso_tui import collector, services
from oso_tui.exchange.folder import FolderExchange
from oso_tui.store import Store
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of


@pytest.fixture(autouse=True)
def _restore_collector() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_running_after_even_on_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_nested_pauses_resume_when_the_last_ends() -> None:
    gc.enable()
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pauses_in_two_threads_overlap_without_resuming_early() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with collector.paused():
        pass
    assert not gc.isenabled()  # the other thread's work is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_stopped_by_someone_else_stays_stopped() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_fetch_reads_with_the_collector_paused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, date(2026, 3, 20))
    store = Store.open(settings.db_path)
    (bsn,) = valid_bsns(1)
    services.request(ctx_of(store, settings, "jan"), pgn=bsn, geboortedatum=date(2014, 5, 1), brin="12AB")
    settings.inbox_dir.mkdir()
    (settings.inbox_dir / "noor.xml").write_bytes(dossier_xml(bsn))
    seen: list[bool] = []
    gc.enable()
    report = services.fetch(
        ctx_of(store, settings, "jan"),
        FolderExchange(settings.inbox_dir),
        progress=lambda *_: seen.append(gc.isenabled()),
    )
    assert [r.uitkomst for r in report.regels] == ["opgehaald"]
    assert seen == [False]
    assert gc.isenabled()
