"""Where no span is exported, the projection makes none, yet its status lines keep the trace."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import structlog

from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.observability import tracing
from ttsjobs.observability.logging import configure_logging
from ttsjobs_gateway.publishers import job_created
from ttsjobs_projection.entrypoints.job_events_consumer import _status_lines

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
HEADERS = {"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"}
REQUEST = {"turns": [{"speaker": "A", "text": "hi"}], "voice_assignments": {"A": {"voice": "v"}}}


def test_a_status_change_is_logged_in_the_trace_of_the_event_that_made_it():
    stream = io.StringIO()
    configure_logging("tests", json=True, stream=stream)
    try:
        created = job_created(MultiRoleRequest.model_validate(REQUEST), user_id="u1")
        # Two events, one status change: only that one is logged.
        batch = [
            (created, SimpleNamespace(headers=HEADERS)),
            (created, SimpleNamespace(headers={})),
        ]
        _status_lines(batch, [7, 8], {0: "pending"})  # type: ignore[arg-type]
    finally:
        structlog.reset_defaults()
    (line,) = [json.loads(raw) for raw in stream.getvalue().splitlines() if raw.startswith("{")]
    assert line["event"] == "projection.status_changed" and line["status"] == "pending"
    assert line["job_id"] == created.subject and line["seq"] == 7
    assert line["trace_id"] == TRACE_ID and line["span_id"] == "00f067aa0ba902b7"


def test_the_continued_context_is_the_publishers_and_records_nothing():
    span = tracing.continued(HEADERS)
    assert not span.is_recording()
    assert format(span.get_span_context().trace_id, "032x") == TRACE_ID
    assert not tracing.continued(None).get_span_context().is_valid
