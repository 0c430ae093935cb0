"""The declared topology on a real nats-server, applied twice."""

from __future__ import annotations

from nats.js.api import AckPolicy, StorageType

from ttsjobs.contracts import subjects
from ttsjobs.messaging.topology import (
    PROJECTION_BATCH,
    RETENTION,
    SynthesisConsumerPolicy,
    ensure_consumer,
    ensure_streams,
    projection_consumer,
    synthesis_consumer,
)


async def test_stream_and_consumers_are_applied_idempotently(jetstream):
    policy = SynthesisConsumerPolicy(
        worker_slots=3, replicas=2, ack_wait_s=20, max_deliver=4, prefetch=10
    )
    for _ in range(2):
        await ensure_streams(jetstream)
        await ensure_consumer(jetstream, synthesis_consumer(policy))
        await ensure_consumer(jetstream, projection_consumer())

    stream = (await jetstream.stream_info(subjects.STREAM)).config
    assert stream.storage == StorageType.FILE
    assert stream.subjects == ["ttsjobs.job.*.*"]
    assert stream.max_age >= RETENTION.total_seconds()
    assert stream.duplicate_window >= 60

    synthesis = (await jetstream.consumer_info(subjects.STREAM, "synthesis")).config
    assert synthesis.filter_subject == "ttsjobs.job.*.created"
    assert synthesis.ack_policy == AckPolicy.EXPLICIT
    assert synthesis.max_deliver == 4 and synthesis.ack_wait == 20
    assert synthesis.max_ack_pending == 20  # what two workers hold: 10 each

    projection = (await jetstream.consumer_info(subjects.STREAM, "projection")).config
    assert projection.filter_subject == "ttsjobs.job.*.*"
    assert projection.max_ack_pending == PROJECTION_BATCH


async def test_a_changed_policy_updates_the_existing_consumer(jetstream):
    await ensure_consumer(jetstream, synthesis_consumer(SynthesisConsumerPolicy(worker_slots=1)))
    await ensure_consumer(jetstream, synthesis_consumer(SynthesisConsumerPolicy(worker_slots=5)))
    info = await jetstream.consumer_info(subjects.STREAM, "synthesis")
    assert info.config.max_ack_pending == 5
