"""The folder exchange (the default): dossiers arrive as XML files in an inbox folder.

After a fetch every file is moved, never deleted: to `processed/` when it was stored (or was already
known), to `rejected/` with a `<name>.reden.txt` beside it saying why, or it stays in the inbox when no
request matches yet (listed as "zonder aanvraag") or the link waits for confirmation.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from oso_tui.errors import ReadError
from oso_tui.exchange.base import Binnenkomend, Exchange, ItemGoneError
from oso_tui.exchange.models import Aanvraag

PROCESSED = "processed"
REJECTED = "rejected"
REASON_SUFFIX = ".reden.txt"


class FolderExchange(Exchange):
    """Reads `*.xml` files directly inside `inbox` (not in its subfolders)."""

    def __init__(self, inbox: Path, *, create: bool = False, shared: bool = False) -> None:
        """`create` makes a missing inbox; `shared` makes new folders group-writable (a staff group)."""
        self.inbox = Path(inbox).expanduser()
        self.naam = f"map {self.inbox}"
        self._mode = 0o770 if shared else 0o700
        self._made: set[Path] = set()  # folders made (or found) by this exchange: one mkdir each
        if create:
            self.inbox.mkdir(parents=True, exist_ok=True, mode=self._mode)
        if not self.inbox.exists():
            raise ReadError(f"De inbox {self.inbox} bestaat niet.")
        if not self.inbox.is_dir():
            raise ReadError(f"De inbox {self.inbox} is geen map.")

    def binnenkomend(self, aanvragen: Sequence[Aanvraag]) -> list[Binnenkomend]:
        try:
            entries = sorted(os.scandir(self.inbox), key=lambda e: e.name)
        except OSError as exc:
            raise ReadError(f"De inbox {self.inbox} kan niet gelezen worden ({exc.strerror}).") from None
        items = []
        for entry in entries:
            if entry.name.startswith(".") or not entry.name.lower().endswith(".xml"):
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            items.append(Binnenkomend(naam=entry.name, sleutel=entry.path, grootte=entry.stat().st_size))
        return items

    def lees(self, item: Binnenkomend) -> bytes:
        try:
            return Path(item.sleutel).read_bytes()
        except FileNotFoundError:
            raise ItemGoneError(f"{item.naam} is intussen door een andere sessie opgehaald.") from None
        except OSError as exc:
            raise ReadError(f"{item.naam} kan niet gelezen worden ({exc.strerror}).") from None

    def verwerkt(self, item: Binnenkomend) -> None:
        self._move(item, self.inbox / PROCESSED)

    def afgewezen(self, item: Binnenkomend, reden: str) -> None:
        target = self._move(item, self.inbox / REJECTED)
        if target is not None:
            reason = target.with_name(target.name + REASON_SUFFIX)
            try:
                reason.write_text(reden + "\n", encoding="utf-8")
            except OSError as exc:
                raise ReadError(
                    f"De reden bij {target.name} kon niet geschreven worden ({exc.strerror})."
                ) from None

    def _move(self, item: Binnenkomend, folder: Path) -> Path | None:
        """Move without ever overwriting: a name already taken gets a number."""
        source = Path(item.sleutel)
        try:
            try:
                return self._move_once(source, folder)
            except FileNotFoundError:
                if not source.exists():
                    return None  # another session moved it meanwhile
                self._made.discard(folder)  # the folder went away meanwhile: make it again
                return self._move_once(source, folder)
        except OSError as exc:
            raise ReadError(
                f"{item.naam} is verwerkt maar kon niet naar {folder} verplaatst worden ({exc.strerror})."
            ) from None

    def _move_once(self, source: Path, folder: Path) -> Path:
        if folder not in self._made:  # one mkdir per folder per exchange, not one per file
            folder.mkdir(exist_ok=True, mode=self._mode)
            self._made.add(folder)
        target = folder / source.name
        number = 1
        while target.exists() or target.with_name(target.name + REASON_SUFFIX).exists():
            target = folder / f"{source.stem}-{number}{source.suffix}"
            number += 1
        source.rename(target)
        return target
