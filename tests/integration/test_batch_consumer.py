"""The batch runner keeps stream order: a batch whose handler fails is retried in the process,
whole, and nothing newer reaches the handler before it succeeds."""

from __future__ import annotations

from tests.integration.conftest import created_consumer
from tests.integration.test_consumer_runner import _publish
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.messaging.batch_consumer import BatchOptions, BatchRunner
from ttsjobs.messaging.event_families import JOB_EVENTS


def _options(batch: int) -> BatchOptions[JobEvent]:
    return BatchOptions(
        batch=batch,
        fetch_timeout_s=0.5,
        backoff_base_s=0.2,
        burst=True,
    )


async def test_a_failing_batch_is_retried_whole_and_nothing_newer_overtakes_it(jetstream):
    # The batch size is above what is queued, so the server would have room to deliver newer
    # events while the first batch is out: exactly the case where a nak'ed batch got overtaken.
    name = await created_consumer(jetstream, max_deliver=-1, max_ack_pending=10)
    first = await _publish(jetstream, 3)
    later: list[str] = []
    calls: list[list[str]] = []

    async def handler(batch):
        calls.append([event.job_id for event, _ in batch])
        if len(calls) == 1:
            later.extend(await _publish(jetstream, 4))  # arrive while the database is away
        if len(calls) <= 3:
            raise ConnectionError("database away")

    runner = BatchRunner(jetstream, name, handler, events=JOB_EVENTS, options=_options(10))
    await runner.run()

    # The first batch four times (three failures, then success), then the later events.
    assert calls[:4] == [first] * 4
    assert [job for call in calls[4:] for job in call] == later
    assert runner.processed == 7
    info = await jetstream.consumer_info(subjects.STREAM, name)
    assert info.num_ack_pending == 0 and info.num_redelivered == 0


async def test_a_batch_left_unacked_by_a_dead_process_comes_before_newer_events(jetstream):
    name = await created_consumer(jetstream, max_deliver=-1, max_ack_pending=10, ack_wait=2)
    held = await _publish(jetstream, 3)
    # A process fetches the batch and dies before acking it.
    sub = await jetstream.pull_subscribe_bind(name, stream=subjects.STREAM)
    assert len(await sub.fetch(10, timeout=2)) == 3
    await sub.unsubscribe()
    later = await _publish(jetstream, 4)
    calls: list[list[str]] = []

    async def handler(batch):
        calls.append([event.job_id for event, _ in batch])

    await BatchRunner(jetstream, name, handler, events=JOB_EVENTS, options=_options(10)).run()
    applied = [job for call in calls for job in call]
    assert applied == held + later  # the dead process's batch first, then the newer events
