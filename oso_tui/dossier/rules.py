"""Business rules that protect registration (from ValideerOSOgegevensset/Overstapprofielen)."""

from __future__ import annotations

from lxml import etree

from oso_tui.dossier.findings import Finding
from oso_tui.dossier.models import Dossier


def check_rules(root: etree._Element, dossier: Dossier) -> list[Finding]:
    return []
