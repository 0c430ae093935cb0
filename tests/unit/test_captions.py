"""Caption files never carry a speaker's or a text's markup into a player."""

from __future__ import annotations

from ttsjobs.contracts.job_request import Turn
from ttsjobs.jobs.captions import srt, webvtt
from ttsjobs_synthesis.audio import Span

TURNS = [
    Turn(speaker="<b>Boss</b>", text="Read <i>this</i> {\\an8} now --> & then"),
    Turn(speaker="Ann", text="Plain   words\n\nsplit"),
]
SPANS = [Span(0, 1500), Span(1800, 3000)]


def test_srt_shows_markup_as_text_and_keeps_cues_on_one_line():
    text = srt(TURNS, SPANS)
    for markup in ("<b>", "</b>", "<i>", "{\\an8}", "-->  &"):
        assert markup not in text.split("\n", 2)[2], markup
    assert "＜b＞Boss＜/b＞: Read ＜i＞this＜/i＞ ｛\\an8｝ now → & then" in text
    assert "Ann: Plain words split" in text
    assert text.count(" --> ") == 2


def test_webvtt_escapes_markup_in_voice_and_text():
    text = webvtt(TURNS, SPANS)
    assert "<v &lt;b&gt;Boss&lt;/b&gt;>Read &lt;i&gt;this&lt;/i&gt;" in text
    assert "<b>" not in text and "<i>" not in text
    assert text.count(" --> ") == 2
