"""Publishing: Nats-Msg-Id de-duplication, per-job optimistic concurrency, reading history."""

from __future__ import annotations

import pytest
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.errors import APIError

from tests.support.jobs import dialogue
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobProgressed
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging import publisher
from ttsjobs.messaging.job_history import current_state, read_history
from ttsjobs.messaging.publisher import ConcurrencyConflict, EventPublisher
from ttsjobs_gateway.publishers import job_cancelled, job_created
from ttsjobs_synthesis.publishers import job_progressed, job_started


def _created():
    return job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")


async def test_a_retried_publish_is_stored_once(jetstream):
    publish = EventPublisher(jetstream)
    created = _created()
    first = await publish(created)
    again = await publish(created)
    assert again.duplicate and again.seq == first.seq
    assert len(await read_history(jetstream, created.job_id)) == 1


async def test_cancel_and_start_cannot_both_win(jetstream):
    publish = EventPublisher(jetstream)
    created = _created()
    ack = await publish(created)
    await publish(
        job_started(created.job_id, user_id="u1", worker="w", attempt=1), expected_last_seq=ack.seq
    )
    with pytest.raises(ConcurrencyConflict):
        await publish(job_cancelled(created.job_id, user_id="u1"), expected_last_seq=ack.seq)
    state = await current_state(jetstream, created.job_id)
    assert state is not None and state.status.value == "processing"


async def test_other_jobs_do_not_disturb_a_jobs_sequence(jetstream):
    publish = EventPublisher(jetstream)
    mine, other = _created(), _created()
    ack = await publish(mine)
    await publish(other)
    await publish(job_progressed(other.job_id, user_id="u1", done=1, total=3, turn_index=0))
    await publish(job_cancelled(mine.job_id, user_id="u1"), expected_last_seq=ack.seq)
    kinds = [e.type for _, e in await read_history(jetstream, mine.job_id)]
    assert kinds == ["io.ttsjobs.job.created.v1", "io.ttsjobs.job.cancelled.v1"]


async def test_history_of_an_unknown_job_is_empty(jetstream):
    assert await read_history(jetstream, "0c4b1a52-0000-4000-8000-000000000000") == []
    assert subjects.job_history("x") == "ttsjobs.job.x.*"


async def test_events_published_together_are_stored_once_each_in_the_order_given(jetstream):
    publish = EventPublisher(jetstream)
    created = _created()
    await publish(created)
    progress = [
        job_progressed(created.job_id, user_id="u1", done=i, total=200, turn_index=i - 1)
        for i in range(1, 201)
    ]
    await publish.in_order(progress)
    await publish.in_order(progress[:50])  # a retry: Nats-Msg-Id drops every repeat
    stored = [e for _, e in await read_history(jetstream, created.job_id)][1:]
    assert [e.data.done for e in stored] == list(range(1, 201))


async def test_events_published_together_raise_when_the_stream_refuses_one(jetstream, monkeypatch):
    # nats-py 2.16 drops an error answer to publish_async (its reply handler raises instead of
    # failing the future), so the refusal surfaces as the acks' timeout, shortened here.
    monkeypatch.setattr(publisher, "ACKS_TIMEOUT_S", 0.5)
    publish = EventPublisher(jetstream)
    created = _created()

    class ElsewhereProgressed(JobProgressed):
        stream = "NOT_THE_JOB_STREAM"  # the server checks the stream a publish expects

    event = job_progressed(created.job_id, user_id="u1", done=1, total=2, turn_index=0)
    wrong = ElsewhereProgressed.model_validate(event.model_dump())
    with pytest.raises((APIError, NatsTimeoutError)):
        await publish.in_order([created, wrong])
    assert len(await read_history(jetstream, created.job_id)) == 1, "the first one is stored"
