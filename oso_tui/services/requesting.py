"""Requesting dossiers: one request, a collective request from a CSV file, renewing, withdrawing.

Each writes in ONE store transaction, so a collective action lands completely or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from oso_tui.dossier.identifiers import validate_brin, validate_pgn, validate_vestiging
from oso_tui.errors import RefusedError, UsageError
from oso_tui.exchange.csvimport import CsvFout, CsvRegel, read_csv_bytes, read_csv_file
from oso_tui.exchange.models import OPEN, RENEWABLE, Aanvraag, Status, new_aanvraag
from oso_tui.masking import pgn_tail
from oso_tui.records import aanvragen, leerlingen
from oso_tui.services.context import Context
from oso_tui.settings import Settings


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


def new_id() -> str:
    return uuid.uuid4().hex


def open_by_pgn(alle: Iterable[Aanvraag]) -> dict[str, Aanvraag]:
    """The open request of each PGN (there is at most one)."""
    return {a.pgn: a for a in alle if a.status in OPEN}


def request(
    ctx: Context,
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
    today = ctx.today()
    if geboortedatum >= today:
        raise UsageError(f"Geboortedatum {geboortedatum.isoformat()} ligt niet in het verleden.")
    with ctx.store.transaction() as tx:
        existing = open_by_pgn(aanvragen.of_pgn(tx, pgn)).get(pgn)
        if existing is not None:
            raise RefusedError(
                f"Er is al een aanvraag voor {pgn_tail(pgn)} (status {existing.status}); hernieuw die "
                "aanvraag of trek haar eerst in."
            )
        aanvraag = new_aanvraag(
            id=new_id(),
            pgn=pgn,
            geboortedatum=geboortedatum,
            brin=brin,
            vestiging=vestiging,
            achternaam=(achternaam or "").strip() or None,
            datum=today,
            door=ctx.user,
        )
        leerling_id = leerlingen.id_for(tx, pgn)
        if leerling_id:
            aanvraag = aanvraag.model_copy(update={"leerling_id": leerling_id})
        aanvragen.save(tx, [aanvraag])
    return aanvraag


def _classify_csv(
    regels: Sequence[CsvRegel],
    fouten: Sequence[CsvFout],
    existing: Iterable[Aanvraag],
    today: date,
    user: str,
) -> CsvAanvragen:
    open_now = open_by_pgn(existing)
    result = CsvAanvragen(geweigerd=list(fouten))
    for regel in regels:
        if regel.geboortedatum >= today:
            cells = {"pgn": regel.pgn, "geboortedatum": regel.geboortedatum.isoformat(), "brin": regel.brin}
            result.geweigerd.append(CsvFout(regel.rij, "geboortedatum ligt niet in het verleden", cells))
            continue
        current = open_now.get(regel.pgn)
        if current is not None:
            result.overgeslagen.append(Overgeslagen(regel, current.status))
            continue
        result.regels.append(regel)
        result.gemaakt.append(
            new_aanvraag(
                id=new_id(),
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


def preview_csv(ctx: Context, source: Path | bytes) -> CsvAanvragen:
    """What `request_csv` would do with this file, without writing anything."""
    regels, fouten = _read_csv(source, ctx.settings)
    with ctx.store.snapshot() as view:
        existing = aanvragen.all(view)
    return _classify_csv(regels, fouten, existing, ctx.today(), ctx.user)


def request_csv(ctx: Context, source: Path | bytes) -> CsvAanvragen:
    """A collective request: every good new row becomes a request, all in one transaction."""
    regels, fouten = _read_csv(source, ctx.settings)
    with ctx.store.transaction(restore_point="collectief") as tx:
        result = _classify_csv(regels, fouten, aanvragen.all(tx), ctx.today(), ctx.user)
        registered = leerlingen.ids_by_pgn(tx)
        result.gemaakt = [
            a.model_copy(update={"leerling_id": registered[a.pgn]}) if a.pgn in registered else a
            for a in result.gemaakt
        ]
        aanvragen.save(tx, result.gemaakt)
    result.opgeslagen = True
    return result


def renew(
    ctx: Context,
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
    today = ctx.today()
    sinds = sinds or today
    if sinds > today:
        raise UsageError(f"De datum 'sinds' ({sinds.isoformat()}) ligt in de toekomst.")
    if not (alle or pgns or ids):
        raise UsageError("Kies welke aanvragen: geef PGN's of ids, of 'alle'.")
    wanted_pgns = [validate_pgn(p) for p in pgns]
    result = Hernieuwing(sinds=sinds)
    collective = alle or len(wanted_pgns) + len(ids) > 1
    with ctx.store.transaction(restore_point="hernieuwen" if collective else None) as tx:
        everything = aanvragen.all(tx)
        targets: dict[str, Aanvraag] = {}
        if alle:
            targets = {a.id: a for a in everything if a.status in RENEWABLE}
        open_now = open_by_pgn(everything)
        for pgn in wanted_pgns:
            found = open_now.get(pgn)
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
                "aangevraagd", datum=today, door=ctx.user, reden="hernieuwd"
            ).model_copy(update={"sinds": sinds})
            result.hernieuwd.append(renewed)
        aanvragen.save(tx, result.hernieuwd)
    return result


def withdraw(ctx: Context, *, pgn: str) -> Aanvraag:
    """Withdraw the open request of a PGN; received dossiers and registered data stay."""
    pgn = validate_pgn(pgn)
    with ctx.store.transaction() as tx:
        found = open_by_pgn(aanvragen.of_pgn(tx, pgn)).get(pgn)
        if found is None:
            raise RefusedError(f"Er is geen open aanvraag voor {pgn_tail(pgn)}.")
        changed = found.with_status("ingetrokken", datum=ctx.today(), door=ctx.user, reden="ingetrokken")
        aanvragen.save(tx, [changed])
    return changed


def withdraw_many(ctx: Context, ids: Sequence[str]) -> list[Aanvraag]:
    """Withdraw a selection of requests by id in one action; refused (nothing changes) if one cannot be."""
    with ctx.store.transaction(restore_point="intrekken" if len(ids) > 1 else None) as tx:
        changed = []
        for ident in dict.fromkeys(ids):
            found = aanvragen.get(tx, ident)
            if found is None:
                raise RefusedError(f"Aanvraag {ident} bestaat niet.")
            if found.status == "ingetrokken":
                raise RefusedError(f"De aanvraag voor {pgn_tail(found.pgn)} is al ingetrokken.")
            changed.append(
                found.with_status("ingetrokken", datum=ctx.today(), door=ctx.user, reden="ingetrokken")
            )
        aanvragen.save(tx, changed)
    return changed
