"""Requests and fetching: one place for each use case, shared by the CLI and the UI.

Every function takes the store, the settings and the user (the OS login) and does its writing in ONE
store transaction, so a collective action lands completely or not at all. Reading and validating many
dossiers happens before the transaction (with a progress callback); matching happens inside it, against
the fresh state, so two sessions fetching at once cannot link one dossier twice.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from oso_tui import collector
from oso_tui.dossier.identifiers import pgn_kind, validate_brin, validate_pgn, validate_vestiging
from oso_tui.errors import OsoError, ReadError, RefusedError, UsageError
from oso_tui.exchange import opschonen
from oso_tui.exchange.base import Binnenkomend, Exchange, ItemGoneError
from oso_tui.exchange.csvimport import CsvFout, CsvRegel, read_csv_bytes, read_csv_file
from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.models import (
    OPEN,
    RENEWABLE,
    STATUSES,
    Aanvraag,
    AanvraagKop,
    DossierVersie,
    Status,
    ZonderAanvraag,
    new_aanvraag,
)
from oso_tui.settings import Settings
from oso_tui.store import RawBatch, Store
from oso_tui.store.audit import record_audit
from oso_tui.store.tables import AANVRAGEN, DOSSIERS, LEERLINGOVERZICHT

if TYPE_CHECKING:
    from oso_tui.dossier import Dossier


ZONDER_AANVRAAG = "zonder_aanvraag"
"""Table of dossiers in the inbox that matched no request at the last fetch (metadata only, no raw XML)."""


Progress = Callable[[int, int, str], None]
"""Called as progress(done, total, item_name) while fetching; runs in the caller's thread."""

Uitkomst = Literal[
    "opgehaald",
    "nieuwe versie",
    "al ontvangen",
    "geen nieuwe gegevens",
    "ongeldig",
    "afwijkend",
    "zonder aanvraag",
    "bevestiging nodig",
    "aanvraag verlopen",
    "verouderd",
]
"""What became of one fetched item. A file whose bytes the store holds leaves the inbox for the first
three and an identical "geen nieuwe gegevens"; an older one, "ongeldig", "afwijkend" and "verouderd" go
to rejected/ with the reason; the others stay in the inbox."""


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Overgeslagen:
    """A CSV row not made into a request because the PGN already has an open request."""

    regel: CsvRegel
    status: Status


@dataclass
class CsvAanvragen:
    """Preview or outcome of a collective request: what is (or would be) made, skipped and refused."""

    gemaakt: list[Aanvraag] = field(default_factory=list)
    overgeslagen: list[Overgeslagen] = field(default_factory=list)
    geweigerd: list[CsvFout] = field(default_factory=list)
    opgeslagen: bool = False
    regels: list[CsvRegel] = field(default_factory=list)  # the CSV rows behind `gemaakt`, same order

    def samenvatting(self) -> str:
        werkwoord = "gemaakt" if self.opgeslagen else "te maken"
        return (
            f"{len(self.gemaakt)} aanvragen {werkwoord}, {len(self.overgeslagen)} overgeslagen "
            f"(al aangevraagd), {len(self.geweigerd)} rijen geweigerd."
        )


@dataclass
class Hernieuwing:
    """Outcome of a (collective) renewal."""

    hernieuwd: list[Aanvraag] = field(default_factory=list)
    overgeslagen: list[tuple[str, str]] = field(default_factory=list)  # (pgn, reden)
    sinds: date | None = None

    def samenvatting(self) -> str:
        text = f"{len(self.hernieuwd)} aanvragen hernieuwd"
        if self.sinds is not None:
            text += f" (nieuwe gegevens vanaf {self.sinds.isoformat()})"
        if self.overgeslagen:
            text += f", {len(self.overgeslagen)} niet hernieuwd"
        return text + "."


@dataclass(frozen=True)
class FetchRegel:
    """One fetched item: its name, what became of it and why."""

    naam: str
    uitkomst: Uitkomst
    reden: str = ""
    pgn: str | None = None
    aanvraag_id: str | None = None
    sha256: str | None = None
    datum: date | None = None


@dataclass(frozen=True)
class Bevestiging:
    """A dossier whose surname differs from the request's: linking needs the user's confirmation."""

    sha256: str
    bron: str
    pgn: str
    aanvraag_id: str
    naam_dossier: str
    naam_aanvraag: str


@dataclass
class FetchReport:
    """What one fetch did; `te_bevestigen` lists the name mismatches left in the inbox."""

    regels: list[FetchRegel] = field(default_factory=list)
    klaargezet: int = 0
    te_bevestigen: list[Bevestiging] = field(default_factory=list)
    bron: str = ""
    meldingen: list[str] = field(default_factory=list)  # problems after storing, e.g. a file not moved

    @property
    def telling(self) -> Counter[str]:
        return Counter(r.uitkomst for r in self.regels)

    @property
    def nieuw(self) -> int:
        return self.telling["opgehaald"] + self.telling["nieuwe versie"]

    @property
    def geweigerd(self) -> int:
        return self.telling["ongeldig"] + self.telling["afwijkend"] + self.telling["verouderd"]

    def samenvatting(self) -> str:
        t = self.telling
        if not self.regels and not self.klaargezet:
            return f"Geen dossiers gevonden ({self.bron})." if self.bron else "Geen dossiers gevonden."
        parts = [f"{len(self.regels)} dossiers bekeken: {t['opgehaald']} opgehaald"]
        for label in (
            "nieuwe versie",
            "al ontvangen",
            "geen nieuwe gegevens",
            "ongeldig",
            "afwijkend",
            "zonder aanvraag",
            "bevestiging nodig",
            "aanvraag verlopen",
            "verouderd",
        ):
            if t[label]:
                parts.append(f"{t[label]} {label}")
        return ", ".join(parts) + "."


