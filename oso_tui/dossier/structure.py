"""The structure check: what the XSD requires, done in our own code on our own tables.

Content models are matched greedily, which is exact for XSD models because the standard requires
them to be deterministic (Unique Particle Attribution). When a model does not fit, the furthest
position the matcher reached tells which element is unexpected or missing, like a schema validator.
Messages are Dutch, name the element path and the line, and never quote sensitive values.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from lxml import etree

from oso_tui.dossier.findings import FOUT, WAARSCHUWING, Finding, Severity
from oso_tui.dossier.schema import Choice, Complex, El, Particle, Seq, Simple, Tables, tables
from oso_tui.dossier.xmlutil import elements, line_of, local, namespace, path_of

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XSI_ALLOWED = {"schemaLocation", "noNamespaceSchemaLocation", "type", "nil"}
_SENSITIVE = {"bsn", "onderwijsnummer", "bestandsinhoud", "iban", "banknummer", "nummer"}
_DATE = re.compile(r"-?([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_BOOLEAN = {"true", "false", "1", "0"}
_INT_RANGE = (-(2**31), 2**31 - 1)
_MAX_SHOWN = 5


@dataclass
class _Furthest:
    """The furthest child position the matcher reached, and what it could accept there."""

    pos: int = -1
    required: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def note(self, pos: int, name: str, *, required: bool) -> None:
        if pos > self.pos:
            self.pos, self.required, self.allowed = pos, [], []
        if pos == self.pos:
            if required and name not in self.required:
                self.required.append(name)
            if name not in self.allowed:
                self.allowed.append(name)


def _match(p: Particle, names: list[str], pos: int, far: _Furthest, optional: bool = False) -> int | None:
    """The position after `p` matched from `pos`, or None when it cannot match.

    `optional` says an enclosing group may be left out, so a failing element there is only
    "allowed", not "required", in the report of the furthest position.
    """
    if isinstance(p, El):
        count = 0
        while pos < len(names) and (p.max is None or count < p.max) and names[pos] == p.name:
            pos += 1
            count += 1
        if count < p.min:
            far.note(pos, p.name, required=not optional)
            return None
        if p.max is None or count < p.max:
            far.note(pos, p.name, required=False)
        return pos
    occurrences = 0
    current = pos
    while p.max is None or occurrences < p.max:
        end = _match_once(p, names, current, far, optional or occurrences >= p.min)
        if end is None:
            break
        if end == current:  # matched empty: more repetitions change nothing
            occurrences = max(occurrences + 1, p.min)
            break
        occurrences += 1
        current = end
    if occurrences < p.min:
        return None
    return current


def _match_once(p: Seq | Choice, names: list[str], pos: int, far: _Furthest, optional: bool) -> int | None:
    if isinstance(p, Seq):
        current: int | None = pos
        for item in p.items:
            assert current is not None
            current = _match(item, names, current, far, optional)
            if current is None:
                return None
        return current
    empty = False
    for item in p.items:
        end = _match(item, names, pos, far, optional)
        if end is not None and end > pos:
            return end
        if end == pos:
            empty = True
    return pos if empty else None


def _nullable(p: Particle) -> bool:
    if isinstance(p, El) or p.min == 0:
        return p.min == 0
    if isinstance(p, Seq):
        return all(_nullable(i) for i in p.items)
    return any(_nullable(i) for i in p.items)


def _regex(p: Particle) -> str | None:
    """The content model as a regular expression over "name," tokens; None when it could backtrack badly."""
    if isinstance(p, El):
        body = "(?:" + re.escape(p.name) + ",)"
    else:
        if (p.max is None or p.max > 1) and any(_nullable(i) for i in p.items):
            return None
        parts = [_regex(i) for i in p.items]
        if any(part is None for part in parts):
            return None
        joiner = "" if isinstance(p, Seq) else "|"
        body = "(?:" + joiner.join(part for part in parts if part is not None) + ")"
    high = "" if p.max is None else str(p.max)
    if (p.min, p.max) == (1, 1):
        return body
    return f"{body}{{{p.min},{high}}}"


@cache
def _compiled(t: Tables, type_key: str) -> re.Pattern[str] | None:
    content = t.complex[type_key].content
    if content is None:
        return re.compile("")
    pattern = _regex(content)
    return re.compile(pattern) if pattern is not None else None


def _fits(t: Tables, type_key: str, names: list[str]) -> bool:
    """Fast check of a valid content model in C; the greedy matcher explains the invalid ones."""
    pattern = _compiled(t, type_key)
    if pattern is None or any("," in n for n in names):
        return False
    return pattern.fullmatch("".join(n + "," for n in names)) is not None


@cache
def _child_types(t: Tables, type_key: str) -> dict[str, str]:
    """Element name -> type key for the children a complex type allows (names are unique per type)."""
    found: dict[str, str] = {}

    def visit(p: Particle | None) -> None:
        if p is None:
            return
        if isinstance(p, El):
            found.setdefault(p.name, p.type)
        else:
            for item in p.items:
                visit(item)

    visit(t.complex[type_key].content)
    return found


def _names(items: list[str]) -> str:
    shown = [f"<{n}>" for n in items[:_MAX_SHOWN]]
    if len(items) > _MAX_SHOWN:
        shown.append("...")
    return ", ".join(shown)


def _show(name: str, value: str) -> str:
    """The value for a message, unless the field is sensitive; shortened when long."""
    if name in _SENSITIVE:
        return ""
    value = value.strip()
    if len(value) > 30:
        value = value[:27] + "..."
    return f" '{value}'"


def simple_value_problem(simple: Simple, value: str) -> str | None:
    """Why `value` is not valid for `simple` (a Dutch phrase), or None when it is."""
    base = simple.base
    # whitespace collapse for the non-string built-ins
    checked = value if base == "string" else " ".join(value.split())
    if base == "date":
        match = _DATE.fullmatch(checked)
        if not match:
            return "is geen geldige datum (verwacht JJJJ-MM-DD)"
        try:
            date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return "is geen bestaande datum"
    elif base == "boolean":
        if checked not in _BOOLEAN:
            return "is geen geldige ja/nee-waarde (verwacht true of false)"
    elif base in ("integer", "int"):
        if not _INTEGER.fullmatch(checked):
            return "is geen geheel getal"
        number = int(checked)
        if base == "int" and not _INT_RANGE[0] <= number <= _INT_RANGE[1]:
            return "is te groot"
        if simple.min_inclusive is not None and number < simple.min_inclusive:
            return f"is kleiner dan {simple.min_inclusive}"
        if simple.max_inclusive is not None and number > simple.max_inclusive:
            return f"is groter dan {simple.max_inclusive}"
    elif base == "decimal" and not _DECIMAL.fullmatch(checked):
        return "is geen getal"
    if simple.min_length is not None and len(checked) < simple.min_length:
        return "is leeg" if simple.min_length == 1 else f"is korter dan {simple.min_length} tekens"
    if simple.max_length is not None and len(checked) > simple.max_length:
        return f"is langer dan {simple.max_length} tekens"
    if simple.pattern is not None and not _pattern(simple.pattern).fullmatch(checked):
        return "heeft niet de vereiste vorm"
    return None


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Checker:
    def __init__(self, root_ns: str, severity: Severity, t: Tables) -> None:
        self.t = t
        self.ns = root_ns
        self.prefix = "{" + root_ns + "}" if root_ns else ""
        self.severity = severity
        self.findings: list[Finding] = []

    def add(self, el: etree._Element, message: str, line: int | None = None, path: str | None = None) -> None:
        self.findings.append(
            Finding(
                severity=self.severity,
                code="XSD",
                message=message,
                path=path_of(el) if path is None else path,
                line=line if line is not None else line_of(el),
            )
        )

    def name_of(self, tag: str) -> str:
        """The name a child is matched on: its local name, or "{ns}name" when in a foreign namespace."""
        if tag.startswith(self.prefix):
            return tag[len(self.prefix) :]
        return tag if tag.startswith("{") else "{}" + tag

    def element(self, el: etree._Element, type_key: str) -> None:
        complex_ = self.t.complex.get(type_key)
        if complex_ is None:
            self.simple_element(el, self.t.simple[type_key], allowed_attrs=frozenset())
            return
        if el.attrib or complex_.attributes:
            self.attributes(el, complex_)
        if complex_.simple is not None:
            self.simple_element(
                el,
                self.t.simple[complex_.simple],
                allowed_attrs=frozenset(a.name for a in complex_.attributes),
            )
            return
        self.complex_element(el, type_key, complex_)

    def attributes(self, el: etree._Element, complex_: Complex) -> None:
        declared = {a.name: a for a in complex_.attributes}
        for raw_name, value in el.attrib.items():
            name = str(raw_name)
            if name.startswith("{"):
                ns, _, short = name[1:].partition("}")
                if ns == XSI and short in _XSI_ALLOWED:
                    continue
                self.add(el, f"Het attribuut '{short}' is niet toegestaan bij <{local(el)}>.")
                continue
            attr = declared.get(name)
            if attr is None:
                self.add(el, f"Het attribuut '{name}' is niet toegestaan bij <{local(el)}>.")
                continue
            problem = simple_value_problem(self.t.simple[attr.type], str(value))
            if problem:
                self.add(el, f"Het attribuut '{name}' van <{local(el)}> {problem}.")
        for attr in complex_.attributes:
            if attr.required and attr.name not in el.attrib:
                self.add(el, f"Bij <{local(el)}> ontbreekt het verplichte attribuut '{attr.name}'.")

    def simple_element(self, el: etree._Element, simple: Simple, allowed_attrs: frozenset[str]) -> None:
        name = local(el)
        if not allowed_attrs and el.attrib:
            for raw_name in el.attrib:
                attr = str(raw_name)
                short = attr.rpartition("}")[2]
                if attr.startswith("{" + XSI + "}") and short in _XSI_ALLOWED:
                    continue
                self.add(el, f"Het attribuut '{short}' is niet toegestaan bij <{name}>.")
        if len(el) == 0:
            value = el.text or ""
        elif any(True for _ in elements(el)):
            self.add(
                el, f"Het element <{name}> mag alleen een waarde bevatten, geen onderliggende elementen."
            )
            return
        else:  # only comments or processing instructions inside: the text around them counts
            value = "".join(str(t) for t in el.itertext())
        problem = simple_value_problem(simple, value)
        if problem:
            self.add(el, f"De waarde{_show(name, value)} van <{name}> {problem}.")

    def complex_element(self, el: etree._Element, type_key: str, complex_: Complex) -> None:
        name = local(el)
        if (el.text is not None and el.text.strip()) or any(
            c.tail is not None and c.tail.strip() for c in el
        ):
            self.add(el, f"Het element <{name}> mag geen losse tekst bevatten, alleen elementen.")
        kids = list(elements(el))
        names = [self.name_of(str(k.tag)) for k in kids]
        if not _fits(self.t, type_key, names):
            far = _Furthest()
            end = 0 if complex_.content is None else _match(complex_.content, names, 0, far)
            if end is None or end < len(kids):
                self.content_problem(el, kids, names, far, 0 if end is None else end)
        types = _child_types(self.t, type_key) if complex_.content is not None else {}
        for kid, kid_name in zip(kids, names, strict=True):
            kid_type = types.get(kid_name)
            if kid_type is not None:
                self.element(kid, kid_type)

    def content_problem(
        self, el: etree._Element, kids: list[etree._Element], names: list[str], far: _Furthest, end: int
    ) -> None:
        name = local(el)
        at = max(far.pos, end)
        if at < len(kids):
            kid = kids[at]
            kid_name = local(kid)
            if names[at].startswith("{"):
                message = (
                    f"Het element <{kid_name}> in <{name}> hoort niet bij de OSO-namespace van dit dossier."
                )
            elif far.pos == at and far.required:
                which = _names(far.required) if len(far.required) == 1 else f"een van {_names(far.required)}"
                message = (
                    f"In <{name}> staat <{kid_name}> waar {which} verplicht is (ontbreekt of staat elders)."
                )
                if len(far.required) == 1:
                    self.add(kid, message, path=f"{path_of(el)}/{far.required[0]}".lstrip("/"))
                    return
            elif far.pos == at and far.allowed:
                message = (
                    f"Het element <{kid_name}> is hier niet toegestaan in <{name}> "
                    f"(verwacht: {_names(far.allowed)})."
                )
            else:
                message = f"Het element <{kid_name}> is hier niet toegestaan in <{name}>."
            self.add(kid, message)
        else:
            missing = far.required or far.allowed
            which = _names(missing) if len(missing) == 1 else f"een van {_names(missing)}"
            last_line = line_of(kids[-1]) if kids else None
            self.add(
                el,
                f"In <{name}> ontbreekt het verplichte element {which}.",
                line=last_line if last_line is not None else line_of(el),
                path=f"{path_of(el)}/{missing[0]}".lstrip("/") if len(missing) == 1 else None,
            )


def check_structure(
    root: etree._Element, *, version: str = "2019.1", strict: bool = True, fast: bool = True
) -> list[Finding]:
    """Findings about the structure of a dossier root element, by the tables of `version`.

    `strict` is False for an unknown (newer) yearly version read with the tables of a known one: its
    differences are then warnings, since the rules still guard what registration needs. With `fast`,
    lxml first checks the XSD written from our tables; only an invalid dossier is walked in Python,
    which explains each problem in Dutch.
    """
    severity = FOUT if strict else WAARSCHUWING
    t = tables(version)
    schema = _fast_schema(namespace(root), t) if fast else None
    if schema is not None and schema.validate(root):
        return []
    checker = _Checker(namespace(root), severity, t)
    checker.element(root, t.root.type)
    if not checker.findings and schema is not None:
        error: Any = getattr(schema.error_log, "last_error", None)  # not in the lxml stubs
        line = error.line if error is not None and error.line > 0 else None
        checker.findings.append(
            Finding(
                severity=severity,
                code="XSD",
                message="De opbouw van het dossier wijkt af van het OSO-schema.",
                line=line,
            )
        )
    return checker.findings


# ------------------------------------------------------------------ fast path for valid dossiers


def _type_name(key: str) -> str:
    return "t." + key.replace("/", ".")


def _simple_xsd(name: str, simple: Simple) -> str:
    facets = []
    if simple.pattern is not None:
        facets.append(f'<xs:pattern value="{_attribute(simple.pattern)}"/>')
    for facet, value in (
        ("minLength", simple.min_length),
        ("maxLength", simple.max_length),
        ("minInclusive", simple.min_inclusive),
        ("maxInclusive", simple.max_inclusive),
    ):
        if value is not None:
            facets.append(f'<xs:{facet} value="{value}"/>')
    return (
        f'<xs:simpleType name="{_type_name(name)}"><xs:restriction base="xs:{simple.base}">'
        f"{''.join(facets)}</xs:restriction></xs:simpleType>"
    )


def _occurs(p: Particle) -> str:
    high = "unbounded" if p.max is None else str(p.max)
    return f' minOccurs="{p.min}" maxOccurs="{high}"'


def _particle_xsd(p: Particle) -> str:
    if isinstance(p, El):
        return f'<xs:element name="{p.name}" type="{_type_name(p.type)}"{_occurs(p)}/>'
    tag = "xs:sequence" if isinstance(p, Seq) else "xs:choice"
    return f"<{tag}{_occurs(p)}>{''.join(_particle_xsd(i) for i in p.items)}</{tag}>"


def _complex_xsd(name: str, complex_: Complex) -> str:
    attrs = "".join(
        f'<xs:attribute name="{a.name}" type="{_type_name(a.type)}"'
        f' use="{"required" if a.required else "optional"}"/>'
        for a in complex_.attributes
    )
    if complex_.simple is not None:
        body = (
            f'<xs:simpleContent><xs:extension base="{_type_name(complex_.simple)}">{attrs}'
            "</xs:extension></xs:simpleContent>"
        )
    else:
        content = _particle_xsd(complex_.content) if complex_.content is not None else ""
        body = content + attrs
    return f'<xs:complexType name="{_type_name(name)}">{body}</xs:complexType>'


def schema_xsd(namespace_uri: str, version: str = "2019.1") -> str:
    """The tables of `version` written out as an XSD for one namespace (lxml then checks in C)."""
    t = tables(version)
    parts = [_simple_xsd(k, v) for k, v in t.simple.items()]
    parts += [_complex_xsd(k, v) for k, v in t.complex.items()]
    return (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="{namespace_uri}" xmlns="{namespace_uri}" elementFormDefault="qualified">'
        f'<xs:element name="{t.root.name}" type="{_type_name(t.root.type)}"/>{"".join(parts)}</xs:schema>'
    )


_THREAD = threading.local()
_KNOWN_NAMESPACE = re.compile(r"http://www\.edustandaard\.nl/oso_gegevensset/(201[6-9]|202[0-4])/dossier")
"""The yearly versions that exist (2016 to 2024): only their compiled schemas are kept.

A file may claim any year up to 9999; each year is another namespace, so caching every one would let a
stream of such files grow memory without end. An unknown one is compiled when it comes and kept only
until the next unknown one replaces it.
"""


def _fast_schema(namespace_uri: str, t: Tables) -> etree.XMLSchema:
    """The compiled schema for a namespace and version, one per thread: lxml validators are not shared
    across threads."""
    schemas: dict[tuple[str, str], etree.XMLSchema] = _THREAD.__dict__.setdefault("schemas", {})
    key = (namespace_uri, t.version)
    schema = schemas.get(key)
    if schema is None:
        last: tuple[tuple[str, str], etree.XMLSchema] | None = _THREAD.__dict__.get("unknown")
        if last is not None and last[0] == key:
            return last[1]
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        xsd = schema_xsd(namespace_uri, t.version).encode("utf-8")
        schema = etree.XMLSchema(etree.fromstring(xsd, parser))
        if _KNOWN_NAMESPACE.fullmatch(namespace_uri):
            schemas[key] = schema
        else:
            _THREAD.unknown = (key, schema)
    return schema


def _attribute(text: str) -> str:
    """`text` as an XML attribute value in double quotes (xml.sax.saxutils would load urllib and http)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
