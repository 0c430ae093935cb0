"""Apply job events to the read model, a batch at a time.

Consumes: every job event (JobCreated … JobCancelled) through the durable ``projection`` consumer.
Writes: tts_jobs, audio_files, users, projection_positions, in one transaction per batch; after
it, removes from S3 the objects of jobs deleted (JobDeleted) that no job left shows, and the live
audio of jobs deleted, failed or cancelled (deletions).
Idempotent: ``ttsjobs.jobs.state.apply`` ignores events at or below a row's last_event_seq, so
redelivery and a full replay leave the same rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ttsjobs.contracts.job_events import JobCreated, JobDeleted, JobEvent
from ttsjobs.jobs.state import JobState, apply
from ttsjobs_projection import deletions
from ttsjobs_projection.repository import DbConnection, Tables

UNREMEMBERED = Tables()  # each batch reads its rows whole


class ReadModel(Protocol):
    """The tables' writes, as ``repository`` does them in PostgreSQL (the unit tests give an
    in-memory one)."""

    async def load_jobs_for_update(
        self, conn: DbConnection, job_ids: list[str]
    ) -> dict[str, JobState]: ...

    async def ensure_users(self, conn: DbConnection, first_seen: dict[str, datetime]) -> None: ...

    async def save_audio_files(self, conn: DbConnection, states: list[JobState]) -> None: ...

    async def save_jobs(
        self, conn: DbConnection, states: list[JobState], *, before: dict[str, JobState]
    ) -> None: ...

    async def delete_job(self, conn: DbConnection, state: JobState) -> None: ...

    async def save_position(
        self, conn: DbConnection, consumer: str, seq: int, at: datetime
    ) -> None: ...

    def committed(self, states: list[JobState], gone: list[str]) -> None:
        """The transaction that wrote ``states`` and deleted ``gone`` has committed."""


async def apply_job_events(
    batch: list[tuple[JobEvent, int]],
    *,
    conn: DbConnection,
    consumer: str,
    tables: ReadModel = UNREMEMBERED,
    remove_object: deletions.RemoveObject | None = None,
    created_after: deletions.CreatedAfter | None = None,
    remove_folder: deletions.RemoveFolder | None = None,
) -> dict[int, str]:
    """A batch of events, in stream order, in one transaction. Returns the new status of each
    event (by its index in the batch) that changed its job's status. With ``remove_object``,
    the objects deleted jobs leave to no one are removed once the transaction has committed,
    but those of a user and day with a job ``created_after`` the batch (see deletions). With
    ``remove_folder``, the live audio of jobs deleted, failed or cancelled goes then too.

    Each job's row is read once, every event of the batch folded into it in memory, and the
    results written back together: the same rows as one event per transaction, for a few
    statements per batch instead of three per event.
    """
    async with conn.transaction():
        loaded = await tables.load_jobs_for_update(conn, sorted({e.subject for e, _ in batch}))
        states: dict[str, JobState | None] = dict(loaded)
        users: dict[str, datetime] = {}
        audio: list[JobState] = []
        status_changes: dict[int, str] = {}
        deleted: dict[str, JobState] = {}  # as they were when deleted, in this batch too
        live_ended: dict[str, JobState] = {}  # whose live audio may go (deletions.ended_live)
        for index, (event, seq) in enumerate(batch):
            current = states.get(event.subject)
            new = apply(current, event, seq)
            if new is current:  # apply returns the state it was given when nothing changes
                continue
            if isinstance(event, JobDeleted) and current is not None:
                deleted[event.subject] = current
            if current is not None and deletions.ended_live(current, new):
                live_ended[event.subject] = current
            if new is not None:
                if isinstance(event, JobCreated):
                    users.setdefault(new.user_id, event.time)
                if new.result is not None and (current is None or current.result is None):
                    audio.append(new)
            states[event.subject] = new
            if current is None or new is None or new.status != current.status:
                status_changes[index] = new.status.value if new else "gone"
        changed = [s for job, s in states.items() if s is not None and s is not loaded.get(job)]
        # A job that completed and then expired within the batch leaves no audio_files row.
        audio = [s for s in audio if states[s.id] is not None]
        # In the order of the foreign keys: tts_jobs refers to users and to audio_files.
        await tables.ensure_users(conn, users)
        await tables.save_audio_files(conn, audio)
        await tables.save_jobs(conn, changed, before=loaded)
        gone = [job for job, state in loaded.items() if states[job] is None]
        for job in gone:
            await tables.delete_job(conn, loaded[job])  # expired or deleted
        left: list[deletions.Leftover] = []
        if remove_object is not None:
            still_deleted = [s for job, s in deleted.items() if states[job] is None]
            left = await deletions.leftovers(conn, still_deleted)
        last, seq = batch[-1]
        await tables.save_position(conn, consumer, seq, last.time)
    tables.committed(changed, gone)
    if remove_folder is not None:
        await deletions.remove_live_audio(remove_folder, list(live_ended.values()))
    if remove_object is not None:
        await deletions.remove(
            remove_object, left, created_after=created_after, after_seq=batch[-1][1]
        )
    return status_changes
