"""What the auditor does with a completed job: one log line.

Consumes: JobCompleted (durable ``auditor``). Emits nothing.
"""

from __future__ import annotations

import structlog

from ttsjobs.contracts.job_events import JobCompleted, JobEvent

log = structlog.get_logger()


async def audit(event: JobEvent) -> None:
    if not isinstance(event, JobCompleted):
        return
    log.info(
        "audit.job_completed",
        job_id=event.job_id,
        user_id=event.data.user_id,
        duration_ms=event.data.result.duration_ms,
    )
