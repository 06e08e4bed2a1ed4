"""What the screens show, as plain data, and the one interface through which they get it.

Screens never call services themselves: they talk to a `Backend`. Where a service's result is what a
screen shows, the screen gets it as it is: the request list the services' row
(`oso_tui.services.AanvraagRegel`), the step picker their `Stappenoverzicht`, the diff their `StapPlan`
(re-chosen purely by `oso_tui.screens.omzetten.herkies`), the values a step does not take over the
domain's `NietOvergenomen`. The dataclasses here hold only what exists for display (a diff line's
verdict label, a field's provenance text). The wiring to the real services is one adapter
(`oso_tui.screens.backend.ServiceBackend`). Nothing here imports Textual.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from oso_tui.dossier.models import NietOvergenomen as NietOvergenomen
from oso_tui.masking import mask_pgn as mask_pgn

if TYPE_CHECKING:
    from oso_tui.exchange.models import DossierVersie
    from oso_tui.services.listing import AanvraagRegel
    from oso_tui.services.planning import Stappenoverzicht, StapPlan
    from oso_tui.services.worklist import TodoRegel

STATUSES: tuple[str, ...] = ("aangevraagd", "klaargezet", "opgehaald", "mislukt", "verlopen", "ingetrokken")
STAPPEN: tuple[str, ...] = ("personalia", "loopbaan", "begeleiding")
STAP_LABELS: Mapping[str, str] = {
    "personalia": "Personalia en plaatsing",
    "loopbaan": "Schoolloopbaan",
    "begeleiding": "Begeleiding",
}
MODES: tuple[str, ...] = ("aanvullen", "overschrijven")

Oordeel = Literal["nieuw", "gelijk", "gewijzigd", "alleen geregistreerd"]
Progress = Callable[[int, int], None]
"""Called as progress(done, total) from a worker thread; it raises `AfgebrokenError` when the user pressed
Escape, and the backend then stops where the store is whole."""


class AfgebrokenError(Exception):
    """The user stopped a long job (Escape); raised from the progress callback."""


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def stappen_code(regel: AanvraagRegel, nieuwer: Sequence[str] = ()) -> str:
    """Two characters per step: P/L/B registered, a dot outstanding, then `*` when a newer dossier
    version waits for that registered step (legend in the help)."""
    return "".join(
        (s[0].upper() if s in regel.stappen else "·") + ("*" if s in nieuwer else " ") for s in STAPPEN
    )


def school(regel: AanvraagRegel) -> str:
    """The school as the screens show it: BRIN and branch apart."""
    return f"{regel.brin} {regel.vestiging}"


@dataclass(frozen=True)
class Overzicht:
    """The summary bar: counts per status and registered pupils."""

    per_status: Mapping[str, int]
    leerlingen: int

    @property
    def totaal(self) -> int:
        return sum(self.per_status.values())

    @classmethod
    def van(cls, rows: Sequence[AanvraagRegel]) -> Overzicht:
        """Counted from the list itself: no second read of the store at start-up."""
        per_status = dict.fromkeys(STATUSES, 0)
        for row in rows:
            per_status[row.status] = per_status.get(row.status, 0) + 1
        pupils = {row.leerling_id for row in rows if row.leerling_id and row.stappen}
        return cls(per_status, len(pupils))


@dataclass(frozen=True)
class NieuweAanvraag:
    """The fields of the new-request form, already checked by the form."""

    pgn: str
    geboortedatum: date
    brin: str
    vestiging: str = "00"
    achternaam: str | None = None


@dataclass(frozen=True)
class CsvRegel:
    """One row of a CSV preview: good (`fout` None) or refused with its reason."""

    regel: int
    pgn: str
    geboortedatum: str
    brin: str
    achternaam: str = ""
    fout: str | None = None
    overgeslagen: str | None = None


@dataclass(frozen=True)
class CsvVoorbeeld:
    """What a collective request would do, before anything is stored."""

    regels: Sequence[CsvRegel]

    @property
    def goed(self) -> int:
        return sum(1 for r in self.regels if r.fout is None and r.overgeslagen is None)

    @property
    def al_aangevraagd(self) -> int:
        return sum(1 for r in self.regels if r.overgeslagen is not None)

    @property
    def geweigerd(self) -> int:
        return sum(1 for r in self.regels if r.fout is not None)


@dataclass(frozen=True)
class DiffRegel:
    """One field (or list row) of a step's diff, with what applying would do to it."""

    sleutel: str
    sectie: str
    veld: str
    geregistreerd: str
    dossier: str
    oordeel: Oordeel
    lijst: Literal["", "toegevoegd", "gewijzigd", "ontbreekt"] = ""
    wijzigt: bool = False
    keuze: str | None = None
    keuzes: tuple[str, ...] = ()

    @property
    def kiesbaar(self) -> bool:
        return self.oordeel != "gelijk" and bool(self.keuzes)

    def omgekeerd(self) -> str:
        """The per-field choice that flips this line: keep what is registered, or take (or clear) it."""
        if self.wijzigt:
            return "behouden"
        return "wissen" if self.oordeel == "alleen geregistreerd" else "overnemen"


