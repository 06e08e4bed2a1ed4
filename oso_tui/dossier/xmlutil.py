"""Small helpers over lxml elements that ignore the (yearly changing) namespace.

Every OSO year has its own namespace; we match on local names only, so one reader serves them all.
Values are read leniently here (an invalid date becomes None); the structure check reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?")
_INT = re.compile(r"[+-]?\d+")


def local(el: etree._Element) -> str:
    """The local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return _LOCAL.get(tag) or local_name(tag)


def namespace(el: etree._Element) -> str:
    tag = el.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].partition("}")[0]
    return ""


def elements(el: etree._Element | None) -> Iterator[etree._Element]:
    """Child elements, skipping comments and processing instructions (none for a missing element)."""
    if el is None:
        return
    yield from el.iterchildren(etree.Element)


class Entry:
    """One element's children by local name, and the texts of first children once they are read.

    Texts are read on first use: most children of an element are never asked for their text.
    """

    __slots__ = ("kids", "texts")

    def __init__(self, el: etree._Element | None) -> None:
        kids: dict[str, list[etree._Element]] = {}
        if el is not None:
            for c in el:  # plain iteration: a tag filter costs more than skipping the odd comment
                tag = c.tag
                if tag.__class__ is not str:
                    continue  # a comment, processing instruction or entity
                name = _LOCAL.get(tag) or local_name(tag)
                found = kids.get(name)
                if found is None:
                    kids[name] = [c]
                else:
                    found.append(c)
        self.kids = kids
        self.texts: dict[str, str | None] = {}

    def first(self, name: str) -> etree._Element | None:
        found = self.kids.get(name)
        return found[0] if found else None

    def text(self, name: str) -> str | None:
        texts = self.texts
        if name in texts:
            return texts[name]
        found = self.kids.get(name)
        if not found:
            return None  # nothing remembered: the shared empty entry stays empty
        value = texts[name] = text_of(found[0])
        return value


_EMPTY = Entry(None)
_LOCAL: dict[str, str] = {}
_LOCAL_MAX = 4096  # tags come from outside: keep the memo bounded


def local_name(tag: str) -> str:
    """The local name of an element's tag (remembered: a dossier has few distinct tags)."""
    name = _LOCAL.get(tag)
    if name is None:
        if len(_LOCAL) >= _LOCAL_MAX:
            _LOCAL.clear()
        name = _LOCAL[tag] = tag.rpartition("}")[2]
    return name


class _Index:
    """Per read: the entry of each element looked at, and the named descendants of searched subtrees."""

    __slots__ = ("entries", "found", "order", "searched")

    def __init__(self, searched: tuple[str, ...]) -> None:
        self.entries: dict[etree._Element, Entry] = {}
        self.searched = frozenset(searched)
        self.found: dict[etree._Element, dict[str, list[etree._Element]]] = {}
        self.order: dict[etree._Element, list[tuple[etree._Element, str]]] = {}

    def walk(self, el: etree._Element) -> dict[str, list[etree._Element]]:
        found = self.found.get(el)
        if found is None:  # one walk for all searched names: each lxml walk costs as much as this one
            found = self.found[el] = {name: [] for name in self.searched}
            order = self.order[el] = []
            for d in el.iter(*["{*}" + name for name in self.searched]):
                name = local_name(d.tag)
                found[name].append(d)
                order.append((d, name))
        return found

    def descendants(self, el: etree._Element, name: str) -> list[etree._Element]:
        if name not in self.searched:
            return list(el.iter("{*}" + name))
        return list(self.walk(el)[name])


_INDEX: ContextVar[_Index | None] = ContextVar("oso_tui_child_index", default=None)


@contextmanager
def indexed(searched: Iterable[str] = ()) -> Iterator[None]:
    """Within this block child lookups use an index (the tree must not change meanwhile).

    Reading a dossier looks up hundreds of named children and their texts; indexing each element's
    children when it is first looked at makes the later lookups dictionary hits. `searched` are the
    names `descendants` will be asked for: all of them are found in one walk. The index holds the
    element proxies, so they stay the same objects.
    """
    token = _INDEX.set(_Index(tuple(searched)))
    try:
        yield
    finally:
        _INDEX.reset(token)


def entry(el: etree._Element | None) -> Entry:
    """The children of `el` by local name (an empty entry for a missing element)."""
    if el is None:
        return _EMPTY
    index = _INDEX.get()
    if index is None:
        return Entry(el)
    found = index.entries.get(el)
    if found is None:
        found = index.entries[el] = Entry(el)
    return found


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    """Child elements with this local name, in any namespace."""
    return list(entry(el).kids.get(name, ()))


def child(el: etree._Element | None, name: str) -> etree._Element | None:
    found = entry(el).kids.get(name)
    return found[0] if found else None


