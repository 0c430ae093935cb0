"""The event the notifier emits: one per attempt, so every try shows on the job."""

from __future__ import annotations

from ttsjobs.contracts.job_events import (
    CallbackAttempt,
    JobCallbackAttempted,
    JobCallbackAttemptedData,
)

SOURCE = "/ttsjobs/notifier"


def callback_attempted(
    job_id: str, *, user_id: str, attempt: CallbackAttempt
) -> JobCallbackAttempted:
    # One id per attempt: a retried publish of the same attempt is a duplicate the stream drops.
    return JobCallbackAttempted(
        id=f"{job_id}.callback.{attempt.attempt}",
        source=SOURCE,
        subject=job_id,
        data=JobCallbackAttemptedData(user_id=user_id, callback=attempt),
    )
