"""The official OSO rules (Edustandaard's XSLT 2.0 stylesheets), run by saxonche when it is installed.

Optional (`pip install 'oso-tui[officieel]'`): `oso-tui check --officieel --regels MAP` runs the
business and profile rules of the dossier's own version as published, beside oso-tui's own checks.
The stylesheets are not shipped with oso-tui; MAP is the folder of one version (with
`ValideerOverstapprofielen.xsl` and `include/`) or a folder holding `oso-gegevensset-<versie>/` folders.
"""

from __future__ import annotations

import importlib
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from oso_tui.dossier.findings import FOUT, WAARSCHUWING, Finding
from oso_tui.dossier.xmlutil import line_of
from oso_tui.errors import UsageError

INSTALL = (
    "De officiële regels draaien met saxonche, dat hier niet geïnstalleerd is; installeer het met "
    "pip install 'oso-tui[officieel]' (of pip install saxonche) en probeer het opnieuw."
)
_STYLESHEETS = {
    "OV": ("ValideerOverstapprofielen.xsl", "ValideerOSOprofielen.xsl"),
    "PaO": ("ValideerSwvPaO-profielen.xsl",),
}
_STEP = re.compile(r"/([^/\[]+)\[(\d+)\]")
_LOCK = threading.Lock()


def installed() -> bool:
    try:
        importlib.import_module("saxonche")
    except ImportError:
        return False
    return True


def require(regels: Path | None) -> Path:
    """The rules folder, or a UsageError saying what is missing (saxonche, or the folder)."""
    if not installed():
        raise UsageError(INSTALL)
    if regels is None:
        raise UsageError(
            "Geef met --regels MAP de map met de officiële regels van Edustandaard, bijvoorbeeld "
            "oso-gegevensset-2019.1 met ValideerOverstapprofielen.xsl en include/."
        )
    if not regels.is_dir():
        raise UsageError(f"De map met officiële regels {regels} bestaat niet.")
    return regels


def stylesheet(regels: Path, version: str, profiel: str) -> Path | None:
    """The stylesheet of a version and profile ("OV" or "PaO") in the rules folder, if there is one."""
    for folder in (regels / f"oso-gegevensset-{version}", regels):
        for name in _STYLESHEETS[profiel]:
            path = folder / name
            if path.is_file() and (folder is not regels or _version_of(path) in (version, None)):
                return path
    return None


def _version_of(path: Path) -> str | None:
    """The version a stylesheet checks, from the namespace it declares."""
    head = path.read_bytes()[:20000]
    match = re.search(rb"oso_gegevensset/(\d{4})/dossier", head)
    return f"{match[1].decode()}.1" if match else None


@cache
def _processor() -> Any:
    return importlib.import_module("saxonche").PySaxonProcessor(license=False)


@cache
def _compiled(path: Path) -> Any:
    try:
        return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))
    except Exception:  # saxonche raises its own error type; the file is the user's, say it plainly
        raise UsageError(f"De officiële regels in {path} kunnen niet gelezen worden.") from None


def _element(root: etree._Element, locatie: str) -> etree._Element | None:
    steps = _STEP.findall(locatie)
    node = root
    for name, index in steps[1:]:
        same = [c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == name]
        if int(index) > len(same):
            return node
        node = same[int(index) - 1]
    return node if steps else None


def _path(locatie: str) -> str:
    steps = [n if i == "1" else f"{n}[{i}]" for n, i in _STEP.findall(locatie)]
    return "/".join(steps[1:])


def check_official(root: etree._Element, version: str, regels: Path) -> list[Finding]:
    """The official rules' messages for one dossier (already read safely by oso-tui), as findings."""
    soort = root.findtext("{*}overdrachtsoort")
    profiel = "PaO" if soort == "swv-dossier" else "OV"
    path = stylesheet(regels, version, profiel)
    if path is None:
        return [
            Finding(
                severity=WAARSCHUWING,
                code="OFFICIEEL",
                message=f"In {regels} staan geen officiële {profiel}-regels van versie {version}.",
            )
        ]
    text = etree.tostring(root, encoding="unicode")
    with _LOCK:  # one Saxon processor per process
        try:
            node = _processor().parse_xml(xml_text=text)
            out = _compiled(path).transform_to_string(xdm_node=node)
        except UsageError:
            raise
        except Exception:
            return [
                Finding(
                    severity=WAARSCHUWING,
                    code="OFFICIEEL",
                    message="De officiële regels konden dit dossier niet controleren (het wijkt af van het "
                    "schema van zijn versie).",
                )
            ]
    meldingen = etree.fromstring(out.encode("utf-8"))
    found = []
    for m in meldingen.iter("{*}melding"):
        locatie = " ".join((m.findtext("{*}locatie") or "").split())
        el = _element(root, locatie)
        kind = (m.findtext("{*}type") or "").strip()
        found.append(
            Finding(
                severity=FOUT if kind == "Fout" else WAARSCHUWING,
                code="OFFICIEEL",
                message=" ".join((m.findtext("{*}tekst") or "").split()),
                path=_path(locatie),
                line=line_of(el) if el is not None else None,
            )
        )
    return found
