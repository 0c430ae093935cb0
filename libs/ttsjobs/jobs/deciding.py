"""Deciding a job's next event from its history: the one way every service does it.

A job's events are its truth. A service that decides what happens next (the gateway cancels, a
worker claims) reads the job as its events fold, chooses an event, and appends it only if the
history has not moved since it read: ``expected_seq``, JetStream's expected last subject
sequence. If another service got there first, the choice is made again on the newer history.

``JobHistory`` is the port; ``ttsjobs.messaging.job_history`` is its JetStream adapter, and
the unit tests use an in-memory one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.jobs.state import JobState, apply

ATTEMPTS = 5


class ConcurrencyConflict(Exception):
    """Another event reached the job first; re-read its history and decide again."""


class StillChanging(Exception):
    """The job's history moved under every attempt to decide; the caller may try later."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"job {job_id} kept changing while a decision was made")
        self.job_id = job_id


class JobHistory(Protocol):
    async def state(self, job_id: str) -> JobState | None:
        """The job as its events fold now; None if there are none (never, or expired)."""
        ...

    async def append(self, event: JobEvent, *, expected_seq: int | None = None) -> int:
        """Store ``event``; its sequence. With ``expected_seq`` (0: the job has no events),
        only if the job's newest event is still there, else ConcurrencyConflict."""
        ...


@dataclass(frozen=True)
class Decided:
    """What a decision saw and did: ``event`` is None when the choice was to do nothing."""

    before: JobState | None
    event: JobEvent | None = None
    seq: int | None = None

    @property
    def after(self) -> JobState | None:
        if self.event is None or self.seq is None:
            return self.before
        return apply(self.before, self.event, self.seq)


# Chooses the next event for the job as it stands (None: nothing to do); raises to refuse.
Choice = Callable[[JobState | None], JobEvent | None]


async def decide(
    history: JobHistory,
    job_id: str,
    choose: Choice,
    *,
    attempts: int = ATTEMPTS,
    assume_new: bool = False,
    assume: JobState | None = None,
) -> Decided:
    """Read the job, choose, append if nothing changed meanwhile; again on a conflict.

    The first choice can be made without reading, on what the caller already knows:
    ``assume_new``, a job without events (a new job's id has none); ``assume``, the job in this
    state (a worker holding the job's JobCreated). A conflict says otherwise, and the history is
    read from then on. Each saves a read where the guess is usually right.
    """
    for attempt in range(attempts):
        if attempt == 0 and (assume_new or assume is not None):
            before = assume
        else:
            before = await history.state(job_id)
        event = choose(before)
        if event is None:
            return Decided(before)
        expected = before.last_event_seq if before is not None else 0
        try:
            seq = await history.append(event, expected_seq=expected)
        except ConcurrencyConflict:
            continue
        return Decided(before, event, seq)
    raise StillChanging(job_id)
