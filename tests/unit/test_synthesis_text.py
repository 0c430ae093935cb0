"""What synthesis hands an engine: the turn's text in NFC, with time in proportion to it."""

from __future__ import annotations

import unicodedata

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from tests.unit.test_engines_port import InProcessEngine
from tests.unit.test_synthesis_handler import FakeEngines, MemoryStore, _run
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.publishers import job_created
from ttsjobs_synthesis.engines import TIMEOUT_PER_SPOKEN_CHAR_S, ProviderEngines, timeout_for

COMPOSED = "Café résumé, naïve façade."
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def _created(text: str):
    body = dialogue("piper")
    body["turns"] = [{"speaker": "Alice", "text": text}]
    body["voice_assignments"] = {"Alice": {"voice": "en_US-joe-medium"}}
    return job_created(MultiRoleRequest.model_validate(body), user_id="u1")


async def test_the_engine_gets_nfc_and_the_stored_input_keeps_what_was_sent():
    assert DECOMPOSED != COMPOSED
    engines, store = FakeEngines(), MemoryStore()
    created = _created(DECOMPOSED)
    bus = MemoryBus(created)
    await _run(bus, created, engines, store)
    assert engines.said == [COMPOSED]
    assert created.data.request.turns[0].text == DECOMPOSED


async def test_nfd_and_nfc_of_one_text_share_a_segment():
    engines, store = FakeEngines(), MemoryStore()
    first = _created(DECOMPOSED)
    await _run(MemoryBus(first), first, engines, store)
    second = _created(COMPOSED)
    bus = MemoryBus(second)
    await _run(bus, second, engines, store)
    assert engines.said == [COMPOSED], "the composed text was found in the segment cache"
    assert bus.history[-1].data.result.cache_hits == 1


def test_a_turn_is_given_time_in_proportion_to_its_spoken_length():
    base = timeout_for("", base_s=120, per_char_s=0.15)
    assert base == 120
    latin = timeout_for("a" * 300, base_s=120, per_char_s=0.15)
    han = timeout_for("字" * 300, base_s=120, per_char_s=0.15)
    assert latin == 120 + 45
    assert han == 120 + 180  # a Han character counts as four


async def test_each_turn_is_given_its_own_timeout_and_nfc_text():
    engine = InProcessEngine(concurrency=1)
    engines = ProviderEngines({"tone": engine}, turn_timeout_s=10)
    for text in (DECOMPOSED, "字" * 500):
        await engines.synthesize("tone", text, "mid", speed=1.0, pitch=1.0)
    assert engine.said == [COMPOSED, "字" * 500]
    assert engine.timeouts == [
        10 + len(DECOMPOSED) * TIMEOUT_PER_SPOKEN_CHAR_S,
        10 + 2_000 * TIMEOUT_PER_SPOKEN_CHAR_S,
    ]