@dataclass
class Opschoning:
    """Outcome of expiry: requests that expired and raw dossiers purged."""

    verlopen: list[Aanvraag] = field(default_factory=list)
    opgeschoond: list[DossierVersie] = field(default_factory=list)

    def samenvatting(self) -> str:
        return (
            f"{len(self.verlopen)} aanvragen verlopen (hernieuwen nodig), "
            f"{len(self.opgeschoond)} dossiers opgeschoond."
        )


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


class _VersieKop(BaseModel):
    """The fields of a dossier version the list shows."""

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


# ---------------------------------------------------------------------------------------------
# Helpers


def _new_id() -> str:
    return uuid.uuid4().hex


def _pgn_tail(pgn: str) -> str:
    return f"PGN …{pgn[-3:]}"


def _open_by_pgn(aanvragen: Iterable[Aanvraag]) -> dict[str, Aanvraag]:
    return {a.pgn: a for a in aanvragen if a.status in OPEN}


def _leerlingen_by_pgn(tx_or_view: Any) -> dict[str, str]:
    """Registered pupils by PGN, read once per transaction (a scan per dossier would be quadratic)."""
    return {
        ref.pgn: ref.id for ref in tx_or_view.collection(LEERLINGOVERZICHT, _LeerlingRef).all() if ref.pgn
    }


def _leerling_for(tx_or_view: Any, pgn: str) -> str | None:
    for ref in tx_or_view.collection(LEERLINGOVERZICHT, _LeerlingRef).where(pgn=pgn):
        return str(ref.id)
    return None


def _norm_name(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().casefold()
    return "".join(ch for ch in text if ch.isalnum())


def names_agree(gevraagd: str | None, achternaam: str, voorvoegsel: str | None) -> bool:
    """A surname typed in the request agrees with the dossier's, with or without its voorvoegsel."""
    if not gevraagd:
        return True
    want = _norm_name(gevraagd)
    options = {_norm_name(achternaam), _norm_name(f"{voorvoegsel or ''}{achternaam}")}
    return want in options


# ---------------------------------------------------------------------------------------------
# Requests


def request_one(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgn: str,
    geboortedatum: date,
    brin: str,
    vestiging: str = "00",
    achternaam: str | None = None,
) -> Aanvraag:
    """Make one request; refused when the PGN already has an open request (renew that one instead)."""
    pgn = validate_pgn(pgn)
    brin = validate_brin(brin)
    vestiging = vestiging.strip()
    vestiging = validate_vestiging(
        "0" + vestiging if len(vestiging) == 1 and vestiging.isdigit() else vestiging
    )
    today = settings.today()
    if geboortedatum >= today:
        raise UsageError(f"Geboortedatum {geboortedatum.isoformat()} ligt niet in het verleden.")
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Aanvraag)
        existing = _open_by_pgn(coll.where(pgn=pgn)).get(pgn)
        if existing is not None:
            raise RefusedError(
                f"Er is al een aanvraag voor {_pgn_tail(pgn)} (status {existing.status}); hernieuw die "
                "aanvraag of trek haar eerst in."
            )
        aanvraag = new_aanvraag(
            id=_new_id(),
            pgn=pgn,
            geboortedatum=geboortedatum,
            brin=brin,
            vestiging=vestiging,
            achternaam=(achternaam or "").strip() or None,
            datum=today,
            door=user,
        )
        leerling_id = _leerling_for(tx, pgn)
        if leerling_id:
            aanvraag = aanvraag.model_copy(update={"leerling_id": leerling_id})
        coll.put(aanvraag)
    return aanvraag


def _classify_csv(
    regels: Sequence[CsvRegel],
    fouten: Sequence[CsvFout],
    existing: Iterable[Aanvraag],
    today: date,
    user: str,
) -> CsvAanvragen:
    open_by_pgn = _open_by_pgn(existing)
    result = CsvAanvragen(geweigerd=list(fouten))
    for regel in regels:
        if regel.geboortedatum >= today:
            cells = {"pgn": regel.pgn, "geboortedatum": regel.geboortedatum.isoformat(), "brin": regel.brin}
            result.geweigerd.append(CsvFout(regel.rij, "geboortedatum ligt niet in het verleden", cells))
            continue
        current = open_by_pgn.get(regel.pgn)
        if current is not None:
            result.overgeslagen.append(Overgeslagen(regel, current.status))
            continue
        result.regels.append(regel)
        result.gemaakt.append(
            new_aanvraag(
                id=_new_id(),
                pgn=regel.pgn,
                geboortedatum=regel.geboortedatum,
                brin=regel.brin,
                vestiging=regel.vestiging,
                achternaam=regel.achternaam,
                datum=today,
                door=user,
            )
        )
    result.geweigerd.sort(key=lambda f: f.rij)
    return result


