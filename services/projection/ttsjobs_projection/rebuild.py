"""Rebuild the read model from the streams and swap it in while readers keep reading.

1. Replay both streams, through unacknowledged consumers of its own read in large batches, into
   a fresh schema ``rebuild_<time>`` (the same migrations). Job events are folded in memory with
   the live projection's reducer and each job's row is written once, with COPY
   (``bulk_replay``); account events go one at a time, as live.
2. Swap in one transaction: drop the live tables, move the rebuilt ones into ``public``, give
   back the grants the old tables had. A reader that arrives meanwhile waits on the lock for the
   moment the transaction takes and then reads the new tables: it never sees an error or an
   empty table. The live projection's position rows are set to what the new tables hold.
3. Catch up: the same consumers read on, and what reached the stream while the swap was
   prepared (the live projection wrote those to the dropped tables) is applied to the new
   tables a batch per transaction, as live. Both writers are idempotent.
4. Delete the rebuild consumers, and the schema if it is still there: on any exit, also an
   exception, Ctrl-C or SIGTERM, so that a stopped rebuild leaves nothing behind.

An event the projection cannot apply is dead-lettered by the rebuild as by the live projection
(under the live consumer's name, so it stays one letter) and the replay goes on past it.
The whole rebuild is one trace span; no span per event.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg
import nats
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.account_events import AccountEvent
from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.observability import tracing
from ttsjobs_projection.account_replay import apply_accounts
from ttsjobs_projection.bulk_replay import catch_up_jobs, replay_jobs
from ttsjobs_projection.config import Settings
from ttsjobs_projection.one_by_one import PoisonPolicy
from ttsjobs_projection.poison import mark_unstorable
from ttsjobs_projection.rebuild_store import (
    count_jobs,
    create_schema,
    drop_schema,
    forget_positions,
    swap_tables,
)
from ttsjobs_projection.replay_reading import StreamReader, replay_consumer
from ttsjobs_projection.schema import migrate

log = structlog.get_logger()


@dataclass(frozen=True)
class RebuildReport:
    schema: str
    events_replayed: int
    events_caught_up: int
    jobs: int
    swap_ms: float


def _with_search_path(url: str, schema: str) -> str:
    # asyncpg passes unknown query parameters to the server as settings.
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("search_path", schema)])))


async def rebuild(settings: Settings) -> RebuildReport:
    schema = f"rebuild_{int(time.time() * 1000)}"
    url = settings.database_url.get_secret_value()
    # SIGTERM would end the process on the spot; instead it stops the replay, and the clean-up
    # below runs (Ctrl-C already arrives as a cancellation, through asyncio.run).
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        return await _rebuild(settings, schema, url, stop)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)


async def _unless_stopped(work: asyncio.Task[RebuildReport], stop: asyncio.Event) -> RebuildReport:
    """``work``'s result, or its cancellation once ``stop`` is set. The cancellation is asked
    for again until the work has stopped: on Python 3.11 one that lands as an
    ``asyncio.timeout()`` expires (the fetcher's wait for messages) is taken for the timeout,
    and the replay would go on to the end (seen once in CI: a SIGTERM that stopped nothing)."""

    async def cancel_when_stopped() -> None:
        await stop.wait()
        while not work.done():
            work.cancel()
            await asyncio.sleep(0.2)

    stopper = asyncio.create_task(cancel_when_stopped())
    try:
        return await work
    finally:
        stopper.cancel()


async def _rebuild(settings: Settings, schema: str, url: str, stop: asyncio.Event) -> RebuildReport:
    conn = await asyncpg.connect(url)
    try:
        nc = await nats.connect(settings.nats_servers)
        try:
            with tracing.tracer().start_as_current_span("rebuild read model") as span:
                work = asyncio.create_task(
                    _replay_swap_catch_up(settings, schema, url, conn, nc.jetstream())
                )
                report = await _unless_stopped(work, stop)
                span.set_attribute("ttsjobs.events_replayed", report.events_replayed)
        finally:
            await nc.close()
    finally:
        # Each step on its own: one that fails (or is cancelled again) must not skip the rest.
        try:
            await _delete_consumers(settings, schema)
        finally:
            try:
                await drop_schema(conn, schema)
            finally:
                await conn.close()
    log.info("rebuild.done", schema=schema, swap_ms=report.swap_ms,
             caught_up=report.events_caught_up, jobs=report.jobs)  # fmt: skip
    return report


async def _replay_swap_catch_up(
    settings: Settings, schema: str, url: str, conn: asyncpg.Connection, js: JetStreamContext
) -> RebuildReport:
    jobs_letters, accounts_letters = settings.letter_names
    jobs_policy: PoisonPolicy[JobEvent] = PoisonPolicy(js, jobs_letters, settings.dead_letter_after)
    accounts_policy: PoisonPolicy[AccountEvent] = PoisonPolicy(
        js, accounts_letters, settings.dead_letter_after
    )
    jobs = StreamReader(js, schema)
    accounts = StreamReader(js, f"{schema}-accounts", stream=subjects.ACCOUNTS_STREAM)
    try:
        await jobs.open(replay_consumer(schema))
        await accounts.open(
            replay_consumer(accounts.name, filter_subject=subjects.ALL_ACCOUNT_EVENTS)
        )
        await create_schema(conn, schema)
        async with _pool(_with_search_path(url, schema)) as pool:
            async with pool.acquire() as migrating:
                await migrate(migrating)
            replayed, _ = await asyncio.gather(
                replay_jobs(
                    jobs, pool, consumer=schema, policy=_marking(jobs_policy, pool, schema)
                ),
                apply_accounts(accounts, pool, consumer=accounts.name, policy=accounts_policy),
            )
        log.info("rebuild.replayed", schema=schema, events=replayed)
        swap_ms = await _swap(conn, schema, settings)
        async with _pool(url) as pool:
            caught_up, _ = await asyncio.gather(
                catch_up_jobs(
                    jobs, pool, consumer=schema, policy=_marking(jobs_policy, pool, schema)
                ),
                apply_accounts(accounts, pool, consumer=accounts.name, policy=accounts_policy),
            )
    finally:
        await jobs.close()
        await accounts.close()
    await forget_positions(conn, [schema, f"{schema}-accounts"])
    jobs_count = await count_jobs(conn)
    return RebuildReport(schema, replayed, caught_up, jobs_count, swap_ms)


def _marking(
    policy: PoisonPolicy[JobEvent], pool: asyncpg.Pool, consumer: str
) -> PoisonPolicy[JobEvent]:
    """The job policy whose dead letters mark the job's row in the tables ``pool`` writes."""

    async def mark(event: JobEvent, msg: Msg, error: str) -> None:
        await mark_unstorable(pool, event, msg, error, consumer=consumer)

    return dataclasses.replace(policy, on_dead_letter=mark)


@contextlib.asynccontextmanager
async def _pool(url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        yield pool
    finally:
        await pool.close()


async def _swap(conn: asyncpg.Connection, schema: str, settings: Settings) -> float:
    started = time.perf_counter()
    await swap_tables(
        conn,
        schema,
        [
            (settings.projection_consumer, schema),
            (settings.accounts_consumer, f"{schema}-accounts"),
        ],
    )
    return round((time.perf_counter() - started) * 1000, 1)


async def _delete_consumers(settings: Settings, schema: str) -> None:
    nc = await nats.connect(settings.nats_servers)
    try:
        js = nc.jetstream()
        for stream, durable in (
            (subjects.STREAM, schema),
            (subjects.STREAM, f"{schema}-job"),  # bulk_replay's, for a job it re-reads
            (subjects.ACCOUNTS_STREAM, f"{schema}-accounts"),
        ):
            try:
                await js.delete_consumer(stream, durable)
            except NotFoundError:
                pass  # the replay never got as far as creating it
    finally:
        await nc.close()
