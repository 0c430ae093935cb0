"""The segment cache is scoped to its owner: the key (defined once, in segments.py) names the
user, and another user's identical sentence is neither a hit nor an object shared."""

from __future__ import annotations

import uuid

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from tests.unit.test_synthesis_handler import FakeEngines, MemoryStore, _run
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.storage import user_folder
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.segment_memory import SegmentMemory
from ttsjobs_synthesis.segments import SegmentIdentity, segment_key

ALICE, BOB = str(uuid.uuid4()), str(uuid.uuid4())


def _identity(owner: str, **changes) -> SegmentIdentity:
    fields = dict(provider="piper", voice="en_US-joe-medium", speed=1.0, pitch=1.0,
                  sample_rate=22050, text="Good morning, Bob.")  # fmt: skip
    return SegmentIdentity(owner=owner, **{**fields, **changes})


def test_the_same_sentence_of_two_owners_has_two_keys_each_in_its_owners_folder():
    alices, bobs = _identity(ALICE).key, _identity(BOB).key
    assert alices != bobs
    assert alices.startswith(f"segments/{ALICE}/") and bobs.startswith(f"segments/{BOB}/")
    assert _identity(ALICE).key == alices, "the owner's repeat finds the same segment"


def test_every_field_of_the_identity_changes_the_key():
    base = _identity(ALICE).key
    changes = [dict(provider="espeak"), dict(voice="other"), dict(speed=1.25), dict(pitch=0.9),
               dict(sample_rate=16000), dict(text="Good morning, Bob!")]  # fmt: skip
    for change in changes:
        assert _identity(ALICE, **change).key != base, change
    assert _identity(ALICE, speed=1.00001).key == base, "a difference nobody can hear"


def test_an_owner_id_that_is_not_a_uuid_never_shapes_the_path():
    key = _identity("../../audio").key
    assert key.startswith(f"segments/{user_folder('../../audio')}/") and ".." not in key


def test_segment_key_is_the_identitys_key():
    key = segment_key(owner=BOB, provider="piper", voice="en_US-joe-medium", speed=1.0,
                      pitch=1.0, text="Good morning, Bob.", sample_rate=22050)  # fmt: skip
    assert key == _identity(BOB).key


def _job(user_id: str):
    return job_created(MultiRoleRequest.model_validate(dialogue("piper")), user_id=user_id)


async def test_another_users_identical_dialogue_is_synthesized_again_and_stored_apart():
    """Bucket and in-process memory shared, as on one worker: bob's job hits neither."""
    engines, store, memory = FakeEngines(), MemoryStore(), SegmentMemory(2**20)
    segments = {}
    results = {}
    for name, job in (("alice", _job(ALICE)), ("bob", _job(BOB)), ("alice again", _job(ALICE))):
        before = set(store.objects)
        bus = MemoryBus(job)
        await _run(bus, job, engines, store, memory=memory)
        results[name] = bus.history[-1].data.result
        segments[name] = {k for k in set(store.objects) - before if k.startswith("segments/")}
    assert results["alice"].cache_hits == 0 and len(segments["alice"]) == 3
    assert results["bob"].cache_hits == 0, "bob's identical sentences are not alice's hits"
    assert len(segments["bob"]) == 3 and not segments["bob"] & segments["alice"]
    assert all(k.startswith(f"segments/{BOB}/") for k in segments["bob"])
    assert results["alice again"].cache_hits == 3, "the owner's own repeat is a hit"
    assert len(engines.said) == 6, "alice's three turns, then bob's three again"
