"""Casting: every speaker gets a voice, distinct and repeatable, and what the voices cannot do
is named by field."""

from __future__ import annotations

from ttsjobs.contracts.casting import cast
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo


def _voice(voice_id: str, language: str, gender: str, **extra) -> VoiceInfo:
    return VoiceInfo(
        id=voice_id, name=voice_id, language=language, gender=gender, sample_rate=24000, **extra
    )


KOKORO = ProviderCatalogue(
    provider="kokoro",
    description="",
    voices=[
        _voice("af_heart", "en-US", "female", speed_range=(0.5, 2.0)),
        _voice("am_michael", "en-US", "male", speed_range=(0.5, 2.0)),
        _voice("af_bella", "en-US", "female", speed_range=(0.5, 2.0)),
        _voice("bf_emma", "en-GB", "female", speed_range=(0.5, 2.0)),
        _voice("zf_xiaoxiao", "zh-CN", "female", speed_range=(0.5, 2.0)),
        _voice("zm_yunxi", "zh-CN", "male", speed_range=(0.5, 2.0)),
    ],
)
PIPER = ProviderCatalogue(
    provider="piper",
    description="",
    voices=[_voice("en_US-joe-medium", "en-US", "male")],
)
PROVIDERS = {"piper": PIPER, "kokoro": KOKORO}


def _cast(body):
    request, problems, _ = cast(MultiRoleRequest.model_validate(body), PROVIDERS)
    return request, {p.field: p.reason for p in problems}


def _voices(request):
    return {speaker: a.voice for speaker, a in request.voice_assignments.items()}


def _turns(*pairs):
    return [{"speaker": s, "text": t} for s, t in pairs]


def test_speakers_left_out_get_distinct_voices_of_both_genders_the_same_every_time():
    body = {"turns": _turns(("Alice", "Hi, Bob."), ("Bob", "Hi."), ("Cleo", "And me."))}
    request, problems = _cast(body)
    assert problems == {}
    assert request.provider == "kokoro", "the best installed provider"
    assert _voices(request) == {"Alice": "af_heart", "Bob": "am_michael", "Cleo": "af_bella"}
    assert _cast(body)[0] == request


def test_a_wish_is_cast_and_the_cast_request_names_only_voices():
    body = {
        "turns": _turns(("媽媽", "早安，我們走吧。"), ("爸爸", "好的。")),
        "voice_assignments": {"媽媽": {"language": "zh-TW", "gender": "female", "speed": 1.2}},
    }
    request, problems = _cast(body)
    assert problems == {}
    assert _voices(request) == {"媽媽": "zf_xiaoxiao", "爸爸": "zm_yunxi"}
    mom = request.voice_assignments["媽媽"]
    assert (mom.language, mom.gender, mom.speed) == (None, None, 1.2)


def test_named_voices_are_kept_and_not_cast_again_for_others():
    body = {
        "turns": _turns(("A", "One."), ("B", "Two.")),
        "voice_assignments": {"A": {"voice": "af_heart"}},
    }
    request, _ = _cast(body)
    assert _voices(request) == {"A": "af_heart", "B": "am_michael"}


def test_without_a_provider_the_best_one_that_knows_the_named_voices_is_used():
    body = {
        "turns": _turns(("A", "One.")),
        "voice_assignments": {"A": {"voice": "en_US-joe-medium"}},
    }
    request, problems = _cast(body)
    assert problems == {} and request.provider == "piper"


def test_more_speakers_than_voices_share_the_least_used():
    body = {
        "provider": "piper",
        "turns": _turns(("A", "One."), ("B", "Two.")),
    }
    request, problems = _cast(body)
    assert problems == {} and set(_voices(request).values()) == {"en_US-joe-medium"}


def test_a_wish_no_voice_meets_names_the_speaker():
    body = {"turns": _turns(("A", "Hola.")), "voice_assignments": {"A": {"language": "ja"}}}
    _, problems = _cast(body)
    assert "no kokoro voice is ja" in problems["voice_assignments.A"]


def test_text_the_voice_cannot_read_is_refused_naming_the_turn_and_language():
    body = {
        "turns": _turns(("A", "Good morning."), ("A", "早安")),
        "voice_assignments": {"A": {"voice": "af_heart"}},
    }
    _, problems = _cast(body)
    assert list(problems) == ["turns[1].text"]
    assert "Han" in problems["turns[1].text"] and "en-US" in problems["turns[1].text"]


def test_a_speed_the_voice_cannot_reach_names_the_field():
    body = {
        "turns": _turns(("A", "Hi.")),
        "voice_assignments": {"A": {"voice": "af_heart", "speed": 3}},
    }
    _, problems = _cast(body)
    assert "0.5-2.0" in problems["voice_assignments.A.speed"]


def test_an_unknown_provider_or_voice_names_the_field():
    _, problems = _cast({"provider": "nope", "turns": _turns(("A", "Hi."))})
    assert "valid: kokoro, piper" in problems["provider"]
    body = {
        "provider": "kokoro",
        "turns": _turns(("A", "Hi.")),
        "voice_assignments": {"A": {"voice": "x"}},
    }
    _, problems = _cast(body)
    assert "unknown kokoro voice 'x'" in problems["voice_assignments.A.voice"]
