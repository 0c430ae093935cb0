"""Casting and a turn's own delivery: what a turn asks of its voice that the voice cannot give
(a speed past its range, a pitch, a language, phonemes it cannot read) is a warning on the job,
one per thing asked, and the turn is spoken as near as the voice can; a turn in another language
is checked against that language's script where the voice can speak it."""

from __future__ import annotations

from ttsjobs.contracts.casting import cast
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs.lexicons.span_phonemes import refused_phoneme_warnings


def _voice(voice_id: str, language: str, settings: list[str]) -> VoiceInfo:
    return VoiceInfo(
        id=voice_id,
        name=voice_id,
        language=language,
        gender="female",
        sample_rate=24000,
        settings=settings,
        speed_range=(0.5, 2.0),
    )


KOKORO = ProviderCatalogue(
    provider="kokoro",
    description="",
    voices=[
        _voice("af_heart", "en-US", ["speed", "volume", "language"]),
        _voice("zf_xiaoxiao", "zh-CN", ["speed", "volume", "language"]),
    ],
)
ESPEAK = ProviderCatalogue(
    provider="espeak",
    description="",
    voices=[_voice("en-us", "en-US", ["speed", "pitch", "volume", "variant", "language"])],
)
PIPER = ProviderCatalogue(
    provider="piper", description="", voices=[_voice("en_US-joe", "en-US", ["speed", "volume"])]
)
PROVIDERS = {"kokoro": KOKORO, "espeak": ESPEAK, "piper": PIPER}


def _cast(provider: str, voice: str, *turns: dict):
    body = {
        "provider": provider,
        "voice_assignments": {"A": {"voice": voice}},
        "turns": [{"speaker": "A", **t} for t in turns],
    }
    casting = cast(MultiRoleRequest.model_validate(body), PROVIDERS)
    # As the gateway casts (cast_request): with the phonemes the voices cannot read.
    refused = refused_phoneme_warnings(casting.request, PROVIDERS[provider])
    return {p.field: p.reason for p in casting.problems}, casting.warnings + refused


def test_a_pitch_where_the_voice_has_none_is_a_warning_naming_the_turns():
    problems, warnings = _cast(
        "kokoro",
        "af_heart",
        {"text": "Low.", "pitch": 0.8},
        {"text": "Plain."},
        {"text": "High.", "pitch": 1.2},
    )
    assert problems == {}
    assert warnings == [
        "turns 1, 3 ask for a pitch that kokoro voice af_heart cannot do: spoken at its own pitch"
    ]
    assert _cast("espeak", "en-us", {"text": "Low.", "pitch": 0.8}) == ({}, [])


def test_a_language_the_voice_or_provider_cannot_speak_is_a_warning():
    _, piper = _cast("piper", "en_US-joe", {"text": "Bonjour.", "language": "fr-FR"})
    assert piper == [
        "turn 1 asks for fr-FR, which piper voice en_US-joe cannot speak: spoken in en-US"
    ]
    _, kokoro = _cast("kokoro", "af_heart", {"text": "Hallo.", "language": "de-DE"})
    assert kokoro == ["turn 1 asks for de-DE, which kokoro does not speak: spoken in en-US"]
    assert _cast("kokoro", "af_heart", {"text": "你好。", "language": "zh-TW"}) == ({}, [])


def test_phonemes_the_voice_cannot_read_are_said_as_written():
    def turn(alphabet: str, phoneme: str = "təˈmɑːtəʊ") -> dict:
        spans = [{"char_start": 0, "char_end": 6, "phoneme": phoneme, "alphabet": alphabet}]
        return {"text": "tomato", "spoken_as": spans}

    _, warnings = _cast("piper", "en_US-joe", turn("ipa"))
    assert warnings == [
        "turn 1 asks for phonemes that en_US-joe cannot read (piper takes no phonemes; use an"
        " alias): said as written"
    ]
    assert _cast("kokoro", "af_heart", turn("ipa")) == ({}, [])
    _, warnings = _cast("kokoro", "af_heart", turn("pinyin", "fan1 qie2"), turn("pinyin", "x"))
    assert len(warnings) == 1 and warnings[0].startswith("turns 1, 2 ask for phonemes"), warnings
    assert "pinyin" in warnings[0]


def test_a_turns_speed_past_its_voices_range_is_a_warning_and_is_kept_within():
    problems, warnings = _cast(
        "kokoro", "af_heart", {"text": "Fine."}, {"text": "Fast.", "speed": 3.0}
    )
    assert problems == {}
    assert warnings == [
        "turn 2 asks for a speed past kokoro voice af_heart's 0.5-2.0x: spoken at 2.0x"
    ]


def test_a_turn_in_mandarin_on_an_english_voice_that_switches_is_not_a_script_problem():
    problems, _ = _cast("kokoro", "af_heart", {"text": "你好。"})
    assert "turns[0].text" in problems
    problems, _ = _cast("kokoro", "af_heart", {"text": "你好。", "language": "zh-TW"})
    assert problems == {}
