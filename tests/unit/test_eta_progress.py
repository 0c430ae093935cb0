"""A job's ETA reaches its view from the moment it is processing: JobStarted carries one."""

from __future__ import annotations

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import JobStarted
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobStatus, fold
from ttsjobs_gateway.publishers import job_created
from ttsjobs_gateway.schemas import JobView
from ttsjobs_synthesis import publishers as synth


def _job() -> tuple[str, list]:
    created = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
    return created.subject, [(1, created)]


def test_a_started_job_shows_the_eta_its_worker_predicted_before_any_turn():
    job_id, events = _job()
    started = synth.job_started(job_id, user_id="u1", worker="w", attempt=1, eta_ms=4200)
    state = fold([*events, (2, started)])
    assert state is not None and state.status is JobStatus.processing
    assert state.progress_done == 0 and state.progress_eta_ms == 4200
    assert JobView.of(state).progress.eta_ms == 4200


def test_the_turns_refine_the_eta_and_the_end_sets_it_to_zero():
    job_id, events = _job()
    events += [
        (2, synth.job_started(job_id, user_id="u1", worker="w", attempt=1, eta_ms=4200)),
        (3, synth.job_progressed(job_id, user_id="u1", done=1, total=3, turn_index=0, eta_ms=900)),
    ]
    state = fold(events)
    assert state is not None and state.progress_eta_ms == 900


def test_a_started_event_without_an_eta_reads_as_before():
    job_id, events = _job()
    old = {
        "id": f"{job_id}.started",
        "source": "/ttsjobs/synthesis",
        "subject": job_id,
        "type": "io.ttsjobs.job.started.v1",
        "data": {"user_id": "u1", "worker": "w", "attempt": 1},
    }
    started = JobStarted.model_validate(old)
    assert started.data.eta_ms is None
    state = fold([*events, (2, started)])
    assert state is not None and state.status is JobStatus.processing
    assert state.progress_eta_ms is None
