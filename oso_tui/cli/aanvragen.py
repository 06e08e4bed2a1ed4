"""Requests and fetching from the command line: request, renew, withdraw, fetch, status, list.

Each command prints a one-line Dutch summary; details of refused items go to stderr. Exit codes: 0 on
success, 1 when something was refused, 2 on a usage or read error.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import IO

from oso_tui import services
from oso_tui.cli.common import Context, add_command, apply_summer, mask_pgn
from oso_tui.datums import toon_datum
from oso_tui.display import aantal
from oso_tui.dossier.identifiers import InvalidIdentifierError
from oso_tui.errors import ReadError, UsageError
from oso_tui.exchange.models import STATUSES
from oso_tui.settings import parse_iso_date
from oso_tui.store import Store, open_store, store_exists

REFUSED_OUTCOMES = ("ongeldig", "afwijkend", "verouderd", "bevestiging nodig")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "request", _request)
    p.add_argument("--pgn", metavar="PGN", help="BSN of onderwijsnummer")
    p.add_argument("--geboortedatum", metavar="DATUM", help="dd-mm-jjjj of jjjj-mm-dd")
    p.add_argument("--brin", metavar="BRIN", help="BRIN-code van de toeleverende school, bijvoorbeeld 12AB")
    p.add_argument("--vestiging", metavar="NN", default="00", help="vestigingscode (standaard 00)")
    p.add_argument("--achternaam", metavar="NAAM", help="achternaam, om de koppeling te controleren")
    p.add_argument(
        "--csv",
        metavar="BESTAND",
        type=Path,
        help="collectieve aanvraag uit een CSV (kolommen pgn, geboortedatum, brin, vestiging, achternaam)",
    )
    p.add_argument(
        "--voorbeeld", action="store_true", help="met --csv: toon wat er zou gebeuren, sla niets op"
    )

    p = add_command(sub, "renew", _renew)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--pgn", metavar="PGN", nargs="+", action="extend", help="één of meer PGN's")
    which.add_argument(
        "--alle",
        "--all",
        dest="all",
        action="store_true",
        help="alle aanvragen die opgehaald, mislukt of verlopen zijn",
    )
    p.add_argument(
        "--sinds",
        metavar="DATUM",
        help="alleen dossiers vanaf deze datum tellen (dd-mm-jjjj; standaard de datum van de laatst "
        "ontvangen versie, zodat elke nieuwere versie telt)",
    )

    p = add_command(sub, "withdraw", _withdraw)
    p.add_argument("--pgn", metavar="PGN", required=True)

    p = add_command(sub, "fetch", _fetch)
    source = p.add_mutually_exclusive_group()
    source.add_argument("--inbox", metavar="MAP", type=Path, help="map met binnengekomen dossiers (XML)")
    source.add_argument(
        "--demo", action="store_true", help="speel de toeleverende scholen uit de voorbeelddossiers"
    )
    p.add_argument(
        "--bevestig", action="store_true", help="koppel ook als de achternaam afwijkt van de aanvraag"
    )

    p = add_command(sub, "status", _status)
    p.add_argument("--json", action="store_true", help="één JSON-object")

    p = add_command(sub, "list", _list)
    p.add_argument("--status", choices=STATUSES, help="alleen aanvragen met deze status")
    p.add_argument("--json", action="store_true", help="JSON (volledig PGN) in plaats van tekst")


# -- shared ----------------------------------------------------------------------------------------------


def _open(ctx: Context, *, must_exist: bool = False) -> Store:
    path = ctx.settings.db_path
    if must_exist and not store_exists(path):
        raise ReadError(f"De database {path} bestaat nog niet; maak eerst een aanvraag (oso-tui request).")
    return open_store(ctx.settings)


def _use(store: Store, ctx: Context) -> services.Context:
    """What the use cases need: this store, the settings and the user of this run."""
    return services.Context(store, ctx.settings, ctx.user)


def _expire(store: Store, ctx: Context) -> None:
    """Expiry runs before every command, so no command shows data that is no longer available."""
    apply_summer(store, ctx)


def _date(value: str | None, what: str) -> date | None:
    return None if value is None else parse_iso_date(value, what)


# -- request ---------------------------------------------------------------------------------------------


def _request(args: argparse.Namespace, ctx: Context) -> int:
    single = [n for n in ("pgn", "geboortedatum", "brin", "achternaam") if getattr(args, n) is not None]
    if args.csv is not None:
        if single or args.vestiging != "00":
            raise UsageError("Gebruik --csv óf --pgn/--geboortedatum/--brin, niet allebei.")
        return _request_csv(args.csv, args.voorbeeld, ctx)
    if args.voorbeeld:
        raise UsageError("--voorbeeld hoort bij --csv.")
    missing = [f"--{n}" for n in ("pgn", "geboortedatum", "brin") if getattr(args, n) is None]
    if missing:
        raise UsageError(f"Geef {', '.join(missing)} (of --csv BESTAND voor een collectieve aanvraag).")
    geboortedatum = parse_iso_date(args.geboortedatum, "Geboortedatum")
    store = _open(ctx)
    _expire(store, ctx)
    try:
        made = services.request(
            _use(store, ctx),
            pgn=args.pgn,
            geboortedatum=geboortedatum,
            brin=args.brin,
            vestiging=args.vestiging,
            achternaam=args.achternaam,
        )
    except InvalidIdentifierError as exc:
        raise UsageError(exc.message) from None
    ctx.say(
        f"Aanvraag gemaakt voor {mask_pgn(made.pgn)} bij school {made.brin}-{made.vestiging} (aangevraagd)."
    )
    return 0


def _request_csv(path: Path, preview: bool, ctx: Context) -> int:
    store = _open(ctx)
    _expire(store, ctx)
    if preview:
        result = services.preview_csv(_use(store, ctx), path)
    else:
        result = services.request_csv(_use(store, ctx), path)
    for fout in result.geweigerd:
        ctx.warn(f"{path.name}: rij {fout.rij}: {fout.reden}.")
    for skip in result.overgeslagen:
        ctx.warn(
            f"{path.name}: rij {skip.regel.rij}: {mask_pgn(skip.regel.pgn)} "
            f"is al aangevraagd ({skip.status})."
        )
    ctx.say(("Voorbeeld, niets opgeslagen: " if preview else "") + result.samenvatting())
    return 1 if result.geweigerd else 0


# -- renew / withdraw ------------------------------------------------------------------------------------


def _renew(args: argparse.Namespace, ctx: Context) -> int:
    sinds = _date(args.sinds, "--sinds")
    store = _open(ctx, must_exist=True)
    _expire(store, ctx)
    try:
        result = services.renew(_use(store, ctx), pgns=args.pgn or (), alle=args.all, sinds=sinds)
    except InvalidIdentifierError as exc:
        raise UsageError(exc.message) from None
    for pgn, reden in result.overgeslagen:
        shown = mask_pgn(pgn) if pgn.isdigit() else pgn
        ctx.warn(f"{shown}: niet hernieuwd: {reden}.")
    ctx.say(result.samenvatting())
    return 1 if result.overgeslagen else 0


def _withdraw(args: argparse.Namespace, ctx: Context) -> int:
    store = _open(ctx, must_exist=True)
    _expire(store, ctx)
    try:
        changed = services.withdraw(_use(store, ctx), pgn=args.pgn)
    except InvalidIdentifierError as exc:
        raise UsageError(exc.message) from None
    ctx.say(f"Aanvraag voor {mask_pgn(changed.pgn)} ingetrokken.")
    return 0


# -- fetch -----------------------------------------------------------------------------------------------


class _Counter:
    """A count on stderr that rewrites itself on a terminal; silent when redirected."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.live = stream.isatty()

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.live and (done == total or done % 10 == 0):
            self.stream.write(f"\rOphalen: {done}/{total}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()


def _fetch(args: argparse.Namespace, ctx: Context) -> int:
    from oso_tui.exchange.base import Exchange

    exchange: Exchange
    if args.demo:
        from oso_tui.exchange.demo import DemoExchange

        exchange = DemoExchange(settings=ctx.settings)
    else:
        from oso_tui.exchange.folder import FolderExchange

        inbox = args.inbox if args.inbox is not None else ctx.settings.inbox_dir
        exchange = FolderExchange(inbox, create=args.inbox is None, group=ctx.settings.group)
    store = _open(ctx)
    _expire(store, ctx)
    report = services.fetch(_use(store, ctx), exchange, bevestig=args.bevestig, progress=_Counter(ctx.err))
    for regel in report.regels:
        if regel.uitkomst in (
            *REFUSED_OUTCOMES,
            "zonder aanvraag",
            "aanvraag verlopen",
            "geen nieuwe gegevens",
        ):
            ctx.warn(f"{regel.naam}: {regel.uitkomst}: {regel.reden}")
    for melding in report.meldingen:
        ctx.warn(melding)
    if report.te_bevestigen:
        ctx.warn("Controleer de namen en haal opnieuw op met --bevestig om deze dossiers toch te koppelen.")
    summary = report.samenvatting()
    if report.klaargezet:
        summary = f"{report.klaargezet} aanvragen klaargezet. " + summary
    ctx.say(summary)
    refused = any(r.uitkomst in REFUSED_OUTCOMES for r in report.regels)
    return 1 if refused or report.meldingen else 0


# -- status / list ---------------------------------------------------------------------------------------


def _status(args: argparse.Namespace, ctx: Context) -> int:
    store = _open(ctx, must_exist=True)
    _expire(store, ctx)
    telling = services.count_statuses(_use(store, ctx))
    if args.json:
        ctx.say_json(telling.as_json(), indent=None)
        return 0
    per = ", ".join(f"{n} {s}" for s, n in telling.per_status.items() if n)
    ctx.say(
        f"{aantal(telling.totaal, 'aanvraag', 'aanvragen')} ({per or 'geen'}); "
        f"{aantal(telling.leerlingen, 'leerling', 'leerlingen')}; "
        f"{aantal(telling.dossiers, 'dossier', 'dossiers')}; "
        f"{aantal(telling.zonder_aanvraag, 'dossier', 'dossiers')} zonder aanvraag."
    )
    if telling.hernieuwen_nodig:
        moet = "moet" if telling.hernieuwen_nodig == 1 else "moeten"
        ctx.warn(
            f"{aantal(telling.hernieuwen_nodig, 'aanvraag', 'aanvragen')} {moet} hernieuwd worden "
            "(zomervakantie voorbij): oso-tui renew --alle."
        )
    return 0


def _status_cell(status: str, hernieuwen_nodig: bool) -> str:
    """`verlopen (hernieuwen)`: the status and, where it applies, what to do about it."""
    return status + (" (hernieuwen)" if hernieuwen_nodig or status == "verlopen" else "")


def _list(args: argparse.Namespace, ctx: Context) -> int:
    store = _open(ctx, must_exist=True)
    _expire(store, ctx)
    rows = services.list_requests(_use(store, ctx), status=args.status)
    if args.json:
        ctx.say_json([row.model_dump(mode="json") for row in rows])
        return 0
    if rows:
        ctx.print_table(
            ("PGN", "Naam", "Geboren", "School", "Status", "Dossiers", "Stappen"),
            (
                (
                    mask_pgn(row.pgn),
                    row.naam or "-",
                    toon_datum(row.geboortedatum),
                    row.school,
                    row.status
                    + (" (hernieuwen)" if row.hernieuwen_nodig or row.status == "verlopen" else ""),
                    ", ".join(toon_datum(d) for d in row.versiedatums) or "-",
                    ",".join(row.stappen) or "-",
                )
                for row in rows
            ),
        )
    unmatched = [] if args.status else services.list_unmatched(_use(store, ctx))
    if unmatched:
        ctx.say("")
        ctx.print_table(
            ("PGN", "Naam", "Zonder aanvraag", "Dossier", "School"),
            (
                (
                    mask_pgn(z.pgn) if z.pgn else "geen PGN",
                    z.naam or "-",
                    z.bron,
                    toon_datum(z.datum) if z.datum else "-",
                    z.brin or "-",
                )
                for z in unmatched
            ),
        )
    filter_text = f" met status {args.status}" if args.status else ""
    extra = f", {aantal(len(unmatched), 'dossier', 'dossiers')} zonder aanvraag" if unmatched else ""
    ctx.say(f"{len(rows)} {'aanvraag' if len(rows) == 1 else 'aanvragen'}{filter_text}{extra}.")
    verlopen = sum(1 for row in rows if row.status == "verlopen")
    if verlopen:
        ctx.warn(
            f"{verlopen} {'aanvraag is' if verlopen == 1 else 'aanvragen zijn'} verlopen na de "
            "zomervakantie; hernieuwen brengt een nieuw dossier: oso-tui renew --alle."
        )
    return 0
