"""The rebuild's replay of the job stream into an empty schema.

Consumes: every job event, through the rebuild's own unacknowledged consumer (``StreamReader``).
Writes: users, audio_files, tts_jobs and the position, in one transaction at the end.

Every event is folded in memory into its job's state with the live projection's reducer
(``ttsjobs.jobs.state.apply``), and each job's final row is written once, with ``COPY``: the
rows the live projection reaches one batch at a time, without reading a row back or writing it
more than once, and with no span per event (the rebuild has one span of its own).

A row the table refuses (a string PostgreSQL cannot store) is found by halving the ``COPY``
under savepoints; that job's events are then applied one at a time, as the live projection
would: the event that fails is dead-lettered and its job marked, the rest applied around it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
import structlog
from pydantic import ValidationError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCreated, JobEvent, parse_event
from ttsjobs.jobs.state import JobState, apply
from ttsjobs.runtime.collector import cyclic_collector_paused
from ttsjobs_projection import repository
from ttsjobs_projection.copy_rows import copy_jobs
from ttsjobs_projection.handlers import apply_job_events
from ttsjobs_projection.one_by_one import PoisonPolicy, apply_each, letter_undecodable
from ttsjobs_projection.poison import is_transient
from ttsjobs_projection.replay_reading import StreamReader, replay_consumer

log = structlog.get_logger()


@dataclass
class Folded:
    """The replay so far: each job's state (None once expired), the users its jobs name with
    the time of their first JobCreated, and the last event applied."""

    states: dict[str, JobState | None] = field(default_factory=dict)
    users: dict[str, datetime] = field(default_factory=dict)
    last: tuple[int, datetime] | None = None

    def add(self, event: JobEvent, seq: int) -> None:
        current = self.states.get(event.subject)
        new = apply(current, event, seq)
        if new is not current:
            if new is not None and isinstance(event, JobCreated):
                self.users.setdefault(new.user_id, event.time)
            self.states[event.subject] = new
        self.last = (seq, event.time)


async def replay_jobs(
    reader: StreamReader,
    pool: asyncpg.Pool,
    *,
    consumer: str,
    policy: PoisonPolicy[JobEvent],
) -> int:
    """Fold the stream to its end and write the result; returns the events passed (applied or
    dead-lettered)."""
    folded = Folded()
    passed = 0
    with cyclic_collector_paused():
        async for batch in reader.to_the_end():
            for seq, msg in batch:
                try:
                    event = parse_event(msg.data)
                except ValidationError as err:
                    await letter_undecodable(msg, str(err), policy)
                    continue
                folded.add(event, seq)
            passed += len(batch)
        refused = await _write(pool, folded, consumer)
    for job_id in refused:
        await _apply_job_one_by_one(job_id, reader, pool, consumer=consumer, policy=policy)
    return passed


async def _write(pool: asyncpg.Pool, folded: Folded, consumer: str) -> list[str]:
    """Write the fold in one transaction; returns the jobs whose rows the table refused. A
    database that is away is waited out."""
    states = [s for s in folded.states.values() if s is not None]
    failures = 0
    while True:
        try:
            async with pool.acquire() as conn, conn.transaction():
                await repository.ensure_users(conn, folded.users)
                refused = await _copy_isolating(conn, states)
                if folded.last is not None:
                    await repository.save_position(conn, consumer, *folded.last)
            return refused
        except Exception as err:
            if not is_transient(err):
                raise
            failures += 1
            delay = min(5.0, 0.5 * 2 ** (failures - 1))
            log.warning("rebuild.write_failed_will_retry", error=str(err)[:300], retry_in_s=delay)
            await asyncio.sleep(delay)


async def _copy_isolating(conn: repository.DbConnection, states: list[JobState]) -> list[str]:
    """COPY the rows; if the table refuses some, halve until each refused job stands alone."""
    try:
        async with conn.transaction():  # a savepoint: the halves go on after a refusal
            await copy_jobs(conn, states)
        return []
    except Exception as err:
        if is_transient(err):
            raise
        if len(states) == 1:
            log.warning("rebuild.row_refused", job_id=states[0].id, error=str(err)[:300])
            return [states[0].id]
        half = len(states) // 2
        return await _copy_isolating(conn, states[:half]) + await _copy_isolating(
            conn, states[half:]
        )


async def _apply_job_one_by_one(
    job_id: str,
    reader: StreamReader,
    pool: asyncpg.Pool,
    *,
    consumer: str,
    policy: PoisonPolicy[JobEvent],
) -> None:
    """The job's events up to where the replay ended, read again (a dead letter carries the
    message) and applied one at a time."""
    own = StreamReader(reader.js, f"{reader.name}-job", stream=reader.stream)
    try:
        await own.open(replay_consumer(own.name, filter_subject=subjects.job_history(job_id)))
        items = [
            (parse_event(msg.data), seq, msg)
            async for batch in own.to_the_end(end=reader.last_seq)
            for seq, msg in batch
            if seq <= reader.last_seq
        ]
    finally:
        await own.close()
        await own.delete()
    await apply_each(items, _one_at_a_time(pool, consumer), policy)


def _one_at_a_time(pool: asyncpg.Pool, consumer: str) -> Callable[[JobEvent, int], Awaitable[None]]:
    async def one(event: JobEvent, seq: int) -> None:
        async with pool.acquire() as conn:
            await apply_job_events([(event, seq)], conn=conn, consumer=consumer)

    return one


async def catch_up_jobs(
    reader: StreamReader,
    pool: asyncpg.Pool,
    *,
    consumer: str,
    policy: PoisonPolicy[JobEvent],
) -> int:
    """Apply what reached the stream since the replay, onto rows that exist: a transaction
    per batch, as the live projection does; a batch that fails goes one event at a time."""
    passed = 0
    async for batch in reader.to_the_end():
        items = []
        for seq, msg in batch:
            try:
                items.append((parse_event(msg.data), seq, msg))
            except ValidationError as err:
                await letter_undecodable(msg, str(err), policy)
        passed += len(batch)
        if not items:
            continue
        try:
            async with pool.acquire() as conn:
                await apply_job_events([(e, seq) for e, seq, _ in items], conn=conn,
                                       consumer=consumer)  # fmt: skip
        except Exception as err:
            log.warning("rebuild.catch_up_batch_failed", size=len(items), error=str(err)[:300])
            await apply_each(items, _one_at_a_time(pool, consumer), policy)
    return passed
