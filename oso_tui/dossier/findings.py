"""Findings: what reading and checking a dossier found, in Dutch, with where it was found."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["fout", "waarschuwing"]
FOUT: Severity = "fout"
WAARSCHUWING: Severity = "waarschuwing"


class Finding(BaseModel):
    """One problem: a `fout` blocks registration, a `waarschuwing` is only shown.

    `path` is the element path inside the dossier (local names, e.g.
    "huidigeschool/leerling/verzorger[2]/relatietotkind"), `line` the line in the file, `code` the rule
    (an official one such as "OVa.LL12" where it exists, else our own such as "XSD" or "OSO.BSN").
    """

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    path: str = ""
    line: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == FOUT

    def format(self, source: str) -> str:
        """`file:line: message` as a compiler would say it."""
        where = f"{source}:{self.line}" if self.line is not None else source
        label = "fout" if self.is_error else "waarschuwing"
        path = f" [{self.path}]" if self.path else ""
        return f"{where}: {label}: {self.message}{path}"
