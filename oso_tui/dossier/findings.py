"""Findings: what reading and checking a dossier found, in Dutch, with where it was found."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["fout", "waarschuwing", "blokkade"]
FOUT: Severity = "fout"
WAARSCHUWING: Severity = "waarschuwing"
BLOKKADE: Severity = "blokkade"
LABEL: dict[str, str] = {FOUT: "fout", WAARSCHUWING: "waarschuwing", BLOKKADE: "niet te registreren"}


class Finding(BaseModel):
    """One problem: a `fout` is a fault of the dossier against its version's schema or rules and blocks
    registration; a `blokkade` is no fault of the dossier but still stops registration here (a dossier
    for a samenwerkingsverband, no usable PGN where the standard allows that, a BSN that fails the
    elfproef); a `waarschuwing` is only shown.

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
        """True for a fault of the dossier (a `fout`)."""
        return self.severity == FOUT

    @property
    def blocks(self) -> bool:
        """True when the finding stops registration (a `fout` or a `blokkade`)."""
        return self.severity != WAARSCHUWING

    def format(self, source: str) -> str:
        """`file:line: message` as a compiler would say it."""
        where = f"{source}:{self.line}" if self.line is not None else source
        label = LABEL[self.severity]
        path = f" [{self.path}]" if self.path else ""
        return f"{where}: {label}: {self.message}{path}"
