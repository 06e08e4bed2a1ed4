"""The demo exchange: plays the sending schools from the fictional sample dossiers.

A school answers a request for one of its sample pupils (same PGN, request addressed to its BRIN) by
preparing the pupil's first dossier; after a renewal it prepares its newest one (for most pupils the
same one, which gives "geen nieuwe gegevens"), so the March/May story
(the May version adds the final test) can be shown. Nothing is moved or deleted: the samples stay as
they are, and fetching twice is a no-op because fetched requests are no longer offered anything.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import oso_tui
from oso_tui.errors import ReadError
from oso_tui.exchange.base import Binnenkomend, Exchange
from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.models import Aanvraag
from oso_tui.settings import Settings

MANIFEST = "manifest.json"


def sample_folder() -> Path:
    """`<package>/_sample_dossiers` in an installed wheel, else `<repo>/sample_dossiers`."""
    package = Path(str(resources.files(oso_tui)))
    installed = package / "_sample_dossiers"
    if (installed / MANIFEST).is_file():
        return installed
    return package.parent / "sample_dossiers"


@dataclass(frozen=True)
class Voorbeeld:
    """One sample dossier as the manifest describes it."""

    bestand: str
    pgn: str
    brin: str
    datum: date


def read_manifest(folder: Path) -> list[Voorbeeld]:
    path = folder / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw["dossiers"]
        return [
            Voorbeeld(
                bestand=str(e["bestand"]),
                pgn=str(e["pgn"]),
                brin=str(e["brin"]).upper(),
                datum=date.fromisoformat(str(e["datum"])),
            )
            for e in entries
        ]
    except FileNotFoundError:
        raise ReadError(f"De voorbeelddossiers ontbreken: {path} bestaat niet.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReadError(f"De lijst met voorbeelddossiers ({path}) is onbruikbaar: {exc}.") from None


class DemoExchange(Exchange):
    """Sending schools played from `folder` (default: the packaged or checked-out sample dossiers)."""

    def __init__(self, folder: Path | None = None, *, settings: Settings | None = None) -> None:
        """With `settings`, samples compiled before the last summer vacation are no longer offered."""
        self.folder = folder if folder is not None else sample_folder()
        self.naam = "demo"
        by_pgn: dict[str, list[Voorbeeld]] = {}
        for sample in read_manifest(self.folder):
            if settings is not None and is_expired(sample.datum, settings):
                continue
            by_pgn.setdefault(sample.pgn, []).append(sample)
        self._by_pgn = {pgn: sorted(rows, key=lambda s: s.datum) for pgn, rows in by_pgn.items()}

    def _prepared_for(self, aanvraag: Aanvraag) -> Voorbeeld | None:
        """What the school of this pupil has ready for this request, if anything."""
        if aanvraag.status not in ("aangevraagd", "klaargezet"):
            return None
        versions = [s for s in self._by_pgn.get(aanvraag.pgn, []) if s.brin == aanvraag.brin]
        if not versions:
            return None
        return versions[0] if aanvraag.sinds is None else versions[-1]

    def klaargezet(self, aanvragen: Sequence[Aanvraag]) -> set[str]:
        return {a.id for a in aanvragen if self._prepared_for(a) is not None}

    def binnenkomend(self, aanvragen: Sequence[Aanvraag]) -> list[Binnenkomend]:
        items: dict[str, Binnenkomend] = {}
        for aanvraag in aanvragen:
            sample = self._prepared_for(aanvraag)
            if sample is not None:
                path = self.folder / sample.bestand
                items[sample.bestand] = Binnenkomend(naam=sample.bestand, sleutel=str(path))
        return [items[name] for name in sorted(items)]

    def lees(self, item: Binnenkomend) -> bytes:
        try:
            return Path(item.sleutel).read_bytes()
        except OSError as exc:
            raise ReadError(
                f"Voorbeelddossier {item.naam} kan niet gelezen worden ({exc.strerror})."
            ) from None

    def verwerkt(self, item: Binnenkomend) -> None:
        """The demo school keeps its files."""

    def afgewezen(self, item: Binnenkomend, reden: str, datum: date | None = None) -> None:
        """The demo school keeps its files."""
