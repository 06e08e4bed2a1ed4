"""Listing: the request list, its counts, one request by id, and the dossier versions behind them.

The list reads only the fields it shows (`scan` into small models), so opening thousands of
requests costs milliseconds, not the full records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.datums import toon_datum
from oso_tui.dossier.identifiers import validate_pgn
from oso_tui.errors import RefusedError, UsageError
from oso_tui.exchange.models import (
    OPEN,
    STATUSES,
    Aanvraag,
    AanvraagKop,
    DossierVersie,
    Status,
    ZonderAanvraag,
)
from oso_tui.masking import pgn_tail
from oso_tui.records import View, aanvragen, dossiers, leerlingen, tellingen
from oso_tui.registration.models import STAPPEN
from oso_tui.services.context import Context

if TYPE_CHECKING:
    from oso_tui.dossier import Dossier


class AanvraagRegel(BaseModel):
    """One row of the request list, as the UI and `oso-tui list` show it."""

    model_config = ConfigDict(frozen=True)

    id: str
    pgn: str
    naam: str
    geboortedatum: date
    school: str
    brin: str
    vestiging: str
    status: Status
    reden: str | None
    aangemaakt: date
    sinds: date | None
    laatste_dossierdatum: date | None
    versies: int
    versiedatums: list[date]
    stappen: list[str]
    leerling_id: str | None
    hernieuwen_nodig: bool


class StatusTelling(BaseModel):
    """Counts for `oso-tui status` and the UI's header."""

    totaal: int
    per_status: dict[str, int]
    leerlingen: int
    dossiers: int
    zonder_aanvraag: int
    hernieuwen_nodig: int

    def as_json(self) -> dict[str, Any]:
        return {
            "aanvragen": {"totaal": self.totaal, "per_status": self.per_status},
            "leerlingen": self.leerlingen,
            "dossiers": self.dossiers,
            "zonder_aanvraag": self.zonder_aanvraag,
            "hernieuwen_nodig": self.hernieuwen_nodig,
        }


class VersieKop(BaseModel):
    """The fields of a dossier version the list shows (and the to-do list builds on)."""

    model_config = ConfigDict(frozen=True)

    id: str
    datum: date
    ontvangen: datetime
    naam: str = ""
    verwijderd: bool = False


class _StatusKop(BaseModel):
    """What the counts read of a request."""

    model_config = ConfigDict(frozen=True)

    id: str
    status: Status = "aangevraagd"
    versies: list[str] = Field(default_factory=list)


class _Aanwezig(BaseModel):
    """What the counts read of a dossier version: whether its raw dossier is still kept."""

    model_config = ConfigDict(frozen=True)

    id: str
    verwijderd: bool = False


class _LeerlingRef(BaseModel):
    """A pupil's row in the overview table: all this area reads of the registered pupils."""

    id: str
    pgn: str | None = None
    stappen: list[str] = Field(default_factory=list)


_V = TypeVar("_V", DossierVersie, VersieKop)


def latest(versies: Sequence[_V]) -> _V | None:
    """The newest version: by dossier date, then by when it arrived."""
    return max(versies, key=lambda v: (v.datum, v.ontvangen), default=None)


def _step_order(stap: str) -> tuple[int, str]:
    """Registration steps in their natural order, unknown keys after them."""
    order: tuple[str, ...] = STAPPEN
    return (order.index(stap) if stap in order else len(order), stap)


_Kop = tuple[date, datetime, str, bool]
"""What a row reads of a dossier version: its date, when it arrived, the name in it, whether purged."""


def _kop(versie: VersieKop) -> _Kop:
    return (versie.datum, versie.ontvangen, versie.naam, versie.verwijderd)