def _read_csv(source: Path | bytes, settings: Settings) -> tuple[list[CsvRegel], list[CsvFout]]:
    parsed = (
        read_csv_file(source, settings.max_csv_bytes) if isinstance(source, Path) else read_csv_bytes(source)
    )
    return parsed.regels, parsed.fouten


def preview_csv(store: Store, settings: Settings, user: str, source: Path | bytes) -> CsvAanvragen:
    """What `request_csv` would do with this file, without writing anything."""
    regels, fouten = _read_csv(source, settings)
    with store.snapshot() as view:
        existing = view.collection(AANVRAGEN, Aanvraag).all()
    return _classify_csv(regels, fouten, existing, settings.today(), user)


def request_csv(store: Store, settings: Settings, user: str, source: Path | bytes) -> CsvAanvragen:
    """A collective request: every good new row becomes a request, all in one transaction."""
    regels, fouten = _read_csv(source, settings)
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Aanvraag)
        result = _classify_csv(regels, fouten, coll.all(), settings.today(), user)
        leerlingen = _leerlingen_by_pgn(tx)
        result.gemaakt = [
            a.model_copy(update={"leerling_id": leerlingen[a.pgn]}) if a.pgn in leerlingen else a
            for a in result.gemaakt
        ]
        coll.put_many(result.gemaakt)
    result.opgeslagen = True
    return result


def renew(
    store: Store,
    settings: Settings,
    user: str,
    *,
    pgns: Sequence[str] = (),
    ids: Sequence[str] = (),
    alle: bool = False,
    sinds: date | None = None,
) -> Hernieuwing:
    """Renewed request on a selection (PGNs or ids) or on all renewable requests, in one action.

    Each goes back to `aangevraagd` with `sinds` (default today): only a dossier compiled on or after
    that date counts. `alle` takes every request that is `opgehaald`, `mislukt` or `verlopen`.
    """
    today = settings.today()
    sinds = sinds or today
    if sinds > today:
        raise UsageError(f"De datum 'sinds' ({sinds.isoformat()}) ligt in de toekomst.")
    if not (alle or pgns or ids):
        raise UsageError("Kies welke aanvragen: geef PGN's of ids, of 'alle'.")
    wanted_pgns = [validate_pgn(p) for p in pgns]
    result = Hernieuwing(sinds=sinds)
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Aanvraag)
        everything = coll.all()
        targets: dict[str, Aanvraag] = {}
        if alle:
            targets = {a.id: a for a in everything if a.status in RENEWABLE}
        open_by_pgn = _open_by_pgn(everything)
        for pgn in wanted_pgns:
            found = open_by_pgn.get(pgn)
            if found is None:
                result.overgeslagen.append((pgn, "geen open aanvraag voor dit PGN"))
            else:
                targets.setdefault(found.id, found)
        by_id = {a.id: a for a in everything}
        for ident in ids:
            found = by_id.get(ident)
            if found is None:
                result.overgeslagen.append((ident, "onbekende aanvraag"))
            else:
                targets.setdefault(found.id, found)
        for aanvraag in targets.values():
            if aanvraag.status not in RENEWABLE:
                reden = (
                    "wacht al op een dossier"
                    if aanvraag.status in ("aangevraagd", "klaargezet")
                    else f"status {aanvraag.status}"
                )
                result.overgeslagen.append((aanvraag.pgn, reden))
                continue
            renewed = aanvraag.with_status(
                "aangevraagd", datum=today, door=user, reden="hernieuwd"
            ).model_copy(update={"sinds": sinds})
            result.hernieuwd.append(renewed)
        coll.put_many(result.hernieuwd)
    return result


def withdraw(store: Store, settings: Settings, user: str, *, pgn: str) -> Aanvraag:
    """Withdraw the open request of a PGN; received dossiers and registered data stay."""
    pgn = validate_pgn(pgn)
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Aanvraag)
        found = _open_by_pgn(coll.where(pgn=pgn)).get(pgn)
        if found is None:
            raise RefusedError(f"Er is geen open aanvraag voor {_pgn_tail(pgn)}.")
        changed = found.with_status("ingetrokken", datum=settings.today(), door=user, reden="ingetrokken")
        coll.put(changed)
    return changed


def withdraw_many(store: Store, settings: Settings, user: str, ids: Sequence[str]) -> list[Aanvraag]:
    """Withdraw a selection of requests by id in one action; refused (nothing changes) if one cannot be."""
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Aanvraag)
        changed = []
        for ident in dict.fromkeys(ids):
            found = coll.get(ident)
            if found is None:
                raise RefusedError(f"Aanvraag {ident} bestaat niet.")
            if found.status == "ingetrokken":
                raise RefusedError(f"De aanvraag voor {_pgn_tail(found.pgn)} is al ingetrokken.")
            changed.append(
                found.with_status("ingetrokken", datum=settings.today(), door=user, reden="ingetrokken")
            )
        coll.put_many(changed)
    return changed


