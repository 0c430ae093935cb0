"""The engine process pools: real espeak-ng in separate processes, and the per-turn timeout."""

from __future__ import annotations

import pytest

from ttsjobs_synthesis.engines import ProcessEngines, ProviderSpec, TurnTimeout
from ttsjobs_synthesis.providers.base import UnknownVoice


@pytest.fixture(scope="module")
def engines():
    pool = ProcessEngines([ProviderSpec("espeak", 2)], turn_timeout_s=2.0)
    yield pool
    pool.close()


async def test_turns_come_back_with_their_loudness(engines):
    speech = await engines.synthesize("espeak", "Hello from a pool.", "en-us", speed=1.0, pitch=1.0)
    assert speech.sample_rate == 22050 and speech.duration_ms > 500
    assert speech.loudness_lufs is not None and -60 < speech.loudness_lufs < 0


async def test_permanent_errors_cross_the_process_boundary(engines):
    with pytest.raises(UnknownVoice):
        await engines.synthesize("espeak", "hello", "xx-nowhere", speed=1.0, pitch=1.0)


async def test_a_turn_over_the_timeout_is_abandoned_and_the_pool_recovers(engines):
    endless = "This sentence goes on and on. " * 2000  # minutes of speech
    with pytest.raises(TurnTimeout):
        await engines.synthesize("espeak", endless, "en-us", speed=0.25, pitch=1.0)
    speech = await engines.synthesize("espeak", "Still here.", "en-us", speed=1.0, pitch=1.0)
    assert speech.duration_ms > 300
