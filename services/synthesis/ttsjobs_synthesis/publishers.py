"""The events synthesis emits. Ids are derived from the job so a retried publish is a duplicate
JetStream drops, not a second event."""

from __future__ import annotations

from ttsjobs.callbacks import marked_for_callbacks
from ttsjobs.contracts.job_events import (
    JobCancelled,
    JobCancelledData,
    JobCompleted,
    JobCompletedData,
    JobFailed,
    JobFailedData,
    JobProgressed,
    JobProgressedData,
    JobResult,
    JobStarted,
    JobStartedData,
)
from ttsjobs.observability import metrics

SOURCE = "/ttsjobs/synthesis"


def job_started(
    job_id: str, *, user_id: str, worker: str, attempt: int, eta_ms: int | None = None
) -> JobStarted:
    return JobStarted(
        id=f"{job_id}.started",
        source=SOURCE,
        subject=job_id,
        data=JobStartedData(user_id=user_id, worker=worker, attempt=attempt, eta_ms=eta_ms),
    )


def job_progressed(
    job_id: str,
    *,
    user_id: str,
    done: int,
    total: int,
    turn_index: int,
    attempt: int = 1,
    cache_hit: bool = False,
    eta_ms: int | None = None,
) -> JobProgressed:
    # The attempt is in the id: a job resumed by a later delivery reports its turns again, and
    # once JetStream's duplicate window has passed, the same id would no longer be dropped
    # anyway. Each attempt's reports are events of their own; feeds show only forward progress.
    return JobProgressed(
        id=f"{job_id}.progressed.{attempt}.{done}",
        source=SOURCE,
        subject=job_id,
        data=JobProgressedData(
            user_id=user_id,
            done=done,
            total=total,
            turn_index=turn_index,
            cache_hit=cache_hit,
            eta_ms=eta_ms,
        ),
    )


def job_cancelled(job_id: str, *, user_id: str) -> JobCancelled:
    return JobCancelled(
        id=f"{job_id}.cancelled",
        source=SOURCE,
        subject=job_id,
        data=JobCancelledData(user_id=user_id, reason="cancelled by the user while processing"),
    )


def job_completed(job_id: str, result: JobResult, *, user_id: str) -> JobCompleted:
    return JobCompleted(
        id=f"{job_id}.completed",
        source=SOURCE,
        subject=job_id,
        data=JobCompletedData(user_id=user_id, result=result),
    )


def job_failed(job_id: str, reason: str, *, user_id: str) -> JobFailed:
    return JobFailed(
        id=f"{job_id}.failed",
        source=SOURCE,
        subject=job_id,
        data=JobFailedData(user_id=user_id, reason=reason),
    )


async def publish_failure(publish, event, reason: str) -> None:
    """End a job failed, and count it: the runner's give-up and the lost-worker advisory both
    end jobs this way."""
    failed = job_failed(event.subject, reason, user_id=event.data.user_id)
    await publish(marked_for_callbacks(failed, event.data.request.callback_url))
    metrics.JOBS_FAILED.labels(event.data.request.provider).inc()