# ---------------------------------------------------------------------------------------------
# Fetching


@dataclass
class _Gelezen:
    """One item after reading: what matching needs, without the raw bytes."""

    item: Binnenkomend
    sha256: str | None = None
    fout: str | None = None
    pgn: str | None = None
    geboortedatum: date | None = None
    brin: str | None = None
    datum: date | None = None
    standaardversie: str | None = None
    naam: str = ""
    achternaam: str = ""
    voorvoegsel: str | None = None
    waarschuwingen: list[str] = field(default_factory=list)
    raw_saved: bool = False
    weg: bool = False  # gone before it could be read: another session took it


def _read_item(
    batch: RawBatch,
    settings: Settings,
    exchange: Exchange,
    item: Binnenkomend,
    keep_raw: Callable[[str | None, str], bool],
) -> _Gelezen:
    gelezen = _Gelezen(item=item)
    try:
        if item.grootte is not None and item.grootte > settings.max_dossier_bytes:
            raise ReadError(
                f"Het bestand is groter dan {settings.max_dossier_bytes // (1024 * 1024)} MB "
                "en wordt niet gelezen."
            )
        raw = exchange.lees(item)
        from oso_tui.dossier.parser import read_dossier  # lxml and the rules load on first use

        result = read_dossier(raw, max_bytes=settings.max_dossier_bytes, source_name=item.naam, model=False)
    except ItemGoneError:
        gelezen.weg = True
        return gelezen
    except OsoError as exc:
        gelezen.fout = exc.message
        return gelezen
    gelezen.sha256 = result.sha256
    kop = result.kop
    if kop is not None:
        gelezen.pgn = kop.pgn
        gelezen.geboortedatum = kop.geboortedatum
        gelezen.brin = kop.brin
        gelezen.datum = kop.datum
        gelezen.standaardversie = result.version
        gelezen.naam = kop.naam
        gelezen.achternaam = kop.achternaam
        gelezen.voorvoegsel = kop.voorvoegsel
    if not result.ok or kop is None:
        first = result.errors[0] if result.errors else None
        where = f" (regel {first.line})" if first is not None and first.line else ""
        more = f" en nog {len(result.errors) - 1} fout(en)" if len(result.errors) > 1 else ""
        message = first.message.rstrip(".") if first else "Het dossier kan niet gelezen worden"
        gelezen.fout = f"{message}{where}{more}"
        return gelezen
    if not gelezen.pgn:
        gelezen.fout = "Het dossier bevat geen BSN of onderwijsnummer"
        return gelezen
    if pgn_kind(gelezen.pgn) is None:
        gelezen.fout = f"Het dossier bevat '{gelezen.pgn}', geen geldig BSN of onderwijsnummer"
        return gelezen
    gelezen.waarschuwingen = [w.message for w in result.warnings]
    if keep_raw(gelezen.pgn, result.sha256):
        batch.put(result.raw)  # nothing is written if it is there already
        gelezen.raw_saved = True
    return gelezen


_V = TypeVar("_V", DossierVersie, _VersieKop)


def _latest(versies: Sequence[_V]) -> _V | None:
    """The newest version: by dossier date, then by when it arrived."""
    return max(versies, key=lambda v: (v.datum, v.ontvangen), default=None)


@dataclass
class _Besluit:
    item: Binnenkomend
    regel: FetchRegel
    actie: Literal["verwerkt", "afgewezen", "laten"]


def fetch(
    store: Store,
    settings: Settings,
    exchange: Exchange,
    user: str,
    *,
    bevestig: bool | Collection[str] = False,
    progress: Progress | None = None,
) -> FetchReport:
    """Fetch what the exchange offers: validate, match, store, and tell the exchange what became of it.

    `bevestig` confirms name mismatches: True for all, or the sha256 ids from `FetchReport.te_bevestigen`.
    """
    with collector.paused():  # thousands of dossiers, no cycles: see oso_tui.collector
        return _fetch(store, settings, exchange, user, bevestig=bevestig, progress=progress)


