"""The declared topology on a real nats-server, applied twice: the streams, and the durable
consumers as the services declare them."""

from __future__ import annotations

from nats.js.api import AckPolicy, StorageType

from ttsjobs.contracts import subjects
from ttsjobs.messaging.topology import RETENTION, ensure_consumer, ensure_streams
from ttsjobs_notifier.subscriptions import JOB_FINISHED_SUBSCRIPTION
from ttsjobs_projection.subscriptions import (
    ACCOUNT_EVENTS_SUBSCRIPTION,
    JOB_EVENTS_SUBSCRIPTION,
    PROJECTION_BATCH,
)
from ttsjobs_synthesis.subscriptions import SynthesisConsumerPolicy, job_created_subscription


async def test_stream_and_consumers_are_applied_idempotently(jetstream):
    policy = SynthesisConsumerPolicy(
        worker_slots=3, replicas=2, ack_wait_s=20, max_deliver=4, prefetch=10
    )
    for _ in range(2):
        await ensure_streams(jetstream)
        await ensure_consumer(jetstream, job_created_subscription(policy))
        await ensure_consumer(jetstream, JOB_EVENTS_SUBSCRIPTION)
        await ensure_consumer(jetstream, ACCOUNT_EVENTS_SUBSCRIPTION)
        await ensure_consumer(jetstream, JOB_FINISHED_SUBSCRIPTION)

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

    accounts = (
        await jetstream.consumer_info(subjects.ACCOUNTS_STREAM, "projection-accounts")
    ).config
    assert accounts.filter_subject == "ttsjobs.account.*.*" and accounts.max_ack_pending == 1

    notifier = (await jetstream.consumer_info(subjects.STREAM, "notifier")).config
    assert set(notifier.filter_subjects or ()) == {
        "ttsjobs.job.*.completed",
        "ttsjobs.job.*.failed",
        "ttsjobs.job.*.cancelled",
    }
    assert notifier.ack_wait == 60 and notifier.max_deliver == -1


async def test_a_changed_policy_updates_the_existing_consumer(jetstream):
    for slots in (1, 5):
        policy = SynthesisConsumerPolicy(worker_slots=slots)
        await ensure_consumer(jetstream, job_created_subscription(policy))
    info = await jetstream.consumer_info(subjects.STREAM, "synthesis")
    assert info.config.max_ack_pending == 5


async def test_a_second_durable_name_is_a_consumer_of_its_own(jetstream):
    await ensure_consumer(jetstream, JOB_EVENTS_SUBSCRIPTION)
    await ensure_consumer(jetstream, JOB_EVENTS_SUBSCRIPTION.named("projection-rebuild"))
    rebuild = await jetstream.consumer_info(subjects.STREAM, "projection-rebuild")
    assert rebuild.config.filter_subject == "ttsjobs.job.*.*"
    assert (await jetstream.consumer_info(subjects.STREAM, "projection")).name == "projection"
