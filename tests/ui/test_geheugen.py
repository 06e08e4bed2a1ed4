"""An app session lets go of what it closed: opening and closing screens, and a footer rebuilt, leave
no headers, footer keys or their line caches behind however often it happens. Counted in live
widgets, not in bytes."""

from __future__ import annotations

import gc

from textual.widgets import Header
from textual.widgets._footer import FooterKey

from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.leerling import PupilScreen
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.widgets.watchers import prune_watchers
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


async def test_closed_screens_leave_no_widgets_behind() -> None:
    app = make_app(StubBackend())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        async def round_of_screens() -> None:
            app.push_screen(StepPickerScreen("a1"))
            await settle(pilot)
            for screen in (PupilScreen("a1"), DiffScreen("a1", "personalia")):
                app.push_screen(screen)
                await settle(pilot)
                if isinstance(screen, DiffScreen):
                    await pilot.press("g")  # its footer is rebuilt
                    await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)

        await round_of_screens()
        headers, keys = alive(Header), alive(FooterKey)
        for _ in range(5):
            await round_of_screens()
        # The screen closed last may still be closing (one header, one footer's keys); without letting
        # go, each round would leave three headers and some thirty keys behind.
        assert alive(Header) <= headers + 1, "each closed screen's header is let go"
        assert alive(FooterKey) <= keys + 15, "a closed or rebuilt footer's keys are let go"


def test_pruning_drops_only_the_watchers_of_closed_or_detached_nodes() -> None:
    class Node:
        def __init__(self, closing: bool = False, attached: bool = True) -> None:
            self._closing, self._closed, self.is_attached = closing, False, attached

    class Watched:
        pass

    live, closing, detached = Node(), Node(closing=True), Node(attached=False)
    watched = Watched()
    setattr(watched, "__watchers", {"title": [(live, print), (closing, print), (detached, print)]})
    assert prune_watchers(watched, object()) == 2
    assert getattr(watched, "__watchers") == {"title": [(live, print)]}
