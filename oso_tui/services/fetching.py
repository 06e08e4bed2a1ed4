"""Fetching dossiers: read what the exchange offers, match it to requests, store it, report on it.

Reading and validating many dossiers happens before the transaction (with a progress callback);
matching happens inside it, against the fresh state, so two users fetching at once cannot link one
dossier twice. Reading one item and judging it are in `fetchdecision`, the report's types in
`fetchreport` (re-exported here, where callers have always found them).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date
from typing import Any

from oso_tui import collector
from oso_tui.errors import OsoError
from oso_tui.exchange.base import Exchange
from oso_tui.exchange.models import OPEN, Aanvraag, DossierVersie, ZonderAanvraag
from oso_tui.records import aanvragen, dossiers, leerlingen
from oso_tui.services.context import Context
from oso_tui.services.expiring import expire
from oso_tui.services.fetchdecision import Besluit, Gelezen, decide, read_item
from oso_tui.services.fetchreport import Bevestiging as Bevestiging
from oso_tui.services.fetchreport import FetchRegel as FetchRegel
from oso_tui.services.fetchreport import FetchReport as FetchReport
from oso_tui.services.fetchreport import Progress as Progress
from oso_tui.services.fetchreport import Uitkomst as Uitkomst
from oso_tui.services.purging import onthoud, opschonen_map


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
    gelezen: list[Gelezen] = []
    with store.raw_batch() as batch:  # one pack file, on disk when the block ends
        for index, item in enumerate(items, start=1):
            gelezen.append(read_item(batch, settings, exchange, item, keep_raw, today))
            if progress is not None:
                progress(index, total, item.naam)
    gelezen = [g for g in gelezen if not g.weg]
    gelezen.sort(key=lambda g: (g.datum or date.min, g.item.naam))
    besluiten: list[Besluit] = []
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
            besluit = decide(g, current, by_pgn, known, bevestig, report, settings, today)
            stores = besluit.regel.uitkomst in ("opgehaald", "nieuwe versie")
            if stores and not g.raw_saved and not (g.sha256 and store.has_raw(g.sha256)):
                # A request made by someone else while we were reading: fetch this one next time.
                besluit = Besluit(
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
    # The store is already right; a file that could not be moved or removed is a no-op next time.
    report.meldingen.extend(exchange.verwerkt_alle([b.item for b in besluiten if b.actie == "verwerkt"]))
    for besluit in besluiten:
        try:
            if besluit.actie == "verwerkt":
                continue
            if besluit.actie == "afgewezen":
                exchange.afgewezen(
                    besluit.item, besluit.regel.reden, min(besluit.regel.datum or today, today)
                )
            else:
                exchange.laten(besluit.item, besluit.regel.reden)
        except OsoError as exc:
            report.meldingen.append(exc.message)
    opschonen_map(exchange, settings, today)  # a refused pre-summer dossier goes at once
    report.regels = [b.regel for b in besluiten]
    return report


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
