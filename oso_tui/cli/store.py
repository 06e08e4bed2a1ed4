"""Store commands for IT staff: `oso-tui doctor [--herstel] [--terugzetten RESERVEKOPIE [--ja]]`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from oso_tui.cli.common import Context, add_command

if TYPE_CHECKING:
    from oso_tui.store.doctor import DoctorReport


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(sub, "doctor", run_doctor)
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--herstel",
        "--repair",
        dest="repair",
        action="store_true",
        help="herstel wat kan zonder gegevens te verliezen (rechten, tijdelijke bestanden, "
        "losse dossierbestanden, schema bijwerken)",
    )
    action.add_argument(
        "--terugzetten",
        "--restore",
        dest="restore",
        metavar="RESERVEKOPIE",
        help="zet een reservekopie terug (bestandsnaam, pad of 'nieuwste'), na te tonen wat erin staat; "
        "het huidige bestand blijft bewaard",
    )
    parser.add_argument(
        "--ja", action="store_true", help="met --terugzetten: niet vragen, meteen terugzetten"
    )


def run_doctor(args: argparse.Namespace, ctx: Context) -> int:
    """Exit 0 when the store is healthy (after repair, if asked), 1 when problems remain."""
    if args.restore is not None:
        return run_restore(args, ctx)
    from oso_tui.store.doctor import diagnose

    report = diagnose(ctx.settings.db_path, group=ctx.settings.group, repair=args.repair)
    _check_counts(report, ctx, repair=args.repair)
    for line in report.render():
        ctx.say(line)
    from oso_tui.services import rollen

    if rollen.zonder_rollen(ctx.settings):
        ctx.say(f"Let op: {rollen.tekst_zonder_rollen(ctx.settings)}")
    return 0 if report.healthy else 1


def _check_counts(report: DoctorReport, ctx: Context, *, repair: bool) -> None:
    """The counts record and the PGN index against a recount of the tables; only in a database that
    opens without damage (a damaged one is reported above and never written)."""
    from oso_tui.records import tellingen
    from oso_tui.store import Store
    from oso_tui.store.errors import StoreError

    if not report.healthy and not repair:
        return
    try:
        store = Store.open(ctx.settings.db_path, group=ctx.settings.group)
        found, rebuilt = tellingen.check(store, repair=repair)
    except StoreError:
        return
    if rebuilt:
        report.add("hersteld", f"Opnieuw berekend uit de tabellen: {'; '.join(found)}.")
    elif found == [tellingen.MISSING]:
        report.add("info", f"{tellingen.MISSING.capitalize()}; de volgende wijziging berekent ze.")
    elif found:
        report.add("probleem", f"{'; '.join(found).capitalize()}.", fixable=True)
    else:
        report.add("ok", "De tellingen en de index van aanvragen en dossiers kloppen met de tabellen.")


def run_restore(args: argparse.Namespace, ctx: Context) -> int:
    """Show what the restore point and the current file hold; restore after a yes (or `--ja`)."""
    from oso_tui.store.doctor import restoring_store
    from oso_tui.store.restore import plan_restore, restore

    store = restoring_store(ctx.settings.db_path, group=ctx.settings.group)
    plan = plan_restore(store, args.restore)
    for line in plan.lines():
        ctx.say(line)
    if plan.backup.damage is not None:
        return 1
    if not args.ja:
        if not sys.stdin.isatty():
            ctx.warn("oso-tui: voeg --ja toe om deze reservekopie terug te zetten; er is niets gewijzigd.")
            return 1
        answer = input("Deze reservekopie terugzetten? [j/N] ").strip().lower()
        if answer not in ("j", "ja"):
            ctx.say("Er is niets gewijzigd.")
            return 1
    aside = restore(store, plan.backup.path)
    ctx.say(f"De reservekopie {plan.backup.path.name} is teruggezet in {store.path}.")
    if aside is not None:
        ctx.say(f"Het vorige bestand is ongewijzigd bewaard als {aside}.")
    return 0
