"""handle_job_created with small fakes: what it emits, and when it refuses to start."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from tests.conftest import eventually
from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import JobCancelled, JobCompleted, JobProgressed, JobStarted
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs.messaging.consumer import PermanentFailure
from ttsjobs.storage import audio_object_key
from ttsjobs_gateway.publishers import (
    job_cancel_requested,
    job_cancelled,
    job_created,
    job_renamed,
)
from ttsjobs_synthesis.eta import SpeedMeter
from ttsjobs_synthesis.handlers import SynthesisDeps, SynthesisPolicy, handle_job_created
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected
from ttsjobs_synthesis.segment_memory import SegmentMemory

# Progress for every turn, however quick the job: most tests here are about those events.
POLICY = SynthesisPolicy(
    worker="w1", bucket="b", pause_ms=100, limits=RequestLimits(), progress_hold_s=0
)


class FakeEngines:
    """One fake provider that 'speaks' a constant tone, 10 samples per character."""

    def __init__(self, reject: str | None = None) -> None:
        self.reject = reject
        self.said: list[str] = []

    def catalogue(self, provider: str) -> ProviderCatalogue | None:
        if provider != "piper":
            return None
        voice = VoiceInfo(id="en_US-joe-medium", name="joe", language="en-US", sample_rate=1000)
        return ProviderCatalogue(provider="piper", description="fake", voices=[voice])

    def parallelism(self, provider: str) -> int:
        return 2

    def caches_segments(self, provider: str) -> bool:
        return True

    async def synthesize(
        self, provider, text, voice, *, speed, pitch, pronunciation=None
    ) -> Speech:
        if text == self.reject:
            raise SynthesisRejected("nothing to say")
        self.said.append(text)
        return Speech(np.full(len(text) * 10, 5000, dtype=np.int16), 1000)


class MemoryStore:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str, dict]] = {}
        self.reads = 0
        self.puts: list[str] = []
        self.heads = 0

    async def get_with_metadata(self, key):
        self.reads += 1
        found = self.objects.get(key)
        return (found[0], found[2]) if found else None

    async def exists(self, key):
        self.heads += 1
        return key in self.objects

    async def put(self, key, data, content_type, *, metadata=None):
        self.puts.append(key)
        self.objects[key] = (data, content_type, metadata or {})

    async def put_file(self, key, file, size, content_type):
        await self.put(key, file.read(size), content_type)


class Cancels:
    """Cancel requests as the worker's watch would report them."""

    def __init__(self, requested: bool) -> None:
        self.is_requested = requested

    def mark(self) -> int:
        return 0

    async def requested(self, job_id, *, since):
        return self.is_requested


def _deps(bus, engines, store, *, policy=POLICY, cancel=False, memory=None) -> SynthesisDeps:
    return SynthesisDeps(
        publish=bus.publish,
        history=bus,
        engines=engines,
        store=store,
        cancels=Cancels(cancel),
        speed=SpeedMeter(),
        policy=policy,
        memory=memory,
    )


async def _run(bus, created, engines, store, *, attempt=1, **kw):
    await handle_job_created(created, attempt=attempt, deps=_deps(bus, engines, store, **kw))


def _created():
    return job_created(MultiRoleRequest.model_validate(dialogue("piper")), user_id="u1")


async def test_a_pending_job_is_started_progressed_and_completed():
    created, engines, store = _created(), FakeEngines(), MemoryStore()
    bus = MemoryBus(created)
    await _run(bus, created, engines, store)
    kinds = [type(e) for e in bus.history[1:]]
    assert kinds == [JobStarted, JobProgressed, JobProgressed, JobProgressed, JobCompleted]
    assert [e.data.done for e in bus.history[2:5]] == [1, 2, 3]
    assert bus.history[4].data.eta_ms == 0, "nothing left once every turn is done"
    result = bus.history[-1].data.result
    key = result.audio.object_key
    digest = hashlib.sha256(store.objects[key][0]).hexdigest()
    assert key == audio_object_key("u1", created.time, store.objects[key][0], "wav")
    assert key.startswith(f"audio/{created.time:%Y-%m-%d}/") and key.endswith(f"/{digest}.wav")
    assert store.heads == 0, "turns synthesized afresh: new audio, stored without asking"
    stored = [k for k in store.objects if not k.startswith("segments/") and "/live/" not in k]
    assert stored == [key], "captions are rendered on request, not stored"
    assert result.captions == []
    assert result.turn_timings[1].start_ms == result.turn_timings[0].end_ms + 100
    assert result.cache_hits == 0