def _fetch(
    store: Store,
    settings: Settings,
    exchange: Exchange,
    user: str,
    *,
    bevestig: bool | Collection[str],
    progress: Progress | None,
) -> FetchReport:
    now = settings.clock.now()  # one reading: statuses, versions and audit share the day
    today = now.date()
    expire(store, settings, user, nu=now)
    report = FetchReport(bron=exchange.naam)
    with store.snapshot() as view:
        aanvragen = view.collection(AANVRAGEN, Aanvraag).all()
        known_ids = set(view.collection(DOSSIERS, DossierVersie).ids())
    open_pgns = {a.pgn for a in aanvragen if a.status in OPEN}

    def keep_raw(pgn: str | None, sha: str) -> bool:
        return pgn in open_pgns and sha not in known_ids

    waiting = [a for a in aanvragen if a.is_waiting]
    prepared = exchange.klaargezet(waiting)
    items = exchange.binnenkomend(aanvragen)
    total = len(items)
    gelezen: list[_Gelezen] = []
    with store.raw_batch() as batch:  # one pack file, on disk when the block ends
        for index, item in enumerate(items, start=1):
            gelezen.append(_read_item(batch, settings, exchange, item, keep_raw))
            if progress is not None:
                progress(index, total, item.naam)
    gelezen = [g for g in gelezen if not g.weg]
    gelezen.sort(key=lambda g: (g.datum or date.min, g.item.naam))
    besluiten: list[_Besluit] = []
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Aanvraag)
        dossiers = tx.collection(DOSSIERS, DossierVersie)
        current = {a.id: a for a in coll.all()}
        original = dict(current)
        changed: dict[str, Aanvraag] = {}
        for ident in prepared:
            aanvraag = current.get(ident)
            if aanvraag is not None and aanvraag.status == "aangevraagd":
                current[ident] = changed[ident] = aanvraag.with_status("klaargezet", datum=today, door=user)
                report.klaargezet += 1
        known = {v.id: v for v in dossiers.all()}
        new_versions: list[DossierVersie] = []
        zonder: list[ZonderAanvraag] = []
        by_pgn: dict[str, str] = {a.pgn: a.id for a in current.values() if a.status in OPEN}
        leerlingen: dict[str, str] | None = None
        for g in gelezen:
            besluit = _decide(g, current, by_pgn, known, bevestig, report, settings, today)
            stores = besluit.regel.uitkomst in ("opgehaald", "nieuwe versie")
            if stores and not g.raw_saved and not (g.sha256 and store.has_raw(g.sha256)):
                # A request made by someone else while we were reading: fetch this one next time.
                besluit = _Besluit(
                    g.item,
                    replace(besluit.regel, uitkomst="zonder aanvraag", reden="Haal opnieuw op."),
                    "laten",
                )
            besluiten.append(besluit)
            r = besluit.regel
            if r.uitkomst in ("opgehaald", "nieuwe versie") and r.aanvraag_id and g.sha256 and g.datum:
                versie = DossierVersie(
                    id=g.sha256,
                    aanvraag_id=r.aanvraag_id,
                    pgn=g.pgn or "",
                    datum=g.datum,
                    standaardversie=g.standaardversie,
                    ontvangen=now,
                    bron=f"{exchange.naam}: {g.item.naam}" if exchange.naam else g.item.naam,
                    naam=g.naam,
                    waarschuwingen=g.waarschuwingen,
                )
                known[versie.id] = versie
                new_versions.append(versie)
                aanvraag = current[r.aanvraag_id]
                update: dict[str, Any] = {"versies": [*aanvraag.versies, versie.id]}
                if aanvraag.leerling_id is None:
                    if leerlingen is None:
                        leerlingen = _leerlingen_by_pgn(tx)
                    update["leerling_id"] = leerlingen.get(aanvraag.pgn)
                if aanvraag.status != "opgehaald":
                    aanvraag = aanvraag.with_status("opgehaald", datum=today, door=user)
                current[r.aanvraag_id] = changed[r.aanvraag_id] = aanvraag.model_copy(update=update)
            elif r.uitkomst in ("ongeldig", "afwijkend") and r.aanvraag_id:
                aanvraag = current[r.aanvraag_id]
                if aanvraag.status in ("aangevraagd", "klaargezet", "mislukt"):
                    current[r.aanvraag_id] = changed[r.aanvraag_id] = aanvraag.with_status(
                        "mislukt", datum=today, door=user, reden=r.reden
                    )
            elif r.uitkomst == "zonder aanvraag" and g.sha256:
                zonder.append(
                    ZonderAanvraag(
                        id=g.sha256,
                        bron=g.item.naam,
                        pgn=g.pgn,
                        naam=g.naam,
                        datum=g.datum,
                        brin=g.brin,
                        gezien=today,
                    )
                )
        for b in besluiten:
            aid = b.regel.aanvraag_id
            if (
                b.regel.uitkomst != "geen nieuwe gegevens"
                or aid is None
                or current[aid].status != "klaargezet"
            ):
                continue
            if original[aid].status == "aangevraagd" and changed.get(aid) is current[aid]:
                # Marked prepared a moment ago, but what was prepared is not new: as if nothing happened.
                current[aid] = original[aid]
                del changed[aid]
                report.klaargezet -= 1
            else:
                current[aid] = changed[aid] = current[aid].with_status(
                    "aangevraagd", datum=today, door=user, reden="geen nieuwe gegevens"
                )
        coll.put_many(changed.values())
        dossiers.put_many(new_versions)
        _replace_zonder_aanvraag(tx, zonder)
        opschonen.onthoud(tx, exchange)
        if new_versions or changed:
            record_audit(
                tx,
                user=user,
                actie="ophalen",
                detail=f"{len(new_versions)} dossiers opgehaald via {exchange.naam or 'uitwisseling'}",
                wanneer=now,
            )
    stored = {v.id for v in new_versions} | set(known)
    store.remove_raw_many(g.sha256 for g in gelezen if g.raw_saved and g.sha256 and g.sha256 not in stored)
    for besluit in besluiten:
        try:
            if besluit.actie == "verwerkt":
                exchange.verwerkt(besluit.item)
            elif besluit.actie == "afgewezen":
                exchange.afgewezen(
                    besluit.item, besluit.regel.reden, min(besluit.regel.datum or today, today)
                )
            else:
                exchange.laten(besluit.item, besluit.regel.reden)
        except OsoError as exc:
            # The store is already right; a file that could not be moved is a no-op next time.
            report.meldingen.append(exc.message)
    opschonen.opschonen_map(exchange, settings, today)  # a refused pre-summer dossier goes at once
    report.regels = [b.regel for b in besluiten]
    return report


