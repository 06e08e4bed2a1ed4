"""Messages that travel between screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """Another user (or another window) committed to the store: reload what is shown."""

    generation: int


@dataclass
class DataChanged(Message):
    """This app changed the store: screens below should reload when they are shown again."""


@dataclass
class Verlopen(Message):
    """Expiry after the summer did something: the notice to show once, and the generation after it."""

    melding: str
    generation: int
    reload: bool = True
    """False when the list applied it itself, in the reload that is already reading its rows."""