async def test_a_rerun_takes_every_turn_from_the_cache():
    engines, store = FakeEngines(), MemoryStore()
    first = _created()
    await _run(MemoryBus(first), first, engines, store)
    said = len(engines.said)
    second = _created()
    bus = MemoryBus(second)
    await _run(bus, second, engines, store)
    assert len(engines.said) == said, "nothing synthesized again"
    result = bus.history[-1].data.result
    assert result.cache_hits == 3 and all(t.cache_hit for t in result.turn_timings)
    audio_puts = [k for k in store.puts if k.startswith("audio/") and "/live/" not in k]
    assert audio_puts == [result.audio.object_key], "the same audio is stored once, then shared"


async def test_the_same_audio_is_shared_only_within_one_user_and_creation_day():
    engines, store = FakeEngines(), MemoryStore()
    request = MultiRoleRequest.model_validate(dialogue("piper"))
    first = job_created(request, user_id="u1")
    other_user = job_created(request, user_id="u2")
    next_day = job_created(request, user_id="u1")
    next_day = next_day.model_copy(update={"time": first.time + timedelta(days=1)})
    keys = []
    for created in (first, other_user, next_day):
        bus = MemoryBus(created)
        await _run(bus, created, engines, store)
        keys.append(bus.history[-1].data.result.audio.object_key)
    assert len(set(keys)) == 3, keys
    assert [store.objects[k][0] for k in keys[1:]] == [store.objects[keys[0]][0]] * 2


async def test_an_edited_dialogue_synthesizes_only_the_changed_turn():
    engines, store = FakeEngines(), MemoryStore()
    first = _created()
    await _run(MemoryBus(first), first, engines, store)
    body = dialogue("piper")
    body["turns"][1]["text"] = "Something new to say."
    edited = job_created(MultiRoleRequest.model_validate(body), user_id="u1")
    engines.said.clear()
    bus = MemoryBus(edited)
    await _run(bus, edited, engines, store)
    assert engines.said == ["Something new to say."]
    assert [t.cache_hit for t in bus.history[-1].data.result.turn_timings] == [True, False, True]


async def test_a_rerun_on_the_same_worker_reads_its_turns_from_memory():
    engines, store, memory = FakeEngines(), MemoryStore(), SegmentMemory(2**20)
    first = _created()
    await _run(MemoryBus(first), first, engines, store, memory=memory)
    reads, said = store.reads, len(engines.said)
    again = _created()
    bus = MemoryBus(again)
    await _run(bus, again, engines, store, memory=memory)
    assert store.reads == reads, "no bucket read: every turn was in memory"
    assert len(engines.said) == said
    assert all(t.cache_hit for t in bus.history[-1].data.result.turn_timings)
    # Another worker (no memory of its own) still finds them in the bucket.
    other = MemoryBus(again)
    await _run(other, again, engines, store)
    assert store.reads == reads + 3 and len(engines.said) == said


async def test_a_provider_faster_than_the_bucket_keeps_no_segments():
    class Quick(FakeEngines):
        def caches_segments(self, provider: str) -> bool:
            return False

    engines, store, memory = Quick(), MemoryStore(), SegmentMemory(2**20)
    for _ in range(2):
        created = _created()
        bus = MemoryBus(created)
        await _run(bus, created, engines, store, memory=memory)
        assert bus.history[-1].data.result.cache_hits == 0
    assert store.reads == 0 and not [k for k in store.objects if k.startswith("segments/")]
    assert memory.bytes_held == 0 and len(engines.said) == 6


def test_segment_memory_drops_the_least_recently_used_past_its_size():
    def speech(n):
        return Speech(np.zeros(n, dtype=np.int16), 1000)

    memory = SegmentMemory(max_bytes=1000)
    memory.put("a", speech(200))  # 400 bytes
    memory.put("b", speech(200))
    assert memory.get("a") is not None  # a is now the most recently used
    memory.put("c", speech(200))  # 1,200 bytes: b goes
    assert memory.get("b") is None and memory.get("a") and memory.get("c")
    assert memory.bytes_held == 800
    memory.put("huge", speech(600))  # larger than the whole memory: not kept
    assert memory.get("huge") is None and memory.bytes_held == 800


