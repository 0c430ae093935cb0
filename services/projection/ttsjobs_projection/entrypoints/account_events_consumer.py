"""The durable ``projection-accounts`` consumer: users and API keys, in order, one at a time."""

from __future__ import annotations

import asyncpg
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from ttsjobs.contracts.account_events import AccountEvent
from ttsjobs.messaging.consumer import ConsumerRunner, RunnerOptions
from ttsjobs.messaging.event_families import ACCOUNT_EVENTS
from ttsjobs_projection.account_handlers import apply_account_event
from ttsjobs_projection.poison import is_transient
from ttsjobs_projection.subscriptions import ACCOUNT_EVENTS_SUBSCRIPTION


def build_runner(
    js: JetStreamContext,
    pool: asyncpg.Pool,
    *,
    consumer: str,
    burst: bool = False,
    dead_letter_after: int = 5,
    letters_as: str | None = None,
) -> ConsumerRunner[AccountEvent]:
    async def on_message(event: AccountEvent, msg: Msg) -> None:
        async with pool.acquire() as conn:
            await apply_account_event(
                event, msg.metadata.sequence.stream, conn=conn, consumer=consumer
            )

    options: RunnerOptions[AccountEvent] = RunnerOptions(
        slots=1,
        max_deliver=ACCOUNT_EVENTS_SUBSCRIPTION.max_deliver,
        backoff_max_s=5.0,
        burst=burst,
        # A database away is waited out; an event that fails otherwise is dead-lettered.
        dead_letter_after=dead_letter_after,
        is_transient=is_transient,
        dead_letter_as=letters_as,
    )
    return ConsumerRunner(js, consumer, on_message, events=ACCOUNT_EVENTS, options=options)
