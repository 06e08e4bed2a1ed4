"""Snapshots of every screen and modal at 80x24 and 120x40 (review changes in snapshot_report.html)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.ui.conftest import SIZES, make_app, settle
from tests.ui.stub import StubBackend

Steps = Callable[[Pilot[None]], Awaitable[None]]


def keys(*pressed: str) -> Steps:
    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        # Toasts expire on a timer: on a busy machine they may or may not still show. Leave them out.
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


SCREENS: dict[str, Steps] = {
    "aanvragen": keys(),
    "aanvragen_gefilterd_geselecteerd": keys("f", "f", "f", "space", "o"),
    "hulp": keys("f1"),
    "nieuwe_aanvraag_fouten": keys("n", *"123456789", "tab", *"31-02-2015", "tab", "1", "2"),
    "bevestigen": keys("i"),
    "hernieuwen": keys("slash", *"sanne", "enter", "v"),
    "hernieuwen_fout": keys("slash", *"sanne", "enter", "v", "ctrl+u", *"31-02-2027"),
    "werklijst": keys("w"),
    "stappen": keys("slash", *"sanne", "enter", "enter"),
    "verschillen_personalia": keys("slash", *"sanne", "enter", "enter", "enter"),
    "verschillen_waarschuwing": keys("slash", *"sanne", "enter", "enter", "down", "enter", "w", "m"),
    "leerling": keys("slash", *"sanne", "enter", "enter", "l"),
    "leerling_zorg": keys("slash", *"sanne", "enter", "enter", "l", "right", "right"),
    "versies": keys("slash", *"sanne", "enter", "enter", "d"),
    "collectief_csv": keys("c", *"inschrijvingen.csv", "enter"),
    "registreren_keuze": keys("slash", *"sanne", "enter", "r"),
    "bijlage_map": keys("slash", *"sanne", "enter", "enter", "l", "right", "right", "b"),
}

GUARDS: dict[str, str] = {
    "aanvragen": "the start screen: columns, status tones, masked PGN, the summary bar",
    "aanvragen_gefilterd_geselecteerd": "status filter, selection mark and the sort arrow in the header",
    "hulp": "the key table of the help screen fits and scrolls",
    "nieuwe_aanvraag_fouten": "the new-request form shows a field error while typing (elfproef, date)",
    "bevestigen": "a confirm dialog names what it acts on",
    "hernieuwen": "the renew dialog shows the default 'sinds' (dd-mm-jjjj) in its field, keys shown",
    "hernieuwen_fout": "a typed impossible date gets one Dutch line and disables Vernieuwen",
    "werklijst": "the to-do filter: its count reversed in the header, the step column's P/·/* marks",
    "demo_werklijst": "the to-do filter over the real services: exactly the pupils `todo` returns",
    "stappen": "the step picker: when each step ran, from which version, by whom",
    "verschillen_personalia": "the diff with the placement form and verdict tones",
    "verschillen_waarschuwing": "warnings first, the read-checkbox, and the overschrijven mode",
    "leerling": "registered values with their provenance",
    "leerling_zorg": "care data and attachments appear only on the zorg tab",
    "versies": "dossier versions with their findings, and the raw fields of one",
    "collectief_csv": "the CSV preview: good, refused and skipped rows before anything is stored",
    "registreren_keuze": "the step choice for a collective registration",
    "bijlage_map": "the folder prompt for saving an attachment",
}


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("screen", SCREENS.keys())
def test_screen(
    screen: str,
    size: tuple[int, int],
    snap_compare: Callable[..., bool],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every screen over the stub at both sizes; what each case guards is in `GUARDS`."""
    (tmp_path / "inschrijvingen.csv").write_text("pgn;geboortedatum;brin\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert snap_compare(make_app(StubBackend()), run_before=SCREENS[screen], terminal_size=size)


def test_no_color(snap_compare: Callable[..., bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: the list still tells statuses, selection and filter apart without colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(StubBackend()), run_before=keys("space", "f"), terminal_size=(80, 24))


DEMO_SCREENS: dict[str, Steps] = {
    "demo_aanvragen": keys(),
    "demo_stappen_noor": keys("slash", *"noor", "enter", "enter"),
    "demo_werklijst": keys("w"),
    "demo_verschillen_loopbaan": keys("h", "slash", *"noor", "enter", "enter", "down", "enter"),
    "demo_verschillen_personalia": keys("h", "slash", *"noor", "enter", "enter", "enter"),
    "demo_waarschuwingen": keys("slash", *"hazelaar", "enter", "enter", "enter"),
}


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("screen", DEMO_SCREENS.keys())
def test_demo_screen(
    screen: str, size: tuple[int, int], snap_compare: Callable[..., bool], seeded: tuple[Store, Settings]
) -> None:
    """The real services on a seeded demo store (only screens without wall-clock times): the screens show
    what the services return, a fetched May version beside March, a real diff and real warnings."""
    from tests.ui.test_flows_demo import app_for

    assert snap_compare(app_for(*seeded), run_before=DEMO_SCREENS[screen], terminal_size=size)
