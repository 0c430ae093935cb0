"""The toy auditor service: bootstrapped on a real NATS, it logs a completed job."""

from __future__ import annotations

from structlog.testing import capture_logs

from tests.unit.test_job_state import _result
from ttsjobs.contracts.job_events import encode_event
from ttsjobs.runtime.worker import serve_worker
from ttsjobs_auditor.config import Settings
from ttsjobs_auditor.main import bootstrap
from ttsjobs_synthesis import publishers as synth


async def test_the_auditor_starts_and_logs_a_completed_job(own_nats, jetstream):
    done = synth.job_completed("job-1", _result(), user_id="u1")
    await jetstream.publish(
        done.nats_subject(), encode_event(done), headers={"Nats-Msg-Id": done.id}
    )
    with capture_logs() as logs:
        summary = await serve_worker(
            "auditor", Settings(nats_url=own_nats.url), bootstrap, burst=True
        )
    assert summary["processed"] == 1
    events = [entry["event"] for entry in logs]
    assert "auditor.ready" in events
    audited = next(e for e in logs if e["event"] == "audit.job_completed")
    assert audited["job_id"] == "job-1" and audited["user_id"] == "u1"
