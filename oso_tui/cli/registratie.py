"""Registration commands: register, undo, history, show, export, audit and bijlagen.

All of them are thin: parse the arguments, call `oso_tui.services`, print Dutch text (or
JSON). The services check roles and write the audit log.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, get_args

from oso_tui import services
from oso_tui.cli.common import Context, add_command, apply_summer, mask_pgn
from oso_tui.cli.output import terminal_csv
from oso_tui.datums import toon_datum
from oso_tui.display import visible_json
from oso_tui.errors import RefusedError, UsageError
from oso_tui.registration.diff import KEUZES, DiffRegel
from oso_tui.registration.labels import veldpad, weergave
from oso_tui.registration.models import (
    STAP_TITELS,
    STAPPEN,
    Herkomst,
    Inhoud,
    Keuze,
    Modus,
    Mutatie,
    Stap,
    Waarde,
)
from oso_tui.services import rollen
from oso_tui.settings import parse_iso_date
from oso_tui.store import Store, open_store

_ACTIES = {
    "geen": "",
    "overnemen": "overnemen",
    "behouden": "behouden",
    "wissen": "WISSEN",
}


def _use(store: Store, ctx: Context) -> services.Context:
    """What the use cases need: this store, the settings and the user of this run."""
    return services.Context(store, ctx.settings, ctx.user)


def _store(ctx: Context) -> Store:
    notice = rollen.melding_zonder_rollen(ctx.settings)
    if notice:
        ctx.warn(f"oso-tui: {notice}")
    store = open_store(ctx.settings)
    apply_summer(store, ctx)
    return store


def _stappen(value: str) -> list[Stap]:
    if value in ("alle", "all"):
        return list(STAPPEN)
    for stap in STAPPEN:
        if stap == value:
            return [stap]
    raise UsageError(f"Onbekende stap '{value}'; kies personalia, loopbaan, begeleiding of alle.")


def _keuzes(values: Sequence[str] | None, stappen: Sequence[Stap] = STAPPEN) -> dict[str, Keuze]:
    """`VELD=KEUZE` per value; a field by its full path or an unambiguous short name (`adres`)."""
    result: dict[str, Keuze] = {}
    for value in values or ():
        pad, sep, keuze = value.partition("=")
        chosen = next((k for k in KEUZES if k == keuze.strip()), None)
        if not sep or not pad.strip() or chosen is None:
            raise UsageError(
                f"--keuze '{value}' is ongeldig; schrijf VELD=overnemen, VELD=behouden of VELD=wissen."
            )
        try:
            result[veldpad(pad, stappen)] = chosen
        except UsageError as exc:
            raise UsageError(f"--keuze: {exc.message}") from None
    return result


def _verschil(oud: Inhoud, nieuw: Inhoud, pad: str | None = None) -> tuple[str, str]:
    """Both values as text; of two versions of a row only the parts that differ."""
    if isinstance(oud, dict) and isinstance(nieuw, dict) and not ("straat" in oud or "postcode" in oud):
        keys = [k for k in {**oud, **nieuw} if oud.get(k) != nieuw.get(k)]
        if not keys:
            return weergave(oud, pad), weergave(nieuw, pad)
        return (
            weergave({k: oud.get(k) for k in keys}) or "(leeg)",
            weergave({k: nieuw.get(k) for k in keys}) or "(leeg)",
        )
    return weergave(oud, pad), weergave(nieuw, pad)


def _wijziging(oud: Inhoud, nieuw: Inhoud, pad: str | None = None) -> str:
    before, after = _verschil(oud, nieuw, pad)
    return f"{_cut(before, 50) or '(leeg)'} -> {_cut(after, 50) or '(leeg)'}"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def diff_rijen(regels: Sequence[DiffRegel]) -> list[tuple[str, str, str, str, str]]:
    """The diff as table rows: field, registered, dossier, verdict, what happens."""
    rows: list[tuple[str, str, str, str, str]] = []
    for r in regels:
        links, rechts = _verschil(r.geregistreerd, r.dossier, r.pad)
        rows.append((_cut(r.label, 60), _cut(links, 80), _cut(rechts, 80), r.oordeel, _ACTIES[r.actie]))
    return rows


DIFF_KOPPEN = ("veld", "geregistreerd", "dossier", "oordeel", "actie")


# register -------------------------------------------------------------------------------------------


def _register(args: argparse.Namespace, ctx: Context) -> int:
    pgns: list[str] = list(dict.fromkeys(args.pgn or ()))
    if args.todo and pgns:
        raise UsageError("Gebruik --todo óf --pgn, niet allebei.")
    if not (args.todo or pgns):
        raise UsageError("Geef --pgn PGN (één of meer) of --todo.")
    stappen = _stappen(args.step)
    keuzes = _keuzes(args.keuze, stappen)
    if args.todo or len(pgns) > 1:
        from oso_tui.cli.werklijst import register_collectief

        if keuzes:
            raise UsageError("--keuze geldt voor één leerling; kies bij meerdere leerlingen --modus.")
        return register_collectief(args, ctx, _store(ctx), pgns, stappen)
    from oso_tui.registration.steps import parse_plaatsing

    store = _store(ctx)
    modus: Modus = "overschrijven" if args.mode == "overschrijven" else "aanvullen"
    plannen = services.plan_steps(
        _use(store, ctx),
        pgn=pgns[0],
        stappen=stappen,
        modus=modus,
        keuzes=keuzes,
        plaatsing=parse_plaatsing(args.plaatsing) if args.plaatsing else None,
        versie=args.dossier,
        audit=args.dry_run,
        verantwoording=args.dry_run,
    )
    for plan in plannen:
        ctx.say(
            f"{plan.titel} ({plan.modus}) voor {mask_pgn(plan.pgn)}: dossier van "
            f"{toon_datum(plan.dossier.datum)} ({plan.dossier.naam}, {plan.dossier.school})"
            + ("; nieuwe leerling" if plan.nieuwe_leerling else "")
        )
        for fout in plan.fouten:
            ctx.say(f"  fout: {fout}")
        for waarschuwing in plan.waarschuwingen:
            ctx.say(f"  waarschuwing: {waarschuwing}")
        if args.dry_run:
            shown = [r for r in plan.regels if args.alles or r.oordeel != "gelijk"]
            gelijk = len(plan.regels) - len(shown)
            if shown:
                ctx.say("")
                ctx.print_table(DIFF_KOPPEN, diff_rijen(shown))
            elif not plan.regels:
                ctx.say("  Het dossier bevat niets voor deze stap.")
            if gelijk:
                ctx.say(f"  {gelijk} veld(en) gelijk aan wat geregistreerd is (--alles toont ze).")
            for item in plan.niet_overgenomen:
                ctx.say(f"  niet overgenomen: {item.pad} = {item.waarde} ({item.reden})")
            n = len(plan.wijzigingen)
            ctx.say(
                f"  {n} veld(en) zouden wijzigen; er is niets opgeslagen (--dry-run)."
                if n
                else "  Er zou niets wijzigen; er is niets opgeslagen (--dry-run)."
            )
            ctx.say("")
    if args.dry_run:
        return 0
    if not args.accepteer_waarschuwingen and any(plan.waarschuwingen for plan in plannen):
        waarschuwing = next(w for plan in plannen for w in plan.waarschuwingen)
        raise RefusedError(
            f"Het dossier heeft waarschuwingen die eerst bevestigd moeten worden ({waarschuwing}); "
            "bekijk ze en registreer met --accepteer-waarschuwingen."
        )
    results = services.apply_all(
        _use(store, ctx), plannen, accepteer_waarschuwingen=args.accepteer_waarschuwingen
    )
    for result in results:
        ctx.say(result.melding)
        if result.mutatie is not None:
            for w in result.mutatie.wijzigingen:
                ctx.say(f"  {w.label}: {_wijziging(w.oud, w.nieuw, w.pad)}")
    return 0


# undo, history --------------------------------------------------------------------------------------


def _undo(args: argparse.Namespace, ctx: Context) -> int:
    store = _store(ctx)
    stap = _stappen(args.step)[0] if args.step else None
    result = services.undo(_use(store, ctx), pgn=args.pgn, stap=stap, mutatie_id=args.id)
    ctx.say(result.melding)
    for w in result.mutatie.wijzigingen:
        ctx.say(f"  {w.label}: {_wijziging(w.oud, w.nieuw, w.pad)}")
    return 0


def _mutatie_json(m: Mutatie) -> dict[str, Any]:
    return m.model_dump(mode="json")


def _history(args: argparse.Namespace, ctx: Context) -> int:
    store = _store(ctx)
    entries = services.history(_use(store, ctx), pgn=args.pgn)
    if args.json:
        ctx.say_json([_mutatie_json(m) for m in entries])
        return 0
    if not entries:
        ctx.say(f"Er is nog niets geregistreerd voor {mask_pgn(args.pgn)}.")
        return 0
    for m in entries:
        wat = "registratie" if m.soort == "registratie" else "ongedaan gemaakt"
        status = f" (ongedaan door {m.ongedaan_door})" if m.ongedaan_door else ""
        herstelt = f" van {m.herstelt}" if m.herstelt else ""
        datum = f", dossier van {toon_datum(m.dossierdatum)}" if m.dossierdatum else ""
        ctx.say(
            f"{m.id}  {m.wanneer:%d-%m-%Y %H:%M}  {m.door}  {STAP_TITELS[m.stap]}: {wat}{herstelt}"
            f" [{m.modus}{datum}]{status}"
        )
        for w in m.wijzigingen:
            ctx.say(f"    {w.label}: {_wijziging(w.oud, w.nieuw, w.pad)}")
        if not m.wijzigingen:
            ctx.say("    (geen velden gewijzigd; stap vastgelegd voor deze dossierversie)")
    return 0


# show -----------------------------------------------------------------------------------------------


def _show(args: argparse.Namespace, ctx: Context) -> int:
    store = _store(ctx)
    view = services.show(_use(store, ctx), pgn=args.pgn)
    if args.json:
        ctx.say_json(view.model_dump(mode="json"))
        return 0
    ctx.say(f"{view.naam} ({view.pgn})")
    for stap in view.stappen:
        info = stap.info
        when = (
            f"geregistreerd {info.laatst:%d-%m-%Y %H:%M} door {info.door} ({info.modus}"
            + (f", dossier van {toon_datum(info.dossierdatum)})" if info.dossierdatum else ")")
            if info
            else "niet geregistreerd"
        )
        ctx.say("")
        ctx.say(f"{stap.titel}: {when}")
        if stap.verborgen:
            ctx.say("  (zorggegevens; alleen zichtbaar met de rol zorg)")
            continue
        if not stap.velden:
            ctx.say("  (niets geregistreerd)")
            continue
        rows: list[tuple[str, str, str]] = []
        for v in stap.velden:
            bron = _herkomst(v.herkomst)
            if isinstance(v.waarde, dict) and v.tekst != weergave_adres(v.waarde):
                rows.append((v.label, "", bron))
                rows += [(f"  {part}", weergave(value), "") for part, value in v.waarde.items()]
            else:
                rows.append((v.label, v.tekst, bron))
        ctx.print_table(("Veld", "Waarde", "Herkomst"), rows)
    return 0


def _herkomst(h: Herkomst | None) -> str:
    if h is None:
        return ""
    if h.bron == "invoer":
        bron = f"ingevoerd door {h.door}"
    elif h.bron == "afgeleid":
        bron = "afgeleid uit het advies"
    else:
        bron = f"dossier {toon_datum(h.dossierdatum) if h.dossierdatum else '?'}"
    return f"{bron}, {h.wanneer:%d-%m-%Y}"


def weergave_adres(waarde: dict[str, Waarde]) -> str:
    """The one-line form `weergave` uses for an address (rows print part by part instead)."""
    return weergave(waarde) if ("straat" in waarde or "postcode" in waarde) else ""


# export, audit, bijlagen ----------------------------------------------------------------------------


def _export(args: argparse.Namespace, ctx: Context) -> int:
    store = _store(ctx)
    formaat: Literal["csv", "json"] = "json" if args.format == "json" else "csv"
    out = Path(args.out) if args.out else None
    export = services.export(_use(store, ctx), formaat=formaat, met_begeleiding=args.met_begeleiding, out=out)
    if out is not None:
        zorg = " met begeleidingsgegevens" if export.met_begeleiding else ""
        ctx.warn(f"{export.aantal} leerling(en){zorg} geëxporteerd naar {args.out} ({formaat}).")
    elif formaat == "json":
        ctx.out.write(visible_json(export.tekst))
    else:
        ctx.out.write(terminal_csv(export.tekst, ctx.out))
    return 0


def _audit(args: argparse.Namespace, ctx: Context) -> int:
    store = _store(ctx)
    entries = services.audit_log(
        _use(store, ctx),
        pgn=args.pgn,
        gebruiker=args.gebruiker,
        actie=args.actie,
        van=parse_iso_date(args.van, "--van") if args.van else None,
        tot=parse_iso_date(args.tot, "--tot") if args.tot else None,
    )
    if args.json:
        ctx.say_json([e.model_dump(mode="json") for e in entries])
        return 0
    if not entries:
        ctx.say("Geen auditregels gevonden.")
        return 0
    ctx.print_table(
        ("Wanneer", "Gebruiker", "Actie", "PGN", "Detail"),
        (
            (
                f"{e.wanneer:%d-%m-%Y %H:%M:%S}",
                e.gebruiker,
                e.actie,
                mask_pgn(e.pgn) if e.pgn else "-",
                e.detail,
            )
            for e in entries
        ),
    )
    return 0


def _bijlagen(args: argparse.Namespace, ctx: Context) -> int:
    store = _store(ctx)
    if args.map is None:
        items = services.list_attachments(_use(store, ctx), pgn=args.pgn, versie=args.dossier)
        if not items:
            ctx.say("Dit dossier heeft geen bijlagen.")
            return 0
        ctx.print_table(
            ("Bijlage", "Grootte", "Omschrijving", "Bron"),
            ((b.bestandsnaam, f"{b.grootte} bytes", b.omschrijving or "", b.bron) for b in items),
        )
        return 0
    saved = services.save_attachments(
        _use(store, ctx), pgn=args.pgn, map=Path(args.map), namen=args.naam, versie=args.dossier
    )
    for path in saved:
        ctx.say(f"Opgeslagen (als ZIP, niet uitgepakt): {path}")
    return 0


# registration ---------------------------------------------------------------------------------------


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "register", _register)
    p.add_argument(
        "--pgn",
        nargs="+",
        action="extend",
        metavar="PGN",
        help="BSN of onderwijsnummer; meerdere (herhaalbaar) registreert een selectie in één keer",
    )
    p.add_argument(
        "--todo",
        action="store_true",
        help="registreer de stap voor elke leerling bij wie die nog openstaat (zie oso-tui todo)",
    )
    p.add_argument(
        "--stap",
        "--step",
        dest="step",
        required=True,
        metavar="STAP",
        choices=[*STAPPEN, "alle", "all"],
        help="welke stap: personalia, loopbaan, begeleiding of alle",
    )
    p.add_argument(
        "--modus",
        "--mode",
        dest="mode",
        metavar="MODUS",
        choices=list(get_args(Modus)),
        default="aanvullen",
        help="aanvullen (standaard: alleen lege velden vullen) of overschrijven (ook gewijzigde waarden)",
    )
    p.add_argument(
        "--voorbeeld",
        "--dry-run",
        dest="dry_run",
        action="store_true",
        help="toon het verschil als tabel en verander niets",
    )
    p.add_argument("--alles", action="store_true", help="toon bij --voorbeeld ook de velden die gelijk zijn")
    p.add_argument(
        "--plaatsing",
        metavar="WAARDEN",
        help="plaatsing, bv. schooljaar=2027-2028,leerjaar=1,opleiding=havo/vwo,klas=1B "
        "(en eventueel startdatum=30-08-2027); bij meerdere leerlingen alleen voor nieuwe leerlingen",
    )
    p.add_argument(
        "--keuze",
        action="append",
        metavar="VELD=KEUZE",
        help="keuze per veld die de modus overstijgt: overnemen, behouden of wissen (herhaalbaar); "
        "het veld voluit (personalia.adres) of kort als dat eenduidig is (adres)",
    )
    p.add_argument(
        "--accepteer-waarschuwingen",
        action="store_true",
        help="registreer ook als het dossier waarschuwingen heeft (voorlopig, niet akkoord, ...)",
    )
    p.add_argument("--dossier", metavar="VERSIE", help="een bepaalde dossierversie (standaard de nieuwste)")

    p = add_command(sub, "undo", _undo)
    p.add_argument("--pgn", required=True, help="BSN of onderwijsnummer van de leerling")
    p.add_argument(
        "--stap",
        "--step",
        dest="step",
        metavar="STAP",
        choices=list(STAPPEN),
        help="alleen deze stap: personalia, loopbaan of begeleiding (standaard de laatste registratie)",
    )
    p.add_argument("--id", metavar="HISTORIE-ID", help="een bepaald historie-item (zie history)")

    p = add_command(sub, "history", _history)
    p.add_argument("--pgn", required=True, help="BSN of onderwijsnummer van de leerling")
    p.add_argument("--json", action="store_true", help="als JSON")

    p = add_command(sub, "show", _show)
    p.add_argument("--pgn", required=True, help="BSN of onderwijsnummer van de leerling")
    p.add_argument("--json", action="store_true", help="als JSON")

    p = add_command(sub, "export", _export)
    p.add_argument(
        "--formaat",
        "--format",
        dest="format",
        choices=["csv", "json"],
        default="csv",
        help="csv (standaard) of json",
    )
    p.add_argument(
        "--met-begeleiding", action="store_true", help="ook begeleidingsgegevens (alleen met de rol zorg)"
    )
    p.add_argument(
        "--bestand",
        "--out",
        dest="out",
        metavar="BESTAND",
        help="schrijf naar dit bestand (alleen voor de eigenaar leesbaar)",
    )

    p = add_command(sub, "audit", _audit)
    p.add_argument("--pgn", help="alleen deze leerling")
    p.add_argument("--gebruiker", help="alleen deze gebruiker")
    p.add_argument("--actie", help="alleen deze actie, bv. registreren, ongedaan, export, bekijken-zorg")
    p.add_argument("--van", metavar="DATUM", help="vanaf deze datum (dd-mm-jjjj)")
    p.add_argument("--tot", metavar="DATUM", help="tot en met deze datum (dd-mm-jjjj)")
    p.add_argument("--json", action="store_true", help="als JSON")

    p = add_command(sub, "bijlagen", _bijlagen)
    p.add_argument("--pgn", required=True, help="BSN of onderwijsnummer van de leerling")
    p.add_argument("--map", metavar="MAP", help="bewaar de bijlagen (als ZIP, niet uitgepakt) in deze map")
    p.add_argument(
        "--naam", action="append", metavar="BESTANDSNAAM", help="alleen deze bijlage (herhaalbaar)"
    )
    p.add_argument("--dossier", metavar="VERSIE", help="een bepaalde dossierversie (standaard de nieuwste)")
