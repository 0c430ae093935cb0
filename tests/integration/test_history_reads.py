"""A job's history is read in batches: every event, in stream order, however long the history,
and never another job's; or its JobCreated alone."""

from __future__ import annotations

import asyncio
import uuid

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.batch_get import BATCH
from ttsjobs.messaging.job_history import read_created, read_history
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.publishers import job_progressed


async def test_a_history_longer_than_a_batch_is_read_whole_and_in_order(jetstream):
    publish = EventPublisher(jetstream)
    job, other = str(uuid.uuid4()), str(uuid.uuid4())
    total = BATCH + 40
    seqs = []
    for done in range(1, total + 1):
        for job_id in (job, other):  # interleaved, as in the stream
            ack = await publish(job_progressed(job_id, user_id="u1", done=done, total=total,
                                               turn_index=done - 1))  # fmt: skip
            if job_id == job:
                seqs.append(ack.seq)

    history = await read_history(jetstream, job)
    assert [seq for seq, _ in history] == seqs
    assert [event.data.done for _, event in history] == list(range(1, total + 1))
    assert {event.subject for _, event in history} == {job}

    later = await read_history(jetstream, job, after_seq=seqs[-3])
    assert [seq for seq, _ in later] == seqs[-2:]
    assert await read_history(jetstream, str(uuid.uuid4())) == []


async def test_concurrent_reads_on_one_connection_get_their_own_answers(jetstream):
    publish = EventPublisher(jetstream)
    jobs = [str(uuid.uuid4()) for _ in range(8)]
    for n, job_id in enumerate(jobs):
        for done in range(1, n + 2):
            await publish(job_progressed(job_id, user_id="u1", done=done, total=n + 1,
                                         turn_index=done - 1))  # fmt: skip
    histories = await asyncio.gather(*(read_history(jetstream, j) for j in jobs))
    for n, (job_id, history) in enumerate(zip(jobs, histories, strict=True)):
        assert len(history) == n + 1 and {e.subject for _, e in history} == {job_id}


async def test_a_jobs_creation_is_read_alone_and_an_unknown_job_has_none(jetstream):
    publish = EventPublisher(jetstream)
    created = job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id="u1")
    await publish(created)
    for done in (1, 2, 3):
        await publish(job_progressed(created.job_id, user_id="u1", done=done, total=3,
                                     turn_index=done - 1))  # fmt: skip
    found = await read_created(jetstream, created.job_id)
    assert found == created
    assert await read_created(jetstream, str(uuid.uuid4())) is None
