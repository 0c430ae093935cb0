"""JetStream advisories a service acts on.

When a worker dies during the last allowed delivery of a message, no handler is left to give up
on it: the server only announces MAX_DELIVERIES. Listening for that announcement is what makes
sure such a job still ends failed instead of staying "processing" forever.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobEvent, parse_event

log = structlog.get_logger()

Exhausted = Callable[[JobEvent, int], Awaitable[None]]


def max_deliveries_subject(durable: str) -> str:
    return f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{subjects.STREAM}.{durable}"


async def on_exhausted_deliveries(
    nc: Client, js: JetStreamContext, durable: str, callback: Exhausted
) -> Subscription:
    """Call ``callback(event, deliveries)`` for each message the consumer gave up on.

    A queue group: with several workers running, one of them handles each advisory.
    """

    async def handle(msg: Msg) -> None:
        advisory = json.loads(msg.data)
        seq, deliveries = advisory["stream_seq"], advisory.get("deliveries", 0)
        try:
            stored = await js.get_msg(subjects.STREAM, seq=seq, direct=True)
        except NotFoundError:
            log.warning("advisory.message_gone", stream_seq=seq)
            return
        assert stored.data is not None
        event = parse_event(stored.data)
        log.error("event.deliveries_exhausted", job_id=event.subject, deliveries=deliveries)
        try:
            await callback(event, deliveries)
        except Exception:
            log.exception("advisory.callback_failed", job_id=event.subject)

    return await nc.subscribe(max_deliveries_subject(durable), queue=durable, cb=handle)
