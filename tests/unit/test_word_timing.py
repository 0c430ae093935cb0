"""A job's word timing placed in its audio (synthesis' word_timing.py), and the word-level
captions rendered from it (ttsjobs.jobs.word_captions)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from ttsjobs.contracts.job_request import JobType, Turn
from ttsjobs.jobs.word_captions import alignment, srt_words, webvtt_words
from ttsjobs_synthesis.audio import Span
from ttsjobs_synthesis.providers.base import TimedSpan, Timing
from ttsjobs_synthesis.word_timing import job_timing, timing_key


def _timing(text: str, words: list[tuple[str, int, int]]) -> Timing:
    spans, at = [], 0
    for word, start_ms, end_ms in words:
        at = text.index(word, at)
        spans.append(TimedSpan(word, start_ms, end_ms, at, at + len(word)))
        at += len(word)
    characters = [
        TimedSpan(c, s.start_ms, s.end_ms, s.char_start + i, s.char_start + i + 1)
        for s in spans
        for i, c in enumerate(s.text)
    ]
    return Timing(tuple(spans), tuple(characters))


TURNS = [
    Turn(speaker="narrator", text="It was 40–60°C. "),
    Turn(speaker="narrator", text="銀行行長在重慶長大。"),
]
TIMINGS = {
    0: _timing(TURNS[0].text, [("It", 0, 150), ("was", 150, 400), ("40–60°C", 400, 2000)]),
    1: _timing(TURNS[1].text, [("銀行", 0, 500), ("行長", 500, 1000), ("長大", 2000, 2600)]),
}
SPANS = [Span(0, 2100), Span(2250, 4900)]


def test_a_single_jobs_offsets_point_into_its_whole_text_and_times_into_its_audio():
    timing = job_timing(TURNS, JobType.single_tts, SPANS, TIMINGS)
    assert timing is not None and timing["offsets"] == "text"
    whole = "".join(t.text for t in TURNS)
    words = [w for turn in timing["turns"] for w in turn["words"]]
    assert [whole[w["char_start"] : w["char_end"]] for w in words] == [w["text"] for w in words]
    assert [w["text"] for w in words] == ["It", "was", "40–60°C", "銀行", "行長", "長大"]
    times = [(w["start_ms"], w["end_ms"]) for w in words[3:]]
    assert times == [(2250, 2750), (2750, 3250), (4250, 4850)]


def test_a_dialogues_offsets_stay_in_each_turn_and_untimed_turns_are_left_out():
    timing = job_timing(TURNS, JobType.multi_role_tts, SPANS, {1: TIMINGS[1]})
    assert timing is not None and timing["offsets"] == "turn"
    assert [t["index"] for t in timing["turns"]] == [1]
    first = timing["turns"][0]["words"][0]
    assert (first["char_start"], first["char_end"], first["start_ms"]) == (0, 2, 2250)
    assert job_timing(TURNS, JobType.multi_role_tts, SPANS, {}) is None


def test_a_words_end_stays_within_its_turn():
    late = {0: _timing(TURNS[0].text, [("It", 0, 150), ("was", 150, 9_000)])}
    timing = job_timing(TURNS, JobType.multi_role_tts, SPANS, late)
    assert timing is not None and timing["turns"][0]["words"][-1]["end_ms"] == SPANS[0].end_ms


def test_the_key_is_the_jobs_own_beside_its_audio():
    created = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    user = "0b9f6f8e-7d62-4a4c-9f3e-1a2b3c4d5e6f"
    key = timing_key(user, created, "5f0c4bde-2b1e-4f7a-9a55-8f1d2e3c4b5a")
    assert key == f"audio/2026-12-07/{user}/5f0c4bde-2b1e-4f7a-9a55-8f1d2e3c4b5a.timing.json"
    assert "/../" not in timing_key(user, created, "../../etc/passwd")


def _job():
    timing = job_timing(TURNS, JobType.single_tts, SPANS, TIMINGS)
    assert timing is not None
    return timing


def test_word_webvtt_puts_a_karaoke_timestamp_before_each_later_word():
    vtt = webvtt_words(TURNS, SPANS, _job())
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.100\n")
    assert "It <00:00:00.150>was <00:00:00.400>40–60°C." in vtt
    assert "銀行<00:00:02.750>行長在重慶<00:00:04.250>長大。" in vtt


def test_word_webvtt_labels_speakers_and_escapes_markup():
    turns = [Turn(speaker="A<b>", text="a <i> b"), Turn(speaker="B", text="c")]
    timing = job_timing(
        turns,
        JobType.multi_role_tts,
        SPANS,
        {0: _timing(turns[0].text, [("a", 0, 9), ("b", 500, 900)])},
    )
    assert timing is not None
    vtt = webvtt_words(turns, SPANS, timing)
    assert "<v A&lt;b&gt;>a &lt;i&gt; <00:00:00.500>b" in vtt
    assert "<v B>c" in vtt  # untimed: a plain cue


def test_word_srt_has_a_cue_per_word():
    srt = srt_words(TURNS, SPANS, _job())
    assert srt.startswith("1\n00:00:00,000 --> 00:00:00,150\nIt\n\n2\n00:00:00,150")
    assert "6\n00:00:04,250 --> 00:00:04,850\n長大\n" in srt


def test_alignment_has_every_character_of_the_text_in_order_of_time():
    body = json.loads(alignment(TURNS, SPANS, _job()))
    assert "".join(body["characters"]) == "".join(t.text for t in TURNS)
    starts, ends = body["character_start_times_seconds"], body["character_end_times_seconds"]
    assert len(starts) == len(ends) == len(body["characters"])
    assert all(s <= e for s, e in zip(starts, ends, strict=True))
    assert starts == sorted(starts) and ends == sorted(ends)
    bank = body["characters"].index("銀")
    assert (starts[bank], ends[bank]) == (2.25, 2.75)