def _replace_zonder_aanvraag(tx: Any, zonder: list[ZonderAanvraag]) -> None:
    """The unmatched list reflects the last fetch: older entries go, new ones come."""
    coll = tx.collection(ZONDER_AANVRAAG, ZonderAanvraag)
    stale = [z.id for z in coll.all() if z.id not in {n.id for n in zonder}]
    if stale:
        coll.delete_many(stale)
    coll.put_many(zonder)


def _decide(
    g: _Gelezen,
    current: dict[str, Aanvraag],
    by_pgn: dict[str, str],
    known: dict[str, DossierVersie],
    bevestig: bool | Collection[str],
    report: FetchReport,
    settings: Settings,
    today: date,
) -> _Besluit:
    naam = g.item.naam

    def regel(uitkomst: Uitkomst, reden: str = "", aanvraag_id: str | None = None) -> FetchRegel:
        return FetchRegel(naam, uitkomst, reden, g.pgn, aanvraag_id, g.sha256, g.datum)

    aanvraag_id = by_pgn.get(g.pgn) if g.pgn else None
    if g.fout is not None:
        return _Besluit(g.item, regel("ongeldig", f"Ongeldig dossier: {g.fout}.", aanvraag_id), "afgewezen")
    assert g.datum is not None
    if is_expired(g.datum, settings, today):
        return _Besluit(
            g.item,
            regel(
                "verouderd",
                f"Het dossier is van {g.datum.isoformat()}, van vóór de afgelopen zomervakantie; "
                "vraag de school om een nieuw dossier.",
                aanvraag_id,
            ),
            "afgewezen",
        )
    if g.sha256 in known:
        versie = known[g.sha256]
        owner = current.get(versie.aanvraag_id)
        if owner is not None and owner.is_waiting and owner.sinds is not None:
            return _Besluit(
                g.item,
                regel("geen nieuwe gegevens", "Dit dossier is al eerder ontvangen.", owner.id),
                "verwerkt",
            )
        return _Besluit(
            g.item, regel("al ontvangen", "Dit dossier is al ontvangen.", versie.aanvraag_id), "verwerkt"
        )
    if aanvraag_id is None:
        return _Besluit(g.item, regel("zonder aanvraag", "Er is geen aanvraag voor dit PGN."), "laten")
    aanvraag = current[aanvraag_id]
    if aanvraag.status == "verlopen":
        return _Besluit(
            g.item,
            regel("aanvraag verlopen", "De aanvraag is verlopen; hernieuw haar eerst.", aanvraag_id),
            "laten",
        )
    herstel = " Klopt de aanvraag niet: trek haar in, vraag opnieuw aan en zet dit bestand terug in de inbox."
    if g.geboortedatum != aanvraag.geboortedatum:
        found = g.geboortedatum.isoformat() if g.geboortedatum else "geen"
        return _Besluit(
            g.item,
            regel(
                "afwijkend",
                f"Geboortedatum in het dossier ({found}) wijkt af van de aanvraag "
                f"({aanvraag.geboortedatum.isoformat()}).{herstel}",
                aanvraag_id,
            ),
            "afgewezen",
        )
    if (g.brin or "").upper() != aanvraag.brin:
        return _Besluit(
            g.item,
            regel(
                "afwijkend",
                f"Het dossier komt van school {g.brin or 'onbekend'}, "
                f"de aanvraag is gericht aan {aanvraag.brin}.{herstel}",
                aanvraag_id,
            ),
            "afgewezen",
        )
    versies = [known[v] for v in aanvraag.versies if v in known]
    latest = _latest(versies)
    if aanvraag.sinds is not None and g.datum < aanvraag.sinds and aanvraag.status != "opgehaald":
        return _Besluit(
            g.item,
            regel(
                "geen nieuwe gegevens",
                f"Het dossier is van {g.datum.isoformat()}, ouder dan de hernieuwde aanvraag "
                f"(vanaf {aanvraag.sinds.isoformat()}).",
                aanvraag_id,
            ),
            "afgewezen",  # not stored: kept in rejected/, in case the renewal's date was too late
        )
    if latest is not None and g.datum < latest.datum:
        return _Besluit(
            g.item,
            regel(
                "geen nieuwe gegevens",
                f"Het dossier is van {g.datum.isoformat()}, "
                f"ouder dan de laatste versie ({latest.datum.isoformat()}).",
                aanvraag_id,
            ),
            "afgewezen",  # not stored: kept in rejected/ with the reason
        )
    confirmed = bevestig is True or (not isinstance(bevestig, bool) and g.sha256 in bevestig)
    if not confirmed and not names_agree(aanvraag.achternaam, g.achternaam, g.voorvoegsel):
        report.te_bevestigen.append(
            Bevestiging(
                sha256=g.sha256 or "",
                bron=naam,
                pgn=aanvraag.pgn,
                aanvraag_id=aanvraag_id,
                naam_dossier=g.naam,
                naam_aanvraag=aanvraag.achternaam or "",
            )
        )
        return _Besluit(
            g.item,
            regel(
                "bevestiging nodig",
                f"De achternaam in het dossier ({g.achternaam}) wijkt af van de aanvraag "
                f"({aanvraag.achternaam}); bevestig de koppeling.",
                aanvraag_id,
            ),
            "laten",
        )
    uitkomst: Uitkomst = "nieuwe versie" if versies else "opgehaald"
    return _Besluit(g.item, regel(uitkomst, "", aanvraag_id), "verwerkt")


