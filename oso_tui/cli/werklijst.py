"""The to-do list and registering a selection at once: `oso-tui todo`, `register --todo` or several `--pgn`.

The services say in the app's words why a pupil failed; this module adds what to type on the command
line.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from oso_tui import services
from oso_tui.cli.common import Context, add_command, apply_summer, mask_pgn
from oso_tui.datums import toon_datum
from oso_tui.errors import OsoError, UsageError
from oso_tui.registration.models import STAP_TITELS, Modus, Stap
from oso_tui.registration.steps import Plaatsing, parse_plaatsing
from oso_tui.store import Store, open_store


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "todo", _todo)
    p.add_argument(
        "--json", action="store_true", help="een JSON-lijst (pgn, naam, open_stappen, nieuwere_versie)"
    )


def _use(store: Store, ctx: Context) -> services.Context:
    return services.Context(store, ctx.settings, ctx.user)


def _todo(args: argparse.Namespace, ctx: Context) -> int:
    store = open_store(ctx.settings)
    apply_summer(store, ctx)
    regels = services.todo(_use(store, ctx))
    if args.json:
        ctx.say_json([regel.as_json() for regel in regels])
        return 0
    if regels:
        ctx.print_table(
            ("PGN", "Naam", "Dossier", "Nog te registreren", "Nieuwere versie"),
            (
                (
                    mask_pgn(r.pgn),
                    r.naam or "-",
                    toon_datum(r.dossierdatum),
                    ", ".join(r.open_stappen) or "-",
                    ", ".join(r.nieuwere_versie) or "-",
                )
                for r in regels
            ),
        )
    n = len(regels)
    ctx.say(
        f"{n} {'leerling heeft' if n == 1 else 'leerlingen hebben'} werk: "
        f"{sum(len(r.open_stappen) for r in regels)} open stap(pen), "
        f"{sum(len(r.nieuwere_versie) for r in regels)} met een nieuwere dossierversie."
        if n
        else "Niets te doen: elke leerling met een dossier is bijgewerkt."
    )
    return 0


def register_collectief(
    args: argparse.Namespace, ctx: Context, store: Store, pgns: Sequence[str], stappen: Sequence[Stap]
) -> int:
    """`register --todo --stap S` or several `--pgn`: each pupil on its own, failures named with why.

    Exit 0 when every pupil succeeded, 1 when one or more were refused.
    """
    use = _use(store, ctx)
    if args.todo:
        if len(stappen) != 1:
            raise UsageError("--todo werkt per stap; kies --stap personalia, loopbaan of begeleiding.")
        pgns = [r.pgn for r in services.todo(use, stap=stappen[0])]
        if not pgns:
            ctx.say(f"Geen leerling met de stap {stappen[0]} nog open.")
            return 0
    modus: Modus = "overschrijven" if args.mode == "overschrijven" else "aanvullen"
    plaatsing = parse_plaatsing(args.plaatsing) if args.plaatsing else None
    titel = " en ".join(STAP_TITELS[s].lower() for s in stappen)
    if args.dry_run:
        return _preview(use, ctx, pgns, stappen, modus, plaatsing, titel)
    uitkomsten = services.register_many(
        use,
        pgns=pgns,
        stappen=stappen,
        modus=modus,
        plaatsing=plaatsing,
        accepteer_waarschuwingen=args.accepteer_waarschuwingen,
    )
    refused = [u for u in uitkomsten if not u.gelukt]
    for u in uitkomsten:
        wie = f"{mask_pgn(u.pgn)} {u.naam}".rstrip()
        if u.gelukt:
            ctx.say(f"{wie}: {u.melding}")
        else:
            ctx.warn(f"{wie}: niet geregistreerd: {u.melding}")
    done = len(uitkomsten) - len(refused)
    ctx.say(f"{titel.capitalize()} ({modus}) geregistreerd voor {done} van {len(uitkomsten)} leerling(en).")
    if any("waarschuwing" in u.melding for u in refused) and not args.accepteer_waarschuwingen:
        ctx.warn("Bekijk de waarschuwingen en registreer die leerlingen met --accepteer-waarschuwingen.")
    return 1 if refused else 0


def _preview(
    use: services.Context,
    ctx: Context,
    pgns: Sequence[str],
    stappen: Sequence[Stap],
    modus: Modus,
    plaatsing: Plaatsing | None,
    titel: str,
) -> int:
    rows = []
    for pgn in pgns:
        try:
            plannen = services.plan_steps(
                use, pgn=pgn, stappen=stappen, modus=modus, plaatsing=plaatsing, audit=True
            )
        except OsoError as exc:
            rows.append((mask_pgn(pgn), "-", f"niet mogelijk: {exc.message}"))
            continue
        n = sum(len(plan.wijzigingen) for plan in plannen)
        plan = plannen[0]
        wat = f"{n} veld(en) zouden wijzigen" if n else "er zou niets wijzigen"
        if any(p.fouten for p in plannen):
            wat = f"fout: {next(f for p in plannen for f in p.fouten)}"
        elif any(p.waarschuwingen for p in plannen):
            wat += f"; waarschuwing: {next(w for p in plannen for w in p.waarschuwingen)}"
        rows.append((mask_pgn(pgn), plan.dossier.naam or "-", wat))
    ctx.print_table(("PGN", "Naam", titel.capitalize()), rows)
    ctx.say(f"Voorbeeld voor {len(pgns)} leerling(en) ({modus}); er is niets opgeslagen (--voorbeeld).")
    return 0
