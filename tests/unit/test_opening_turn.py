"""The opening turn is cut where sentences (else clauses) end into one piece per engine process,
of about equal length, and its pieces joined back with the pause Kokoro makes there, their word
times where they land."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ttsjobs.contracts.sentences import spoken_length
from ttsjobs_synthesis.opening_turn import (
    CLAUSE_PAUSE_MS,
    SENTENCE_PAUSE_MS,
    joined,
    opening_pieces,
)
from ttsjobs_synthesis.providers.base import Speech, TimedSpan, Timing

ZH = (
    "今天我們來聊聊台北的渡輪，從淡水到八里只要十分鐘。很多人不知道，這條航線已經有一百年的歷史了。"
)
EN = (
    "Welcome back to the show, where we talk about ferries every week. "
    "Today we cross the river from Tamsui to Bali in ten minutes. "
    "It is older than the bridge, and it still runs on the hour."
)


def _covers(text: str, spans: list[tuple[int, int]]) -> bool:
    return (
        spans[0][0] == 0
        and spans[-1][1] == len(text)
        and all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    )


@pytest.mark.parametrize("text", [ZH, EN])
def test_two_processes_cut_a_long_opening_in_two_at_a_sentence_end(text):
    spans = opening_pieces(text, 2)
    assert len(spans) == 2 and _covers(text, spans)
    first = text[slice(*spans[0])]
    assert first.rstrip()[-1] in "。.", first  # cut where a sentence ends, never inside one
    lengths = [spoken_length(text[a:b]) for a, b in spans]
    assert max(lengths) < 0.75 * sum(lengths)  # about equal: neither piece holds most of it


def test_a_long_first_sentence_is_cut_at_a_clause_and_joined_with_a_clauses_pause():
    text = "第1段，a1b2c3。歡迎回到我們的節目，今天要聊的是城市裡的渡輪，還有每天搭船上班的人。"
    spans = opening_pieces(text, 2)
    first, second = (text[a:b] for a, b in spans)
    assert first.endswith("節目，") and second.startswith("今天")
    rate = 24_000
    pieces = [
        Speech(np.ones(rate, dtype=np.int16), rate),
        Speech(np.ones(rate, dtype=np.int16), rate),
    ]
    speech = joined(pieces, spans, text)
    assert len(speech.samples) == 2 * rate + rate * CLAUSE_PAUSE_MS // 1000


def test_many_processes_cut_at_every_sentence_and_clause_but_never_inside_one():
    spans = opening_pieces(EN, 8)
    assert 3 < len(spans) <= 8 and _covers(EN, spans)
    assert all(EN[a:b].rstrip()[-1] in ",." for a, b in spans)


@pytest.mark.parametrize(
    ("text", "parallel"),
    [
        (EN, 1),  # one process: nothing runs beside it
        ("Hello there. How are you?", 2),  # short: the split would cost more than it saves
        (ZH.replace("。", "").replace("，", ""), 2),  # no sentence or clause ends inside it
    ],
)
def test_an_opening_that_would_not_gain_is_said_whole(text, parallel):
    assert opening_pieces(text, parallel) == [(0, len(text))]


def _speech(samples: int, words: list[tuple[str, int, int, int, int]]) -> Speech:
    spans = tuple(TimedSpan(t, s, e, cs, ce) for t, s, e, cs, ce in words)
    return Speech(
        np.full(samples, 1000, dtype=np.int16),
        24_000,
        synthesis_ms=100.0,
        timing=Timing(spans, spans),
    )


def test_joined_pieces_keep_their_times_and_offsets_where_they_land():
    text = "Hi there. Bye now."
    first = _speech(24_000, [("Hi", 0, 300, 0, 2), ("there", 300, 900, 3, 8)])
    second = _speech(12_000, [("Bye", 0, 200, 0, 3), ("now", 200, 450, 4, 7)])
    speech = joined([first, second], [(0, 10), (10, len(text))], text)
    pause = 24_000 * SENTENCE_PAUSE_MS // 1000
    assert len(speech.samples) == 24_000 + pause + 12_000
    assert not speech.samples[24_000 : 24_000 + pause].any()  # the sentence's pause is silence
    assert speech.timing is not None
    moved = speech.timing.words[2]
    assert (moved.start_ms, moved.end_ms) == (1000 + SENTENCE_PAUSE_MS, 1200 + SENTENCE_PAUSE_MS)
    assert [text[w.char_start : w.char_end] for w in speech.timing.words] == [
        w.text for w in speech.timing.words
    ]
    assert speech.synthesis_ms == 200.0
    assert speech.loudness_lufs is not None  # measured again on the whole turn


def test_a_piece_without_timing_leaves_the_turn_untimed():
    timed = _speech(2400, [("Hi", 0, 100, 0, 2)])
    untimed = Speech(np.zeros(2400, dtype=np.int16) + 5, 24_000)
    assert joined([timed, untimed], [(0, 3), (3, 6)], "Hi. Yo.").timing is None


def test_a_turn_said_in_pieces_has_a_segment_of_its_own_and_one_said_whole_keeps_its_key():
    from ttsjobs_synthesis.segments import SegmentIdentity, segment_key

    fields = dict(owner="u", provider="kokoro", voice="zf_xiaoxiao", speed=1.0, pitch=1.0,
                  text=ZH, sample_rate=24_000)  # fmt: skip
    whole, pieces = segment_key(**fields), segment_key(**fields, pieces=2)
    assert whole != pieces
    # The key a turn said whole had before pieces existed: the identity without the field.
    import dataclasses
    import hashlib
    import json

    from ttsjobs_synthesis.segments import FORMAT_VERSION

    identity = SegmentIdentity("u", "kokoro", "zf_xiaoxiao", 1.0, 1.0, 24_000, ZH)
    before = [FORMAT_VERSION, *dataclasses.astuple(identity)[:-1]]
    digest = hashlib.sha256(json.dumps(before, ensure_ascii=False).encode()).hexdigest()
    assert whole.endswith(f"{digest}.flac")
