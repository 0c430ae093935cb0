"""The toy beep provider, through the real engine pool and the synthesis handler."""

from __future__ import annotations

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from tests.unit.test_synthesis_handler import MemoryStore, _deps
from ttsjobs.contracts.job_events import JobCompleted
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.engines import ProcessEngines, ProviderSpec
from ttsjobs_synthesis.handlers import handle_job_created


async def test_a_job_is_synthesized_with_beep():
    body = dialogue("piper")
    body["provider"] = "beep"
    body["voice_assignments"] = {"Alice": {"voice": "low"}, "Bob": {"voice": "high"}}
    created = job_created(MultiRoleRequest.model_validate(body), user_id="u1")
    engines = ProcessEngines([ProviderSpec("beep", 1)], turn_timeout_s=30)
    try:
        assert [v.id for v in engines.catalogue("beep").voices] == ["low", "high"]
        bus, store = MemoryBus(created), MemoryStore()
        await handle_job_created(created, attempt=1, deps=_deps(bus, engines, store))
    finally:
        engines.close()
    done = bus.history[-1]
    assert isinstance(done, JobCompleted)
    assert done.data.result.duration_ms > 600
