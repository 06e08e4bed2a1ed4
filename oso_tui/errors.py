"""Errors that carry one clear Dutch sentence for the user.

Every layer raises an `OsoError` (or a subclass) for anything a user can cause or fix; the CLI prints
its message on stderr and exits with its `exit_code`, the UI shows it as a notification. Anything else
is a bug and is reported as such, still without a traceback on screen.
"""

from __future__ import annotations


class OsoError(Exception):
    """A failure the user can understand: `message` is one Dutch sentence."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(OsoError):
    """Wrong arguments or settings: exit code 2, like argparse."""

    exit_code = 2


class ReadError(OsoError):
    """A file could not be read at all (missing, unreadable, too large): exit code 2."""

    exit_code = 2


class RefusedError(OsoError):
    """The action was understood but refused (no right, conflict, invalid data): exit code 1."""

    exit_code = 1
