"""Two colleagues on one pupil's personalia: the diff never applies a change the user did not see."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from oso_tui import services
from oso_tui.registration.steps import Plaatsing
from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.viewmodels import DiffRegel
from oso_tui.services.sessie import open_store
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.service_context import ctx_of
from tests.ui.conftest import settle
from tests.ui.test_flows_demo import JESSE, USER, app_for, open_pupil

JAAR = Plaatsing(schooljaar="2027-2028", leerjaar=1)


@pytest.fixture
def placed_without_klas(seeded: tuple[Store, Settings]) -> tuple[Store, Settings]:
    """Jesse's personalia are registered with a placement that has no klas yet."""
    store, settings = seeded
    services.register(
        ctx_of(store, settings, USER),
        pgn=JESSE,
        stappen=["personalia"],
        plaatsing=JAAR,
        accepteer_waarschuwingen=True,
    )
    return store, settings


def colleague_registers_klas(settings: Settings, klas: str) -> None:
    """A second session on the same file registers the klas (in the default mode, aanvullen)."""
    other = open_store(settings)
    services.register(
        ctx_of(other, settings, "collega"),
        pgn=JESSE,
        stappen=["personalia"],
        plaatsing=JAAR.model_copy(update={"klas": klas}),
        accepteer_waarschuwingen=True,
    )


def klassen(store: Store, settings: Settings) -> list[tuple[object, object, str]]:
    return [
        (w.oud, w.nieuw, m.door)
        for m in services.history(ctx_of(store, settings, USER), pgn=JESSE)
        for w in m.wijzigingen
        if w.pad == "plaatsing.klas"
    ]


def klas_regel(diff: DiffScreen) -> DiffRegel:
    assert diff.view is not None
    regel = next((r for r in diff.view.regels if r.sleutel == "plaatsing.klas"), None)
    assert regel is not None, "the diff shows the klas"
    return regel


async def open_personalia(pilot, mode: str) -> DiffScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await open_pupil(pilot, "jesse")
    await pilot.press("enter")  # Personalia
    await settle(pilot)
    diff = pilot.app.screen
    assert isinstance(diff, DiffScreen) and diff.view is not None
    if diff.view.waarschuwingen:
        await pilot.press("w")
    if mode == "overschrijven":
        await pilot.press("m")
    assert diff.view.mode == mode
    assert diff.query_one("#plaatsing-klas", Input).value == ""
    return diff


@pytest.mark.parametrize("mode", ["aanvullen", "overschrijven"])
async def test_apply_refuses_when_a_colleague_set_the_klas_meanwhile(
    placed_without_klas: tuple[Store, Settings], mode: str
) -> None:
    store, settings = placed_without_klas
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        diff = await open_personalia(pilot, mode)
        diff.query_one("#plaatsing-klas", Input).focus()
        await pilot.press("1", "C", "enter")
        await settle(pilot)
        assert (klas_regel(diff).geregistreerd, klas_regel(diff).dossier) == ("", "1C")

        colleague_registers_klas(settings, "1B")  # between two keypresses, no poll in between
        await pilot.press("t")
        await settle(pilot)

        assert app.screen is diff, "the refused diff stays open"
        messages = [n.message for n in app._notifications]
        assert any("intussen gewijzigd" in m for m in messages), messages
        assert any("Klas: — → 1B" in m for m in messages), messages
        assert klassen(store, settings) == [(None, "1B", "collega")]
        regel = klas_regel(diff)
        assert (regel.geregistreerd, regel.dossier, regel.oordeel) == ("1B", "1C", "gewijzigd")
        assert regel.wijzigt, "what the user typed is taken, visibly, not dropped"
        assert diff.view is not None and diff.view.mode == mode
        assert diff.query_one("#plaatsing-klas", Input).value == "1C"

        await pilot.press("t")  # now the user has seen 1B -> 1C
        await settle(pilot)
        assert app.screen is not diff
    assert klassen(store, settings) == [(None, "1B", "collega"), ("1B", "1C", USER)]
    leerling = services.get_pupil(ctx_of(store), JESSE)
    assert leerling is not None and leerling.gegevens["plaatsing.klas"] == "1C"


@pytest.mark.parametrize("mode", ["aanvullen", "overschrijven"])
async def test_an_open_diff_follows_a_colleagues_change(
    placed_without_klas: tuple[Store, Settings], mode: str
) -> None:
    store, settings = placed_without_klas
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        diff = await open_personalia(pilot, mode)
        colleague_registers_klas(settings, "1B")
        app.check_for_changes()
        await settle(pilot)
        assert app.screen is diff
        assert klas_regel(diff).geregistreerd == "1B"
        assert diff.query_one("#plaatsing-klas", Input).value == "1B", "an untouched field follows"
        assert diff.view is not None and diff.view.mode == mode
        assert any("Klas: — → 1B" in n.message for n in app._notifications)
        await pilot.press("t")
        await settle(pilot)
    assert klassen(store, settings) == [(None, "1B", "collega")]
    leerling = services.get_pupil(ctx_of(store), JESSE)
    assert leerling is not None and leerling.gegevens["plaatsing.klas"] == "1B"


async def test_a_typed_klas_is_never_dropped_in_aanvullen(
    placed_without_klas: tuple[Store, Settings],
) -> None:
    """Aanvullen keeps what is registered, but not over a placement the user typed himself."""
    store, settings = placed_without_klas
    colleague_registers_klas(settings, "1B")
    app = app_for(store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "jesse")
        await pilot.press("enter")
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen) and diff.view is not None
        if diff.view.waarschuwingen:
            await pilot.press("w")
        field = diff.query_one("#plaatsing-klas", Input)
        assert field.value == "1B"
        field.focus()
        field.value = ""
        await pilot.press("1", "C")
        await pilot.click("#toepassen")  # typed, not yet planned: the diff is planned first
        await settle(pilot)
        assert app.screen is diff
        assert any("plaatsing is gewijzigd" in n.message for n in app._notifications)
        regel = klas_regel(diff)
        assert (regel.geregistreerd, regel.dossier, regel.wijzigt, regel.keuze) == (
            "1B",
            "1C",
            True,
            "overnemen",
        )
        assert klassen(store, settings) == [(None, "1B", "collega")]
        await pilot.click("#toepassen")
        await settle(pilot)
        assert app.screen is not diff
    assert klassen(store, settings) == [(None, "1B", "collega"), ("1B", "1C", USER)]
