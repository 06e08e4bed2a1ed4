"""Reading and checking OSO dossiers: the foundation the rest of oso-tui builds on.

    from oso_tui.dossier import read_dossier
    result = read_dossier(Path("dossier.xml"))
    result.ok, result.dossier, result.findings, result.version

Never imports textual; needs nothing from outside the package at run time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oso_tui.dossier.findings import FOUT, WAARSCHUWING, Finding, Severity
    from oso_tui.dossier.models import (
        Adres,
        Arrangement,
        Bijlage,
        Communicatie,
        Diagnose,
        Dossier,
        Eindtoets,
        EindtoetsDomein,
        EindtoetsOnderdeel,
        Handelingsplan,
        Instelling,
        Inzage,
        Leerling,
        Lwoo,
        Metadata,
        Onderwijsondersteuning,
        Opp,
        Overstapadvies,
        Persoon,
        Referentiescore,
        Rvc,
        School,
        Schoolloopbaan,
        Tlv,
        Toets,
        Toetsonderdeel,
        Toetsresultaat,
        Verzorger,
        Verzuim,
    )
    from oso_tui.dossier.parser import DEFAULT_MAX_BYTES, ReadResult, read_dossier

_MODULE_OF = {
    **dict.fromkeys(("FOUT", "WAARSCHUWING", "Finding", "Severity"), "findings"),
    **dict.fromkeys(("DEFAULT_MAX_BYTES", "ReadResult", "read_dossier"), "parser"),
}


def __getattr__(name: str) -> Any:
    """Load the reader and its models on first use: lxml and the rules stay off the start-up path."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_MODULE_OF.get(name, 'models')}")
    return getattr(module, name)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FOUT",
    "WAARSCHUWING",
    "Adres",
    "Arrangement",
    "Bijlage",
    "Communicatie",
    "Diagnose",
    "Dossier",
    "Eindtoets",
    "EindtoetsDomein",
    "EindtoetsOnderdeel",
    "Finding",
    "Handelingsplan",
    "Instelling",
    "Inzage",
    "Leerling",
    "Lwoo",
    "Metadata",
    "Onderwijsondersteuning",
    "Opp",
    "Overstapadvies",
    "Persoon",
    "ReadResult",
    "Referentiescore",
    "Rvc",
    "School",
    "Schoolloopbaan",
    "Severity",
    "Tlv",
    "Toets",
    "Toetsonderdeel",
    "Toetsresultaat",
    "Verzorger",
    "Verzuim",
    "read_dossier",
]