async def test_progress_is_published_in_order_off_the_turns_path_and_a_failure_stops_the_job():
    created, engines, store = _created(), FakeEngines(), MemoryStore()
    bus = MemoryBus(created)
    publish = bus.publish
    gate = asyncio.Event()

    async def slow_progress(event, **kw):
        if isinstance(event, JobProgressed):
            await gate.wait()  # the stream is slow to confirm progress
        return await publish(event, **kw)

    deps = _deps(bus, engines, store)
    deps.publish = slow_progress
    running = asyncio.create_task(handle_job_created(created, attempt=1, deps=deps))

    async def audio_stored():
        return any(key.startswith("audio/") for key in store.objects)

    await eventually(
        audio_stored, timeout_s=5, what="the audio stored before progress is confirmed"
    )
    assert not any(isinstance(e, JobCompleted) for e in bus.history), "completed waits for progress"
    gate.set()
    await running
    kinds = [type(e) for e in bus.history[1:]]
    assert kinds == [JobStarted, JobProgressed, JobProgressed, JobProgressed, JobCompleted]
    assert [e.data.done for e in bus.history[2:5]] == [1, 2, 3]

    failing = MemoryBus(created)

    async def refused(event, **kw):
        if isinstance(event, JobProgressed):
            raise ConnectionError("NATS away")
        return await failing.publish(event, **kw)

    deps = _deps(failing, engines, MemoryStore())
    deps.publish = refused
    with pytest.raises(ConnectionError):
        await handle_job_created(created, attempt=1, deps=deps)
    assert not any(isinstance(e, JobCompleted) for e in failing.history)


async def test_a_cancel_request_stops_at_a_turn_boundary_and_stores_no_audio():
    created, engines, store = _created(), FakeEngines(), MemoryStore()
    bus = MemoryBus(created)
    await _run(bus, created, engines, store, cancel=True)
    assert type(bus.history[-1]) is JobCancelled
    assert not any(key.startswith("audio/") for key in store.objects)


async def test_a_cancelled_job_is_never_started():
    created, engines = _created(), FakeEngines()
    bus = MemoryBus(created, job_cancelled(created.job_id, user_id="u1"))
    await _run(bus, created, engines, MemoryStore())
    assert len(bus.history) == 2 and engines.said == []


async def test_a_lost_race_is_decided_again_on_fresh_history():
    created = _created()
    bus = MemoryBus(created)
    bus.conflict_once = True
    await _run(bus, created, FakeEngines(), MemoryStore())
    assert type(bus.history[-1]) is JobCompleted


async def test_a_redelivered_processing_job_resumes_from_cached_turns():
    created, engines, store = _created(), FakeEngines(), MemoryStore()
    bus = MemoryBus(created)
    await _run(bus, created, engines, store)
    bus.history = bus.history[:2]  # the worker died after JobStarted
    said = len(engines.said)
    await _run(bus, created, engines, store)
    assert sum(isinstance(e, JobStarted) for e in bus.history) == 1
    assert type(bus.history[-1]) is JobCompleted
    assert len(engines.said) == said


async def test_a_resumed_job_whose_cancel_was_asked_before_the_claim_is_cancelled():
    # The request was made while the first worker ran; this worker's watch never saw it, so
    # the claim's reading of the history is what stops the job.
    created, engines, store = _created(), FakeEngines(), MemoryStore()
    bus = MemoryBus(created)
    await _run(bus, created, engines, store)
    bus.history = bus.history[:2]  # the worker died after JobStarted
    bus.history.append(job_cancel_requested(created.job_id, user_id="u1"))
    said, fresh = len(engines.said), MemoryStore()  # nothing cached: every turn would be spoken
    await _run(bus, created, engines, fresh, attempt=2, cancel=False)
    assert type(bus.history[-1]) is JobCancelled
    assert len(engines.said) == said and fresh.objects == {}


