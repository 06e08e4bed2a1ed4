"""The whole school year in the app, as one story over the real services and generated dossiers.

The school starts the app on three days of the year, like a real administration would:
- March: request a class from a Dutch Excel CSV, fetch, personalia with one placement for the class;
- May: the May versions were prepared before the renewal; renew via the dialog with its default, fetch,
  the to-do list shows loopbaan and the newer personalia version, loopbaan for all, aanvullen then
  overschrijven on one pupil, undo;
- September, after the summer: the expiry notice once, `verlopen`, and a refused registration.
The same story through the command line alone is `tests/cli/test_schooljaar_cli.py`.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from benchmarks.generate import generate
from oso_tui import services
from oso_tui.app import OsoApp
from oso_tui.screens.aanvragen import RequestListScreen
from oso_tui.screens.backend import ServiceBackend, folder_exchange
from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.hernieuwen import RenewModal
from oso_tui.screens.modals import ChoiceModal, ConfirmModal, CsvRequestModal
from oso_tui.screens.ophalen import FetchModal
from oso_tui.screens.plaatsing import PlacementModal
from oso_tui.screens.stappen import StepPickerScreen
from oso_tui.services.sessie import open_store
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.cli.test_schooljaar_cli import excel_csv
from tests.service_context import ctx_of
from tests.ui.conftest import settle

KLAS = 4
NIET_GELEVERD = 1
USER = "administratie"
MAART, MEI, SEPTEMBER = date(2027, 3, 20), date(2027, 5, 30), date(2027, 9, 15)


def app_on(store: Store, settings: Settings, today: date) -> OsoApp:
    backend = ServiceBackend(store, replace(settings, fixed_today=today), USER, folder_exchange)
    return OsoApp(backend, blink=False, poll_seconds=None)


def notices(app: OsoApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def requests(store: Store) -> dict[str, services.AanvraagRegel]:
    return {r.pgn: r for r in services.list_requests(ctx_of(store))}


def steps_of(store: Store, pgn: str) -> set[str]:
    leerling = services.get_pupil(ctx_of(store), pgn)
    return set(leerling.stappen) if leerling is not None else set()


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def select_all(pilot: Pilot[None]) -> RequestListScreen:
    await press(pilot, "escape", "a")
    screen = pilot.app.screen
    assert isinstance(screen, RequestListScreen)
    return screen


async def test_the_whole_year_in_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated = tmp_path / "gegenereerd"
    generate(KLAS, generated, seed=12, versies=True)
    pgns = excel_csv(generated / "inschrijvingen.csv", tmp_path / "klas1b.csv")
    geleverd, nooit = pgns[: KLAS - NIET_GELEVERD], pgns[KLAS - NIET_GELEVERD :]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in sorted(generated.glob("dossier_*.xml"))[: len(geleverd)]:
        shutil.copy(path, inbox / path.name)
    settings = Settings(
        db_path=tmp_path / "oso-tui.json", config_path=tmp_path / "config.toml", inbox=inbox, roles={}
    )
    store = open_store(settings)
    monkeypatch.chdir(tmp_path)

    # March: the class from the CSV, fetched, personalia with one placement for all.
    app = app_on(store, settings, MAART)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "c", *"klas1b.csv", "enter")
        modal = app.screen
        assert isinstance(modal, CsvRequestModal) and modal.voorbeeld is not None
        assert modal.voorbeeld.goed == KLAS
        await pilot.click("#ja")
        await settle(pilot)
        assert {r.status for r in requests(store).values()} == {"aangevraagd"}
        await press(pilot, "h")
        dialog = app.screen
        assert isinstance(dialog, FetchModal) and dialog.chosen() == inbox
        assert f"{len(geleverd)} XML-bestanden" in str(dialog.query_one("#map-melding", Static).render())
        await press(pilot, "enter")
        assert {p for p, r in requests(store).items() if r.status == "opgehaald"} == set(geleverd)
        await select_all(pilot)
        await press(pilot, "r")
        assert isinstance(app.screen, ChoiceModal)
        await press(pilot, "enter")  # Personalia
        assert isinstance(app.screen, PlacementModal)
        await press(pilot, *"2027-2028", "enter", "1", "enter", *"havo/vwo", "enter", *"1B", "enter")
        assert isinstance(app.screen, RequestListScreen)
        told = next(n for n in notices(app) if "geregistreerd" in n or "aangevuld" in n)
        assert str(len(geleverd)) in told, told
    for pgn in geleverd:
        leerling = services.get_pupil(ctx_of(store), pgn)
        assert leerling is not None and leerling.gegevens.get("plaatsing.klas") == "1B"
        assert steps_of(store, pgn) == {"personalia"}
    assert not steps_of(store, nooit[0])

    # May: the May versions were prepared (dated up to 28 May) before the renewal on 30 May, and are
    # fetched from another folder, chosen in the fetch dialog.
    usb = tmp_path / "usb"
    usb.mkdir()
    for path in sorted((generated / "mei").glob("*.xml"))[: len(geleverd)]:
        shutil.copy(path, usb / path.name)
    laatste = {p: r.laatste_dossierdatum for p, r in requests(store).items()}
    app = app_on(store, settings, MEI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_all(pilot)
        await press(pilot, "v")
        assert isinstance(app.screen, RenewModal)
        await press(pilot, "enter")
        renewed = requests(store)
        assert {renewed[p].status for p in geleverd} == {"aangevraagd"}
        assert all(renewed[p].sinds == laatste[p] for p in geleverd), "the default: newer than the last"
        await press(pilot, "h", "ctrl+u", *"usb")
        assert isinstance(app.screen, FetchModal) and app.screen.chosen() == Path("usb")
        await press(pilot, "enter")
        assert any("nieuwe versie" in n for n in notices(app)), notices(app)
        werk = {r.pgn: r for r in services.todo(ctx_of(store))}
        assert set(werk) == set(geleverd)
        assert all("loopbaan" in r.open_stappen and r.nieuwere_versie for r in werk.values())
        screen = await select_all(pilot)
        await press(pilot, "escape", "w")
        assert {r.pgn for r in screen.shown} == set(geleverd)

        await select_all(pilot)
        await press(pilot, "r", "down", "enter")  # Schoolloopbaan, for all
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "j")
        assert all("loopbaan" in steps_of(store, p) for p in geleverd), notices(app)

        een = geleverd[0]
        naam = requests(store)[een].naam.split()[-1]
        await press(pilot, "escape", "escape", "slash", *naam.lower(), "enter", "enter")
        assert isinstance(app.screen, StepPickerScreen)
        before = services.get_pupil(ctx_of(store), een)
        assert before is not None
        await press(pilot, "enter")  # personalia, aanvullen
        diff = app.screen
        assert isinstance(diff, DiffScreen) and diff.view is not None
        assert diff.view.mode == "aanvullen"
        await press(pilot, "w", "t")
        assert isinstance(app.screen, StepPickerScreen)
        aangevuld = services.get_pupil(ctx_of(store), een)
        assert aangevuld is not None and aangevuld.gegevens.get("plaatsing.klas") == "1B"
        await press(pilot, "enter")
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        await press(pilot, "m", "w", "t")
        overschreven = services.get_pupil(ctx_of(store), een)
        assert overschreven is not None and overschreven.gegevens != aangevuld.gegevens
        nog = [r for r in services.todo(ctx_of(store)) if r.pgn == een]
        assert not any("personalia" in r.nieuwere_versie for r in nog)
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "j")
        terug = services.get_pupil(ctx_of(store), een)
        assert terug is not None and terug.gegevens == aangevuld.gegevens, "undo brings back what was"

    # September, after the summer of region midden: one notice, `verlopen`, a refused registration.
    app = app_on(store, settings, SEPTEMBER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        told = [n for n in notices(app) if n.startswith("De zomervakantie is voorbij")]
        assert len(told) == 1 and "1 aanvraag is verlopen" in told[0], notices(app)
        screen = app.screen
        assert isinstance(screen, RequestListScreen)
        assert {r.status for r in screen.rows if r.pgn in nooit} == {"verlopen"}
        await press(pilot, "f5")
        assert len([n for n in notices(app) if n.startswith("De zomervakantie")]) == 1
        naam = requests(store)[geleverd[1]].naam.split()[-1]
        await press(pilot, "slash", *naam.lower(), "enter", "enter")
        picker = app.screen
        assert isinstance(picker, StepPickerScreen)
        await press(pilot, "down", "down", "enter")  # Begeleiding
        assert app.screen is picker, "after the summer no step opens"
        assert any("zomervakantie" in n for n in notices(app))
    assert "begeleiding" not in steps_of(store, geleverd[1])
    assert services.todo(ctx_of(store)) == []
    left = [p.name for folder in (inbox, usb) for p in folder.rglob("*") if p.is_file()]
    assert left == [], "the summer purge reaches the folder chosen in the dialog too"
