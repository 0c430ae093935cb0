"""Apply one job event to the read model.

Consumes: every job event (JobCreated … JobCancelled) through the durable ``projection`` consumer.
Writes: tts_jobs, audio_files, users, projection_positions, in one transaction per event.
Idempotent: ``ttsjobs.jobs.state.apply`` ignores events at or below a row's last_event_seq, so
redelivery and a full replay leave the same rows.
"""

from __future__ import annotations

import asyncpg
import structlog

from ttsjobs.contracts.job_events import JobCreated, JobEvent
from ttsjobs.jobs.state import apply
from ttsjobs_projection import repository

log = structlog.get_logger()


async def apply_job_event(
    event: JobEvent, seq: int, *, conn: asyncpg.Connection, consumer: str
) -> bool:
    """Returns whether the event changed the job's row."""
    async with conn.transaction():
        current = await repository.load_job_for_update(conn, event.subject)
        new = apply(current, event, seq)
        changed = new != current
        if new is None and current is not None:
            await repository.delete_job(conn, current)  # expired
        elif changed:
            assert new is not None
            if isinstance(event, JobCreated):
                await repository.ensure_user(conn, new.user_id, event.time)
            if new.result is not None and (current is None or current.result is None):
                await repository.save_audio_file(conn, new)
            await repository.save_job(conn, new)
        await repository.save_position(conn, consumer, seq, event.time)
    if current is None or new is None or new.status != current.status:
        # Status changes at info, so the log shows each job's path; progress only at debug.
        log.info("projection.status_changed", seq=seq, status=new.status.value if new else "gone")
    else:
        log.debug("projection.applied", seq=seq, changed=changed)
    return changed
