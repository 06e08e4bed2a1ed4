"""Strict validation against an official XSD a school has (`oso-tui check --xsd FILE`).

lxml validates; its English messages are turned into the same Dutch form as oso-tui's own structure
check, with the line and the element path, and never quote a value (a BSN could be in it).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from oso_tui.dossier.findings import FOUT, Finding
from oso_tui.dossier.xmlutil import path_of
from oso_tui.errors import ReadError, UsageError

_NAME = r"'(?:\{[^}]*\})?([^']+)'"
_ELEMENT = re.compile(r"^Element " + _NAME + r"(?:, attribute " + _NAME + r")?: (.*)$", re.DOTALL)
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
_STEP = re.compile(r"\*(?:\[(\d+)\])?")


def load_schema(path: Path) -> etree.XMLSchema:
    """The schema at `path`, read without network or entities; a UsageError says why it cannot be used."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except OSError:
        raise ReadError(f"Het schema {path} kan niet gelezen worden.") from None
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError):
        raise UsageError(f"{path} is geen bruikbaar XML-schema (XSD).") from None


def _names(text: str) -> str:
    names = [n.rpartition("}")[2] for n in text.split(",")]
    shown = [f"<{n.strip()}>" for n in names[:5] if n.strip()]
    return ", ".join(shown) + (", ..." if len(names) > 5 else "")


def dutch(message: str) -> str:
    """One lxml schema message in Dutch, without quoting values."""
    match = _ELEMENT.match(message.strip())
    if match is None:
        return "De opbouw van het dossier wijkt af van het schema."
    name, attribute, rest = match[1], match[2], match[3]
    expected = _EXPECTED.search(rest)
    if attribute:
        if "not allowed" in rest:
            return f"Het attribuut '{attribute}' is niet toegestaan bij <{name}>."
        if "required but missing" in rest:
            return f"Bij <{name}> ontbreekt het verplichte attribuut '{attribute}'."
        return f"Het attribuut '{attribute}' van <{name}> heeft geen geldige waarde."
    if "No matching global declaration" in rest:
        return f"Het hoofdelement <{name}> hoort niet bij dit schema (een andere namespace of versie)."
    if "This element is not expected" in rest:
        return f"Het element <{name}> is hier niet toegestaan" + (
            f" (verwacht: {_names(expected[1])})." if expected else "."
        )
    if "Missing child element" in rest:
        which = _names(expected[1]) if expected else "een verplicht element"
        return f"In <{name}> ontbreekt het verplichte element {which}."
    facets = {
        "'pattern'": "heeft niet de vereiste vorm",
        "'minLength'": "is te kort",
        "'maxLength'": "is te lang",
        "'enumeration'": "is geen van de toegestane waarden",
        "'minInclusive'": "is te klein",
        "'maxInclusive'": "is te groot",
    }
    for facet, phrase in facets.items():
        if facet in rest:
            return f"De waarde van <{name}> {phrase}."
    if "is not a valid value of the atomic type" in rest:
        kind = rest.rpartition("'xs:")[2].rstrip("'. ")
        return f"De waarde van <{name}> is geen geldige waarde van het type {kind}."
    if "Character content other than whitespace is not allowed" in rest:
        return f"Het element <{name}> mag geen losse tekst bevatten, alleen elementen."
    if "element is not allowed" in rest or "has no children" in rest:
        return f"Het element <{name}> mag alleen een waarde bevatten, geen onderliggende elementen."
    return f"Het element <{name}> wijkt af van het schema."


def _element_at(root: etree._Element, xpath: str | None) -> etree._Element | None:
    """The element of an lxml error path such as '/*/*[4]/*[4]' (element children only)."""
    if not xpath or not xpath.startswith("/*"):
        return None
    node = root
    for index in [m[1] for m in _STEP.finditer(xpath)][1:]:
        kids = [c for c in node if isinstance(c.tag, str)]
        position = int(index) if index else 1
        if position > len(kids):
            return node
        node = kids[position - 1]
    return node


def check_against_xsd(root: etree._Element, schema: etree.XMLSchema) -> list[Finding]:
    """Every error the schema reports for a dossier root, as Dutch `fout` findings."""
    if schema.validate(root):
        return []
    found = []
    for error in list(schema.error_log):  # type: ignore[call-overload]
        el = _element_at(root, error.path)
        found.append(
            Finding(
                severity=FOUT,
                code="XSD-BESTAND",
                message=dutch(error.message or ""),
                path=path_of(el) if el is not None else "",
                line=error.line if error.line and error.line > 0 else None,
            )
        )
    return found
