"""Store commands for IT staff: `oso-tui doctor [--repair]`."""

from __future__ import annotations

import argparse

from oso_tui.cli.common import Context, add_command


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        sub,
        "doctor",
        "controleer de database (JSON, schemaversie, dossierbestanden, rechten, tijdelijke bestanden)",
        run_doctor,
    )
    parser.add_argument(
        "--repair",
        "--herstel",
        dest="repair",
        action="store_true",
        help="herstel wat kan zonder gegevens te verliezen (rechten, tijdelijke bestanden, "
        "losse dossierbestanden, schema bijwerken)",
    )


def run_doctor(args: argparse.Namespace, ctx: Context) -> int:
    """Exit 0 when the store is healthy (after repair, if asked), 1 when problems remain."""
    from oso_tui.store.doctor import diagnose

    report = diagnose(ctx.settings.db_path, group=ctx.settings.group, repair=args.repair)
    for line in report.render():
        ctx.say(line)
    from oso_tui.services import rollen

    if rollen.zonder_rollen(ctx.settings):
        ctx.say(f"Let op: {rollen.tekst_zonder_rollen(ctx.settings)}")
    return 0 if report.healthy else 1