@dataclass(frozen=True)
class DiffView:
    """Everything the diff screen shows for one step of one request.

    `handle` is the services' plan the lines come from: re-choosing (`omzetten.herkies`) recomputes it
    without the store, and applying hands it back to the services.
    """

    aanvraag_id: str
    stap: str
    naam: str
    versie_id: str
    versie_datum: date | None
    regels: Sequence[DiffRegel]
    handle: StapPlan
    mode: str = "aanvullen"
    keuzes: Mapping[str, str] = field(default_factory=dict)
    waarschuwingen: Sequence[str] = ()
    fouten: Sequence[str] = ()
    plaatsing: Mapping[str, str] | None = None
    al_geregistreerd: bool = False
    niet_overgenomen: Sequence[NietOvergenomen] = ()

    @property
    def wijzigingen(self) -> int:
        return sum(1 for r in self.regels if r.wijzigt)


@dataclass(frozen=True)
class Toepassing:
    """The user's decision on the diff screen."""

    view: DiffView
    waarschuwingen_gezien: bool
    plaatsing: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Veld:
    """A registered value and where it came from."""

    label: str
    waarde: str
    herkomst: str = ""


@dataclass(frozen=True)
class HistorieRegel:
    moment: datetime
    stap: str
    actie: str
    door: str
    versie_datum: date | None
    velden: int


@dataclass(frozen=True)
class Bijlage:
    index: int
    bestandsnaam: str
    omschrijving: str
    grootte: int


@dataclass(frozen=True)
class LeerlingView:
    """The registered pupil per step, with provenance; care data only for the zorg role."""

    naam: str
    pgn: str
    per_stap: Mapping[str, Sequence[Veld]]
    historie: Sequence[HistorieRegel]
    bijlagen: Sequence[Bijlage] = ()
    zorg_zichtbaar: bool = False


@dataclass(frozen=True)
class Melding:
    """A result of an action: one Dutch sentence and how serious it is."""

    tekst: str
    ernst: Literal["information", "warning", "error"] = "information"


@dataclass(frozen=True)
class Koppeling:
    """A fetched dossier whose surname differs from the request: linking needs the user's yes."""

    sleutel: str
    tekst: str


@dataclass(frozen=True)
class FetchResultaat:
    melding: Melding
    te_bevestigen: Sequence[Koppeling] = ()


@dataclass
class Gebruiker:
    naam: str
    rollen: tuple[str, ...] = field(default_factory=tuple)
    rollen_uit_config: bool = False

    @property
    def zorg(self) -> bool:
        return "zorg" in self.rollen


class Backend(Protocol):
    """The use cases the UI needs; every method may raise `oso_tui.errors.OsoError` with a Dutch message.

    Methods run in worker threads, so they may block; they never touch Textual.
    """

    @property
    def gebruiker(self) -> Gebruiker: ...

    def today(self) -> date: ...

    def generation(self) -> int: ...

    def expire(self) -> str | None:
        """Apply expiry after the summer; the notice to show once when something expired, else None."""
        ...

    def list_requests(self) -> list[AanvraagRegel]: ...

    def todo(self) -> list[TodoRegel]:
        """Pupils with a step outstanding or a newer version for a registered step, most work first."""
        ...

    def request_one(self, aanvraag: NieuweAanvraag) -> Melding: ...

    def preview_csv(self, path: Path) -> CsvVoorbeeld: ...

    def request_csv(self, path: Path) -> Melding: ...

    def default_sinds(self, aanvraag_id: str) -> date | None:
        """The date a renewal asks for by default: that of the newest version received, or None."""
        ...

    def renew(self, ids: Sequence[str], sinds: date | None = None) -> Melding: ...

    def withdraw(self, ids: Sequence[str]) -> Melding: ...

    def print_overview(self) -> Melding: ...

    def inbox(self) -> Path | None:
        """The folder a fetch reads from, or None when dossiers come from elsewhere (the demo)."""
        ...

    def choose_inbox(self, folder: Path) -> None:
        """Fetch from `folder` for the rest of this session."""
        ...

    def fetch(self, progress: Progress | None = None, bevestig: Sequence[str] = ()) -> FetchResultaat: ...

    def detail(self, aanvraag_id: str) -> tuple[AanvraagRegel, Stappenoverzicht]:
        """The request's row and its step picker, as the services give them."""
        ...

    def plan(
        self, aanvraag_id: str, stap: str, *, plaatsing: Mapping[str, str] | None = None
    ) -> DiffView: ...

    def apply(self, toepassing: Toepassing) -> Melding: ...

    def register_many(
        self,
        ids: Sequence[str],
        stap: str,
        progress: Progress | None = None,
        *,
        plaatsing: Mapping[str, str] | None = None,
    ) -> Melding:
        """Aanvullen for each pupil; `plaatsing` places new pupils (personalia), asked once."""
        ...

    def undo(self, aanvraag_id: str, stap: str) -> Melding: ...

    def pupil(self, aanvraag_id: str, *, met_zorg: bool = False) -> LeerlingView: ...

    def save_attachment(self, aanvraag_id: str, index: int, folder: Path) -> Melding: ...

    def versions(self, aanvraag_id: str) -> list[DossierVersie]: ...

    def version_fields(self, versie_id: str) -> list[Veld]: ...
