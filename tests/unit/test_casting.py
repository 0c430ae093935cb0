"""Casting: every speaker gets a voice, distinct and repeatable, and what the voices cannot do
is named by field."""

from __future__ import annotations

import pytest

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


# Scripts: casting picks a voice that reads a speaker's lines; what none reads is named.

HINDI = _voice("hf_alpha", "hi-IN", "female", speed_range=(0.5, 2.0))
FRENCH = _voice("ff_siwis", "fr-FR", "female", speed_range=(0.5, 2.0))
WIDE_KOKORO = KOKORO.model_copy(update={"voices": [*KOKORO.voices, HINDI, FRENCH]})
ESPEAK = ProviderCatalogue(
    provider="espeak",
    description="",
    voices=[
        _voice("en-us", "en-US", "male"),
        _voice("ja", "ja", "female"),
        _voice("cmn", "cmn", "male"),
        _voice("ar", "ar", "male"),
        _voice("he", "he", "male"),
    ],
)


def _cast_with(providers, body):
    request, problems, warnings = cast(MultiRoleRequest.model_validate(body), providers)
    return request, {p.field: p.reason for p in problems}, warnings


def test_hindi_lines_without_a_wish_get_a_hindi_voice():
    body = {"turns": _turns(("A", "Hello."), ("B", "नमस्ते, आप कैसे हैं?"))}
    request, problems, _ = _cast_with({"kokoro": WIDE_KOKORO}, body)
    assert problems == {}
    assert _voices(request) == {"A": "af_heart", "B": "hf_alpha"}


def test_han_lines_prefer_a_mandarin_voice_to_others_that_read_han():
    body = {"provider": "espeak", "turns": _turns(("A", "早安。"))}
    request, problems, _ = _cast_with({"espeak": ESPEAK}, body)
    assert problems == {} and _voices(request) == {"A": "cmn"}


def test_a_script_the_provider_cannot_read_moves_on_to_one_that_can():
    body = {"turns": _turns(("A", "Good morning."), ("B", "صباح الخير"))}
    request, problems, _ = _cast_with({"kokoro": KOKORO, "espeak": ESPEAK}, body)
    assert problems == {}
    assert request.provider == "espeak" and _voices(request)["B"] == "ar"


@pytest.mark.parametrize(("text", "script"), [("صباح الخير", "Arabic"), ("בוקר טוב", "Hebrew")])
def test_a_script_no_voice_of_the_provider_reads_names_the_turn_and_the_script(text, script):
    body = {"provider": "kokoro", "turns": _turns(("A", "Hi."), ("B", "Hi."), ("B", text))}
    _, problems, _ = _cast_with({"kokoro": KOKORO}, body)
    assert list(problems) == ["turns[2].text"]
    assert script in problems["turns[2].text"]


@pytest.mark.parametrize("voice", ["af_heart", "am_michael", "zf_xiaoxiao"])
@pytest.mark.parametrize("text", ["مرحبا بالعالم", "שלום עולם"])
def test_arabic_and_hebrew_for_a_named_voice_are_refused(voice, text):
    body = {"turns": _turns(("A", text)), "voice_assignments": {"A": {"voice": voice}}}
    _, problems = _cast(body)
    assert list(problems) == ["turns[0].text"]


def test_espeak_japanese_is_not_given_kanji():
    body = {
        "provider": "espeak",
        "turns": _turns(("A", "日本語です。")),
        "voice_assignments": {"A": {"voice": "ja"}},
    }
    _, problems, _ = _cast_with({"espeak": ESPEAK}, body)
    assert "Han" in problems["turns[0].text"]


# Casting says when it repeats.


def test_ten_speakers_wishing_for_french_share_one_voice_with_a_warning():
    names = [f"S{i}" for i in range(10)]
    body = {
        "provider": "kokoro",
        "turns": _turns(*((name, "Bonjour.") for name in names)),
        "voice_assignments": {name: {"language": "fr"} for name in names},
    }
    request, problems, warnings = _cast_with({"kokoro": WIDE_KOKORO}, body)
    assert problems == {} and set(_voices(request).values()) == {"ff_siwis"}
    assert len(warnings) == 1
    assert "ff_siwis" in warnings[0] and "10 speakers" in warnings[0] and "S0" in warnings[0]


def test_distinct_voices_or_a_voice_named_twice_warn_of_nothing():
    body = {"turns": _turns(("A", "One."), ("B", "Two."), ("C", "Three."))}
    assert _cast_with(PROVIDERS, body)[2] == []
    named = {
        "turns": _turns(("A", "One."), ("B", "Two.")),
        "voice_assignments": {"A": {"voice": "af_heart"}, "B": {"voice": "af_heart"}},
    }
    assert _cast_with(PROVIDERS, named)[2] == []


def test_a_cast_speaker_given_a_named_voice_is_warned_of():
    body = {
        "provider": "piper",
        "turns": _turns(("A", "One."), ("B", "Two.")),
        "voice_assignments": {"A": {"voice": "en_US-joe-medium"}},
    }
    _, _, warnings = _cast_with(PROVIDERS, body)
    assert len(warnings) == 1 and "en_US-joe-medium" in warnings[0]


# Linear: each turn is read a bounded number of times, however many speakers there are.


class _CountingTurns(list):
    reads = 0

    def __iter__(self):
        for turn in super().__iter__():
            _CountingTurns.reads += 1
            yield turn

    def __getitem__(self, index):
        _CountingTurns.reads += 1
        return super().__getitem__(index)


def test_casting_reads_each_turn_a_few_times_not_once_per_speaker():
    speakers = 400
    request = MultiRoleRequest.model_validate(
        {"provider": "kokoro", "turns": _turns(*((f"S{i}", "Hi.") for i in range(speakers)))}
    )
    request.turns = _CountingTurns(request.turns)
    _CountingTurns.reads = 0
    cast(request, PROVIDERS)
    assert _CountingTurns.reads <= 10 * speakers  # speakers × turns would be 160,000


def test_a_recorded_turn_with_nothing_to_say_is_a_voice_problem_on_every_provider():
    # What synthesis checks on an event from elsewhere on the bus: the door never lets one in.
    from ttsjobs.contracts.casting import voice_problems
    from ttsjobs.contracts.strings import RECORDED

    for provider, voice in (("kokoro", "af_heart"), ("piper", "en_US-joe-medium")):
        body = {
            "provider": provider,
            "turns": _turns(("A", "Hi."), ("A", "。。。！？")),
            "voice_assignments": {"A": {"voice": voice}},
        }
        request = MultiRoleRequest.model_validate(body, context=RECORDED)
        problems = voice_problems(request, PROVIDERS[provider])
        assert [(p.field, p.reason) for p in problems] == [("turns[1].text", "has nothing to say")]