async def test_a_resumed_attempt_reports_progress_under_ids_of_its_own():
    # Beyond JetStream's duplicate window nothing drops a repeated id, so ids must differ by
    # attempt: the events of each attempt are events of their own, and no id repeats.
    created, engines, store = _created(), FakeEngines(), MemoryStore()
    bus = MemoryBus(created)
    await _run(bus, created, engines, store, attempt=1)
    bus.history = bus.history[:2]  # the worker died after JobStarted
    await _run(bus, created, engines, store, attempt=3)
    progressed = [e.id for e in bus.history if isinstance(e, JobProgressed)]
    job = created.job_id
    assert progressed == [f"{job}.progressed.3.{done}" for done in (1, 2, 3)]
    first = MemoryBus(created)
    await _run(first, created, engines, store, attempt=1)
    ids = [e.id for e in first.history if isinstance(e, JobProgressed)] + progressed
    assert len(ids) == len(set(ids)) == 6


async def test_text_the_engine_rejects_is_a_permanent_failure_naming_the_turn():
    created = _created()
    engines = FakeEngines(reject=created.data.request.turns[1].text)
    with pytest.raises(PermanentFailure, match=r"turn 2 \(Bob\)"):
        await _run(MemoryBus(created), created, engines, MemoryStore())


async def test_a_first_delivery_claims_the_job_without_reading_its_history():
    created = _created()
    bus = MemoryBus(created)
    deps = _deps(bus, FakeEngines(), MemoryStore())
    await handle_job_created(created, attempt=1, deps=deps, seq=1)
    assert bus.reads == 0
    assert [type(e) for e in bus.history[1:]][0::4] == [JobStarted, JobCompleted]


async def test_a_job_cancelled_before_the_claim_is_not_started_though_the_claim_assumed_it_new():
    created = _created()
    bus = MemoryBus(created, job_cancelled(created.job_id, user_id="u1"))
    engines = FakeEngines()
    await handle_job_created(created, attempt=1, deps=_deps(bus, engines, MemoryStore()), seq=1)
    assert bus.reads == 1, "the assumed claim conflicted, so the history was read"
    assert not bus.of_kind("started") and not engines.said


async def test_a_job_renamed_before_the_claim_is_claimed_on_its_real_history():
    created = _created()
    bus = MemoryBus(created, job_renamed(created.job_id, user_id="u1", title="new name"))
    await handle_job_created(
        created, attempt=1, deps=_deps(bus, FakeEngines(), MemoryStore()), seq=1
    )
    assert bus.reads == 1
    assert [e.kind for e in bus.history[2:]][0::4] == ["started", "completed"]


async def test_a_redelivered_job_reads_its_history_before_the_claim():
    created = _created()
    bus = MemoryBus(created)
    await handle_job_created(
        created, attempt=2, deps=_deps(bus, FakeEngines(), MemoryStore()), seq=1
    )
    assert bus.reads == 1


class RejectsWhileProgressIsSent(FakeEngines):
    """Rejects its text only once a progress event is being published."""

    def __init__(self, reject: str, sending: asyncio.Event) -> None:
        super().__init__(reject)
        self.sending = sending

    async def synthesize(
        self, provider, text, voice, *, speed, pitch, pronunciation=None
    ) -> Speech:
        if text == self.reject:
            await self.sending.wait()
        return await super().synthesize(provider, text, voice, speed=speed, pitch=pitch)


async def test_a_failed_turn_ends_the_job_even_when_a_progress_publish_swallows_its_cancel():
    """Python 3.11's wait_for (inside every nats-py publish) returns an ack that arrives with
    the cancel and drops the cancel. The job must still end, not wait on its progress sender."""
    created = _created()
    sending = asyncio.Event()
    engines = RejectsWhileProgressIsSent(created.data.request.turns[1].text, sending)
    bus = MemoryBus(created)

    async def publish(event):
        if isinstance(event, JobProgressed):
            sending.set()
            try:
                await asyncio.sleep(0.2)  # waiting for the ack
            except asyncio.CancelledError:
                pass  # the ack came in the same loop turn: wait_for returns it
        await bus.publish(event)

    deps = _deps(bus, engines, MemoryStore())
    deps.publish = publish
    job = asyncio.create_task(handle_job_created(created, attempt=1, deps=deps))
    await asyncio.wait({job}, timeout=10)  # a deadline for a hang, not a speed check
    assert job.done(), "the job hangs on its progress sender"
    with pytest.raises(PermanentFailure, match=r"turn 2 \(Bob\)"):
        job.result()


