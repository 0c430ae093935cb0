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


# A turn recorded before the door refused controls in names (or text, which may hold them).
HOSTILE = [
    Turn.model_construct(
        speaker="\u202eecilA\u2066", text="Bell\x07 and\x1b[2J clear\x9b31m red\u202e drawn\x00"
    ),
    Turn.model_construct(speaker="Bob\r\n\r\n99", text="tab\there\x0bvt\x0cff\x85nel\u2028ls"),
]


def _cue_lines(text: str) -> list[str]:
    return text.split("\n")


def test_controls_and_bidi_overrides_never_reach_a_caption():
    for caption in (srt(HOSTILE, SPANS), webvtt(HOSTILE, SPANS)):
        shown = "".join(caption.split("\n"))
        for char in ["\x07", "\x1b", "\x9b", "\x00", "\x0b", "\x0c", "\x85", "\u2028", "\r", "\t"]:
            assert char not in shown, repr(char)
        for char in ["\u202e", "\u2066"]:
            assert char not in caption, repr(char)
    assert "ecilA: Bell and[2J clear31m red drawn" in srt(HOSTILE, SPANS)
    assert "<v ecilA>Bell and[2J clear31m red drawn" in webvtt(HOSTILE, SPANS)


def test_line_breaks_in_a_speaker_or_text_do_not_end_the_cue():
    # A blank line ends a cue in both formats: "Bob\r\n\r\n99" must not start a new one.
    assert "Bob 99: tab here vt ff nel ls" in srt(HOSTILE, SPANS)
    assert "<v Bob 99>tab here vt ff nel ls" in webvtt(HOSTILE, SPANS)
    assert _cue_lines(srt(HOSTILE, SPANS))[4:8] == [
        "2",
        "00:00:01,800 --> 00:00:03,000",
        "Bob 99: tab here vt ff nel ls",
        "",
    ]


def test_a_speaker_named_in_cjk_gets_a_full_width_colon_in_srt():
    turns = [
        Turn(speaker="主持人", text="各位早安。"),
        Turn(speaker="Alice", text="Hi."),
        Turn(speaker="진행자", text="안녕하세요."),
    ]
    lines = srt(turns, [Span(0, 900), Span(900, 1500), Span(1500, 2000)]).split("\n")
    assert "主持人：各位早安。" in lines
    assert "Alice: Hi." in lines
    assert "진행자: 안녕하세요." in lines, "Korean writes an ASCII colon and a space"


def test_captions_of_a_single_voice_carry_no_speaker_label():
    turns = [Turn(speaker="narrator", text="第一句。"), Turn(speaker="narrator", text="第二句。")]
    spans = [Span(0, 900), Span(900, 1500)]
    assert srt(turns, spans).split("\n")[:7] == [
        "1", "00:00:00,000 --> 00:00:00,900", "第一句。", "",
        "2", "00:00:00,900 --> 00:00:01,500", "第二句。",
    ]  # fmt: skip
    vtt = webvtt(turns, spans)
    assert "<v" not in vtt and "narrator" not in vtt
    assert "00:00:00.900 --> 00:00:01.500\n第二句。" in vtt