def _row(a: AanvraagKop, eigen: list[_Kop], stappen: list[str] | None) -> AanvraagRegel:
    newest = max(eigen, key=lambda v: (v[0], v[1]), default=None)
    # Validating the row is cheaper than model_construct, whose per-field loop runs in Python.
    return AanvraagRegel(
        id=a.id,
        pgn=a.pgn,
        naam=(newest[2] if newest and newest[2] else a.achternaam or ""),
        geboortedatum=a.geboortedatum,
        school=f"{a.brin}-{a.vestiging}",
        brin=a.brin,
        vestiging=a.vestiging,
        status=a.status,
        reden=a.reden,
        aangemaakt=a.aangemaakt,
        sinds=a.sinds,
        laatste_dossierdatum=newest[0] if newest else None,
        versies=len(eigen),
        versiedatums=sorted(v[0] for v in eigen),
        stappen=sorted(stappen, key=_step_order) if stappen else [],
        leerling_id=a.leerling_id,
        hernieuwen_nodig=a.status == "verlopen" or bool(newest and newest[3]),
    )


class UnknownRequestError(RefusedError):
    """No request has the id asked for (a colleague's withdrawal and purge, or a typo)."""

    def __init__(self, aanvraag_id: str) -> None:
        super().__init__(f"Aanvraag {aanvraag_id} bestaat niet.")


def require_request(view: View, aanvraag_id: str) -> Aanvraag:
    """One request by its id (the app's rows carry it), read alone."""
    aanvraag = aanvragen.get(view, aanvraag_id)
    if aanvraag is None:
        raise UnknownRequestError(aanvraag_id)
    return aanvraag


def list_requests(
    ctx: Context, status: Status | None = None, earlier: Mapping[str, AanvraagRegel] | None = None
) -> list[AanvraagRegel]:
    """Rows for the request list, newest request first, then by name; optionally only one status.

    A row equal to one in `earlier` (the list read before) is that very object: reading the list
    again after a change holds one copy of the rows that did not change, not two. The versions and
    pupils are kept as the few values a row needs, and the requests read one stored file at a time
    and made rows at once: reading the list costs little more memory than the rows themselves.
    """
    if status is not None and status not in STATUSES:
        raise UsageError(f"Onbekende status '{status}'; kies uit {', '.join(STATUSES)}.")
    rows = []
    with ctx.store.snapshot() as view:
        versies = {v.id: _kop(v) for v in dossiers.each(view, VersieKop)}
        refs = {ref.id: ref.stappen for ref in leerlingen.overview_each(view, _LeerlingRef)}
        for a in aanvragen.each(view, AanvraagKop):
            if status is not None and a.status != status:
                continue
            row = _row(a, [versies[v] for v in a.versies if v in versies], refs.get(a.leerling_id or ""))
            same = earlier.get(row.id) if earlier is not None else None
            rows.append(same if same is not None and same == row else row)
    del versies, refs
    rows.sort(key=lambda r: (r.naam.casefold(), r.pgn))
    rows.sort(key=lambda r: r.aangemaakt, reverse=True)
    return rows


def get_request_row(ctx: Context, aanvraag_id: str) -> AanvraagRegel:
    """The list row of one request, read by its id (not by building the whole list)."""
    with ctx.store.snapshot() as view:
        found = require_request(view, aanvraag_id)
        eigen = [
            _kop(VersieKop.model_validate(v, from_attributes=True)) for v in dossiers.of_request(view, found)
        ]
        ref = leerlingen.overview_row(view, found.leerling_id, _LeerlingRef) if found.leerling_id else None
    return _row(found, eigen, ref.stappen if ref is not None else None)


def list_unmatched(ctx: Context) -> list[ZonderAanvraag]:
    """Dossiers left in the inbox at the last fetch because no request matches them."""
    with ctx.store.snapshot() as view:
        rows = aanvragen.unmatched(view)
    return sorted(rows, key=lambda z: z.bron)


