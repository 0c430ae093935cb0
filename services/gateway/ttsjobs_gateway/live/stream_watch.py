"""When a job's row is known to be current, so a read need not ask the stream for newer events.

A read of an unfinished job tops its row up from the stream (one batched direct get, a round
trip even when it finds nothing because the row is current), and polling clients read on
every GET. But the tap (job_tap.py) sees every job event as it is stored. ``StreamWatch`` is
what it has seen: from which sequence on it has followed the stream without a gap, the last
sequence of each job, and whether it was at the stream's end when it last heard from it. The
appends this gateway makes are noted too, the moment the stream acknowledges them, so its own
POST, DELETE or PATCH is never followed by an older state.

The window: what the watch cannot see is an event the stream stored after the tap last heard
from it and has not delivered yet. NATS pushes within about a millisecond; in that time another
channel (a webhook, another gateway) could announce an event this gateway's read does not show
yet. An ordered consumer that stalls without the connection dropping widens it until nats.py
notices the missed heartbeats and resets it (seconds).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from ttsjobs.jobs.state import JobState

# Jobs whose last seen sequence is remembered; the oldest are forgotten first (see ``saw``).
REMEMBERED = 100_000

Link = Callable[[], tuple[bool, int]]
"""Whether the connection is up, and how many times it has reconnected."""


def always_up() -> tuple[bool, int]:
    return True, 0


class StreamWatch:
    def __init__(self, *, link: Link = always_up, remembered: int = REMEMBERED) -> None:
        self._link = link
        self._remembered = remembered
        self._last: OrderedDict[str, int] = OrderedDict()  # job id → last seq, oldest first
        self._from: int | None = None  # every event at or after this one has been seen
        self._at_end = False
        self._heard_on = 0  # the link's reconnect count when the tap last heard

    def saw(self, job_id: str, seq: int, *, pending: int = 0) -> None:
        """The tap received the event at ``seq``; ``pending``: how many the stream held
        past it for the tap at the time."""
        if self._from is None:
            self._from = seq
        self._at_end = pending == 0
        self._heard_on = self._link()[1]
        self.appended(job_id, seq)

    def appended(self, job_id: str, seq: int) -> None:
        """An event this gateway published, as soon as the stream acknowledged it."""
        if seq > self._last.get(job_id, 0):
            self._last[job_id] = seq
            self._last.move_to_end(job_id)
        while len(self._last) > self._remembered:
            # Sequences only grow, so the job forgotten has the oldest last event: vouching
            # only for rows past it keeps "no newer event seen" true for every job.
            _, forgotten = self._last.popitem(last=False)
            if self._from is not None:
                self._from = max(self._from, forgotten + 1)

    def last_seen(self, job_id: str) -> int:
        """The newest sequence of the job seen or appended here (0: none remembered)."""
        return self._last.get(job_id, 0)

    def vouches_for(self, row: JobState) -> bool:
        """True when the stream holds no event of the job past the row, as far as seen.

        Not while the connection is down, nor after a reconnection until the tap has heard
        from the stream again: events stored meanwhile may not have reached it yet.
        """
        up, reconnects = self._link()
        return (
            up
            and reconnects == self._heard_on
            and self._at_end
            and self._from is not None
            and self._from <= row.last_event_seq
            and self._last.get(row.id, 0) <= row.last_event_seq
        )
