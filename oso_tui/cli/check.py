"""`oso-tui check FILE...`: validate dossiers from the command line, for IT staff and scripts.

One line per file (`OK`, or the findings as `file:line: message`), or `--json`. Exit 0 when every
file is free of faults (`fout`), 1 when any file has one, 2 when a file cannot be read at all
(missing, unreadable, too large) or the command is used wrongly. A dossier that is valid but cannot
be registered (an swv-dossier, no usable PGN) exits 0 and says why. Nothing here touches the store.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from oso_tui.cli.common import Context, add_command
from oso_tui.dossier.findings import LABEL
from oso_tui.errors import ReadError, UsageError


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        sub,
        "check",
        "controleer OSO-dossiers (XML) op structuur en regels; een map controleert alle .xml-bestanden erin",
        run_check,
    )
    parser.add_argument("files", nargs="+", metavar="BESTAND", help="dossierbestand of map met dossiers")
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON-lijst, één object per bestand")
    parser.add_argument(
        "--alleen-fouten", action="store_true", help="toon geen waarschuwingen, alleen fouten"
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


def check_file(path: Path, max_bytes: int) -> dict[str, Any]:
    """The report of one file, as the JSON output shows it."""
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
    return {
        "file": str(path),
        "ok": not result.faults,
        "registreerbaar": result.ok,
        "readable": True,
        "version": result.version,
        "namespace_year": result.namespace_year,
        "leerling": result.kop.naam if result.kop is not None else None,
        "findings": [
            {"severity": f.severity, "code": f.code, "line": f.line, "path": f.path, "message": f.message}
            for f in result.findings
        ],
    }


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
    reports = [check_file(path, max_bytes) for path in paths]
    if args.json:
        ctx.say(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            for line in _lines(report, only_errors=args.alleen_fouten):
                ctx.say(line)
    if any(not r["readable"] for r in reports):
        return 2
    if any(not r["ok"] for r in reports):
        return 1
    return 0
