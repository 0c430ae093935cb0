"""Fold job events into the state the tts_jobs table holds.

The projection writes what this returns; the gateway folds the same events straight from the
stream when the table has not caught up yet. One function, so both always agree.

Rules that make redelivery, duplicates and replay harmless:
- an event at or below ``last_event_seq`` changes nothing;
- the first terminal event wins (completed, failed, cancelled);
- progress never goes backwards;
- JobExpired and JobDeleted remove the job (the fold is None again), whatever came before;
- JobRenamed sets the title in any status: the last rename in stream order wins.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from ttsjobs.contracts.casting import cast_provider
from ttsjobs.contracts.job_events import (
    CallbackAttempt,
    JobCallbackAttempted,
    JobCancelled,
    JobCancelRequested,
    JobCompleted,
    JobCreated,
    JobDeleted,
    JobEvent,
    JobExpired,
    JobFailed,
    JobProgressed,
    JobRenamed,
    JobResult,
    JobStarted,
)
from ttsjobs.contracts.job_request import MultiRoleRequest


class JobStatus(StrEnum):
    pending = "pending"
    processing = "processing"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"


# The statuses a job ends in, which are also the kinds of the events that end it. A tuple, in
# this order, because the notifier's consumer lists their subjects and its config must come
# out the same on every start.
TERMINAL = (JobStatus.completed, JobStatus.failed, JobStatus.cancelled)

_AUDIO_NAMESPACE = uuid.UUID("6f6d3f0e-8a59-4f1d-9b0c-2b6f5d0f7a11")


def audio_file_id(job_id: str) -> str:
    """The audio_files id of a job's audio, derived so that replays give the same row."""
    return str(uuid.uuid5(_AUDIO_NAMESPACE, job_id))


class JobState(BaseModel):
    id: str
    user_id: str
    status: JobStatus
    job_type: str
    provider: str
    title: str | None
    input: MultiRoleRequest
    progress_done: int = 0
    progress_total: int
    progress_eta_ms: int | None = None
    result: JobResult | None = None
    audio_file_id: str | None = None
    error_message: str | None = None
    cancel_requested_at: datetime | None = None
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime
    last_event_seq: int
    last_event_id: str
    callbacks: list[CallbackAttempt] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # JobCreated's: how casting fell short
    # Never folded from events: the projection sets it on a row it could not store as is.
    read_model_error: str | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


def apply(state: JobState | None, event: JobEvent, seq: int) -> JobState | None:
    """The state after ``event`` (stream sequence ``seq``); None while the job is unknown."""
    if isinstance(event, JobCreated):
        if state is not None:
            return state if seq <= state.last_event_seq else _touch(state, event, seq, {})
        return _created(event, seq)
    if state is None or seq <= state.last_event_seq:
        # Events of a job whose JobCreated is missing carry no request to show: ignore them.
        return state
    if isinstance(event, JobExpired | JobDeleted):
        return None  # past retention, or deleted by its owner: the job leaves the history
    if isinstance(event, JobCallbackAttempted):
        # Callbacks follow the end of a job: recorded whatever the status, which they never change.
        attempts = {a.attempt: a for a in state.callbacks} | {
            event.data.callback.attempt: event.data.callback
        }
        return _touch(state, event, seq, {"callbacks": [attempts[k] for k in sorted(attempts)]})
    if isinstance(event, JobRenamed):
        # In any status, a finished job too; the request keeps the title it was submitted with.
        return _touch(state, event, seq, {"title": event.data.title})
    if state.is_terminal:
        return _touch(state, event, seq, {})
    return _touch(state, event, seq, _changes(state, event))


def fold(events: list[tuple[int, JobEvent]]) -> JobState | None:
    state: JobState | None = None
    for seq, event in events:
        state = apply(state, event, seq)
    return state


def _created(event: JobCreated, seq: int) -> JobState:
    request = event.data.request
    return JobState(
        id=event.subject,
        user_id=event.data.user_id,
        status=JobStatus.pending,
        job_type=event.data.job_type,
        provider=cast_provider(request),
        title=request.title,
        input=request,
        progress_total=len(request.turns),
        warnings=event.data.warnings,
        created_at=event.time,
        updated_at=event.time,
        last_event_seq=seq,
        last_event_id=event.id,
    )


def _changes(state: JobState, event: JobEvent) -> dict[str, Any]:
    if isinstance(event, JobStarted):
        started: dict[str, Any] = {
            "status": JobStatus.processing,
            "started_at": state.started_at or event.time,
        }
        if event.data.eta_ms is not None and state.progress_done == 0:
            started["progress_eta_ms"] = event.data.eta_ms  # until the turns say better
        return started
    if isinstance(event, JobProgressed):
        return {
            "status": JobStatus.processing,
            "started_at": state.started_at or event.time,
            "progress_done": max(state.progress_done, min(event.data.done, state.progress_total)),
            "progress_eta_ms": (
                event.data.eta_ms
                if event.data.done >= state.progress_done
                else state.progress_eta_ms
            ),
        }
    if isinstance(event, JobCompleted):
        return {
            "status": JobStatus.completed,
            "result": event.data.result,
            "audio_file_id": audio_file_id(state.id),
            "progress_done": state.progress_total,
            "progress_eta_ms": 0,
            "completed_at": event.time,
        }
    if isinstance(event, JobFailed):
        return {
            "status": JobStatus.failed,
            "error_message": event.data.reason,
            "progress_eta_ms": None,
            "completed_at": event.time,
        }
    if isinstance(event, JobCancelRequested):
        return {"cancel_requested_at": state.cancel_requested_at or event.time}
    if isinstance(event, JobCancelled):
        return {"status": JobStatus.cancelled, "progress_eta_ms": None, "completed_at": event.time}
    raise TypeError(f"no rule for {type(event).__name__}")


def _touch(state: JobState, event: JobEvent, seq: int, changes: dict[str, Any]) -> JobState:
    return state.model_copy(
        update={
            **changes,
            "updated_at": event.time,
            "last_event_seq": seq,
            "last_event_id": event.id,
        }
    )
