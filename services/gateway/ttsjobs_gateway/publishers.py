"""The events the gateway emits: a job is created, cancelled, renamed or deleted."""

from __future__ import annotations

import uuid

from ttsjobs.contracts.job_events import (
    JobCancelled,
    JobCancelledData,
    JobCancelRequested,
    JobCancelRequestedData,
    JobCreated,
    JobCreatedData,
    JobDeleted,
    JobDeletedData,
    JobRenamed,
    JobRenamedData,
)
from ttsjobs.contracts.job_request import JobType, MultiRoleRequest

SOURCE = "/ttsjobs/gateway"


def job_created(
    request: MultiRoleRequest,
    *,
    user_id: str,
    job_id: str | None = None,
    job_type: JobType = JobType.multi_role_tts,
    warnings: list[str] | None = None,
) -> JobCreated:
    job_id = job_id or str(uuid.uuid4())
    # The id follows from the job, so publishing the same job again is a duplicate JetStream drops.
    return JobCreated(
        id=f"{job_id}.created",
        source=SOURCE,
        subject=job_id,
        data=JobCreatedData(
            user_id=user_id, job_type=job_type, request=request, warnings=warnings or []
        ),
    )


def job_cancelled(job_id: str, *, user_id: str) -> JobCancelled:
    return JobCancelled(
        id=f"{job_id}.cancelled",
        source=SOURCE,
        subject=job_id,
        data=JobCancelledData(user_id=user_id),
    )


def job_cancel_requested(job_id: str, *, user_id: str) -> JobCancelRequested:
    return JobCancelRequested(
        id=f"{job_id}.cancel_requested",
        source=SOURCE,
        subject=job_id,
        data=JobCancelRequestedData(user_id=user_id, requested_by=user_id),
    )


def job_deleted(job_id: str, *, user_id: str) -> JobDeleted:
    # Derived from the job: a retried DELETE within the duplicate window stores it once.
    return JobDeleted(
        id=f"{job_id}.deleted",
        source=SOURCE,
        subject=job_id,
        data=JobDeletedData(user_id=user_id, requested_by=user_id),
    )


def job_renamed(job_id: str, *, user_id: str, title: str | None) -> JobRenamed:
    # A fresh id each time: renaming A -> B -> A within the duplicate window must store all three.
    return JobRenamed(
        id=f"{job_id}.renamed.{uuid.uuid4()}",
        source=SOURCE,
        subject=job_id,
        data=JobRenamedData(user_id=user_id, title=title),
    )
