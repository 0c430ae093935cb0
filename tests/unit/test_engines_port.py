"""The engines port over an engine with no process pool, and the provider registry.

``InProcessEngine`` is a test double of our own ``Engine`` port, shaped as an HTTP engine would
be: turns run off the loop (threads here, requests there) under a cap on how many are in
flight. A job runs through ``ProviderEngines`` over it with nothing else changed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from tests.support.fakes import MemoryBus
from tests.unit.test_synthesis_handler import MemoryStore, _created, _run
from ttsjobs.contracts.job_events import JobCompleted
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers import registry
from ttsjobs_synthesis.providers.base import Speech


class InProcessEngine:
    """Speaks 10 ms of tone per character in a thread, at most ``concurrency`` turns at once."""

    caches_segments = False

    def __init__(self, *, concurrency: int, provider: str = "piper") -> None:
        self.parallelism = concurrency
        self._provider = provider
        self._cap = asyncio.Semaphore(concurrency)
        self.said: list[str] = []
        self.timeouts: list[float] = []
        self.started = self.closed = False

    def catalogue(self) -> ProviderCatalogue:
        voice = VoiceInfo(id="en_US-joe-medium", name="Joe", language="en-US", sample_rate=1000)
        return ProviderCatalogue(provider=self._provider, description="in-process", voices=[voice])

    async def start(self) -> None:
        self.started = True  # nothing to warm up: a remote engine is warm or it is not

    async def synthesize(self, text: str, voice: str, *, speed: float, pitch: float,
                         pronunciation: Pronunciation, timeout_s: float) -> Speech:  # fmt: skip
        async with self._cap, asyncio.timeout(timeout_s):
            samples = await asyncio.to_thread(np.full, len(text) * 10, 5000, np.int16)
        self.said.append(text)
        self.timeouts.append(timeout_s)
        return Speech(samples, 1000)

    def close(self) -> None:
        self.closed = True


async def test_a_job_runs_on_an_engine_without_processes():
    engine = InProcessEngine(concurrency=2)
    engines = ProviderEngines({"piper": engine}, turn_timeout_s=30)
    await engines.start()
    created, store = _created(), MemoryStore()
    bus = MemoryBus(created)
    await _run(bus, created, engines, store)
    assert isinstance(bus.history[-1], JobCompleted)
    assert engine.said == [t.text for t in created.data.request.turns]
    assert engines.catalogue("piper").parallel_turns == 2
    assert not [k for k in store.objects if k.startswith("segments/")], "it said: no caching"
    engines.close()
    assert engine.started and engine.closed


async def test_speed_is_measured_on_any_engine_and_the_quickest_to_start_comes_first():
    class SlowToStart(InProcessEngine):
        async def start(self) -> None:
            await asyncio.sleep(0.05)  # a model loading; what is compared is the order

    engines = ProviderEngines(
        {"slow": SlowToStart(concurrency=1, provider="slow"),
         "quick": InProcessEngine(concurrency=1, provider="quick")},
        turn_timeout_s=30,
    )  # fmt: skip
    await engines.start()
    assert engines.quickest_first() == ["quick", "slow"]
    measured = await engines.measure_speed("quick")
    assert measured.realtime_factor is not None and measured.realtime_factor > 0
    assert engines.catalogue("quick") == measured


def test_every_provider_module_with_an_entry_is_registered():
    # A provider module whose registry line was forgotten would never run; read as text, so
    # no provider's heavy imports (onnxruntime) load here.
    folder = Path(registry.__file__).parent
    with_entry = {f.stem for f in folder.glob("*.py") if "\nENTRY = " in f.read_text()}
    registered = {module.rsplit(".", 1)[1] for module in registry.PROVIDERS.values()}
    assert with_entry == registered


def test_every_registered_provider_has_an_entry():
    for name in registry.PROVIDERS:
        assert hasattr(registry.entry(name), "engine"), name
    with pytest.raises(ValueError, match="TTSJOBS_PROVIDERS"):
        registry.entry("nobody")


@pytest.mark.parametrize(
    ("provider", "variable", "field", "value"),
    [
        ("kokoro", "TTSJOBS_KOKORO_DIR", "dir", "/opt/kokoro"),
        ("kokoro", "TTSJOBS_KOKORO_PROCESSES", "processes", "1"),
        ("piper", "TTSJOBS_PIPER_VOICES_DIR", "voices_dir", "/opt/piper"),
        ("piper", "TTSJOBS_PIPER_PROCESSES", "processes", "3"),
        ("espeak", "TTSJOBS_ESPEAK_PROCESSES", "processes", "2"),
    ],
)
def test_each_provider_reads_its_settings_under_the_names_deployments_set(
    monkeypatch, provider, variable, field, value
):
    monkeypatch.setenv(variable, value)
    settings = registry.entry(provider).settings()
    assert str(getattr(settings, field)) == value
