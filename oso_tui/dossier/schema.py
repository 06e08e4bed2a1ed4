"""Our own copy of the structure of an OSO dossier, per yearly version, as its official XSD defines it.

Users do not have the official XSD, so the product carries the structure as plain tables: per type
its content model (sequences and choices of elements with their occurrences), attributes and simple
value types. The tables of each version are data, `schemas/v<versie>.json`, generated from that
version's XSD by `tests/dossier/xsd_tables.py`; a conformance test per version derives them again
and checks that they are equal. Element names are local names: the namespace changes every year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, Union


def _short_repr(obj: object) -> str:
    """Only the fields that differ from their default, so that a failing comparison reads well."""
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


SCHEMAS = Path(__file__).with_name("schemas")


def _non_default(obj: object, skip: str = "") -> dict[str, Any]:
    """The fields that differ from their default: what the data file holds of a table entry."""
    return {
        f.name: getattr(obj, f.name)
        for f in fields(obj)  # type: ignore[arg-type]
        if f.name != skip and getattr(obj, f.name) != f.default
    }


def _particle_data(p: Particle) -> dict[str, Any]:
    if isinstance(p, El):
        return {"el": p.name, **_non_default(p, "name")}
    kind = "seq" if isinstance(p, Seq) else "choice"
    return {kind: [_particle_data(i) for i in p.items], **_non_default(p, "items")}


def _particle(data: dict[str, Any]) -> Particle:
    occurs = {k: data[k] for k in ("min", "max") if k in data}
    if "el" in data:
        return El(name=data["el"], type=data.get("type", "string"), **occurs)
    kind = Seq if "seq" in data else Choice
    return kind(items=tuple(_particle(i) for i in data["seq" if kind is Seq else "choice"]), **occurs)


def to_data(simple: dict[str, Simple], complex_: dict[str, Complex], root: El) -> dict[str, Any]:
    """The tables as the JSON a data file holds (only values that differ from the defaults)."""
    return {
        "simple": {k: _non_default(v) for k, v in simple.items()},
        "complex": {
            k: {
                **({"content": _particle_data(v.content)} if v.content is not None else {}),
                **({"simple": v.simple} if v.simple is not None else {}),
                **({"attributes": [_non_default(a) for a in v.attributes]} if v.attributes else {}),
            }
            for k, v in complex_.items()
        },
        "root": _particle_data(root),
    }


def data_text(data: dict[str, Any]) -> str:
    """A data file's text: one line per type, so that a new version's differences read as lines."""

    def block(entries: dict[str, Any]) -> str:
        lines = (f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in entries.items())
        return ",\n".join(lines)

    return (
        f'{{"simple": {{\n{block(data["simple"])}\n}},\n"complex": {{\n{block(data["complex"])}\n}},\n'
        f'"root": {json.dumps(data["root"])}}}\n'
    )


def from_data(version: str, data: dict[str, Any]) -> Tables:
    """The tables of a data file written by `to_data`."""
    root = _particle(data["root"])
    assert isinstance(root, El)
    return Tables(
        version,
        {k: Simple(**v) for k, v in data["simple"].items()},
        {
            k: Complex(
                content=_particle(v["content"]) if "content" in v else None,
                simple=v.get("simple"),
                attributes=tuple(Attr(**a) for a in v.get("attributes", ())),
            )
            for k, v in data["complex"].items()
        },
        root,
    )


@cache
def tables(version: str) -> Tables:
    """The tables of a version such as "2019.1" (its data file is read on first use)."""
    path = SCHEMAS / f"v{version.replace('.', '_')}.json"
    return from_data(version, json.loads(path.read_text(encoding="utf-8")))
