"""What the request list does with requests: new, from a CSV, renew, withdraw, fetch, register, print.

The list screen (`oso_tui.screens.aanvragen`) keeps the rows, the filter and the selection; this base
class holds the actions on the requests it targets (the selection, or else the row under the cursor),
each a dialog and then a worker whose result comes back as `Gedaan`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.reactive import var

from oso_tui.screens.base import ProgressScreen
from oso_tui.screens.kolommen import Gedaan
from oso_tui.screens.viewmodels import AfgebrokenError, Koppeling, Melding, mask_pgn

if TYPE_CHECKING:
    from oso_tui.services import AanvraagRegel


class RequestActionsScreen(ProgressScreen):
    """The actions of the request list; the list itself says what they act on."""

    selected: var[frozenset[str]] = var(frozenset(), init=False)
    """The ids of the chosen requests."""

    def targets(self) -> list[AanvraagRegel]:
        """The selection, or else the row under the cursor."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the list again."""
        raise NotImplementedError

    def action_new_request(self) -> None:
        from oso_tui.screens.modals import NewRequestModal

        self.app.push_screen(NewRequestModal(today=self.backend.today()), callback=self._new_request_done)

    def _new_request_done(self, melding: Melding | None) -> None:
        if melding is not None:
            self.notify(melding.tekst, severity=melding.ernst)
            self.reload()

    def action_csv_request(self) -> None:
        from oso_tui.screens.modals import CsvRequestModal

        self.app.push_screen(CsvRequestModal(), callback=self._new_request_done)

    def _confirm(self, question: str, then: Callable[[], object], *, yes: str = "Ja") -> None:
        from oso_tui.screens.modals import ConfirmModal

        def answered(ok: bool | None) -> None:
            if ok:
                then()

        self.app.push_screen(ConfirmModal(question, yes=yes), callback=answered)

    def _names(self, rows: Sequence[AanvraagRegel]) -> str:
        if len(rows) == 1:
            return rows[0].naam or mask_pgn(rows[0].pgn)
        return f"{len(rows)} aanvragen"

    def action_renew(self) -> None:
        rows = self.targets()
        if not rows:
            return
        from oso_tui.screens.hernieuwen import RenewModal

        modal = RenewModal([r.id for r in rows], self._names(rows), self.backend.today())
        self.app.push_screen(modal, callback=self._renewed)

    def _renewed(self, melding: Melding | None) -> None:
        if melding is not None:
            self.post_message(Gedaan(melding))

    def action_withdraw(self) -> None:
        rows = self.targets()
        if not rows:
            return
        ids = [r.id for r in rows]
        self._confirm(
            f"{self._names(rows)} intrekken? De school zet dan niets meer klaar.",
            lambda: self._run(lambda: self.backend.withdraw(ids)),
            yes="Intrekken",
        )

    def action_fetch(self) -> None:
        """Show the inbox folder first (changeable), unless the dossiers come from the demo."""
        inbox = self.backend.inbox()
        if inbox is None:
            self.fetch()
            return
        from oso_tui.screens.ophalen import FetchModal

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                if folder != inbox:
                    self.backend.choose_inbox(folder)
                self.fetch()

        self.app.push_screen(FetchModal(inbox), callback=chosen)

    def fetch(self, bevestig: Sequence[str] = ()) -> None:
        self._start_progress("Dossiers ophalen (Escape breekt af)")
        self._fetch(list(bevestig))

    @work(thread=True, exclusive=True, exit_on_error=False, group="actie")
    def _fetch(self, bevestig: list[str]) -> None:
        """Escape stops while dossiers are read, before anything is written: the store stays as it was."""
        try:
            result = self.backend.fetch(self.progress, bevestig)
        except AfgebrokenError:
            self.post_message(
                Gedaan(Melding("Ophalen afgebroken; er is geen dossier opgeslagen.", "warning"))
            )
            return
        self.post_message(Gedaan(result.melding, result.te_bevestigen))

    def _confirm_links(self, pending: Sequence[Koppeling], confirmed: list[str]) -> None:
        """Name mismatches: ask one by one, then fetch again with the confirmed ones linked."""
        if not pending:
            if confirmed:
                self.fetch(confirmed)
            return
        from oso_tui.screens.modals import ConfirmModal

        koppeling = pending[0]

        def answered(ok: bool | None) -> None:
            self._confirm_links(pending[1:], [*confirmed, koppeling.sleutel] if ok else confirmed)

        self.app.push_screen(
            ConfirmModal(koppeling.tekst, yes="Koppelen", no="Niet koppelen"), callback=answered
        )

    def action_register(self) -> None:
        from oso_tui.screens.modals import ChoiceModal

        rows = self.targets()
        if not rows:
            return

        def chosen(stap: str | None) -> None:
            if stap:
                self.register_selected(stap)

        self.app.push_screen(
            ChoiceModal(
                f"Welke stap registreren voor {self._names(rows)}?",
                [
                    ("personalia", "Personalia"),
                    ("loopbaan", "Schoolloopbaan"),
                    ("begeleiding", "Begeleiding"),
                ],
            ),
            callback=chosen,
        )

    def register_selected(self, stap: str) -> None:
        """Collective registration: aanvullen only; dossiers with warnings are left for a careful look."""
        rows = [r for r in self.targets() if r.laatste_dossierdatum is not None]
        if not rows:
            self.notify("Geen aanvragen met een opgehaald dossier in de selectie.", severity="warning")
            return
        ids = [r.id for r in rows]

        def start(plaatsing: dict[str, str] | None = None) -> None:
            self._start_progress(f"Registreren: {stap} (Escape breekt af)")
            self._register(ids, stap, plaatsing)

        if stap == "personalia":
            from oso_tui.screens.plaatsing import PlacementModal

            def placed(plaatsing: dict[str, str] | None) -> None:
                if plaatsing is not None:
                    start(plaatsing)

            self.app.push_screen(PlacementModal(self._names(rows)), callback=placed)
            return
        self._confirm(
            f"Stap {stap} registreren (aanvullen) voor {self._names(rows)}? "
            "Dossiers met waarschuwingen worden overgeslagen: open die afzonderlijk.",
            start,
            yes="Registreren",
        )

    def action_print_overview(self) -> None:
        """The printable class overview (HTML, and PDF when Chromium is there) beside the database."""
        self._run(self.backend.print_overview)

    @work(thread=True, exclusive=True, exit_on_error=False, group="actie")
    def _register(self, ids: list[str], stap: str, plaatsing: dict[str, str] | None) -> None:
        """Escape stops between two pupils: the store keeps whole pupils only."""
        melding = self.backend.register_many(ids, stap, self.progress, plaatsing=plaatsing)
        self.post_message(Gedaan(melding))

    @work(thread=True, exclusive=True, exit_on_error=False, group="actie")
    def _run(self, job: Callable[[], Melding]) -> None:
        self.post_message(Gedaan(job()))

    @on(Gedaan)
    def _done(self, message: Gedaan) -> None:
        long_job = self.busy
        self._stop_progress()
        melding = message.melding
        self.notify(melding.tekst, severity=melding.ernst, timeout=8 if long_job else None)
        self.selected = frozenset()
        self.reload()
        if message.koppelingen:
            self._confirm_links(message.koppelingen, [])

    def work_failed(self, group: str) -> None:
        if group == "actie":
            self._stop_progress()
            self.reload()