def update_prepared(store: Store, settings: Settings, exchange: Exchange, user: str) -> int:
    """Mark waiting requests whose dossier the sending school prepared as `klaargezet`; returns how many."""
    with store.snapshot() as view:
        waiting = [a for a in view.collection(AANVRAGEN, Aanvraag).all() if a.status == "aangevraagd"]
    prepared = exchange.klaargezet(waiting)
    if not prepared:
        return 0
    count = 0
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Aanvraag)
        updates = []
        for ident in prepared:
            aanvraag = coll.get(ident)
            if aanvraag is not None and aanvraag.status == "aangevraagd":
                updates.append(aanvraag.with_status("klaargezet", datum=settings.today(), door=user))
        coll.put_many(updates)
        count = len(updates)
    return count


# ---------------------------------------------------------------------------------------------
# Expiry


def expire(store: Store, settings: Settings, user: str, *, nu: datetime | None = None) -> Opschoning:
    """After the summer vacation: waiting requests become `verlopen`, raw dossiers compiled before it go.

    Writes only when something expired, so calling it before every command is cheap. `nu` is the
    moment of a fetch that expires first, so both record the same day.
    """
    now = nu if nu is not None else settings.clock.now()
    today = now.date()
    result = Opschoning()

    def due(
        aanvragen: Sequence[Aanvraag], versies: Sequence[DossierVersie]
    ) -> tuple[list[Aanvraag], list[DossierVersie]]:
        stale = [
            a for a in aanvragen if a.is_waiting and is_expired(a.sinds or a.aangemaakt, settings, today)
        ]
        old = [v for v in versies if not v.verwijderd and is_expired(v.datum, settings, today)]
        return stale, old

    with store.snapshot() as view:
        stale, old = due(
            view.collection(AANVRAGEN, Aanvraag).all(), view.collection(DOSSIERS, DossierVersie).all()
        )
    if stale or old:
        with store.transaction() as tx:
            coll = tx.collection(AANVRAGEN, Aanvraag)
            dossiers = tx.collection(DOSSIERS, DossierVersie)
            stale, old = due(coll.all(), dossiers.all())
            reden = "Na de zomervakantie niet meer beschikbaar; hernieuw de aanvraag."
            result.verlopen = [a.with_status("verlopen", datum=today, door=user, reden=reden) for a in stale]
            result.opgeschoond = [v.model_copy(update={"verwijderd": True}) for v in old]
            coll.put_many(result.verlopen)
            dossiers.put_many(result.opgeschoond)
            for versie in result.opgeschoond:
                record_audit(
                    tx,
                    user=user,
                    actie="opschonen",
                    pgn=versie.pgn,
                    detail=f"dossier van {versie.datum.isoformat()} verwijderd na de zomervakantie",
                    wanneer=now,
                )
    with store.snapshot() as view:
        purged = [v.id for v in view.collection(DOSSIERS, DossierVersie).all() if v.verwijderd]
    store.remove_raw_many(purged)  # each pack is rewritten once, without the purged bytes
    opschonen.opschonen(store, settings, today)  # refused copies in exchange folders, stale temp files
    return result


# ---------------------------------------------------------------------------------------------
# Reading


_STEP_ORDER = ("personalia", "loopbaan", "begeleiding")


def _step_order(stap: str) -> tuple[int, str]:
    """Registration steps in their natural order, unknown keys after them."""
    return (_STEP_ORDER.index(stap) if stap in _STEP_ORDER else len(_STEP_ORDER), stap)


def list_requests(store: Store, status: Status | None = None) -> list[AanvraagRegel]:
    """Rows for the request list, newest request first, then by name; optionally only one status."""
    if status is not None and status not in STATUSES:
        raise UsageError(f"Onbekende status '{status}'; kies uit {', '.join(STATUSES)}.")
    with store.snapshot() as view:
        aanvragen = view.collection(AANVRAGEN, AanvraagKop).scan()
        versies = {v.id: v for v in view.collection(DOSSIERS, _VersieKop).scan()}
        leerlingen = {ref.id: ref for ref in view.collection(LEERLINGOVERZICHT, _LeerlingRef).scan()}
    rows = []
    for a in aanvragen:
        if status is not None and a.status != status:
            continue
        eigen = [versies[v] for v in a.versies if v in versies]
        latest = _latest(eigen)
        ref = leerlingen.get(a.leerling_id) if a.leerling_id else None
        rows.append(
            # Validating the row is cheaper than model_construct, whose per-field loop runs in Python.
            AanvraagRegel(
                id=a.id,
                pgn=a.pgn,
                naam=(latest.naam if latest and latest.naam else a.achternaam or ""),
                geboortedatum=a.geboortedatum,
                school=f"{a.brin}-{a.vestiging}",
                brin=a.brin,
                vestiging=a.vestiging,
                status=a.status,
                reden=a.reden,
                aangemaakt=a.aangemaakt,
                sinds=a.sinds,
                laatste_dossierdatum=latest.datum if latest else None,
                versies=len(eigen),
                versiedatums=sorted(v.datum for v in eigen),
                stappen=sorted(ref.stappen, key=_step_order) if ref else [],
                leerling_id=a.leerling_id,
                hernieuwen_nodig=a.status == "verlopen" or bool(latest and latest.verwijderd),
            )
        )
    rows.sort(key=lambda r: (r.naam.casefold(), r.pgn))
    rows.sort(key=lambda r: r.aangemaakt, reverse=True)
    return rows


