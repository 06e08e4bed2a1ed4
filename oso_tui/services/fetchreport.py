"""What one fetch reports: per item what became of it, and the name mismatches to confirm.

Apart from `fetching` so the screens, the CLI and the deciding step can share these types without
the fetch itself, and so each module stays short enough to read in one go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from oso_tui.display import aantal

Progress = Callable[[int, int, str], None]
"""Called as progress(done, total, item_name) while fetching; runs in the caller's thread."""

Uitkomst = Literal[
    "opgehaald",
    "nieuwe versie",
    "al ontvangen",
    "geen nieuwe gegevens",
    "ongeldig",
    "afwijkend",
    "zonder aanvraag",
    "bevestiging nodig",
    "aanvraag verlopen",
    "verouderd",
]
"""What became of one fetched item. A file whose bytes the store holds leaves the inbox for the first
three and an identical "geen nieuwe gegevens"; an older one, "ongeldig", "afwijkend" and "verouderd" go
to rejected/ with the reason; the others stay in the inbox."""


@dataclass(frozen=True)
class FetchRegel:
    """One fetched item: its name, what became of it and why."""

    naam: str
    uitkomst: Uitkomst
    reden: str = ""
    pgn: str | None = None
    aanvraag_id: str | None = None
    sha256: str | None = None
    datum: date | None = None


@dataclass(frozen=True)
class Bevestiging:
    """A dossier whose surname differs from the request's: linking needs the user's confirmation."""

    sha256: str
    bron: str
    pgn: str
    aanvraag_id: str
    naam_dossier: str
    naam_aanvraag: str


@dataclass
class FetchReport:
    """What one fetch did; `te_bevestigen` lists the name mismatches left in the inbox."""

    regels: list[FetchRegel] = field(default_factory=list)
    klaargezet: int = 0
    te_bevestigen: list[Bevestiging] = field(default_factory=list)
    bron: str = ""
    meldingen: list[str] = field(default_factory=list)  # problems after storing, e.g. a file not moved

    @property
    def telling(self) -> Counter[str]:
        return Counter(r.uitkomst for r in self.regels)

    @property
    def nieuw(self) -> int:
        return self.telling["opgehaald"] + self.telling["nieuwe versie"]

    @property
    def geweigerd(self) -> int:
        return self.telling["ongeldig"] + self.telling["afwijkend"] + self.telling["verouderd"]

    def samenvatting(self) -> str:
        t = self.telling
        if not self.regels and not self.klaargezet:
            return f"Geen dossiers gevonden ({self.bron})." if self.bron else "Geen dossiers gevonden."
        parts = [f"{aantal(len(self.regels), 'dossier', 'dossiers')} bekeken: {t['opgehaald']} opgehaald"]
        for label in get_args(Uitkomst)[1:]:
            if t[label]:
                parts.append(f"{t[label]} {label}")
        return ", ".join(parts) + "."
