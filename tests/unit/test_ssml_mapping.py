"""SSML's values and voices as ttsjobs reads them: the documented tables, the clamping into the
contract's ranges (with a warning), vendor voice names as wishes, and what /jobs/tts makes of
one voice (a single_tts job) and of several (a multi-role job that says so)."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.job_request import JobType, RequestLimits
from ttsjobs.contracts.lexicon import Alphabet
from ttsjobs.contracts.single import NARRATOR
from ttsjobs_gateway.ssml import values
from ttsjobs_gateway.ssml.jobs import ssml_job
from ttsjobs_gateway.ssml.voices import Wish, role_of, wish_of


@pytest.mark.parametrize(
    ("value", "current", "expected"),
    [("x-slow", 1.0, 0.5), ("fast", 1.0, 1.55), ("150%", 2.0, 1.5), ("+10%", 2.0, 2.2),
     ("-50%", 1.0, 0.5), ("1.5", 1.0, 1.5), ("default", 3.0, 1.0)],
)  # fmt: skip
def test_rates(value, current, expected):
    assert values.rate(value, current) == (expected, None)


def test_a_rate_past_the_range_is_clamped_with_a_warning_and_nonsense_ignored():
    assert values.rate("10", 1.0)[0] == 4.0 and "kept within" in (values.rate("10", 1.0)[1] or "")
    assert values.rate("-90%", 1.0)[0] == 0.25
    assert values.rate("quick", 1.0) == (None, '<prosody rate="quick"> is not a rate; ignored')


@pytest.mark.parametrize(
    ("value", "expected"),
    [("medium", 1.0), ("x-loud", 1.995), ("-6dB", 0.501), ("+20%", 1.2), ("50", 0.5),
     ("100", 1.0)],
)  # fmt: skip
def test_volumes(value, expected):
    assert values.volume(value, 1.0) == (expected, None)


def test_numbers_past_a_float_are_clamped_not_an_error():
    assert values.volume("+99999dB", 1.0)[0] == 4.0
    assert values.volume("-99999dB", 1.0)[0] == 0.1
    assert values.pitch("+99999st", 1.0)[0] == 2.0
    assert values.rate("9" * 400, 1.0)[0] == 4.0
    assert values.break_ms("9" * 400 + "s", None)[0] == 10_000


def test_silent_is_the_quietest_gain_with_a_warning():
    gain, warning = values.volume("silent", 1.0)
    assert gain == 0.1 and warning is not None and "silent" in warning


def test_pitches_and_hz_which_cannot_be_read():
    assert values.pitch("x-high", 1.0) == (1.2, None)
    assert values.pitch("+12st", 1.0) == (2.0, None)
    assert values.pitch("-5%", 1.0) == (0.95, None)
    assert values.pitch("+50Hz", 1.0)[0] is None


def test_breaks():
    assert values.break_ms("500ms", None) == (500, None)
    assert values.break_ms("1.5s", "weak") == (1500, None)  # time wins
    assert values.break_ms(None, "x-strong") == (1250, None)
    assert values.break_ms(None, None) == (750, None)
    assert values.break_ms("20s", None)[0] == 10_000


def test_alphabets():
    assert values.alphabet("x-sampa", "p@", None) == (Alphabet.x_sampa, None)
    assert values.alphabet(None, "x", None) == (Alphabet.ipa, None)
    assert values.alphabet("sapi", "ㄏㄤˊ", None)[0] is Alphabet.bopomofo
    assert values.alphabet("sapi", "hang 2", "zh-CN")[0] is Alphabet.pinyin
    assert values.alphabet("sapi", "h ae 1 l ow", "en-US")[0] is None
    assert values.alphabet("x-microsoft-ups", "x", None)[0] is None


@pytest.mark.parametrize(
    ("name", "wish"),
    [("zh-TW-HsiaoChenNeural", Wish("zh-TW", "female")),
     ("en-US-JennyNeural", Wish("en-US", "female")),
     ("en-US-AndrewMultilingualNeural", Wish("en-US", "male")), ("Joanna", Wish("en-US", "female")),
     ("en-US-Wavenet-D", Wish("en-US", "male")), ("cmn-TW-Wavenet-B", Wish("zh-TW", "male")),
     ("de-DE-Wavenet-A", Wish("de-DE", None)), ("Robbie", Wish())],
)  # fmt: skip
def test_vendor_voice_names_tell_language_and_gender(name, wish):
    assert wish_of(name) == wish


def test_a_catalogue_id_is_the_voice_and_ssml_attributes_win_over_the_name():
    assert role_of({"name": "af_heart"}, {"af_heart"}, "en-US").assignment == {"voice": "af_heart"}
    role = role_of({"name": "Joanna", "gender": "male", "xml:lang": "en-GB"}, set(), None)
    assert role.assignment == {"language": "en-GB", "gender": "male"}
    assert role_of({"gender": "female"}, set(), "zh-TW").speaker == "female zh-TW"


def _job(body: str, query: dict[str, str] | None = None, *, single: bool = True):
    return ssml_job(body.encode(), query or {}, RequestLimits(), {"af_heart"}, single_route=single)


def test_one_voice_to_jobs_tts_is_a_single_tts_job_of_the_narrator():
    job = _job("<speak><voice name='zh-TW-HsiaoChenNeural'>早安。<break/>你好。</voice></speak>")
    assert job.job_type is JobType.single_tts and job.warnings == []
    assert {t.speaker for t in job.request.turns} == {NARRATOR}
    narrator = job.request.voice_assignments[NARRATOR]
    assert (narrator.language, narrator.gender) == ("zh-TW", "female")
    assert [t.text for t in job.request.turns] == ["早安。", "你好。"]
    english = _job("<speak><s>One.</s><s>Two.</s></speak>")
    assert [t.text for t in english.request.turns] == ["One. ", "Two."], "the text reads on"


def test_several_voices_to_jobs_tts_are_a_multi_role_job_that_says_so():
    job = _job("<speak>Hi.<voice name='af_heart'>Hello.</voice></speak>", {"voice": "af_heart"})
    assert job.job_type is JobType.multi_role_tts
    assert job.warnings[0] == "2 voices: run as a multi-role job (multi_role_tts)"
    assert job.request.voice_assignments[NARRATOR].voice == "af_heart"


def test_the_query_carries_the_request_fields():
    job = _job("<speak>Hi.</speak>", {"output_format": "mp3", "title": "t", "pause_ms": "50",
                                       "mastering": "podcast", "provider": "espeak"})  # fmt: skip
    request = job.request
    assert (request.output_format, request.title, request.pause_ms) == ("mp3", "t", 50)
    assert (request.mastering, request.provider) == ("podcast", "espeak")


def test_nested_prosody_is_relative_and_a_voice_keeps_the_prosody_around_it():
    job = _job(
        "<speak><prosody rate='50%'>a <prosody rate='+100%'>b</prosody>"
        "<voice name='Joanna'>c</voice></prosody></speak>",
        single=False,
    )
    assert [(t.text, t.speed) for t in job.request.turns] == [("a", 0.5), ("b", None), ("c", 0.5)]


def test_markup_inside_markup_and_breaks_inside_say_as_are_text():
    job = _job("<speak>Call <say-as interpret-as='telephone'>555<break/>1234</say-as>.</speak>")
    [turn] = job.request.turns
    assert turn.text == "Call 5551234." and turn.spoken_as[0].char_end == 12
    assert job.warnings == ["<break> inside <say-as> is not read; its text is read as written"]


def test_marks_at_the_edges_of_turns():
    job = _job("<speak><mark name='start'/>One.<break/><mark name='mid'/>Two.<mark name='end'/>"
               "</speak>")  # fmt: skip
    first, second = job.request.turns
    assert [(m.name, m.char_offset) for m in first.marks] == [("start", 0)]
    assert [(m.name, m.char_offset) for m in second.marks] == [("mid", 0), ("end", 4)]


def test_a_turn_too_long_for_one_is_cut_at_its_sentences_never_inside_markup():
    sentence = "This is a sentence of some length, said once. "
    body = (f"<speak>{sentence * 30}Call <sub alias='five five five. one two'>555. 1234</sub>."
            f" <mark name='m'/>{sentence * 30}</speak>")  # fmt: skip
    limits = RequestLimits(max_chars_per_turn=500)
    job = ssml_job(body.encode(), {}, limits, set(), single_route=True)
    turns = job.request.turns
    assert len(turns) == 6 and all(len(t.text) <= 500 for t in turns)
    written = f"{sentence * 30}Call 555. 1234. {sentence * 30}".strip()
    assert "".join(t.text for t in turns) == written, "lossless"
    assert [t.pause_after_ms for t in turns] == [150] * 5 + [None]
    [(turn, span)] = [(t, s) for t in turns for s in t.spoken_as]
    assert turn.text[span.char_start : span.char_end] == "555. 1234"
    [(turn, mark)] = [(t, m) for t in turns for m in t.marks]
    assert turn.text[mark.char_offset :].startswith(sentence)
