"""handle_job_created with small fakes: what it emits, and when it refuses to start."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import JobCompleted, JobProgressed, JobStarted
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs.jobs.state import apply
from ttsjobs.messaging.consumer import PermanentFailure
from ttsjobs.messaging.publisher import ConcurrencyConflict
from ttsjobs_gateway.publishers import job_cancelled, job_created
from ttsjobs_synthesis.handlers import SynthesisPolicy, handle_job_created
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected

POLICY = SynthesisPolicy(worker="w1", bucket="b", pause_ms=100, limits=RequestLimits())


class FakeProvider:
    name = "piper"

    def __init__(self, reject: str | None = None) -> None:
        self.reject = reject
        self.said: list[str] = []

    def catalogue(self) -> ProviderCatalogue:
        voice = VoiceInfo(id="en_US-joe-medium", name="joe", language="en-US", sample_rate=1000)
        return ProviderCatalogue(provider="piper", description="fake", voices=[voice])

    def synthesize(self, text: str, voice: str, *, speed: float) -> Speech:
        if text == self.reject:
            raise SynthesisRejected("nothing to say")
        self.said.append(text)
        return Speech(np.full(len(text) * 10, 500, dtype=np.int16), 1000)


class Bus:
    """Publishes into a job's history and folds it, like JetStream with one subject filter."""

    def __init__(self, *events) -> None:
        self.history = list(events)
        self.conflict_once = False

    async def publish(self, event, *, expected_last_seq=None):
        if expected_last_seq is not None:
            if self.conflict_once or expected_last_seq != len(self.history):
                self.conflict_once = False
                raise ConcurrencyConflict("wrong last sequence")
        self.history.append(event)

    async def read_state(self, job_id):
        state = None
        for seq, event in enumerate(self.history, 1):
            state = apply(state, event, seq)
        return state


async def _run(bus, created, provider, stored):
    async def store(key, data, content_type):
        stored[key] = (data, content_type)

    await handle_job_created(
        created,
        attempt=1,
        publish=bus.publish,
        read_state=bus.read_state,
        providers={"piper": provider},
        store_audio=store,
        policy=POLICY,
    )


def _created():
    return job_created(MultiRoleRequest.model_validate(dialogue("piper")), user_id="u1")


async def test_a_pending_job_is_started_progressed_and_completed():
    created, provider, stored = _created(), FakeProvider(), {}
    bus = Bus(created)
    await _run(bus, created, provider, stored)
    kinds = [type(e) for e in bus.history[1:]]
    assert kinds == [JobStarted, JobProgressed, JobProgressed, JobProgressed, JobCompleted]
    assert [e.data.done for e in bus.history[2:5]] == [1, 2, 3]
    result = bus.history[-1].data.result
    assert list(stored) == [result.audio.object_key] == [f"jobs/{created.job_id}/audio.wav"]
    assert result.turn_timings[1].start_ms == result.turn_timings[0].end_ms + 100


async def test_a_cancelled_job_is_never_started():
    created, provider = _created(), FakeProvider()
    bus = Bus(created, job_cancelled(created.job_id))
    await _run(bus, created, provider, {})
    assert len(bus.history) == 2 and provider.said == []


async def test_a_lost_race_is_decided_again_on_fresh_history():
    created, provider = _created(), FakeProvider()
    bus = Bus(created)
    bus.conflict_once = True
    await _run(bus, created, provider, {})
    assert type(bus.history[-1]) is JobCompleted


async def test_a_redelivered_processing_job_resumes_without_a_second_start():
    created, provider = _created(), FakeProvider()
    bus = Bus(created)
    await _run(bus, created, provider, {})
    bus.history = bus.history[:2]  # the worker died after JobStarted
    await _run(bus, created, provider, {})
    assert sum(isinstance(e, JobStarted) for e in bus.history) == 1
    assert type(bus.history[-1]) is JobCompleted


async def test_text_the_engine_rejects_is_a_permanent_failure_naming_the_turn():
    created = _created()
    provider = FakeProvider(reject=created.data.request.turns[1].text)
    with pytest.raises(PermanentFailure, match=r"turn 2 \(Bob\)"):
        await _run(Bus(created), created, provider, {})


async def test_limits_are_checked_again_in_synthesis():
    created = _created()
    tight = SynthesisPolicy(worker="w", bucket="b", pause_ms=0, limits=RequestLimits(max_turns=1))
    with pytest.raises(PermanentFailure, match="at most 1"):
        await handle_job_created(
            created,
            attempt=1,
            publish=Bus(created).publish,
            read_state=Bus(created).read_state,
            providers={"piper": FakeProvider()},
            store_audio=None,
            policy=tight,
        )  # type: ignore[arg-type]
