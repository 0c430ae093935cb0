"""Each user's pending jobs for the cap on them, read from the table only when it could matter.

Every POST checks the user's pending jobs against ``max_pending_jobs``. A count in the table is
a query per POST (6 % of the gateway's CPU under the pipeline's load, and PostgreSQL's time
besides). The count only grows by submissions, and those through this gateway are seen here.
So a count read less than ``fresh_s`` ago, plus what this gateway accepted since, stands in
for a new read while it is below half the cap. At half the cap or more, each POST reads the
table, as before: the cap is applied where it matters exactly as the table allows. What other
gateways accepted within that second is not counted; the table lags by as much anyway, and
the cap is a guard rail, not a quota.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from ttsjobs.aio.newest import Newest

KEPT = 10_000  # users whose last count is kept; the longest unused are forgotten first
FRESH_S = 1.0


class _Count:
    __slots__ = ("accepted", "read_at", "table")

    def __init__(self, table: int, read_at: float) -> None:
        self.table = table
        self.read_at = read_at
        self.accepted = 0


class PendingCounts:
    def __init__(
        self,
        read: Callable[[str], Awaitable[int]],
        *,
        fresh_s: float = FRESH_S,
        kept: int = KEPT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._fresh_s = fresh_s
        self._clock = clock
        self._counts: Newest[str, _Count] = Newest(kept)

    async def count(self, user_id: str, *, cap: int) -> int:
        """The user's pending jobs: the table's count whenever it may be ``cap // 2`` or more."""
        known = self._counts.get(user_id)
        if known is not None and self._clock() - known.read_at < self._fresh_s:
            estimate = known.table + known.accepted
            if estimate < cap // 2:
                return estimate
        read_at = self._clock()
        table = await self._read(user_id)
        self._counts.store(user_id, _Count(table, read_at))
        return table

    def accepted(self, user_id: str) -> None:
        """A job of the user's was accepted here: one more pending until the table is read."""
        known = self._counts.get(user_id)
        if known is not None:
            known.accepted += 1
