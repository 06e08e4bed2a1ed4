"""Records of requests and received dossier versions, and the status machine of a request.

The OSO standard defines no statuses; these are our own. Every change of status is kept with its date
so a user (or an auditor) can see when a request was made, renewed, fetched or withdrawn.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.errors import RefusedError

Status = Literal["aangevraagd", "klaargezet", "opgehaald", "mislukt", "verlopen", "ingetrokken"]
STATUSES: tuple[Status, ...] = get_args(Status)

# Waiting requests: a dossier is expected; these expire after the summer vacation.
WAITING: frozenset[Status] = frozenset({"aangevraagd", "klaargezet"})
# A request in one of these statuses blocks a second request for the same PGN.
OPEN: frozenset[Status] = frozenset(set(STATUSES) - {"ingetrokken"})
# Renewal asks the sending school again; it makes sense once something came (or went wrong).
RENEWABLE: frozenset[Status] = frozenset({"opgehaald", "mislukt", "verlopen"})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    "aangevraagd": frozenset({"klaargezet", "opgehaald", "mislukt", "verlopen", "ingetrokken"}),
    "klaargezet": frozenset({"aangevraagd", "opgehaald", "mislukt", "verlopen", "ingetrokken"}),
    "opgehaald": frozenset({"aangevraagd", "ingetrokken"}),
    "mislukt": frozenset({"aangevraagd", "opgehaald", "mislukt", "verlopen", "ingetrokken"}),
    "verlopen": frozenset({"aangevraagd", "ingetrokken"}),
    "ingetrokken": frozenset(),
}

STATUS_LABELS: dict[Status, str] = {
    "aangevraagd": "aangevraagd",
    "klaargezet": "klaargezet",
    "opgehaald": "opgehaald",
    "mislukt": "mislukt",
    "verlopen": "verlopen (hernieuwen nodig)",
    "ingetrokken": "ingetrokken",
}


class StatusWijziging(BaseModel):
    """One step in the life of a request: from which status to which, when, by whom and why."""

    model_config = ConfigDict(frozen=True)

    van: Status | None
    naar: Status
    datum: date
    door: str = ""
    reden: str | None = None


class AanvraagKop(BaseModel):
    """A request without its status history: what lists read, validated at a third of the cost."""

    model_config = ConfigDict(frozen=True)

    id: str
    pgn: str
    geboortedatum: date
    brin: str
    vestiging: str = "00"
    achternaam: str | None = None
    status: Status = "aangevraagd"
    reden: str | None = None
    aangemaakt: date
    sinds: date | None = None
    leerling_id: str | None = None
    versies: list[str] = Field(default_factory=list)


class Aanvraag(AanvraagKop):
    """A request for one pupil's dossier, to one sending school."""

    statushistorie: list[StatusWijziging] = Field(default_factory=list)

    @property
    def school(self) -> str:
        return f"{self.brin}{self.vestiging}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING

    def can_become(self, status: Status) -> bool:
        return status in TRANSITIONS[self.status]

    def with_status(
        self, status: Status, *, datum: date, door: str = "", reden: str | None = None
    ) -> Aanvraag:
        """A copy in `status`, the change kept in the history; refused when the machine does not allow it."""
        if not self.can_become(status):
            raise RefusedError(
                f"Een aanvraag met status '{self.status}' kan niet naar '{status}' "
                f"(PGN eindigt op {self.pgn[-3:]})."
            )
        change = StatusWijziging(van=self.status, naar=status, datum=datum, door=door, reden=reden)
        return self.model_copy(
            update={
                "status": status,
                "reden": reden,
                "statushistorie": [*self.statushistorie, change],
            }
        )


def new_aanvraag(
    *,
    id: str,
    pgn: str,
    geboortedatum: date,
    brin: str,
    vestiging: str = "00",
    achternaam: str | None = None,
    datum: date,
    door: str = "",
) -> Aanvraag:
    """A fresh request in `aangevraagd`, its creation the first history entry."""
    return Aanvraag(
        id=id,
        pgn=pgn,
        geboortedatum=geboortedatum,
        brin=brin,
        vestiging=vestiging,
        achternaam=achternaam or None,
        status="aangevraagd",
        aangemaakt=datum,
        statushistorie=[StatusWijziging(van=None, naar="aangevraagd", datum=datum, door=door)],
    )


class DossierVersie(BaseModel):
    """One received dossier of a request; `id` is the sha256 of the raw XML (the content address)."""

    model_config = ConfigDict(frozen=True)

    id: str
    aanvraag_id: str
    pgn: str
    datum: date
    standaardversie: str | None = None
    ontvangen: datetime
    bron: str
    naam: str = ""
    waarschuwingen: list[str] = Field(default_factory=list)
    verwijderd: bool = False


class ZonderAanvraag(BaseModel):
    """A dossier in the inbox that matches no request: it stays there and is listed, not stored."""

    model_config = ConfigDict(frozen=True)

    id: str
    bron: str
    pgn: str | None = None
    naam: str = ""
    datum: date | None = None
    brin: str | None = None
    gezien: date
