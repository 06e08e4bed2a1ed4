"""Our own copy of the structure of an OSO dossier, per yearly version, as its official XSD defines it.

Users do not have the official XSD, so the product carries the structure as plain tables: per type
its content model (sequences and choices of elements with their occurrences), attributes and simple
value types. The tables of each version live in `schemas/v<versie>.py`, generated from that
version's XSD by `tests/dossier/xsd_tables.py`; a conformance test per version derives them again
and checks that they are equal. Element names are local names: the namespace changes every year.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, fields
from functools import cache
from typing import Union


def _short_repr(obj: object) -> str:
    """Only the fields that differ from their default, so the tables stay readable."""
    parts = []
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if f.default is not value and f.default != value:
            parts.append(f"{f.name}={value!r}")
    return f"{type(obj).__name__}({', '.join(parts)})"


@dataclass(frozen=True, repr=False)
class Simple:
    """A simple value type: an XSD built-in base with facets."""

    base: str = "string"  # string, date, boolean, integer, int, decimal
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_inclusive: int | None = None
    max_inclusive: int | None = None

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class El:
    """An element in a content model; `type` is a key of SIMPLE_TYPES or COMPLEX_TYPES."""

    name: str
    type: str = "string"
    min: int = 1
    max: int | None = 1  # None: unbounded

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class Seq:
    items: tuple[Particle, ...] = ()
    min: int = 1
    max: int | None = 1

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class Choice:
    items: tuple[Particle, ...] = ()
    min: int = 1
    max: int | None = 1

    def __repr__(self) -> str:
        return _short_repr(self)


Particle = Union[El, Seq, Choice]  # noqa: UP007 (a runtime alias used by isinstance-free code)


@dataclass(frozen=True, repr=False)
class Attr:
    name: str
    type: str = "string"
    required: bool = False

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class Complex:
    """A complex type: element content (`content`), or simple content (`simple`) with attributes."""

    content: Particle | None = None
    simple: str | None = None
    attributes: tuple[Attr, ...] = ()

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per version
class Tables:
    """The structure of one yearly version: simple and complex types by key, and the root element."""

    version: str
    simple: dict[str, Simple]
    complex: dict[str, Complex]
    root: El


@cache
def tables(version: str) -> Tables:
    """The tables of a version such as "2019.1" (its module is imported on first use)."""
    module = importlib.import_module(f"oso_tui.dossier.schemas.v{version.replace('.', '_')}")
    return Tables(version, module.SIMPLE_TYPES, module.COMPLEX_TYPES, module.ROOT)
