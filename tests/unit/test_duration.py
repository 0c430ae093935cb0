"""The audio length a request is estimated at, before anything is synthesised: from its text by
writing system, its speakers' speeds and its pauses; and the problem past the limit."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.duration import (
    duration_problems,
    estimated_audio_ms,
    length_in_words,
    speaking_ms,
)
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.contracts.single import SingleRequest, expand, single_problems
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo


def _dialogue(*turns: dict, **fields) -> MultiRoleRequest:
    return MultiRoleRequest.model_validate({"turns": list(turns), **fields})


def test_han_is_read_far_slower_than_latin_letters():
    assert speaking_ms("早" * 400) == pytest.approx(100_000)  # 4 a second
    assert speaking_ms("a" * 1400) == pytest.approx(100_000)  # 14 a second
    assert speaking_ms("한" * 500) == pytest.approx(100_000)
    assert speaking_ms("か" * 700) == pytest.approx(100_000)
    assert speaking_ms("早安, Bob") == pytest.approx(2 / 4 * 1000 + 5 / 14 * 1000)


def test_a_slower_speed_is_longer_in_proportion():
    assert speaking_ms("a" * 1400, speed=0.25) == pytest.approx(400_000)
    assert speaking_ms("a" * 1400, speed=2.0) == pytest.approx(50_000)


def test_pauses_come_between_turns_and_not_after_the_last():
    a, b = {"speaker": "A", "text": "a" * 14}, {"speaker": "B", "text": "b" * 14}
    assert estimated_audio_ms(_dialogue(a)) == 1000
    assert estimated_audio_ms(_dialogue(a, b)) == 2300  # the default 300 ms
    assert estimated_audio_ms(_dialogue(a, b, pause_ms=0)) == 2000
    assert estimated_audio_ms(_dialogue({**a, "pause_after_ms": 5000}, b, pause_ms=0)) == 7000
    assert estimated_audio_ms(_dialogue(a, {**b, "pause_after_ms": 5000})) == 2300


def test_each_speaker_reads_at_their_own_speed():
    request = _dialogue(
        {"speaker": "A", "text": "a" * 14},
        {"speaker": "B", "text": "b" * 14},
        pause_ms=0,
        voice_assignments={"A": {"speed": 0.5}, "B": {"voice": "x", "speed": 2.0}},
    )
    assert estimated_audio_ms(request) == 2000 + 500


def _kokoro_like() -> ProviderCatalogue:
    voice = VoiceInfo(id="v", name="V", language="en-US", sample_rate=24000, speed_range=(0.5, 2))
    return ProviderCatalogue(provider="p", description="", voices=[voice])


def test_a_turns_own_speed_is_what_it_is_said_at_within_its_voices_range():
    # SSML's <prosody rate="x-slow"> sets a turn's own speed; synthesis says the turn at it,
    # kept within the voice's range (turn_delivery.py), so the estimate must too.
    assigned = {"A": {"voice": "v", "speed": 2.0}}
    own = {"speaker": "A", "text": "a" * 14, "speed": 0.25}
    request = _dialogue(own, provider="p", voice_assignments=assigned)
    assert estimated_audio_ms(request) == 4000  # the speed asked, no catalogue to bound it
    assert estimated_audio_ms(request, catalogue=_kokoro_like()) == 2000  # at most 0.5 slower
    plain = _dialogue({"speaker": "A", "text": "a" * 14}, voice_assignments=assigned)
    assert estimated_audio_ms(plain, catalogue=_kokoro_like()) == 500  # the role's 2.0


def test_a_slow_turn_is_past_the_limit_though_its_role_is_brisk():
    assigned = {"A": {"voice": "v", "speed": 2.0}}
    turn = {"speaker": "A", "text": "a" * 14 * 40}  # 40 s at speed 1
    limits = RequestLimits(max_audio_seconds=60)
    brisk = _dialogue(turn, provider="p", voice_assignments=assigned)
    assert duration_problems(brisk, limits, _kokoro_like()) == []
    slow = _dialogue({**turn, "speed": 0.5}, provider="p", voice_assignments=assigned)
    (problem,) = duration_problems(slow, limits, _kokoro_like())
    assert (problem.field, problem.reason[:29]) == ("turns", "about 1.3 minutes of audio; a")


def test_a_hundred_thousand_han_characters_are_past_three_hours():
    request = _dialogue({"speaker": "narrator", "text": "中" * 2_000}, pause_ms=0)
    assert estimated_audio_ms(request) == 500_000
    text = SingleRequest(text="中" * 100_000, voice="cmn")
    (problem,) = single_problems(text, RequestLimits())  # before the text is split
    assert problem.field == "text"
    assert problem.reason.startswith("about 6.9 hours of audio; at most 3 hours")
    assert "TTSJOBS_LIMITS__MAX_AUDIO_SECONDS" in problem.reason


def test_slow_speech_and_long_pauses_are_past_the_limit_too():
    text = "Hi. " * 2_000
    slow = SingleRequest(text=text, voice="v", speed=0.25, pause_ms=10_000)
    assert duration_problems(expand(slow, RequestLimits()), RequestLimits())
    brisk = SingleRequest(text=text, voice="v")
    assert duration_problems(expand(brisk, RequestLimits()), RequestLimits()) == []


def test_the_limit_is_a_setting():
    request = _dialogue({"speaker": "A", "text": "a" * 14 * 61})
    assert duration_problems(request, RequestLimits(max_audio_seconds=61)) == []
    (problem,) = duration_problems(request, RequestLimits(max_audio_seconds=60))
    assert problem.reason.startswith("about 1 minute of audio; at most 1 minute")


def test_lengths_are_spoken_in_the_largest_unit():
    assert [length_in_words(s) for s in (10_800, 22_320, 5_400, 90, 1, 0.5)] == [
        "3 hours", "6.2 hours", "1.5 hours", "1.5 minutes", "1 second", "0.5 seconds",
    ]  # fmt: skip
