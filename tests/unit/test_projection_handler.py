"""apply_job_events on an in-memory read model: a batch folds into rows, replays change
nothing, an expired job's rows go (its audio_files row too), and a failing batch leaves every
table as it was."""

from __future__ import annotations

import contextlib
import copy

import pytest

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import AudioObject, JobExpired, JobResult
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.publishers import job_cancelled, job_created
from ttsjobs_projection.handlers import apply_job_events
from ttsjobs_synthesis.publishers import job_completed, job_started


class MemoryTables:
    """tts_jobs, users and projection_positions as dicts; a transaction that is all or nothing."""

    def __init__(self) -> None:
        self.jobs: dict = {}
        self.users: dict = {}
        self.audio: list = []
        self.positions: dict = {}
        self.fail_on_save = False

    @contextlib.asynccontextmanager
    async def transaction(self):
        before = copy.deepcopy((self.jobs, self.users, self.audio, self.positions))
        try:
            yield
        except BaseException:
            self.jobs, self.users, self.audio, self.positions = before
            raise

    async def load_jobs_for_update(self, conn, job_ids):
        return {j: self.jobs[j] for j in job_ids if j in self.jobs}

    async def ensure_users(self, conn, first_seen):
        for user, at in first_seen.items():
            self.users.setdefault(user, at)

    async def save_audio_files(self, conn, states):
        self.audio += [s.id for s in states]

    async def save_jobs(self, conn, states, *, before):
        if self.fail_on_save:
            raise ConnectionError("the database went away")
        self.jobs.update({s.id: s for s in states})

    async def delete_job(self, conn, state):
        del self.jobs[state.id]
        if state.audio_file_id is not None:
            self.audio.remove(state.id)

    async def save_position(self, conn, consumer, seq, at):
        self.positions[consumer] = seq

    def committed(self, states, gone):
        pass


def _created(user="u1"):
    return job_created(MultiRoleRequest.model_validate(dialogue("espeak")), user_id=user)


async def _apply(tables, batch):
    return await apply_job_events(batch, conn=tables, consumer="projection", tables=tables)


async def test_a_batch_folds_each_jobs_events_into_its_row():
    tables, a, b = MemoryTables(), _created(), _created("u2")
    started = job_started(a.job_id, user_id="u1", worker="w", attempt=1)
    changes = await _apply(tables, [(a, 1), (b, 2), (started, 3)])
    assert tables.jobs[a.job_id].status.value == "processing"
    assert tables.jobs[a.job_id].last_event_seq == 3
    assert tables.jobs[b.job_id].status.value == "pending"
    assert set(tables.users) == {"u1", "u2"} and tables.positions == {"projection": 3}
    assert changes == {0: "pending", 1: "pending", 2: "processing"}


async def test_a_replayed_batch_changes_nothing():
    tables, a = MemoryTables(), _created()
    cancelled = job_cancelled(a.job_id, user_id="u1")
    await _apply(tables, [(a, 1), (cancelled, 2)])
    row = tables.jobs[a.job_id]
    assert await _apply(tables, [(a, 1), (cancelled, 2)]) == {}
    assert tables.jobs[a.job_id] == row


async def test_an_expired_job_leaves_the_table():
    tables, a = MemoryTables(), _created()
    await _apply(tables, [(a, 1)])
    expired = JobExpired.model_validate(
        {"id": f"{a.job_id}.expired", "source": "test", "subject": a.job_id,
         "time": a.time, "data": {"user_id": "u1"}}
    )  # fmt: skip
    changes = await _apply(tables, [(expired, 2)])
    assert a.job_id not in tables.jobs and changes == {0: "gone"}


def _completed(job_id: str):
    audio = AudioObject(bucket="b", object_key=f"jobs/{job_id}/audio.wav", size_bytes=10,
                        content_type="audio/wav", format="wav", sample_rate=16000)  # fmt: skip
    result = JobResult(duration_ms=1000, latency_ms=10, turn_timings=[], audio=audio)
    return job_completed(job_id, result, user_id="u1")


def _expired(job_id: str, at):
    return JobExpired.model_validate(
        {"id": f"{job_id}.expired", "source": "test", "subject": job_id, "time": at,
         "data": {"user_id": "u1"}}
    )  # fmt: skip


async def test_a_job_that_completes_and_expires_in_one_batch_leaves_no_audio_row():
    """A projection catching up on a long backlog sees a job from start to expiry at once."""
    tables, a, b = MemoryTables(), _created(), _created()
    started = job_started(b.job_id, user_id="u1", worker="w", attempt=1)
    await _apply(tables, [(b, 1), (started, 2)])
    await _apply(tables, [
        (a, 3), (_completed(a.job_id), 4), (_expired(a.job_id, a.time), 5),
        (_completed(b.job_id), 6), (_expired(b.job_id, b.time), 7),
    ])  # fmt: skip
    assert tables.jobs == {} and tables.audio == []


async def test_a_failing_batch_leaves_every_table_as_it_was():
    tables, a = MemoryTables(), _created()
    await _apply(tables, [(a, 1)])
    before = copy.deepcopy((tables.jobs, tables.users, tables.positions))
    tables.fail_on_save = True
    with pytest.raises(ConnectionError):
        await _apply(tables, [(job_cancelled(a.job_id, user_id="u1"), 2), (_created("u9"), 3)])
    assert (tables.jobs, tables.users, tables.positions) == before
