"""What the gateway does to a job that exists: cancel it, delete it, rename it. Each is decided
on the job's events (``ttsjobs.jobs.deciding``), not on the table, which may lag behind.

Emits: JobCancelled (DELETE of a pending job), JobCancelRequested (DELETE of a processing job),
JobDeleted (DELETE of a finished job), JobRenamed (PATCH of the title).
"""

from __future__ import annotations

import structlog

from ttsjobs.callbacks import marked_for_callbacks
from ttsjobs.contracts.job_events import JobCancelled, JobCancelRequested, JobDeleted, JobRenamed
from ttsjobs.jobs.deciding import Decided, JobHistory, StillChanging, decide
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.observability import metrics
from ttsjobs_gateway import publishers
from ttsjobs_gateway.errors import JobNotCancellable, JobNotFound, NotConfirmed
from ttsjobs_gateway.handlers import confirmed
from ttsjobs_gateway.reads.current import JobReads

log = structlog.get_logger()


async def cancel_job(job_id: str, *, user_id: str, history: JobHistory) -> JobState:
    """Cancel a job, decided on its events rather than the table.

    A pending job is cancelled at once, and only if no other event (a worker's JobStarted) got
    there first. A processing job gets a cancel request; its worker stops at the next turn
    boundary and publishes JobCancelled. A finished job cannot be cancelled.
    """
    structlog.contextvars.bind_contextvars(job_id=job_id)

    def choose(state: JobState | None) -> JobCancelRequested | JobCancelled:
        if state is None or state.user_id != user_id:
            raise JobNotFound(job_id)
        if state.is_terminal:
            raise JobNotCancellable(job_id, state.status.value)
        return _stop(state)

    with confirmed("cancellation"):
        try:
            decided = await decide(history, job_id, choose)
        except StillChanging:
            raise JobNotCancellable(job_id, "changing") from None
    return _cancelled(decided)


def _stop(state: JobState) -> JobCancelRequested | JobCancelled:
    """A processing job is asked to stop; a pending one is cancelled at once."""
    if state.status is JobStatus.processing:
        return publishers.job_cancel_requested(state.id, user_id=state.user_id)
    cancelled = publishers.job_cancelled(state.id, user_id=state.user_id)
    return marked_for_callbacks(cancelled, state.input.callback_url)


def _cancelled(decided: Decided) -> JobState:
    assert decided.before is not None and decided.event is not None
    if decided.event.kind == "cancelled":
        metrics.JOBS_CANCELLED.labels(decided.before.provider).inc()
    log.info("job.cancel", job_id=decided.before.id, was=decided.before.status.value,
             published=decided.event.kind)  # fmt: skip
    after = decided.after
    assert after is not None
    return after


async def delete_job(
    job_id: str, *, user_id: str, history: JobHistory, reads: JobReads
) -> JobState | None:
    """DELETE of a job: an unfinished one is cancelled, as ``cancel_job`` does (its state is
    returned); a finished one is deleted (JobDeleted; None is returned). Decided on the job's
    events: a job already deleted is a JobNotFound, as is someone else's.

    A job that finishes while its cancellation is being decided is not deleted instead: it
    was asked to stop, and is refused as ``cancel_job`` refuses a finished job.
    """
    structlog.contextvars.bind_contextvars(job_id=job_id)
    asked_to_stop = False

    def choose(state: JobState | None) -> JobCancelRequested | JobCancelled | JobDeleted:
        nonlocal asked_to_stop
        if state is None or state.user_id != user_id:
            raise JobNotFound(job_id)
        if not state.is_terminal:
            asked_to_stop = True
            return _stop(state)
        if asked_to_stop:
            raise JobNotCancellable(job_id, state.status.value)
        return publishers.job_deleted(job_id, user_id=user_id)

    with confirmed("deletion"):
        try:
            decided = await decide(history, job_id, choose)
        except StillChanging:
            raise JobNotCancellable(job_id, "changing") from None
    if not isinstance(decided.event, JobDeleted):
        return _cancelled(decided)
    reads.deleted(job_id)
    assert decided.before is not None
    log.info("job.deleted", job_id=job_id, was=decided.before.status.value)
    return None


async def rename_job(
    job_id: str, title: str | None, *, user_id: str, history: JobHistory
) -> JobState:
    """Give a job a new title, in any status. Decided on the job's events, like a cancel: the
    table may not have the job yet. The same title again publishes nothing."""
    structlog.contextvars.bind_contextvars(job_id=job_id)

    def choose(state: JobState | None) -> JobRenamed | None:
        if state is None or state.user_id != user_id:
            raise JobNotFound(job_id)
        if state.title == title:
            return None
        return publishers.job_renamed(job_id, user_id=user_id, title=title)

    with confirmed("rename"):
        try:
            decided = await decide(history, job_id, choose)
        except StillChanging:
            raise NotConfirmed("the job kept changing while it was renamed; try again") from None
    if decided.event is not None:
        log.info("job.renamed", job_id=job_id)
    if decided.after is None:  # expired in between: it has left the history
        raise JobNotFound(job_id)
    return decided.after
