"""Derive our structure tables from the official XSD, to prove `oso_tui/dossier/schema.py` matches it.

The product carries its own copy of the structure (users do not have the XSD); this module reads the
official `OSO_gegevensset.xsd` into the same table form so a conformance test can compare the two,
and prints the data file of the tables when the standard changes:

    python -m tests.dossier.xsd_tables ../shared/oso-gegevensset-2019.1/OSO_gegevensset.xsd \
        > oso_tui/dossier/schemas/v2019_1.json
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from lxml import etree

from oso_tui.dossier.schema import Attr, Choice, Complex, El, Particle, Seq, Simple, data_text, to_data

XS = "{http://www.w3.org/2001/XMLSchema}"
BUILTINS = {
    "xs:string": "string",
    "xs:date": "date",
    "xs:boolean": "boolean",
    "xs:integer": "integer",
    "xs:int": "int",
    "xs:decimal": "decimal",
}


def _occurs(el: etree._Element) -> tuple[int, int | None]:
    low = int(el.get("minOccurs", "1"))
    high_text = el.get("maxOccurs", "1")
    return low, None if high_text == "unbounded" else int(high_text)


class _Reader:
    def __init__(self, path: Path) -> None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
        self.root = etree.parse(str(path), parser).getroot()
        self.simple: dict[str, Simple] = {v: Simple(base=v) for v in BUILTINS.values()}
        self.complex: dict[str, Complex] = {}
        self.global_elements = {e.get("name"): e for e in self.root.findall(f"{XS}element")}
        self.named_simple = {e.get("name"): e for e in self.root.findall(f"{XS}simpleType")}
        self.named_complex = {e.get("name"): e for e in self.root.findall(f"{XS}complexType")}

    def type_key(self, name: str) -> str:
        if name in BUILTINS:
            return BUILTINS[name]
        if name in self.named_simple:
            if name not in self.simple:
                self.simple[name] = self.read_simple(self.named_simple[name])
            return name
        if name in self.named_complex:
            if name not in self.complex:
                self.complex[name] = Complex()  # placeholder against recursion
                self.complex[name] = self.read_complex(self.named_complex[name])
            return name
        raise KeyError(name)

    def read_simple(self, st: etree._Element) -> Simple:
        restriction = st.find(f"{XS}restriction")
        assert restriction is not None
        base = self.simple[self.type_key(restriction.get("base", ""))]
        facets: dict[str, object] = {}
        for facet in restriction:
            if not isinstance(facet.tag, str):
                continue
            name = facet.tag.removeprefix(XS)
            value = facet.get("value", "")
            if name == "pattern":
                facets["pattern"] = value.replace(r"\p{Nd}", r"\d")
            elif name in ("minLength", "maxLength", "minInclusive", "maxInclusive"):
                facets[
                    {
                        "minLength": "min_length",
                        "maxLength": "max_length",
                        "minInclusive": "min_inclusive",
                        "maxInclusive": "max_inclusive",
                    }[name]
                ] = int(value)
        return replace(base, **facets) if facets else base  # type: ignore[arg-type]

    def element_type(self, el: etree._Element, context: str) -> str:
        """The type key of a local or global element declaration."""
        if el.get("type"):
            return self.type_key(el.get("type", ""))
        inline_complex = el.find(f"{XS}complexType")
        inline_simple = el.find(f"{XS}simpleType")
        key = f"{context}/{el.get('name')}" if context else str(el.get("name"))
        if inline_complex is not None:
            if key not in self.complex:
                self.complex[key] = Complex()
                self.complex[key] = self.read_complex(inline_complex, key)
            return key
        if inline_simple is not None:
            self.simple[key] = self.read_simple(inline_simple)
            return key
        return "string"

    def particle(self, node: etree._Element, context: str) -> Particle:
        tag = node.tag.removeprefix(XS) if isinstance(node.tag, str) else ""
        low, high = _occurs(node)
        if tag == "element":
            ref = node.get("ref")
            if ref:
                return El(name=ref, type=self.element_type(self.global_elements[ref], ""), min=low, max=high)
            return El(name=node.get("name", ""), type=self.element_type(node, context), min=low, max=high)
        items = tuple(self.particle(c, context) for c in node if isinstance(c.tag, str))
        if tag == "sequence":
            return Seq(items=items, min=low, max=high)
        if tag == "choice":
            return Choice(items=items, min=low, max=high)
        if tag == "group":
            group = self.root.find(f"{XS}group[@name='{node.get('ref')}']")
            assert group is not None
            inner = [c for c in group if isinstance(c.tag, str)]
            return self.particle(inner[0], context)
        raise ValueError(tag)

    def read_complex(self, ct: etree._Element, context: str | None = None) -> Complex:
        context = context or ct.get("name", "")
        content: Particle | None = None
        attrs: list[Attr] = []
        simple: str | None = None
        for node in ct:
            if not isinstance(node.tag, str):
                continue
            tag = node.tag.removeprefix(XS)
            if tag in ("sequence", "choice", "group"):
                content = self.particle(node, context)
            elif tag == "attribute":
                attrs.append(self.attribute(node))
            elif tag == "complexContent":
                ext = node.find(f"{XS}extension")
                assert ext is not None
                base = self.complex[self.type_key(ext.get("base", ""))]
                own = [
                    self.particle(c, context)
                    for c in ext
                    if isinstance(c.tag, str) and c.tag.removeprefix(XS) in ("sequence", "choice", "group")
                ]
                attrs.extend(base.attributes)
                attrs.extend(self.attribute(a) for a in ext.findall(f"{XS}attribute"))
                parts = [p for p in (base.content, *own) if p is not None]
                content = parts[0] if len(parts) == 1 else Seq(items=tuple(parts)) if parts else None
            elif tag == "simpleContent":
                ext = node.find(f"{XS}extension")
                assert ext is not None
                simple = self.type_key(ext.get("base", ""))
                attrs.extend(self.attribute(a) for a in ext.findall(f"{XS}attribute"))
        return Complex(content=content, simple=simple, attributes=tuple(attrs))

    def attribute(self, node: etree._Element) -> Attr:
        return Attr(
            name=node.get("name", ""),
            type=self.type_key(node.get("type", "xs:string")),
            required=node.get("use") == "required",
        )


def _strip_annotations(root: etree._Element) -> None:
    for ann in root.findall(f".//{XS}annotation"):
        parent = ann.getparent()
        if parent is not None:
            parent.remove(ann)


def tables_from_xsd(path: Path) -> tuple[dict[str, Simple], dict[str, Complex], El]:
    """(simple types, complex types, root element) as the official XSD defines them."""
    reader = _Reader(path)
    _strip_annotations(reader.root)
    root = El(name="dossier", type=reader.element_type(reader.global_elements["dossier"], ""))
    used_simple: dict[str, Simple] = {}
    used_complex: dict[str, Complex] = {}

    def visit_type(key: str) -> None:
        if key in reader.complex:
            if key in used_complex:
                return
            ct = reader.complex[key]
            used_complex[key] = ct
            if ct.simple:
                used_simple[ct.simple] = reader.simple[ct.simple]
            for a in ct.attributes:
                used_simple[a.type] = reader.simple[a.type]
            if ct.content is not None:
                visit_particle(ct.content)
        else:
            used_simple[key] = reader.simple[key]

    def visit_particle(p: Particle) -> None:
        if isinstance(p, El):
            visit_type(p.type)
        else:
            for item in p.items:
                visit_particle(item)

    visit_type(root.type)
    return dict(sorted(used_simple.items())), dict(sorted(used_complex.items())), root


def data_source(path: Path) -> str:
    """The data file `oso_tui/dossier/schemas/v<version>.json` for one official XSD."""
    return data_text(to_data(*tables_from_xsd(path)))


if __name__ == "__main__":
    sys.stdout.write(data_source(Path(sys.argv[1])))
