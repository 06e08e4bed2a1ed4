"""What every use case needs, in one object: the store, the settings, the user and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from oso_tui.clock import Clock
from oso_tui.records import audit
from oso_tui.settings import Settings
from oso_tui.store import Store, Transaction


@dataclass(frozen=True)
class Context:
    """One user (the OS login) working on one store with one school's settings.

    `clock` is the settings' clock; a test or a demo fixes the moment with `at()`.
    """

    store: Store
    settings: Settings
    user: str
    fixed_clock: Clock | None = field(default=None, repr=False)

    @property
    def clock(self) -> Clock:
        return self.fixed_clock if self.fixed_clock is not None else self.settings.clock

    def at(self, moment: datetime) -> Context:
        """The same context with a clock that stands still at `moment` (demos and tests)."""
        local = moment.astimezone()
        return replace(self, fixed_clock=Clock(fixed_today=local.date(), wall=lambda: moment))

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.today()

    def audit(
        self,
        tx: Transaction,
        *,
        actie: str,
        pgn: str | None = None,
        detail: str = "",
        wanneer: datetime | None = None,
    ) -> None:
        """An audit entry by this user in the running transaction, at `wanneer` (default: now)."""
        audit.record(tx, user=self.user, actie=actie, pgn=pgn, detail=detail, wanneer=wanneer or self.now())
