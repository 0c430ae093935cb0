"""The poison-event policy of both runners: an event that keeps failing (not with a transient
error) is dead-lettered with its error and the consumer goes on; the batch runner finds the one
bad event of a failing batch and applies the others, in stream order."""

from __future__ import annotations

from tests.integration.conftest import created_consumer
from tests.integration.test_consumer_runner import _publish
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import parse_event
from ttsjobs.messaging.batch_consumer import BatchOptions, BatchRunner
from ttsjobs.messaging.consumer import ConsumerRunner, RunnerOptions
from ttsjobs.messaging.dead_letters import read_letters
from ttsjobs.messaging.event_families import JOB_EVENTS


async def _letters(js, consumer: str):
    return [letter async for letter in read_letters(js, consumers=(consumer,))]


async def test_a_batch_with_one_bad_event_applies_the_rest_in_order_and_letters_it(jetstream):
    name = await created_consumer(jetstream, max_deliver=-1, max_ack_pending=20)
    ids = await _publish(jetstream, 9)
    bad = ids[4]
    applied: list[str] = []
    dead: list[tuple[str, str]] = []

    async def handler(batch):
        jobs = [event.job_id for event, _ in batch]
        if bad in jobs:
            raise ValueError("invalid byte sequence for encoding UTF8: 0x00")
        applied.extend(jobs)

    async def on_dead_letter(event, msg, error):
        dead.append((event.job_id, error))

    options = BatchOptions(
        batch=20, fetch_timeout_s=0.5, backoff_base_s=0.05, burst=True, dead_letter_after=3,
        on_dead_letter=on_dead_letter,
    )  # fmt: skip
    runner = BatchRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    await runner.run()

    assert applied == [job for job in ids if job != bad], "the others, once each, in order"
    assert [job for job, _ in dead] == [bad] and "0x00" in dead[0][1]
    assert runner.dead_lettered == 1 and runner.processed == 8
    [letter] = await _letters(jetstream, name)
    assert letter.job_id == bad and letter.consumer == name and letter.stream == subjects.STREAM
    assert "gave up after 3 attempts" in letter.error and "0x00" in letter.error
    assert parse_event(letter.data).job_id == bad  # the original event, to replay
    info = await jetstream.consumer_info(subjects.STREAM, name)
    assert info.num_ack_pending == 0 and info.num_pending == 0


async def test_a_batch_failing_transiently_is_never_dead_lettered(jetstream):
    name = await created_consumer(jetstream, max_deliver=-1, max_ack_pending=20)
    ids = await _publish(jetstream, 3)
    calls: list[list[str]] = []

    async def handler(batch):
        calls.append([event.job_id for event, _ in batch])
        if len(calls) <= 4:  # more failures than dead_letter_after allows
            raise ConnectionError("database away")

    options = BatchOptions(
        batch=20, fetch_timeout_s=0.5, backoff_base_s=0.05, burst=True, dead_letter_after=2
    )
    runner = BatchRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    await runner.run()
    assert calls == [ids] * 5, "held whole, never split"
    assert runner.dead_lettered == 0 and not await _letters(jetstream, name)


async def test_the_consumer_runner_letters_an_event_that_keeps_failing_and_goes_on(jetstream):
    name = await created_consumer(jetstream, max_deliver=-1)
    ids = await _publish(jetstream, 4)
    bad = ids[1]
    handled: list[str] = []
    transient_failures: list[str] = []

    async def handler(event, msg):
        if event.job_id == bad:
            raise ValueError("cannot apply this one")
        if event.job_id == ids[2] and len(transient_failures) < 4:
            transient_failures.append(event.job_id)
            raise ConnectionError("database away")  # never counted towards a letter
        handled.append(event.job_id)

    options = RunnerOptions(
        burst=True, fetch_timeout_s=0.5, backoff_base_s=0.01, backoff_max_s=0.05,
        dead_letter_after=3,
    )  # fmt: skip
    runner = ConsumerRunner(jetstream, name, handler, events=JOB_EVENTS, options=options)
    await runner.run()

    assert sorted(handled) == sorted(job for job in ids if job != bad)
    [letter] = await _letters(jetstream, name)
    assert letter.job_id == bad and letter.attempts == 3
    assert "ValueError: cannot apply this one" in letter.error
    info = await jetstream.consumer_info(subjects.STREAM, name)
    assert info.num_ack_pending == 0 and info.num_pending == 0
