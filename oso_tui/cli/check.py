"""`oso-tui check FILE...`: validate dossiers from the command line, for IT staff and scripts.

One line per file (`OK`, or the findings as `file:line: message`), or `--json`. Exit 0 when every
file is free of faults (`fout`), 1 when any file has one, 2 when a file cannot be read at all
(missing, unreadable, too large) or the command is used wrongly. A dossier that is valid but cannot
be registered (an swv-dossier, no usable PGN) exits 0 and says why. Nothing here touches the store.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from oso_tui.cli.common import Context, add_command
from oso_tui.dossier.findings import LABEL
from oso_tui.errors import ReadError, UsageError


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(sub, "check", run_check)
    parser.add_argument("files", nargs="+", metavar="BESTAND", help="dossierbestand of map met dossiers")
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON-lijst, één object per bestand")
    parser.add_argument(
        "--alleen-fouten", action="store_true", help="toon geen waarschuwingen, alleen fouten"
    )
    parser.add_argument(
        "--xsd",
        metavar="BESTAND",
        type=Path,
        help="controleer ook streng tegen dit officiële schema (XSD), bijvoorbeeld van een nieuwere versie",
    )
    parser.add_argument(
        "--officieel",
        action="store_true",
        help="draai ook de officiële regels (XSLT) van de versie van het dossier; vraagt saxonche "
        "(pip install 'oso-tui[officieel]') en --regels",
    )
    parser.add_argument(
        "--regels",
        metavar="MAP",
        type=Path,
        help="de map met de officiële regels van Edustandaard (één versie, of mappen "
        "oso-gegevensset-<versie>)",
    )
    parser.epilog = (
        "Per bestand één regel OK, of de meldingen als bestand:regel: fout|waarschuwing: tekst [pad]. "
        "Afsluitcode 0: geen fouten; 1: minstens één dossier met een fout; 2: verkeerd gebruik of een "
        "bestand dat niet te lezen is (bestaat niet, geen leesrechten, te groot)."
    )


def _expand(names: list[str]) -> list[Path]:
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xml" and p.is_file())
            if not found:
                raise UsageError(f"In de map {path} staan geen .xml-bestanden.")
            paths.extend(found)
        else:
            paths.append(path)
    return paths


def check_file(
    path: Path, max_bytes: int, *, xsd: Any = None, regels: Path | None = None, zorg: bool = True
) -> dict[str, Any]:
    """The report of one file, as the JSON output shows it (`xsd`: a loaded schema to check against too;
    `regels`: run the official rules from that folder as well; `zorg`: the user may see care data, else
    care values among "niet_overgenomen" are masked)."""
    from oso_tui.dossier import read_dossier

    try:
        result = read_dossier(path, max_bytes=max_bytes, model=False)
    except ReadError as exc:
        return {
            "file": str(path),
            "ok": False,
            "registreerbaar": False,
            "readable": False,
            "version": None,
            "namespace_year": None,
            "leerling": None,
            "findings": [
                {"severity": "fout", "code": "LEZEN", "line": None, "path": "", "message": exc.message}
            ],
        }
    findings = list(result.findings)
    if xsd is not None or regels is not None:
        findings += _extra(result.raw, result.version, xsd, regels)
    niet = _niet_overgenomen(result.raw, zorg) if result.kop is not None else []
    faults = [f for f in findings if f.is_error]
    return {
        "file": str(path),
        "ok": not faults,
        "registreerbaar": result.ok and not faults,
        "readable": True,
        "version": result.version,
        "namespace_year": result.namespace_year,
        "leerling": result.kop.naam if result.kop is not None else None,
        "findings": [
            {"severity": f.severity, "code": f.code, "line": f.line, "path": f.path, "message": f.message}
            for f in findings
        ],
        "niet_overgenomen": niet,
    }


def _niet_overgenomen(raw: bytes, zorg: bool) -> list[dict[str, str]]:
    """What no step registers, with path, value (care data masked without the zorg role) and reason."""
    from oso_tui.dossier.parser import parse_root
    from oso_tui.dossier.verantwoording import gemaskeerd, niet_overgenomen

    root = parse_root(raw)
    if root is None:
        return []
    return [
        {"pad": n.pad, "waarde": n.waarde, "reden": n.reden, "stap": n.stap}
        for n in gemaskeerd(niet_overgenomen(root), zorg)
    ]


def _extra(raw: bytes, version: str | None, xsd: Any, regels: Path | None) -> list[Any]:
    """Findings of the given official schema and of the official rules of the dossier's version."""
    from oso_tui.dossier.parser import parse_root

    root = parse_root(raw)
    if root is None:
        return []
    found = []
    if xsd is not None:
        from oso_tui.dossier.xsdcheck import check_against_xsd

        found += check_against_xsd(root, xsd)
    if regels is not None:
        from oso_tui.dossier.officieel import check_official
        from oso_tui.dossier.xmlutil import namespace

        year = re.search(r"/(\d{4})/dossier$", namespace(root))
        # the rules of the dossier's own year, also of a year oso-tui does not know yet
        found += check_official(root, f"{year[1]}.1" if year else version or "", regels)
    return found


def _lines(report: dict[str, Any], *, only_errors: bool) -> list[str]:
    name = report["file"]
    findings = report["findings"]
    errors = [f for f in findings if f["severity"] != "waarschuwing"]
    warnings = [f for f in findings if f["severity"] == "waarschuwing"]
    shown = errors if only_errors else errors + warnings
    shown.sort(key=lambda f: (f["line"] or 0, f["severity"] == "waarschuwing"))
    lines: list[str] = []
    if not report["readable"]:
        return [f"{name}: onleesbaar: {errors[0]['message']}"]
    if report["ok"]:
        extra = f", {len(warnings)} waarschuwing{'en' if len(warnings) != 1 else ''}" if warnings else ""
        version = f"versie {report['version']}" if report["version"] else "versie onbekend"
        niet = "" if report.get("registreerbaar", True) else "; kan niet geregistreerd worden"
        lines.append(f"{name}: OK ({version}{extra}){niet}")
    for f in shown:
        where = f"{name}:{f['line']}" if f["line"] is not None else name
        path = f" [{f['path']}]" if f["path"] else ""
        lines.append(f"{where}: {LABEL.get(f['severity'], f['severity'])}: {f['message']}{path}")
    return lines


def run_check(args: argparse.Namespace, ctx: Context) -> int:
    paths = _expand(list(args.files))
    max_bytes = ctx.settings.max_dossier_bytes
    xsd = None
    if args.xsd is not None:
        from oso_tui.dossier.xsdcheck import load_schema

        xsd = load_schema(args.xsd)
    regels = None
    if args.officieel or args.regels is not None:
        from oso_tui.dossier.officieel import require

        regels = require(args.regels)
    zorg = False
    if args.json:
        from oso_tui.services.rollen import mag

        zorg = mag(ctx.settings, ctx.user, "zorg-inzien")
    reports = [check_file(path, max_bytes, xsd=xsd, regels=regels, zorg=zorg) for path in paths]
    if args.json:
        ctx.say_json(reports)
    else:
        for report in reports:
            for line in _lines(report, only_errors=args.alleen_fouten):
                ctx.say(line)
    if any(not r["readable"] for r in reports):
        return 2
    if any(not r["ok"] for r in reports):
        return 1
    return 0
