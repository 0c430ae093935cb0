"""A speech request as the single_tts job it runs: the model names the engine, the voice is a
catalogue voice, an OpenAI name (the configured default), a saved voice or a wish, and the
speed is clamped to what that voice takes."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.job_request import OutputFormat
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.openai_compat.request import SpeechRequest
from ttsjobs_gateway.openai_compat.voices import speech_job


def _voice(id: str, language: str, gender: str, speeds: tuple[float, float]) -> VoiceInfo:
    return VoiceInfo(id=id, name=id, language=language, gender=gender, sample_rate=24_000,
                     speed_range=speeds)  # fmt: skip


PROVIDERS = {
    "kokoro": ProviderCatalogue(
        provider="kokoro", description="", blends=True,
        voices=[_voice("af_alloy", "en-US", "female", (0.5, 2.0)),
                _voice("zf_xiaoxiao", "zh-CN", "female", (0.5, 2.0))],
    ),
    "espeak": ProviderCatalogue(
        provider="espeak", description="",
        voices=[_voice("en-us", "en-US", "male", (0.46, 4.0)),
                _voice("cmn", "zh-CN", "male", (0.46, 4.0))],
    ),
}  # fmt: skip
OPENAI_VOICES = {"alloy": "af_alloy", "nova": "zh-TW:female"}


class FakeSaved:
    def __init__(self, **formulas: str) -> None:
        self.formulas = formulas

    async def get(self, user_id: str, name: str):
        from ttsjobs_gateway.saved_voices import SavedVoice

        formula = self.formulas.get(name)
        return None if formula is None else SavedVoice(name, "kokoro", formula, "")


async def _job(saved: FakeSaved | None = None, **asked):
    request = SpeechRequest.model_validate(
        {"model": "tts-1", "input": "Hello.", "voice": "alloy", **asked}
    )
    return await speech_job(request, user_id="u", saved=saved, providers=PROVIDERS,  # type: ignore[arg-type]
                            openai_voices=OPENAI_VOICES)  # fmt: skip


async def test_an_openai_name_is_its_configured_voice_and_its_speed_is_clamped():
    speech = await _job(voice="alloy", speed=0.25)
    assert speech.single.voice == "af_alloy" and speech.single.provider is None
    assert speech.single.speed == 0.5 and speech.clamped and speech.speed_asked == 0.25
    assert not (await _job(voice="alloy", speed=1.5)).clamped


async def test_an_openai_name_may_stand_for_a_wish():
    speech = await _job(voice="nova", speed=3.0)
    assert speech.single.voice is None and speech.single.language == "zh-TW"
    assert speech.single.gender == "female" and speech.single.speed == 2.0


async def test_a_catalogue_voice_keeps_its_own_range():
    speech = await _job(model="espeak", voice="en-us", speed=4.0)
    assert speech.single.provider == "espeak" and speech.single.speed == 4.0
    assert not speech.clamped


async def test_a_saved_voice_is_its_formula_and_beats_an_openai_name():
    saved = FakeSaved(alloy="zf_xiaoxiao(2)+af_alloy(1)", mine="zf_xiaoxiao")
    assert (await _job(saved, voice="mine")).single.voice == "zf_xiaoxiao"
    assert (await _job(saved, voice="alloy")).single.voice == "zf_xiaoxiao(2)+af_alloy(1)"


async def test_a_wish_casts_and_is_clamped_to_every_voice_it_may_get():
    speech = await _job(voice="zh-TW:female", speed=3.0)
    assert speech.single.voice is None and speech.single.language == "zh-TW"
    assert speech.single.gender == "female" and speech.single.speed == 2.0
    espeak = await _job(model="espeak", voice="zh", speed=3.0)
    assert espeak.single.language == "zh" and espeak.single.speed == 3.0


async def test_formats_map_to_job_formats():
    assert (await _job(response_format="aac")).single.output_format is OutputFormat.m4a
    pcm = (await _job(response_format="pcm")).single
    assert pcm.output_format is OutputFormat.wav and pcm.sample_rate == 24_000
    assert (await _job(response_format="opus")).single.output_format is OutputFormat.opus


async def test_an_unknown_model_names_the_param():
    with pytest.raises(InvalidRequest) as refused:
        await _job(model="tts-9")
    assert refused.value.problems[0].field == "model"
    assert "kokoro" in refused.value.problems[0].reason


async def test_an_unknown_voice_goes_on_to_casting_as_it_is():
    assert (await _job(voice="nobody")).single.voice == "nobody"
