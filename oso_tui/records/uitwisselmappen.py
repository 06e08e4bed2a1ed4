"""The exchange folders fetches used: the summer purge sweeps each of them, not only today's inbox."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from oso_tui.records import View
from oso_tui.store import Transaction
from oso_tui.store.tables import UITWISSELMAPPEN


class Uitwisselmap(BaseModel):
    """An exchange folder a fetch used; `id` is its absolute path."""

    model_config = ConfigDict(frozen=True)

    id: str


def remember(tx: Transaction, folder: Path) -> None:
    """Remember `folder` (written only the first time it is seen)."""
    mappen = tx.collection(UITWISSELMAPPEN, Uitwisselmap)
    if str(folder) not in mappen:
        mappen.put(Uitwisselmap(id=str(folder)))


def all(view: View) -> list[Path]:
    return [Path(folder) for folder in view.collection(UITWISSELMAPPEN, Uitwisselmap).ids()]
