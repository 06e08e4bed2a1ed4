"""Errors of the store, each with one Dutch sentence a user or IT staff member can act on."""

from __future__ import annotations

from oso_tui.errors import OsoError


class StoreError(OsoError):
    """Anything that keeps the store from reading or saving; nothing has been changed."""

    exit_code = 1


class StoreBusyError(StoreError):
    """Another user held the lock for longer than the bounded wait."""

    def __init__(
        self, message: str = "De database is bezet door een andere gebruiker; probeer het zo opnieuw."
    ) -> None:
        super().__init__(message)


class StoreCorruptError(StoreError):
    """The database file cannot be read as a store; it is left untouched.

    `tables` names the tables the damage is about (missing, extra, damaged), so doctor can say
    which backup still holds them.
    """

    tables: tuple[str, ...] = ()
    what: str = ""
    """The damage itself, without the advice around it (doctor shows it beside other facts)."""


class StoreReadOnlyError(StoreError):
    """The database file has no write permission; oso-tui respects that and changes nothing."""


class StoreSchemaError(StoreError):
    """The file was written by a newer version of oso-tui."""


class StoreWriteError(StoreError):
    """Saving failed (full disk, read-only folder, no permission); the old file is intact."""
