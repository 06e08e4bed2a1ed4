"""The diff screen at 80x24, for real work: the cursor row stays in sight, equal lines can go, the
detail pane shows a value whole, and the values a step does not take over are listed."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from oso_tui.app import OsoApp
from oso_tui.screens.diff import DiffScreen
from oso_tui.screens.omzetten import diff_view
from oso_tui.screens.viewmodels import DiffView, NietOvergenomen
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.widgets.plain import visible
from oso_tui.widgets.tabel import RowTable
from tests.ui.conftest import make_app, settle
from tests.ui.stub import StubBackend, stap_plan

LANG = "Een lange toelichting die over meer dan vijf regels loopt. " * 12
HOSTILE = "[bold]vet[/bold] \x1b[2J weg"


class LongStub(StubBackend):
    """A stub whose diff has thirty lines, every third equal and the last one a long value (more than
    80x24 shows at once), and two values that the step does not take over."""

    def plan(self, aanvraag_id: str, stap: str, *, plaatsing: Mapping[str, str] | None = None) -> DiffView:
        dossier = {f"{stap}.veld{i:02}": LANG if i == 29 else f"waarde {i}" for i in range(30)}
        geregistreerd = {pad: waarde for pad, waarde in dossier.items() if int(pad[-2:]) % 3 == 0}
        niet = [
            NietOvergenomen(
                pad="huidigeschool/metadata/pakketnaam",
                waarde="Leerlingvolgpakket Voorbeeld",
                reden="technische gegevens van het pakket van de vorige school",
                stap=stap,
            ),
            NietOvergenomen(pad="huidigeschool/leerling/roepnaam", waarde=HOSTILE, reden="reden", stap=stap),
        ]
        plan = stap_plan(self._row(aanvraag_id), stap, geregistreerd, dossier, niet_overgenomen=niet)
        return diff_view(aanvraag_id, plan, zorg=True)


async def open_diff(app: OsoApp, pilot) -> DiffScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = DiffScreen("a1", "loopbaan")
    app.push_screen(screen)
    await settle(pilot)
    return screen


def cursor_in_sight(table: RowTable) -> bool:
    """The cursor row lies wholly inside the part of the table that is on screen, below its header."""
    top = round(table.scroll_y)
    rows = table.scrollable_content_region.height - 1  # the header takes the first line
    return rows > 0 and top <= table.cursor_row < top + rows


def cell_texts(table: RowTable, column: int) -> list[str]:
    return [table.cell_text(i, column) for i in range(table.row_count)]


async def test_the_cursor_row_stays_in_sight_at_80x24_with_the_detail_pane_large() -> None:
    app = make_app(LongStub())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(app, pilot)
        table = screen.query_one(RowTable)
        await pilot.press("end")  # to the last row, not sideways
        await settle(pilot)
        assert table.cursor_row == table.row_count - 1
        assert cursor_in_sight(table)
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_row == 0 and cursor_in_sight(table)
        for _ in range(table.row_count):
            await pilot.press("down")
        await settle(pilot)
        assert table.cursor_row == table.row_count - 1
        assert cursor_in_sight(table)
        await pilot.press("up", "up")  # onto the long value: the pane asks for more room
        await pilot.press("v")
        await settle(pilot)
        pane = screen.query_one("#diff-detail", Static)
        assert pane.has_class("groot") and pane.region.height > 5
        assert cursor_in_sight(table)
        assert table.region.bottom <= pane.region.y  # the pane lies below the table, not over it
        for _ in range(5):
            await pilot.press("up")
            await settle(pilot)
            assert cursor_in_sight(table)


async def test_the_long_value_is_shown_whole_and_wrapped_once_the_pane_is_large() -> None:
    app = make_app(LongStub())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(app, pilot)
        table = screen.query_one(RowTable)
        table.move_cursor(29)
        await settle(pilot)
        pane = screen.query_one("#diff-detail", Static)
        assert "v: alles tonen" in str(pane.render())
        await pilot.press("v")
        await settle(pilot)
        shown = str(pane.render())
        assert "v: alles tonen" not in shown
        assert shown.count("Een lange toelichting") == 12
        assert pane.region.height >= len(Text(shown).wrap(app.console, pane.region.width - 2)) - 1


async def test_g_hides_and_shows_the_equal_lines_and_the_footer_says_which() -> None:
    app = make_app(LongStub())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(app, pilot)
        table = screen.query_one(RowTable)

        def footer() -> list[str]:
            return [k.description for k in screen.query(FooterKey)]

        assert "Gelijk weg" in footer() and "Gelijk tonen" not in footer()
        total = table.row_count
        table.move_cursor(4)  # veld 04, not equal: the cursor stays on it
        await pilot.press("g")
        await settle(pilot)
        assert table.row_count == total - 10
        assert "gelijk" not in cell_texts(table, 5)
        assert table.cell_text(table.cursor_row, 2) == "loopbaan.veld04"
        assert "Gelijk tonen" in footer() and "Gelijk weg" not in footer()
        assert "10 gelijk verborgen →" in str(screen.query_one("#modus", Static).render())
        await pilot.press("g")
        await settle(pilot)
        assert table.row_count == total
        assert "Gelijk weg" in footer()


async def test_every_key_of_the_diff_fits_in_the_footer_at_80_columns() -> None:
    app = make_app(LongStub())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(app, pilot)
        keys = {k.description: k for k in screen.query(FooterKey)}
        for wanted in ("Hulp", "Stoppen", "Annuleren", "Modus", "Kies", "Toepassen", "Gelijk weg"):
            assert wanted in keys
            assert keys[wanted].region.right <= 80 and keys[wanted].region.width > 0


async def test_values_not_taken_over_have_their_own_section_as_plain_text() -> None:
    app = make_app(LongStub())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(app, pilot)
        table = screen.query_one(RowTable)
        sections = cell_texts(table, 1)
        assert sections[-2:] == ["Niet overg.", "Niet overg."]
        assert cell_texts(table, 2)[-2:] == ["pakketnaam", "roepnaam"]
        hostile, tone = table.rows[-1][4]
        assert tone == "" and visible(hostile) == "[bold]vet[/bold] \\x1b[2J weg"
        table.move_cursor(table.row_count - 1)
        await settle(pilot)
        drawn = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "[bold]vet[/" in drawn and "\x1b" not in drawn  # drawn as text, spelled out
        table.move_cursor(table.row_count - 2)
        await settle(pilot)
        detail = str(screen.query_one("#diff-detail", Static).render())
        assert "huidigeschool/metadata/pakketnaam" in detail
        assert "technische gegevens van het pakket" in detail
        await pilot.press("space")  # not a choice: nothing changes
        await settle(pilot)
        assert screen.view is not None and not screen.view.keuzes


async def test_the_real_plan_lists_what_the_personalia_step_does_not_take_over(
    seeded: tuple[Store, Settings],
) -> None:
    """Over the services: the app asks the plan for its verantwoording, so the section is filled."""
    from tests.ui.test_flows_demo import app_for, open_pupil

    app = app_for(*seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_pupil(pilot, "zonneveld")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen) and screen.view is not None
        paths = [n.pad for n in screen.view.niet_overgenomen]
        assert any(p.endswith("metadata/pakketnaam") for p in paths)
        table = screen.query_one(RowTable)
        assert "Niet overg." in cell_texts(table, 1)
        dates = {r[2][0]: r[4][0] for r in table.rows}
        assert dates["Geboortedatum"] == "02-04-2015"
