"""Voice previews without servers: the line each voice says, the shared cache's key, and how
synthesis makes a preview once and stores it (fake engines, a bucket in memory)."""

from __future__ import annotations

import asyncio
import io

import pytest
import soundfile as sf

from tests.unit.test_synthesis_handler import FakeEngines, MemoryStore
from ttsjobs.contracts.job_request import Reading
from ttsjobs.contracts.readings import writes_simplified, writes_traditional
from ttsjobs.contracts.voice_previews import (
    COUNTING,
    LINES,
    MANDARIN_LINES,
    VoicePreviewAsked,
    VoicePreviewFailed,
    VoicePreviewStored,
    preview_speed,
    sample_line,
)
from ttsjobs.contracts.writing import script_problem
from ttsjobs_synthesis.entrypoints.voice_preview_requests import (
    PreviewRejected,
    VoicePreviewAnswers,
    make_preview,
)


def test_mandarin_says_traditional_for_taiwan_and_simplified_for_the_mainland():
    taiwan, mainland = sample_line("zh-CN", Reading.taiwan), sample_line("zh-CN", Reading.mainland)
    assert writes_traditional(taiwan) and not writes_simplified(taiwan)
    assert writes_simplified(mainland) and not writes_traditional(mainland)
    assert sample_line("cmn", Reading.taiwan) == taiwan


def test_each_language_says_a_line_its_voices_can_read_and_others_count():
    assert sample_line("en-GB", None) == LINES["en"]
    assert sample_line("pt-BR", None) == LINES["pt"]
    assert sample_line("sw", None) == COUNTING
    for language, line in [*LINES.items(), *(("zh", t) for t in MANDARIN_LINES.values())]:
        for provider in (None, "espeak", "kokoro"):  # espeak-ng's Japanese reads no kanji
            assert script_problem(line, language, provider=provider) is None, language
    assert script_problem(COUNTING, "ar") is None


def _asked(**changes) -> VoicePreviewAsked:
    fields = dict(provider="piper", voice="en_US-joe-medium", speed=1.0, reading=None,
                  text=LINES["en"])  # fmt: skip
    return VoicePreviewAsked(**{**fields, **changes})


def test_the_key_names_no_user_and_changes_with_everything_that_shapes_the_audio():
    key = _asked().key
    assert key.startswith("previews/") and key.endswith(".wav")
    assert _asked().key == key
    for change in (dict(provider="espeak"), dict(voice="x"), dict(speed=1.25),
                   dict(reading=Reading.taiwan), dict(text=COUNTING)):  # fmt: skip
        assert _asked(**change).key != key, change


def test_speeds_a_listener_cannot_tell_apart_share_a_preview():
    assert preview_speed(1.03) == preview_speed(1.05) == 1.05
    assert preview_speed(0.5) == 0.5 and preview_speed(1.974) == 1.95
    assert _asked(speed=preview_speed(1.01)).key == _asked(speed=1.0).key


class RecordingEngines(FakeEngines):
    """Fake engines that say which reading each line was spoken with, and may hold a turn."""

    def __init__(self, *, hold: asyncio.Event | None = None) -> None:
        super().__init__()
        self.hold = hold
        self.readings: list[str | None] = []

    async def synthesize(self, provider, text, voice, *, speed, pitch, pronunciation=None):
        if self.hold is not None:
            await self.hold.wait()
        self.readings.append(pronunciation.reading if pronunciation else None)
        return await super().synthesize(provider, text, voice, speed=speed, pitch=pitch)


async def test_a_preview_is_spoken_once_stored_as_wav_of_the_voices_rate_and_found_again():
    engines, store = RecordingEngines(), MemoryStore()
    asked = _asked(reading=Reading.taiwan)
    key = await make_preview(asked, engines=engines, store=store)
    assert key == asked.key
    data, content_type, _ = store.objects[key]
    samples, rate = sf.read(io.BytesIO(data), dtype="int16")
    assert (content_type, rate, len(samples)) == ("audio/wav", 1000, len(asked.text) * 10)
    assert engines.readings == ["taiwan"], "the reading standard goes to the engine"
    assert await make_preview(asked, engines=engines, store=store) == key
    assert engines.said == [asked.text], "a stored preview is never spoken again"


async def test_a_voice_this_worker_lacks_or_an_engine_refuses_is_the_voices_problem():
    with pytest.raises(PreviewRejected) as lacking:
        await make_preview(_asked(voice="nobody"), engines=FakeEngines(), store=MemoryStore())
    assert lacking.value.field == "voice"
    refusing = FakeEngines(reject=LINES["en"])
    with pytest.raises(PreviewRejected):
        await make_preview(_asked(), engines=refusing, store=MemoryStore())


async def test_two_asks_at_once_share_one_synthesis():
    hold = asyncio.Event()
    engines, store = RecordingEngines(hold=hold), MemoryStore()
    answers = VoicePreviewAnswers(engines, store)
    data = _asked().model_dump_json().encode()
    both = asyncio.gather(answers.answer_of(data), answers.answer_of(data))
    await asyncio.sleep(0)  # both asks are in before the engine speaks
    hold.set()
    first, second = await both
    assert first == second
    assert VoicePreviewStored.model_validate_json(first).key == _asked().key
    assert len(engines.said) == 1


class CountingEngines(FakeEngines):
    """Fake engines that note the most previews they were speaking at once."""

    def __init__(self) -> None:
        super().__init__()
        self.speaking = self.most = 0

    async def synthesize(self, provider, text, voice, *, speed, pitch, pronunciation=None):
        self.speaking += 1
        self.most = max(self.most, self.speaking)
        await asyncio.sleep(0)  # another ask may come in while this one speaks
        self.speaking -= 1
        return await super().synthesize(provider, text, voice, speed=speed, pitch=pitch)


async def test_previews_take_one_engine_process_at_a_time_however_many_are_asked():
    engines = CountingEngines()
    answers = VoicePreviewAnswers(engines, MemoryStore())
    asks = [_asked(speed=s).model_dump_json().encode() for s in (0.5, 1.0, 1.5, 2.0)]
    answered = await asyncio.gather(*(answers.answer_of(ask) for ask in asks))
    assert len({VoicePreviewStored.model_validate_json(a).key for a in answered}) == 4
    assert (len(engines.said), engines.most) == (4, 1)


async def test_a_malformed_ask_is_answered_with_a_problem():
    answers = VoicePreviewAnswers(FakeEngines(), MemoryStore())
    failed = VoicePreviewFailed.model_validate_json(await answers.answer_of(b'{"voice": 1}'))
    assert "not a voice preview request" in failed.problem and failed.field is None
