"""The rebuild's in-memory fold ends where the live projection's batches end, whatever the
batch boundaries."""

from __future__ import annotations

import pytest

from tests.unit.test_projection_handler import MemoryTables, _apply, _created
from ttsjobs.contracts.job_events import JobExpired
from ttsjobs_gateway.publishers import job_cancelled, job_deleted, job_renamed
from ttsjobs_projection.bulk_replay import Folded
from ttsjobs_synthesis.publishers import job_failed, job_progressed, job_started


def _stream() -> list:
    a, b, c = _created("u1"), _created("u2"), _created("u1")
    events = [
        a,
        b,
        job_started(a.job_id, user_id="u1", worker="w", attempt=1),
        c,
        job_progressed(a.job_id, user_id="u1", done=2, total=3, turn_index=1, eta_ms=40),
        job_progressed(a.job_id, user_id="u1", done=1, total=3, turn_index=0, eta_ms=90),
        job_renamed(b.job_id, user_id="u2", title="renamed"),
        job_cancelled(b.job_id, user_id="u2"),
        job_failed(a.job_id, "engine", user_id="u1"),
        job_started(b.job_id, user_id="u2", worker="w", attempt=1),  # after the end: no change
        JobExpired.model_validate(
            {
                "id": f"{c.job_id}.expired",
                "source": "test",
                "subject": c.job_id,
                "time": c.time,
                "data": {"user_id": "u1"},
            }
        ),
        job_deleted(b.job_id, user_id="u2"),  # the owner deletes the finished job
        job_renamed(b.job_id, user_id="u2", title="late"),  # after the deletion: no job
        a,  # a redelivered JobCreated: stale
    ]
    return [(event, seq) for seq, event in enumerate(events, 1)]


@pytest.mark.parametrize("batch", [1, 3, 100])
async def test_the_fold_gives_the_rows_and_users_of_the_live_batches(batch):
    stream = _stream()
    tables = MemoryTables()
    for start in range(0, len(stream), batch):
        await _apply(tables, stream[start : start + batch])

    folded = Folded()
    for event, seq in stream:
        folded.add(event, seq)

    assert {j: s for j, s in folded.states.items() if s is not None} == tables.jobs
    assert len(tables.jobs) == 1, "the expired job and the deleted one are gone"
    assert folded.users == tables.users
    assert folded.last == (len(stream), stream[-1][0].time)
