"""Escape stops a long job: a fetch leaves no dossier behind, a collective registration whole pupils only.

The Escape is given from inside the job, at a known point (after the first dossier or pupil), by running
the list screen's Escape action on the UI thread and waiting for it: no race with the worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from textual.message import Message

from oso_tui import services
from oso_tui.app import OsoApp
from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.backend import ServiceBackend, demo_exchange
from oso_tui.screens.base import Voortgang
from oso_tui.screens.plaatsing import PlacementModal
from oso_tui.screens.viewmodels import FetchResultaat, Melding, Progress
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.service_context import ctx_of
from tests.ui.conftest import settle
from tests.ui.test_flows_demo import USER


class EscapeAfterFirst(ServiceBackend):
    """The real backend; the user presses Escape as soon as the first item is done."""

    app: OsoApp | None = None

    def _escaping(self, progress: Progress | None) -> Progress:
        assert progress is not None

        def report(done: int, total: int) -> None:
            if done == 1 and self.app is not None:
                screen = self.app.screen_stack[0]
                assert isinstance(screen, RequestListScreen)
                self.app.call_from_thread(screen.action_clear_filter)
            progress(done, total)

        return report

    def fetch(self, progress: Progress | None = None, bevestig: Sequence[str] = ()) -> FetchResultaat:
        return super().fetch(self._escaping(progress), bevestig)

    def register_many(
        self,
        ids: Sequence[str],
        stap: str,
        progress: Progress | None = None,
        *,
        plaatsing: Mapping[str, str] | None = None,
    ) -> Melding:
        return super().register_many(ids, stap, self._escaping(progress), plaatsing=plaatsing)


def app_escaping(store: Store, settings: Settings) -> OsoApp:
    backend = EscapeAfterFirst(store, settings, USER, demo_exchange)
    app = OsoApp(backend, blink=False, poll_seconds=None)
    backend.app = app
    return app


def pack_files(store: Store) -> list[Path]:
    return sorted(store.raw_dir.glob("*.pak")) if store.raw_dir.exists() else []


async def test_escape_stops_a_fetch_and_nothing_is_stored(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_escaping(store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = services.list_requests(ctx_of(store))
        packs = pack_files(store)
        await pilot.press("h")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Ophalen afgebroken" in m for m in messages), messages
        assert not app.screen.query_one("#voortgang").display
        assert services.list_requests(ctx_of(store)) == before
        assert pack_files(store) == packs


async def test_escape_stops_a_collective_registration_between_pupils(seeded: tuple[Store, Settings]) -> None:
    store, settings = seeded
    app = app_escaping(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        await pilot.press("f", "f", "f", "a")  # every opgehaald request
        chosen = [r.pgn for r in screen.shown]
        assert len(chosen) == 9
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")  # personalia
        await settle(pilot)
        assert isinstance(app.screen, PlacementModal)
        await pilot.press("enter", "enter", "enter", "enter")  # no placement: Enter through the fields
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Afgebroken na 1 van 9" in m for m in messages), messages
        assert not screen.query_one("#voortgang").display
    registered = [p for p in chosen if services.get_pupil(ctx_of(store), p) is not None]
    assert len(registered) <= 1
    for pgn in registered:
        leerling = services.get_pupil(ctx_of(store), pgn)
        assert leerling is not None and "personalia" in leerling.stappen


def test_a_newer_progress_message_replaces_an_older_one() -> None:
    assert Voortgang(2, 9).can_replace(Voortgang(1, 9))
    assert not Voortgang(2, 9).can_replace(Message())
