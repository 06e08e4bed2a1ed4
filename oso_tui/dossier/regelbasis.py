"""What every business rule is built from: the context it looks at, its findings, the rule register.

The rules themselves are in `rules.py` (who the pupil is, metadata, privacy, categories) and
`inhoudsregels.py` (code lists, advice, school career, tests); `rules.check_rules` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from lxml import etree

from oso_tui.dossier.findings import BLOKKADE, FOUT, WAARSCHUWING, Finding, Severity
from oso_tui.dossier.models import DossierKop
from oso_tui.dossier.versions import NIEUWSTE, Versie
from oso_tui.dossier.xmlutil import (
    child,
    children,
    descendants,
    entry,
    line_of,
    path_of,
)

EMAIL = re.compile(
    r"[a-zA-Z0-9!#$%*+=?^_`{|}~.-]+@[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$"
)
SCHOOLJAAR = re.compile(r"([0-9]{4})-([0-9]{4})")
BRIN = re.compile(r"[0-9]{2}[A-Z]{2}")
VESTIGING = re.compile(r"[0-9]{2}")
SEARCHED = (  # the names the rules look for anywhere in a dossier (see `Context.descendants`)
    "communicatie",
    "verzorger",
    "huisarts",
    "toets",
    "resultaat",
    "toetsscore",
    "score",
    "eindtoets_basisonderwijs",
)
GEHEIM_TELEFOON = "9999999999"
GEHEIM_EMAIL = "geheim@geheim.geheim"


@dataclass(frozen=True)
class Context:
    """What the rules look at: the tree (for lines, paths and values) and the dossier's head."""

    root: etree._Element
    kop: DossierKop
    versie: Versie = NIEUWSTE

    @cached_property
    def soort(self) -> str | None:
        return self.kop.overdrachtsoort

    @cached_property
    def swv(self) -> bool:
        return self.soort == "swv-dossier"

    @cached_property
    def overstapdossier(self) -> bool:
        return self.soort == "overstapdossier"

    @cached_property
    def binnenbrin(self) -> bool:
        return self.soort == "overdrachtbinnenbrin"

    @cached_property
    def overstap(self) -> str | None:
        return self.kop.overstap

    @cached_property
    def leerling(self) -> etree._Element | None:
        return child(child(self.root, "huidigeschool"), "leerling")

    @cached_property
    def _found(self) -> dict[str, list[etree._Element]]:
        return {"": [self.root]}

    def find(self, path: str) -> list[etree._Element]:
        """Elements at a slash path of local names below the root (remembered: paths share prefixes).

        The list is shared with the index: read it, never change it.
        """
        found = self._found.get(path)
        if found is None:
            parent, _, name = path.rpartition("/")
            above = self.find(parent)
            if len(above) == 1:  # the usual case: one element above, whose index has the list already
                found = entry(above[0]).kids.get(name) or []
            else:
                found = [c for el in above for c in children(el, name)]
            self._found[path] = found
        return found

    def descendants(self, name: str) -> list[etree._Element]:
        return descendants(self.root, name)


def _finding(
    severity: Severity, code: str, message: str, el: etree._Element | None, path: str | None = None
) -> Finding:
    return Finding(
        severity=severity,
        code=code,
        message=message,
        path=path if path is not None else (path_of(el) if el is not None else ""),
        line=line_of(el) if el is not None else None,
    )


def fout(code: str, message: str, el: etree._Element | None, path: str | None = None) -> Finding:
    return _finding(FOUT, code, message, el, path)


def waarschuwing(code: str, message: str, el: etree._Element | None, path: str | None = None) -> Finding:
    return _finding(WAARSCHUWING, code, message, el, path)


def blokkade(code: str, message: str, el: etree._Element | None, path: str | None = None) -> Finding:
    """No fault of the dossier, but registration cannot go on: the message says why."""
    return _finding(BLOKKADE, code, message, el, path)


def mask(number: str) -> str:
    """Only the last three digits, as lists do."""
    if not number:
        return "(leeg)"
    return "eindigend op " + number[-3:] if len(number) > 3 else "(te kort)"


Rule = Callable[[Context], Iterable[Finding]]


def register(rules: list[Rule]) -> Callable[[Rule], Rule]:
    """A decorator that adds a rule to `rules`: each rule module keeps its own list, in order."""

    def rule(func: Rule) -> Rule:
        rules.append(func)
        return func

    return rule