def child_tags(*names: str) -> tuple[str, ...]:
    """Tags for `has_child`: these local names in any namespace."""
    return tuple("{*}" + name for name in names)


def has_child(el: etree._Element, tags: tuple[str, ...]) -> bool:
    """Whether `el` has a child element with one of these tags (from `child_tags`).

    For an element looked at once: lxml searches in C, where indexing its children by name
    (`entry`) would read every child's tag into Python first.
    """
    for _ in el.iterchildren(*tags):
        return True
    return False


def descendants(el: etree._Element, name: str) -> list[etree._Element]:
    """All elements below (and including) `el` with this local name, in document order."""
    index = _INDEX.get()
    return index.descendants(el, name) if index is not None else list(el.iter("{*}" + name))


def named_descendants(el: etree._Element, names: frozenset[str]) -> list[tuple[etree._Element, str]]:
    """The elements below (and including) `el` with one of these local names, each with its name,
    in document order; from the walk `descendants` makes when all of them are searched names."""
    index = _INDEX.get()
    if index is not None and names <= index.searched:
        index.walk(el)
        return [pair for pair in index.order[el] if pair[1] in names]
    return [(d, local_name(d.tag)) for d in el.iter(*["{*}" + name for name in names])]


def text_of(el: etree._Element | None) -> str | None:
    """The stripped text of a simple element; None when absent, empty or not simple."""
    if el is None:
        return None
    simple = len(el) == 0
    value = (el.text or "").strip() if simple else "".join(str(t) for t in el.itertext()).strip()
    return value or None


def text(el: etree._Element | None, name: str) -> str | None:
    return entry(el).text(name)


def texts(el: etree._Element | None, name: str) -> list[str]:
    return [t for t in (text_of(c) for c in entry(el).kids.get(name, ())) if t is not None]


def parse_date(value: str | None) -> date | None:
    """An xs:date (optionally with a time zone) as a date, or None when it is not one."""
    if value is None:
        return None
    match = _DATE.fullmatch(value.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip())


def parse_int(value: str | None) -> int | None:
    if value is None or not _INT.fullmatch(value.strip()):
        return None
    return int(value.strip())


def parse_decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def date_of(el: etree._Element | None, name: str) -> date | None:
    return parse_date(text(el, name))


def bool_of(el: etree._Element | None, name: str) -> bool | None:
    return parse_bool(text(el, name))


def int_of(el: etree._Element | None, name: str) -> int | None:
    return parse_int(text(el, name))


def decimal_of(el: etree._Element | None, name: str) -> Decimal | None:
    return parse_decimal(text(el, name))


def line_of(el: etree._Element) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) and line > 0 else None


def plain_path_of(el: etree._Element) -> str:
    """Path from below the root without positions, e.g. "huidigeschool/leerling/opp"."""
    names = [local(a) for a in el.iterancestors()][:-1]
    return "/".join([*reversed(names), local(el)]) if el.getparent() is not None else ""


def path_of(el: etree._Element) -> str:
    """Path from below the root, e.g. "huidigeschool/leerling/verzorger[2]/relatietotkind".

    A position is shown only where an element has siblings of the same name.
    """
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None and node.getparent() is not None:
        parent = node.getparent()
        assert parent is not None
        name = local(node)
        same = [c for c in elements(parent) if local(c) == name]
        parts.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/".join(reversed(parts))


class Node:
    """An element with its children indexed by local name, for reading many fields.

    A missing element is a Node of None: every lookup on it gives None or nothing, so reading code
    needs no checks for optional blocks.
    """

    __slots__ = ("_entry", "el", "kids")

    def __init__(self, el: etree._Element | None) -> None:
        self.el = el
        self._entry = entry(el)
        self.kids = self._entry.kids

    @property
    def present(self) -> bool:
        return self.el is not None

    def first(self, name: str) -> etree._Element | None:
        found = self.kids.get(name)
        return found[0] if found else None

    def node(self, name: str) -> Node:
        found = self.kids.get(name)
        return Node(found[0] if found else None)

    def nodes(self, name: str) -> list[Node]:
        return [Node(c) for c in self.kids.get(name, ())]

    def text(self, name: str) -> str | None:
        return self._entry.text(name)

    def texts(self, name: str) -> list[str]:
        return [t for t in (text_of(c) for c in self.kids.get(name, ())) if t is not None]

    def as_date(self, name: str) -> date | None:
        return parse_date(self.text(name))

    def as_bool(self, name: str) -> bool | None:
        return parse_bool(self.text(name))

    def as_int(self, name: str) -> int | None:
        return parse_int(self.text(name))

    def as_decimal(self, name: str) -> Decimal | None:
        return parse_decimal(self.text(name))