def count_statuses(ctx: Context) -> StatusTelling:
    """The counts for `oso-tui status` and the UI's header: from the counts record that every save
    keeps (see `records.tellingen`), or by reading the tables where there is none yet."""
    with ctx.store.snapshot() as view:
        telling = tellingen.read(view)
        if telling is not None:
            return StatusTelling(
                totaal=telling.aanvragen,
                per_status=telling.per_status(STATUSES),
                leerlingen=leerlingen.count(view),
                dossiers=telling.aanwezig,
                zonder_aanvraag=aanvragen.count_unmatched(view),
                hernieuwen_nodig=telling.waarden.get("status:verlopen", 0) + telling.opgeschoond,
            )
        heads = aanvragen.scan(view, _StatusKop)
        registered = leerlingen.count(view)
        versies = dossiers.scan(view, _Aanwezig)
        zonder = aanvragen.count_unmatched(view)
    per = Counter(a.status for a in heads)
    present = {v.id for v in versies if not v.verwijderd}
    purged = sum(
        1 for a in heads if a.status == "opgehaald" and a.versies and not present.intersection(a.versies)
    )
    return StatusTelling(
        totaal=len(heads),
        per_status={s: per.get(s, 0) for s in STATUSES},
        leerlingen=registered,
        dossiers=len(present),
        zonder_aanvraag=zonder,
        hernieuwen_nodig=per.get("verlopen", 0) + purged,
    )


def get_request(ctx: Context, *, pgn: str | None = None, id: str | None = None) -> Aanvraag:
    """The request by id, or the open (else most recent) request of a PGN."""
    with ctx.store.snapshot() as view:
        if id is not None:
            return require_request(view, id)
        if pgn is None:
            raise UsageError("Geef een PGN of een aanvraag-id.")
        pgn = validate_pgn(pgn)
        mine = aanvragen.of_pgn(view, pgn)
    if not mine:
        raise RefusedError(f"Er is geen aanvraag voor {pgn_tail(pgn)}.")
    return sorted(mine, key=lambda a: (a.status in OPEN, a.aangemaakt))[-1]


def list_versions(ctx: Context, aanvraag: Aanvraag) -> list[DossierVersie]:
    """The dossier versions of a request, oldest first (by dossier date)."""
    with ctx.store.snapshot() as view:
        versies = dossiers.of_request(view, aanvraag)
    return sorted(versies, key=lambda v: (v.datum, v.ontvangen))


def load_dossier(ctx: Context, versie: DossierVersie) -> Dossier:
    """Parse a stored version again from its raw XML (the store keeps bytes, not models)."""
    if versie.verwijderd or not ctx.store.has_raw(versie.id):
        raise RefusedError(
            f"Het dossier van {toon_datum(versie.datum)} ({pgn_tail(versie.pgn)}) is na de zomervakantie "
            "verwijderd; hernieuw de aanvraag voor een nieuw dossier."
        )
    from oso_tui.dossier.parser import DEFAULT_MAX_BYTES
    from oso_tui.services.reading import parse_version

    gelezen = parse_version(
        ctx, versie, max_bytes=DEFAULT_MAX_BYTES, verantwoording=True, source_name=versie.bron
    )
    dossier = gelezen.dossier
    if dossier is None:
        raise RefusedError(f"Het opgeslagen dossier {versie.bron} kan niet meer gelezen worden.")
    return dossier


def get_version(ctx: Context, versie_id: str) -> tuple[DossierVersie, Dossier]:
    """One stored dossier version by id (its sha256) and its parsed content."""
    with ctx.store.snapshot() as view:
        versie = dossiers.get(view, versie_id)
    if versie is None:
        raise RefusedError(f"Dossierversie {versie_id[:12]} bestaat niet.")
    return versie, load_dossier(ctx, versie)


def latest_dossier(ctx: Context, pgn: str) -> tuple[DossierVersie, Dossier]:
    """The newest received dossier of a PGN (over all its requests) and its parsed content."""
    pgn = validate_pgn(pgn)
    with ctx.store.snapshot() as view:
        versies = dossiers.of_pgn(view, pgn)
    if not versies:
        raise RefusedError(f"Er is nog geen dossier ontvangen voor {pgn_tail(pgn)}.")
    present = [v for v in versies if not v.verwijderd]
    newest = latest(present) or latest(versies)
    assert newest is not None
    return newest, load_dossier(ctx, newest)
