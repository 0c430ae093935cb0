"""What the projection does with an event it can never apply (the runners dead-letter it).

The job's row is marked (``read_model_error``) so that the gateway answers that job from its
events and says the read model could not store it. A JobCreated that could not be stored
leaves a stand-in row instead: the same job with every string the store cannot hold (NUL,
lone surrogates) replaced by U+FFFD, so that lists show the job, its owner is known, and its
later events keep the row current. Also: which errors are transient (a database that is away
is waited out, never dead-lettered).
"""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import structlog
from nats.aio.msg import Msg
from pydantic import ValidationError

from ttsjobs.contracts.job_events import JobCreated, JobEvent
from ttsjobs.contracts.strings import RECORDED
from ttsjobs.jobs.state import JobState, apply
from ttsjobs.messaging.dead_letters import transient_by_default
from ttsjobs_projection import repository

log = structlog.get_logger()

# What a database that is down, restarting, overloaded or resolving a deadlock looks like.
_TRANSIENT = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.TransactionRollbackError,
)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_transient(err: BaseException) -> bool:
    return transient_by_default(err) or isinstance(err, _TRANSIENT)


def storable(value: Any) -> Any:
    """``value`` with every string PostgreSQL text and jsonb cannot hold made storable."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value


async def mark_unstorable(
    pool: asyncpg.Pool, event: JobEvent, msg: Msg, error: str, *, consumer: str
) -> None:
    seq = msg.metadata.sequence.stream
    note = f"the read model could not store {event.type} (stream sequence {seq}): {error}"
    async with pool.acquire() as conn, conn.transaction():
        marked = await repository.mark_read_model_error(conn, event.subject, note[:2000])
        if not marked and isinstance(event, JobCreated):
            stand_in = _stand_in(event, seq)
            if stand_in is not None:
                await repository.ensure_users(conn, {stand_in.user_id: event.time})
                await repository.save_jobs(conn, [stand_in])
                marked = await repository.mark_read_model_error(conn, event.subject, note[:2000])
        # The position moves past it, so "caught up" means what it says.
        await repository.save_position(conn, consumer, seq, event.time)
    log.error("projection.job_unstorable", job_id=event.subject, seq=seq, marked=marked,
              error=error[:300])  # fmt: skip


def _stand_in(event: JobCreated, seq: int) -> JobState | None:
    state = apply(None, event, seq)
    assert state is not None
    try:
        # As recorded: the door's checks (text with something to say, names without
        # controls) are for new requests, not for an event the stream already holds.
        return JobState.model_validate(storable(state.model_dump(mode="json")), context=RECORDED)
    except ValidationError:
        log.exception("projection.no_stand_in", job_id=event.subject)
        return None
