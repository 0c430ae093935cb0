"""One provider as synthesis runs it, no servers: built from the registry, in its own engine
process, a voice speaking, then a whole job on a ``MemoryBus``. The test to copy for a new
provider (README, "Add a provider"): change PROVIDER, VOICE and TEXT.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from tests.unit.test_synthesis_handler import MemoryStore, _run
from ttsjobs.contracts.job_events import JobCompleted
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.providers.registry import entry

PROVIDER = "tone"
VOICE = "mid"
TEXT = "Good morning. Did you sleep well?"

# The engine's pipes belong to one event loop, as in the service: one loop for the module.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def engines():
    engines = ProviderEngines({PROVIDER: entry(PROVIDER).engine(processes=1)}, turn_timeout_s=30)
    await engines.start()  # spawned, built and warmed up as the provider chose
    yield engines
    engines.close()


async def test_a_voice_speaks_at_its_listed_rate(engines):
    catalogue = engines.catalogue(PROVIDER)
    assert catalogue is not None and catalogue.parallel_turns == 1
    speech = await engines.synthesize(PROVIDER, TEXT, VOICE, speed=1.0, pitch=1.0)
    assert speech.sample_rate == catalogue.voice(VOICE).sample_rate
    assert speech.duration_ms > 200
    assert speech.loudness_lufs is not None and speech.synthesis_ms is not None


async def test_a_job_on_it_completes(engines):
    body = dialogue() | {"provider": PROVIDER}  # three turns, Alice and Bob
    body["voice_assignments"] = {"Alice": {"voice": VOICE}, "Bob": {"voice": VOICE}}
    created = job_created(MultiRoleRequest.model_validate(body), user_id="u1")
    bus = MemoryBus(created)
    await _run(bus, created, engines, MemoryStore())
    completed = bus.history[-1]
    assert isinstance(completed, JobCompleted)
    assert len(completed.data.result.turn_timings) == 3
