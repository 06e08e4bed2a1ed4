"""`oso-tui overzicht [--klas K] [--out FILE.html|FILE.pdf]`: the class overview for the warm hand-over.

Without `--out` the HTML goes to stdout; a `.pdf` is printed with headless Chromium. Care data only
for the zorg role, audited as on screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from oso_tui.cli.common import Context, add_command
from oso_tui.errors import UsageError


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(sub, "overzicht", run_overzicht)
    parser.add_argument(
        "--klas", metavar="KLAS", help="alleen deze klas (zoals bij de plaatsing, bijvoorbeeld 1B)"
    )
    parser.add_argument(
        "--out",
        metavar="BESTAND",
        type=Path,
        help="schrijf naar BESTAND.html of BESTAND.pdf (PDF met Chromium); zonder: HTML op stdout",
    )


def run_overzicht(args: argparse.Namespace, ctx: Context) -> int:
    from oso_tui.services import overzicht as svc
    from oso_tui.services import rollen
    from oso_tui.services.context import Context as UseCase
    from oso_tui.services.sessie import open_store

    out: Path | None = args.out
    soort = out.suffix.lower() if out is not None else ".html"
    if soort not in (".html", ".htm", ".pdf"):
        raise UsageError(f"Het overzicht wordt HTML of PDF; {out} eindigt niet op .html of .pdf.")
    if soort == ".pdf":
        svc.vereis_chromium()  # before anything is read or audited
    notice = rollen.melding_zonder_rollen(ctx.settings)
    if notice:
        ctx.warn(f"oso-tui: {notice}")
    gebruik = UseCase(open_store(ctx.settings), ctx.settings, ctx.user)
    gemaakt = svc.maak_overzicht(gebruik, klas=args.klas, bestand=out.name if out is not None else None)
    pagina = svc.naar_html(gemaakt)
    if out is None:
        ctx.out.write(pagina)
        return 0
    if soort == ".pdf":
        svc.html_naar_pdf(pagina, out)
    else:
        svc.schrijf_prive(out, pagina.encode("utf-8"))
    n = gemaakt.aantal
    klassen = len(gemaakt.klassen)
    zorg = "met" if gemaakt.met_zorg else "zonder"
    ctx.say(
        f"Overzicht van {n} {'leerling' if n == 1 else 'leerlingen'} in {klassen} "
        f"{'klas' if klassen == 1 else 'klassen'} ({zorg} zorggegevens) geschreven naar {out}."
    )
    return 0
