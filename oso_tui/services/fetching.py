"""Fetching dossiers: read what the exchange offers, match it to requests, store it, report on it.

Reading and validating many dossiers happens before the transaction (with a progress callback);
matching happens inside it, against the fresh state, so two users fetching at once cannot link one
dossier twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from oso_tui import collector
from oso_tui.dossier.identifiers import pgn_kind
from oso_tui.errors import OsoError, ReadError
from oso_tui.exchange.base import Binnenkomend, Exchange, ItemGoneError
from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.models import OPEN, Aanvraag, DossierVersie, ZonderAanvraag
from oso_tui.records import aanvragen, dossiers, leerlingen
from oso_tui.registration import names
from oso_tui.services.context import Context
from oso_tui.services.expiring import expire
from oso_tui.services.listing import latest
from oso_tui.services.purging import onthoud, opschonen_map
from oso_tui.settings import Settings
from oso_tui.store import RawBatch

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


@dataclass
class _Besluit:
    item: Binnenkomend
    regel: FetchRegel
    actie: Literal["verwerkt", "afgewezen", "laten"]


def fetch(
    ctx: Context,
    exchange: Exchange,
    *,
    bevestig: bool | Collection[str] = False,
    progress: Progress | None = None,
) -> FetchReport:
    """Fetch what the exchange offers: validate, match, store, and tell the exchange what became of it.

    `bevestig` confirms name mismatches: True for all, or the sha256 ids from `FetchReport.te_bevestigen`.
    """
    with collector.paused():  # thousands of dossiers, no cycles: see oso_tui.collector
        return _fetch(ctx, exchange, bevestig=bevestig, progress=progress)


def _fetch(
    ctx: Context,
    exchange: Exchange,
    *,
    bevestig: bool | Collection[str],
    progress: Progress | None,
) -> FetchReport:
    ctx = ctx.at(ctx.now())  # one reading of the clock: statuses, versions and audit share the day
    now, today, user, settings, store = ctx.now(), ctx.today(), ctx.user, ctx.settings, ctx.store
    expire(ctx)
    report = FetchReport(bron=exchange.naam)
    with store.snapshot() as view:
        alle = aanvragen.all(view)
        known_ids = dossiers.ids(view)
    open_pgns = {a.pgn for a in alle if a.status in OPEN}

    def keep_raw(pgn: str | None, sha: str) -> bool:
        return pgn in open_pgns and sha not in known_ids

    waiting = [a for a in alle if a.is_waiting]
    prepared = exchange.klaargezet(waiting)
    items = exchange.binnenkomend(alle)
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
    with store.transaction(restore_point="ophalen") as tx:
        current = {a.id: a for a in aanvragen.all(tx)}
        original = dict(current)
        changed: dict[str, Aanvraag] = {}
        for ident in prepared:
            aanvraag = current.get(ident)
            if aanvraag is not None and aanvraag.status == "aangevraagd":
                current[ident] = changed[ident] = aanvraag.with_status("klaargezet", datum=today, door=user)
                report.klaargezet += 1
        known = {v.id: v for v in dossiers.all(tx)}
        new_versions: list[DossierVersie] = []
        zonder: list[ZonderAanvraag] = []
        by_pgn: dict[str, str] = {a.pgn: a.id for a in current.values() if a.status in OPEN}
        registered: dict[str, str] | None = None
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
                    if registered is None:
                        registered = leerlingen.ids_by_pgn(tx)
                    update["leerling_id"] = registered.get(aanvraag.pgn)
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
        aanvragen.save(tx, changed.values())
        dossiers.save(tx, new_versions)
        aanvragen.replace_unmatched(tx, zonder)
        onthoud(tx, exchange)
        if new_versions or changed:
            ctx.audit(
                tx,
                actie="ophalen",
                detail=f"{len(new_versions)} dossiers opgehaald via {exchange.naam or 'uitwisseling'}",
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
    opschonen_map(exchange, settings, today)  # a refused pre-summer dossier goes at once
    report.regels = [b.regel for b in besluiten]
    return report


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
    newest = latest(versies)
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
    if newest is not None and g.datum < newest.datum:
        return _Besluit(
            g.item,
            regel(
                "geen nieuwe gegevens",
                f"Het dossier is van {g.datum.isoformat()}, "
                f"ouder dan de laatste versie ({newest.datum.isoformat()}).",
                aanvraag_id,
            ),
            "afgewezen",  # not stored: kept in rejected/ with the reason
        )
    confirmed = bevestig is True or (not isinstance(bevestig, bool) and g.sha256 in bevestig)
    if not confirmed and not names.agree(aanvraag.achternaam, g.achternaam, g.voorvoegsel):
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


def update_prepared(ctx: Context, exchange: Exchange) -> int:
    """Mark waiting requests whose dossier the sending school prepared as `klaargezet`; returns how many."""
    with ctx.store.snapshot() as view:
        waiting = [a for a in aanvragen.all(view) if a.status == "aangevraagd"]
    prepared = exchange.klaargezet(waiting)
    if not prepared:
        return 0
    count = 0
    with ctx.store.transaction() as tx:
        updates = []
        for ident in prepared:
            aanvraag = aanvragen.get(tx, ident)
            if aanvraag is not None and aanvraag.status == "aangevraagd":
                updates.append(aanvraag.with_status("klaargezet", datum=ctx.today(), door=ctx.user))
        aanvragen.save(tx, updates)
        count = len(updates)
    return count
