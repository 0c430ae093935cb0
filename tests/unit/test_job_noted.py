"""The toy JobNoted event: parsed from the wire and folded by the reducer in any status."""

from __future__ import annotations

from tests.unit.test_job_state import _lifecycle
from ttsjobs.contracts.job_events import JobNoted, encode_event, parse_event
from ttsjobs.jobs.state import JobStatus, apply, fold
from ttsjobs_gateway.publishers import job_noted


def test_a_note_is_parsed_and_applied_to_a_finished_job():
    state = fold(_lifecycle())
    assert state is not None and state.status is JobStatus.completed and state.note is None
    event = parse_event(encode_event(job_noted(state.id, user_id="u1", note="sounds good")))
    assert isinstance(event, JobNoted) and event.nats_subject().endswith(".noted")
    noted = apply(state, event, 20)
    assert noted is not None
    assert noted.note == "sounds good" and noted.status is JobStatus.completed
    assert noted.last_event_seq == 20
    assert apply(noted, event, 20) == noted, "a redelivery changes nothing"
