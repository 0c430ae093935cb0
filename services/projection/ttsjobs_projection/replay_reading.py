"""Read the job stream to its end for a rebuild, in large batches, with no acks.

The rebuild's consumer acknowledges nothing (``AckPolicy.NONE``): a replay that stops is
started again from the beginning, so there is nothing to redeliver, and each message costs the
server and this process one delivery instead of a delivery and an ack. Pull requests ask for
thousands of messages at a time (the server streams them without waiting on us), through the
same ``Fetcher`` as the runners, so a request is always followed to its end.

How far to read is decided when reading starts: the stream's last sequence then. What comes
later is read by the next call (the rebuild's catch-up), or applied by the live projection.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from ttsjobs.contracts import subjects
from ttsjobs.messaging.fetching import Fetcher
from ttsjobs.messaging.reply_subject import stream_seq

# Messages per pull request: large enough that round trips do not count, small enough that a
# batch of parsed events stays a few MB.
REPLAY_BATCH = 5000
# A request the server holds while there is nothing to send ends after this long.
FETCH_WAIT_S = 1.0
# A replay killed outright (SIGKILL) cannot delete its consumer; the server does, this long
# after the last pull.
INACTIVE_AFTER_S = 600.0


def replay_consumer(name: str, *, filter_subject: str = subjects.ALL_JOB_EVENTS) -> ConsumerConfig:
    return ConsumerConfig(
        name=name,
        durable_name=name,
        description="rebuild: every job event once, from the start, unacknowledged",
        filter_subject=filter_subject,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.NONE,
        inactive_threshold=INACTIVE_AFTER_S,
    )


class StreamReader:
    """One consumer of the rebuild's own, read in passes: each pass to the stream's end as it
    is when the pass starts."""

    def __init__(self, js: JetStreamContext, name: str, *, stream: str = subjects.STREAM) -> None:
        self.js = js
        self.name = name
        self.stream = stream
        self._fetch: Fetcher | None = None
        self.last_seq = 0  # the last stream sequence handed out

    async def open(self, config: ConsumerConfig) -> None:
        await self.js.add_consumer(self.stream, config)
        self._fetch = await Fetcher.bind(self.js, stream=self.stream, durable=self.name)

    async def to_the_end(self, *, end: int | None = None) -> AsyncIterator[list[tuple[int, Msg]]]:
        """Batches of (stream sequence, message) in stream order, up to ``end``, by default
        the stream's last sequence as of now."""
        assert self._fetch is not None, "open() first"
        if end is None:
            end = (await self.js.stream_info(self.stream)).state.last_seq
        while self.last_seq < end:
            msgs = await self._fetch(REPLAY_BATCH, FETCH_WAIT_S)
            if msgs is None and await self._nothing_more():
                return  # the last ones were deleted or expired
            if msgs:
                batch = sorted(((stream_seq(m), m) for m in msgs), key=lambda pair: pair[0])
                self.last_seq = batch[-1][0]
                yield batch

    async def _nothing_more(self) -> bool:
        """Nothing came in time: a slow server (a busy machine) or the end. The end only if
        nothing is left to deliver and everything delivered has reached us."""
        info = await self.js.consumer_info(self.stream, self.name)
        return info.num_pending == 0 and (info.delivered.stream_seq or 0) <= self.last_seq

    async def close(self) -> None:
        """Stop pulling. Whatever the open request still brings is dropped: the consumer goes
        away next, and the live projection applies what comes after the rebuild's end."""
        if self._fetch is not None:
            await self._fetch.close()
            self._fetch = None

    async def delete(self) -> None:
        with contextlib.suppress(NotFoundError):
            await self.js.delete_consumer(self.stream, self.name)
