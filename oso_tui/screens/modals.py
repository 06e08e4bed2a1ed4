"""Typed modals: confirm, choose, ask for a folder, a new request, a collective request from CSV."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, DirectoryTree, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from oso_tui.dossier.identifiers import validate_brin, validate_pgn, validate_vestiging
from oso_tui.errors import OsoError
from oso_tui.screens.base import OsoDialog, Resultaat, oso_app
from oso_tui.screens.viewmodels import CsvVoorbeeld, Melding, NieuweAanvraag, mask_pgn
from oso_tui.widgets.plain import plain, visible


def parse_nl_date(value: str) -> date:
    """A date as people type it: 12-03-2015, 12-3-2015 or 2015-03-12."""
    text = value.strip()
    if not text:
        raise ValueError("Vul de geboortedatum in.")
    parts = text.replace("/", "-").replace(".", "-").split("-")
    try:
        if len(parts) == 3 and len(parts[0]) == 4:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 3 and len(parts[2]) == 4:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise ValueError(f"'{value}' bestaat niet als datum.") from None
    raise ValueError(f"'{value}' is geen datum: schrijf dd-mm-jjjj, bijvoorbeeld 14-02-2015.")


ResultT = TypeVar("ResultT")


def dialoog(dialog_id: str, keys: str, *, breed: bool = False) -> Vertical:
    """A dialog's frame with its keys in the bottom border: a dialog has no footer, and at 80x24 a
    line of its own would push the buttons out of sight."""
    box = Vertical(classes="dialoog breed" if breed else "dialoog", id=dialog_id)
    box.border_subtitle = plain(keys)
    return box


class Aangevraagd(Resultaat[Melding]):
    """One request or a collective one is stored."""


class CsvGelezen(Resultaat[CsvVoorbeeld]):
    """What a collective request would do; nothing stored yet."""

    def __init__(self, value: CsvVoorbeeld, *, veranderd: bool = False) -> None:
        super().__init__(value)
        self.veranderd = veranderd
        """The file changed between the preview and Aanvragen: nothing was requested."""


class OsoModal(OsoDialog[ResultT | None]):
    """Common behaviour: Escape cancels, cursor blink follows the app (off in tests)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="modal.annuleren"),
    ]

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = oso_app(self).blink

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """Yes or no; the default button is No so that Enter never does harm by accident.

    The question is shown as text, never markup: it usually names a pupil or a file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "no", "Nee", id="bevestig.nee"),
        Binding("j", "yes", "Ja", id="bevestig.ja", show=False),
    ]

    def __init__(self, question: str, *, yes: str = "Ja", no: str = "Annuleren") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        keys = f"j: {self.yes_label.lower()} · Enter: knop met focus · Tab: andere knop · Esc: annuleren"
        with dialoog("bevestig", keys):
            yield Static(plain(self.question), id="vraag")
            with Horizontal(classes="knoppen"):
                yield Button(self.no_label, id="nee")
                yield Button(self.yes_label, id="ja", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#nee", Button).focus()

    @on(Button.Pressed, "#ja")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#nee")
    def action_no(self) -> None:
        self.dismiss(False)


class ChoiceModal(ModalScreen[str | None]):
    """Pick one of a few options."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren", id="keuze.annuleren")]

    def __init__(self, question: str, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.options = options

    def compose(self) -> ComposeResult:
        with dialoog("keuze", "↑↓: kiezen · Enter: bevestigen · Esc: annuleren"):
            yield Static(plain(self.question), id="vraag")
            yield OptionList(*[Option(plain(label), id=key) for key, label in self.options], id="opties")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptModal(ModalScreen[str | None]):
    """Ask for one line of text, e.g. the folder to save an attachment in."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren", id="vraag.annuleren")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with dialoog("prompt", "Enter: OK · Esc: annuleren"):
            yield Static(plain(self.question), id="vraag")
            yield Input(self.value, id="antwoord")
            with Horizontal(classes="knoppen"):
                yield Button("Annuleren", id="nee")
                yield Button("OK", id="ja", variant="primary")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = oso_app(self).blink
        field.focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ja")
    def _ok(self) -> None:
        self.dismiss(self.query_one(Input).value.strip() or None)

    @on(Button.Pressed, "#nee")
    def action_cancel(self) -> None:
        self.dismiss(None)


class NewRequestModal(OsoModal[Melding]):
    """A request for one pupil; each field is checked as it is typed (elfproef, date, BRIN)."""

    FIELDS = ("pgn", "geboortedatum", "brin", "vestiging", "achternaam")

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with dialoog("nieuw", "Tab: volgend veld · Enter: aanvragen · Esc: annuleren"):
            yield Static("Nieuwe aanvraag", classes="titel")
            with Horizontal(classes="veld"):
                yield Label("BSN of onderwijsnummer", classes="label")
                yield Input(id="pgn", placeholder="9 cijfers", max_length=14)
            yield Static("", id="pgn-melding", classes="melding")
            with Horizontal(classes="veld"):
                yield Label("Geboortedatum", classes="label")
                yield Input(id="geboortedatum", placeholder="dd-mm-jjjj", max_length=10)
            yield Static("", id="geboortedatum-melding", classes="melding")
            with Horizontal(classes="veld"):
                yield Label("BRIN school", classes="label")
                yield Input(id="brin", placeholder="bijv. 12AB", max_length=4)
                yield Label("vestiging", classes="label kort")
                yield Input("00", id="vestiging", max_length=2, classes="kort")
            yield Static("", id="brin-melding", classes="melding")
            with Horizontal(classes="veld"):
                yield Label("Achternaam (optioneel)", classes="label")
                yield Input(id="achternaam")
            yield Static("", id="achternaam-melding", classes="melding")
            with Horizontal(classes="knoppen"):
                yield Button("Annuleren", id="nee")
                yield Button("Aanvragen", id="ja", variant="primary", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#pgn", Input).focus()

    def check(self, name: str, value: str) -> str | None:
        """The Dutch complaint about one field, or None when it is fine (empty is not yet a complaint)."""
        try:
            if name == "pgn":
                validate_pgn(value)
            elif name == "geboortedatum":
                born = parse_nl_date(value)
                if born >= self.today:
                    return "De geboortedatum ligt niet in het verleden."
                if born.year < self.today.year - 25:
                    return "Deze geboortedatum is meer dan 25 jaar geleden; klopt die?"
            elif name == "brin":
                validate_brin(value)
            elif name == "vestiging":
                validate_vestiging(value)
        except OsoError as exc:
            return exc.message
        except ValueError as exc:
            return str(exc)
        return None

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        problem = self.check(name, event.value) if event.value.strip() else None
        if problem:
            self.errors[name] = problem
        else:
            self.errors.pop(name, None)
        target = "brin" if name == "vestiging" else name
        shown = self.errors.get(name) or (self.errors.get("vestiging") if target == "brin" else None)
        melding = self.query_one(f"#{target}-melding", Static)
        if shown:
            melding.update(plain(f"✗ {shown}", style="bold"))
        elif event.value.strip() and name == "pgn":
            from oso_tui.dossier.identifiers import pgn_kind

            melding.update(plain(f"✓ geldig {pgn_kind(event.value) or ''}".rstrip()))
        else:
            melding.update("")
        melding.set_class(bool(shown), "fout")
        complete = all(self._value(n).strip() for n in ("pgn", "geboortedatum", "brin"))
        self.query_one("#ja", Button).disabled = bool(self.errors) or not complete

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        ids = [n for n in self.FIELDS]
        name = event.input.id or ""
        if not self.query_one("#ja", Button).disabled:
            self._submit()
        elif name in ids and ids.index(name) + 1 < len(ids):
            self.query_one(f"#{ids[ids.index(name) + 1]}", Input).focus()

    def form(self) -> NieuweAanvraag:
        return NieuweAanvraag(
            pgn=validate_pgn(self._value("pgn")),
            geboortedatum=parse_nl_date(self._value("geboortedatum")),
            brin=validate_brin(self._value("brin")),
            vestiging=validate_vestiging(self._value("vestiging")),
            achternaam=self._value("achternaam").strip() or None,
        )

    @on(Button.Pressed, "#ja")
    def _submit(self) -> None:
        try:
            aanvraag = self.form()
        except (OsoError, ValueError) as exc:
            self.notify(getattr(exc, "message", str(exc)), severity="error")
            return
        self.query_one("#ja", Button).disabled = True
        self._request(aanvraag)

    @work(thread=True, exclusive=True, exit_on_error=False, group="aanvraag")
    def _request(self, aanvraag: NieuweAanvraag) -> None:
        self.post_message(Aangevraagd(self.backend.request_one(aanvraag)))

    @on(Aangevraagd)
    def _requested(self, message: Aangevraagd) -> None:
        self.dismiss(message.value)

    def work_failed(self, group: str) -> None:
        self.query_one("#ja", Button).disabled = False

    @on(Button.Pressed, "#nee")
    def _cancel(self) -> None:
        self.dismiss(None)


class CsvTree(DirectoryTree):
    """Folders and CSV files only; a file name is shown as text, whatever it holds."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() == ".csv")]

    def process_label(self, label: str | Text) -> Text:
        return plain(label) if isinstance(label, str) else label


class CsvRequestModal(OsoModal[Melding]):
    """A collective request: choose a CSV, see good and refused rows, then request all good ones at once."""

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path()
        self.voorbeeld: CsvVoorbeeld | None = None
        self.path: Path | None = None

    def compose(self) -> ComposeResult:
        keys = "Enter op pad of bestand: voorbeeld · Aanvragen: de goede rijen daarvan · Esc: annuleren"
        with dialoog("csv", keys, breed=True):
            yield Static("Collectieve aanvraag uit een CSV-bestand", classes="titel")
            yield Static(
                "Kolommen: pgn; geboortedatum; brin; vestiging (optioneel); achternaam (optioneel).",
                classes="uitleg",
            )
            yield Input(placeholder="pad naar het CSV-bestand, of kies hieronder", id="pad")
            yield CsvTree(self.start, id="bestanden")
            yield Static("Nog geen bestand gekozen.", id="csv-samenvatting")
            table: DataTable[str | Text] = DataTable(id="voorbeeld", cursor_type="row")
            yield table
            with Horizontal(classes="knoppen"):
                yield Button("Annuleren", id="nee")
                yield Button("Aanvragen", id="ja", variant="primary", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#voorbeeld", DataTable)
        verdict = max(24, min(60, self.app.size.width - 48))
        for label, width in (("Rij", 4), ("PGN", 9), ("Geboren", 10), ("BRIN", 5), ("Oordeel", verdict)):
            table.add_column(label, width=width)
        table.display = False
        self.query_one("#pad", Input).focus()

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#pad", Input).value = visible(str(event.path))
        self.preview(event.path)

    @on(Input.Changed, "#pad")
    def _path_changed(self, event: Input.Changed) -> None:
        """A path other than the one previewed: Aanvragen waits for its preview (Enter)."""
        if self.path is not None and event.value.strip() != visible(str(self.path)):
            self.query_one("#ja", Button).disabled = True

    @on(Input.Submitted, "#pad")
    def _path_typed(self, event: Input.Submitted) -> None:
        """The path as typed; the chosen file's own path when the field still shows its spelled-out name."""
        if self.path is not None and event.value == visible(str(self.path)):
            self.preview(self.path)
        elif event.value.strip():
            self.preview(Path(event.value.strip()).expanduser())

    def preview(self, path: Path) -> None:
        self.path = path
        self.query_one("#ja", Button).disabled = True
        self.query_one("#csv-samenvatting", Static).update(plain(f"{path.name} lezen…"))
        self._preview(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="csv")
    def _preview(self, path: Path) -> None:
        self.post_message(CsvGelezen(self.backend.preview_csv(path)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="csv")
    def _request(self, path: Path, shown: CsvVoorbeeld) -> None:
        """Request only what the preview showed: a file changed since then is previewed again instead."""
        now = self.backend.preview_csv(path)
        if now != shown:
            self.post_message(CsvGelezen(now, veranderd=True))
            return
        self.post_message(Aangevraagd(self.backend.request_csv(path)))

    @on(Aangevraagd)
    def _requested(self, message: Aangevraagd) -> None:
        self.dismiss(message.value)

    @on(CsvGelezen)
    def _show(self, message: CsvGelezen) -> None:
        voorbeeld = self.voorbeeld = message.value
        table = self.query_one("#voorbeeld", DataTable)
        table.clear()
        table.add_rows(
            [
                plain(str(r.regel)),
                plain(mask_pgn(r.pgn) if r.fout is None else r.pgn[:9]),
                plain(r.geboortedatum),
                plain(r.brin),
                plain(f"✗ {r.fout}", style=self.tone("fout"))
                if r.fout is not None
                else plain(f"overgeslagen: {r.overgeslagen}", style=self.tone("let-op"))
                if r.overgeslagen
                else Text("goed", style=self.tone("goed")),
            ]
            for r in sorted(
                voorbeeld.regels, key=lambda r: (r.fout is None, r.overgeslagen is not None, r.regel)
            )
        )
        table.display = True
        self.query_one("#bestanden").display = False
        summary = f"{voorbeeld.goed} goed, {voorbeeld.geweigerd} geweigerd"
        if voorbeeld.al_aangevraagd:
            wordt = "wordt" if voorbeeld.al_aangevraagd == 1 else "worden"
            summary += f", {voorbeeld.al_aangevraagd} al aangevraagd ({wordt} overgeslagen)"
        summary += ". Er is nog niets opgeslagen."
        self.query_one("#csv-samenvatting", Static).update(plain(summary))
        button = self.query_one("#ja", Button)
        button.label = f"Aanvragen ({voorbeeld.goed})"
        button.disabled = voorbeeld.goed == 0
        if message.veranderd:
            self.notify(
                "Het bestand is veranderd sinds het voorbeeld; er is niets aangevraagd. Bekijk het nieuwe "
                "voorbeeld en vraag opnieuw aan.",
                severity="warning",
            )

    @on(Button.Pressed, "#ja")
    def _submit(self) -> None:
        if self.path is None or self.voorbeeld is None:
            return
        self.query_one("#ja", Button).disabled = True
        self._request(self.path, self.voorbeeld)

    @on(Button.Pressed, "#nee")
    def _cancel(self) -> None:
        self.dismiss(None)
