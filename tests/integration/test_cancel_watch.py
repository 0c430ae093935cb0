"""Synthesis learns of cancel requests from a subscription; it asks the stream only when the
connection was re-established since the job was claimed (the subscription may have missed one)."""

from __future__ import annotations

import uuid

from tests.conftest import eventually
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs_gateway.publishers import job_cancel_requested
from ttsjobs_synthesis.cancel_watch import CancelWatch


async def test_a_request_made_after_the_claim_is_seen_without_asking_the_stream(jetstream):
    watch = CancelWatch(jetstream._nc, jetstream)
    await watch.start()
    try:
        job, other = str(uuid.uuid4()), str(uuid.uuid4())
        mark = watch.mark()
        assert not await watch.requested(job, since=mark)
        await EventPublisher(jetstream)(job_cancel_requested(job, user_id="u1"))

        async def seen():
            return await watch.requested(job, since=mark)

        await eventually(seen, timeout_s=5, what="the request seen by the watch")
        assert not await watch.requested(other, since=mark)
    finally:
        await watch.stop()


async def test_after_a_reconnect_the_stream_is_asked(jetstream):
    job = str(uuid.uuid4())
    # Made while this watch was not listening, as during a reconnect.
    await EventPublisher(jetstream)(job_cancel_requested(job, user_id="u1"))
    watch = CancelWatch(jetstream._nc, jetstream)
    await watch.start()
    try:
        mark = watch.mark()
        assert not await watch.requested(job, since=mark), "connected throughout: trusted"
        assert await watch.requested(job, since=mark - 1), "reconnected since: the stream says"
        assert not await watch.requested(str(uuid.uuid4()), since=mark - 1)
    finally:
        await watch.stop()