def list_unmatched(store: Store) -> list[ZonderAanvraag]:
    """Dossiers left in the inbox at the last fetch because no request matches them."""
    with store.snapshot() as view:
        rows = view.collection(ZONDER_AANVRAAG, ZonderAanvraag).all()
    return sorted(rows, key=lambda z: z.bron)


def status_counts(store: Store) -> StatusTelling:
    with store.snapshot() as view:
        aanvragen = view.collection(AANVRAGEN, _StatusKop).scan()
        leerlingen = len(view.collection(LEERLINGOVERZICHT, _LeerlingRef))
        versies = view.collection(DOSSIERS, _Aanwezig).scan()
        zonder = len(view.collection(ZONDER_AANVRAAG, ZonderAanvraag))
    per = Counter(a.status for a in aanvragen)
    present = {v.id for v in versies if not v.verwijderd}
    purged = sum(
        1 for a in aanvragen if a.status == "opgehaald" and a.versies and not present.intersection(a.versies)
    )
    return StatusTelling(
        totaal=len(aanvragen),
        per_status={s: per.get(s, 0) for s in STATUSES},
        leerlingen=leerlingen,
        dossiers=len(present),
        zonder_aanvraag=zonder,
        hernieuwen_nodig=per.get("verlopen", 0) + purged,
    )


def get_request(store: Store, *, pgn: str | None = None, id: str | None = None) -> Aanvraag:
    """The request by id, or the open (else most recent) request of a PGN."""
    with store.snapshot() as view:
        coll = view.collection(AANVRAGEN, Aanvraag)
        if id is not None:
            found = coll.get(id)
            if found is None:
                raise RefusedError(f"Aanvraag {id} bestaat niet.")
            return found
        if pgn is None:
            raise UsageError("Geef een PGN of een aanvraag-id.")
        pgn = validate_pgn(pgn)
        mine = coll.where(pgn=pgn)
    if not mine:
        raise RefusedError(f"Er is geen aanvraag voor {_pgn_tail(pgn)}.")
    return sorted(mine, key=lambda a: (a.status in OPEN, a.aangemaakt))[-1]


def dossier_versions(store: Store, aanvraag: Aanvraag) -> list[DossierVersie]:
    """The dossier versions of a request, oldest first (by dossier date)."""
    with store.snapshot() as view:
        coll = view.collection(DOSSIERS, DossierVersie)
        versies = [v for v in (coll.get(i) for i in aanvraag.versies) if v is not None]
    return sorted(versies, key=lambda v: (v.datum, v.ontvangen))


def load_dossier(store: Store, versie: DossierVersie) -> Dossier:
    """Parse a stored version again from its raw XML (the store keeps bytes, not models)."""
    if versie.verwijderd or not store.has_raw(versie.id):
        raise RefusedError(
            f"Het dossier van {versie.datum.isoformat()} ({_pgn_tail(versie.pgn)}) is na de zomervakantie "
            "verwijderd; hernieuw de aanvraag voor een nieuw dossier."
        )
    from oso_tui.dossier.parser import read_dossier

    result = read_dossier(store.get_raw(versie.id), source_name=versie.bron)
    if result.dossier is None:
        raise RefusedError(f"Het opgeslagen dossier {versie.bron} kan niet meer gelezen worden.")
    return result.dossier


def get_version(store: Store, versie_id: str) -> tuple[DossierVersie, Dossier]:
    """One stored dossier version by id (its sha256) and its parsed content."""
    with store.snapshot() as view:
        versie = view.collection(DOSSIERS, DossierVersie).get(versie_id)
    if versie is None:
        raise RefusedError(f"Dossierversie {versie_id[:12]} bestaat niet.")
    return versie, load_dossier(store, versie)


def latest_dossier(store: Store, pgn: str) -> tuple[DossierVersie, Dossier]:
    """The newest received dossier of a PGN (over all its requests) and its parsed content."""
    pgn = validate_pgn(pgn)
    with store.snapshot() as view:
        versies = view.collection(DOSSIERS, DossierVersie).where(pgn=pgn)
    if not versies:
        raise RefusedError(f"Er is nog geen dossier ontvangen voor {_pgn_tail(pgn)}.")
    present = [v for v in versies if not v.verwijderd]
    latest = _latest(present) or _latest(versies)
    assert latest is not None
    return latest, load_dossier(store, latest)
