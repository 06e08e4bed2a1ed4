"""The official OSO rules (XSLT 2.0 stylesheets in ../shared) run by saxonche, as a test oracle.

Each version's profile stylesheet includes its business rules (`include/ValideerOSOgegevensset_<v>.xsl`),
so one stylesheet per version and profile gives every official `Fout`: OV (overstapdossier and
overdracht binnen BRIN) and PaO (swv-dossier). 2016.1 has one stylesheet and no PaO profile yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from tests.dossier.conftest import official_folder

MELDINGEN = "{http://www.edustandaard.nl/oso_gegevensset/%s/schemas/Meldingen}"
_STEP = re.compile(r"/([^/\[]+)\[(\d+)\]")


@dataclass(frozen=True)
class Melding:
    """One official message: its type (Fout), the element path (our form) and the Dutch text."""

    type: str
    path: str
    tekst: str


def stylesheet(version: str, profile: str) -> Path | None:
    """The official stylesheet of a version and profile ("OV" or "PaO"), None when there is none."""
    folder = official_folder(version)
    names = {
        "OV": ("ValideerOverstapprofielen.xsl", "ValideerOSOprofielen.xsl"),
        "PaO": ("ValideerSwvPaO-profielen.xsl",),
    }[profile]
    for name in names:
        if (folder / name).is_file():
            return folder / name
    return None


def profile_of(raw: bytes) -> str:
    root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    soort = root.findtext("{*}overdrachtsoort")
    return "PaO" if soort == "swv-dossier" else "OV"


def _plain_path(locatie: str) -> str:
    """'/dossier[1]/huidigeschool[1]/leerling[1]/verzorger[2]' -> 'huidigeschool/leerling/verzorger[2]'."""
    steps = [name if index == "1" else f"{name}[{index}]" for name, index in _STEP.findall(locatie)]
    return "/".join(steps[1:])


@cache
def _processor() -> Any:
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@cache
def _executable(path: Path) -> Any:
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))


def run_official(raw: bytes, version: str, profile: str | None = None) -> list[Melding]:
    """Every message of the official rules of `version` for one dossier."""
    path = stylesheet(version, profile or profile_of(raw))
    if path is None:
        return []
    proc = _processor()
    node = proc.parse_xml(xml_text=raw.decode(_encoding(raw)))
    out = _executable(path).transform_to_string(xdm_node=node)
    root = etree.fromstring(out.encode("utf-8"))
    ns = MELDINGEN % version.split(".")[0]
    return [
        Melding(
            type=(m.findtext(f"{ns}type") or "").strip(),
            path=_plain_path((m.findtext(f"{ns}locatie") or "").strip()),
            tekst=" ".join((m.findtext(f"{ns}tekst") or "").split()),
        )
        for m in root.iter(f"{ns}melding")
    ]


def _encoding(raw: bytes) -> str:
    match = re.match(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""", raw)
    return match[1].decode("ascii") if match else "utf-8"


@cache
def official_schema(version: str) -> etree.XMLSchema | None:
    xsd = official_folder(version) / "OSO_gegevensset.xsd"
    return etree.XMLSchema(etree.parse(str(xsd))) if xsd.is_file() else None


def saxon_available() -> bool:
    try:
        import saxonche  # noqa: F401
    except ImportError:
        return False
    return True
