"""The one clock: what "today" and "now" are for every use case.

`OSO_TUI_TODAY` fixes the day (tests and demos travel in time); the time of day comes from the wall
clock, which tests replace to run at any hour. Nothing else in the program asks the system for the date
or the time (`tests/test_architecture.py` checks it), and nothing orders by it: history and audit
entries order by the sequence the store assigns (`Transaction.sequence`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime


def system_now() -> datetime:
    """The machine's time, in UTC."""
    return datetime.now(UTC)


def file_time() -> datetime:
    """The machine's local time without a zone: for naming files and judging their age.

    Files are stamped and aged in the file system's time, never in the program's day (`OSO_TUI_TODAY`
    must not make a restore point look a year old); this is still the one place that asks for it.
    """
    return system_now().astimezone().replace(tzinfo=None)


def file_seconds() -> float:
    """The machine's time in seconds since the epoch, to compare with a file's modification time."""
    return system_now().timestamp()


@dataclass(frozen=True)
class Clock:
    """Today and now; on a fixed day the time of day still moves, so a demo's entries look real."""

    fixed_today: date | None = None
    wall: Callable[[], datetime] = field(default=system_now, compare=False, repr=False)

    def now(self) -> datetime:
        """The current moment in local time (timezone-aware), on the fixed day when there is one.

        Its date is always `today()`: a fetch just after midnight does not audit yesterday.
        """
        wall = self.wall().astimezone()
        if self.fixed_today is None:
            return wall
        return datetime.combine(self.fixed_today, wall.timetz())

    def today(self) -> date:
        """The date the program works with: the fixed day, else the local date of the wall clock."""
        return self.now().date()