class SlowEngines(FakeEngines):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    async def synthesize(
        self, provider, text, voice, *, speed, pitch, pronunciation=None
    ) -> Speech:
        await asyncio.sleep(self.seconds)
        return await super().synthesize(provider, text, voice, speed=speed, pitch=pitch)


def _held(seconds: float) -> SynthesisPolicy:
    return dataclasses.replace(POLICY, progress_hold_s=seconds)


async def test_a_job_that_ends_within_the_hold_publishes_no_progress():
    created = _created()
    bus = MemoryBus(created)
    await _run(bus, created, FakeEngines(), MemoryStore(), policy=_held(5.0))
    assert [type(e) for e in bus.history[1:]] == [JobStarted, JobCompleted]
    assert bus.history[-1].data.result.cache_hits == 0, "every turn was still synthesized"


async def test_a_job_that_outlasts_the_hold_publishes_every_turn_in_order_before_its_end():
    """Three turns, two at a time, 0.15 s each: two turns end inside a 0.2 s hold, the third
    after it. All three events are stored, in order, before JobCompleted."""
    created = _created()
    bus = MemoryBus(created)
    await _run(bus, created, SlowEngines(0.15), MemoryStore(), policy=_held(0.2))
    kinds = [type(e) for e in bus.history[1:]]
    assert kinds == [JobStarted, JobProgressed, JobProgressed, JobProgressed, JobCompleted]
    assert [e.data.done for e in bus.history[2:5]] == [1, 2, 3]


async def test_limits_are_checked_again_in_synthesis():
    created = _created()
    tight = SynthesisPolicy(worker="w", bucket="b", pause_ms=0, limits=RequestLimits(max_turns=1))
    with pytest.raises(PermanentFailure, match="at most 1"):
        await _run(MemoryBus(created), created, FakeEngines(), MemoryStore(), policy=tight)


async def test_pitch_on_a_voice_without_pitch_is_refused():
    body = dialogue("piper")
    body["voice_assignments"]["Bob"]["pitch"] = 1.3
    created = job_created(MultiRoleRequest.model_validate(body), user_id="u1")
    with pytest.raises(PermanentFailure, match="pitch"):
        await _run(MemoryBus(created), created, FakeEngines(), MemoryStore())


class FakeSlots:
    def __init__(self, free: int) -> None:
        self.free = free
        self.held: dict[str, str] = {}

    async def acquire(self, user_id, job_id, *, first_delivery=False):
        if self.free <= 0:
            return None
        self.free -= 1
        self.held[f"{user_id}.x"] = job_id
        return f"{user_id}.x"

    async def refresh(self, key, job_id):
        pass

    async def release(self, key, job_id):
        self.held.pop(key)
        self.free += 1


async def test_a_user_at_their_limit_is_deferred_before_anything_happens():
    from ttsjobs.messaging.consumer import RetryLater

    created = _created()
    bus = MemoryBus(created)
    deps = _deps(bus, FakeEngines(), MemoryStore())
    deps.slots = FakeSlots(free=0)
    with pytest.raises(RetryLater) as raised:
        await handle_job_created(created, attempt=1, deps=deps)
    assert raised.value.hold, "held by a fair runner, not redelivered"
    assert len(bus.history) == 1, "not started, nothing published"


async def test_the_users_slot_is_held_for_the_job_and_given_back():
    created = _created()
    bus = MemoryBus(created)
    deps = _deps(bus, FakeEngines(), MemoryStore())
    deps.slots = slots = FakeSlots(free=1)
    await handle_job_created(created, attempt=1, deps=deps)
    assert type(bus.history[-1]) is JobCompleted
    assert slots.free == 1 and not slots.held


def test_an_audio_key_is_shaped_by_the_server_only():
    created = datetime(2026, 12, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 2 Dec, UTC
    user = "9dedcc07-6767-5e0c-ab02-37fc9711b6c6"
    digest = hashlib.sha256(b"RIFF").hexdigest()
    assert (
        audio_object_key(user, created, b"RIFF", "wav") == f"audio/2026-12-02/{user}/{digest}.wav"
    )
    # A user id that is not a UUID (events can come from any publisher) never shapes the key.
    key = audio_object_key("../../segments/x", created, b"RIFF", "wav")
    assert key.count("/") == 3 and ".." not in key and "segments" not in key
