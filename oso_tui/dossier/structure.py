"""Structure check (what the XSD requires), in our own code: filled in by the schema tables."""

from __future__ import annotations

from lxml import etree

from oso_tui.dossier.findings import Finding


def check_structure(root: etree._Element, *, strict: bool = True) -> list[Finding]:
    """Findings about the structure; `strict` is False for versions other than the schema's."""
    return []
