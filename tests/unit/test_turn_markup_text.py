"""A turn's own markup in the prepare-text stage: an alias, a phoneme or a say-as applies to its
span only (a lexicon entry applies to every occurrence), before the lexicon and the normaliser;
say-as reads through the normalisers' number words, in English and in Mandarin as Taiwan says
it; each engine's text keeps its map back to what was written."""

from __future__ import annotations

import time

import pytest

from ttsjobs.contracts.lexicon import UsedEntry
from ttsjobs.contracts.turn_markup import SayAs, SpokenAs
from ttsjobs_synthesis.prepare_text.engine_text import engine_text, planned
from ttsjobs_synthesis.prepare_text.mandarin import MandarinStage
from ttsjobs_synthesis.prepare_text.mandarin_readings import prepare_jieba
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.prepare_text.say_as import said_as
from ttsjobs_synthesis.providers.engine_spans import EngineWord, engine_text_mapped, placed


def _span(text: str, part: str, nth: int = 0, **how: object) -> SpokenAs:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return SpokenAs(char_start=start, char_end=start + len(part), **how)  # type: ignore[arg-type]


def test_an_alias_says_its_own_occurrence_only():
    text = "WWW and WWW"
    markup = Pronunciation(spoken_as=(_span(text, "WWW", alias="World Wide Web"),))
    assert engine_text(text, "en-US", markup) == "World Wide Web and WWW"


def test_the_turns_markup_comes_before_a_lexicon_entry_for_the_same_word():
    text = "WWW and WWW"
    entry = UsedEntry(lexicon="mine", grapheme="WWW", alias="the web")
    markup = Pronunciation(entries=(entry,), spoken_as=(_span(text, "WWW", 1, alias="dub"),))
    assert engine_text(text, "en-US", markup) == "the web and dub"


def test_an_alias_is_normalised_as_a_lexicon_alias_is():
    text = "the OS here"
    markup = Pronunciation(spoken_as=(_span(text, "OS", alias="Windows 11"),))
    assert engine_text(text, "en-US", markup) == "the Windows eleven here"


def test_a_phoneme_goes_to_the_engine_in_its_notation_for_its_span_only():
    text = "tomato, tomato"
    markup = Pronunciation(
        spoken_as=(_span(text, "tomato", 1, phoneme="təˈmɑːtəʊ", alphabet="ipa"),)
    )
    assert markup.has_phonemes()
    said = engine_text(text, "en-US", markup, phoneme=lambda p: f"[[{p.phoneme}]]")
    assert said == "tomato, [[təˈmɑːtəʊ]]"
    # An engine that takes no phonemes says the span's own text.
    assert engine_text(text, "en-US", markup) == text


@pytest.mark.parametrize(
    ("written", "kind", "fmt", "language", "said"),
    [
        ("123", SayAs.cardinal, None, "en-US", "one hundred twenty-three"),
        ("1,200", SayAs.cardinal, None, "en-US", "one thousand two hundred"),
        ("123", SayAs.digits, None, "en-US", "one two three"),
        ("3rd", SayAs.ordinal, None, "en-US", "third"),
        ("555-0123", SayAs.telephone, None, "en-US", "five five five, oh one two three"),
        ("12/07/2026", SayAs.date, "mdy", "en-US", "December seventh, twenty twenty-six"),
        ("07/12/2026", SayAs.date, "dmy", "en-US", "December seventh, twenty twenty-six"),
        ("2026-12", SayAs.date, "ym", "en-US", "December twenty twenty-six"),
        ("10:30 pm", SayAs.time, None, "en-US", "ten thirty P M"),
        ("$12.50", SayAs.currency, None, "en-US", "twelve dollars and fifty cents"),
        ("IBM", SayAs.characters, None, "en-US", "I B M"),
        ("123", SayAs.cardinal, None, "zh-TW", "一百二十三"),
        ("123", SayAs.digits, None, "zh-TW", "一二三"),
        ("3", SayAs.ordinal, None, "zh-TW", "第三"),
        ("2026-12-07", SayAs.date, "ymd", "zh-TW", "二零二六年十二月七日"),
        ("0912345678", SayAs.telephone, None, "zh-TW", "零九一二 三四五 六七八"),
        ("14:05", SayAs.time, None, "zh-TW", "十四點零五分"),
        ("NT$300", SayAs.currency, None, "zh-TW", "新台幣三百元"),
    ],
)
def test_say_as_reads_the_span_as_marked(written, kind, fmt, language, said):
    assert said_as(written, kind, fmt, language) == said


def test_say_as_that_does_not_fit_is_read_as_unmarked():
    assert said_as("abc", SayAs.cardinal, None, "en-US") == "abc"
    assert said_as("13/45/2026", SayAs.date, "mdy", "en-US") != ""


def test_say_as_in_a_sentence_leaves_the_other_numbers_to_the_normaliser():
    text = "Call 12345 or 12345."
    markup = Pronunciation(spoken_as=(_span(text, "12345", interpret_as="digits"),))
    assert (
        engine_text(text, "en-US", markup)
        == "Call one two three four five or twelve thousand three hundred forty-five."
    )


def test_an_engines_words_for_a_span_time_the_span_as_a_whole():
    text = "WWW and WWW"
    markup = Pronunciation(spoken_as=(_span(text, "WWW", alias="World Wide Web"),))
    mapped = engine_text_mapped(text, "en-US", markup)
    assert mapped.text == "World Wide Web and WWW"
    starts = [0, 6, 11, 15, 19]
    ends = [5, 10, 14, 18, 22]
    words = [
        EngineWord(s, e, i * 100, i * 100 + 90)
        for i, (s, e) in enumerate(zip(starts, ends, strict=True))
    ]
    spans = placed(mapped, words)
    assert [(s.text, s.char_start, s.char_end, s.start_ms, s.end_ms) for s in spans] == [
        ("WWW", 0, 3, 0, 290),
        ("and", 4, 7, 300, 390),
        ("WWW", 8, 11, 400, 490),
    ]


def test_pieces_say_where_each_came_from():
    text = "WWW 42 tomato"
    markup = Pronunciation(
        spoken_as=(
            _span(text, "WWW", alias="web"),
            _span(text, "42", interpret_as="digits"),
            _span(text, "tomato", phoneme="x", alphabet="ipa"),
        )
    )
    sources = [(p.start, p.end, p.source) for p in planned(text, "en-US", markup)]
    assert sources == [(0, 3, "alias"), (3, 4, "text"), (4, 6, "say-as"), (6, 7, "text"),
                       (7, 13, "phoneme")]  # fmt: skip


@pytest.fixture(scope="module")
def mandarin(tmp_path_factory: pytest.TempPathFactory) -> MandarinStage:
    prepare_jieba(tmp_path_factory.mktemp("jieba") / "jieba.cache")
    return MandarinStage(english=lambda words: f"<{words}>")


def test_mandarin_say_as_digits_and_an_alias_apply_to_their_span(mandarin: MandarinStage):
    text = "電話123，共123個"
    markup = Pronunciation("taiwan", spoken_as=(_span(text, "123", interpret_as="digits"),))
    words = mandarin.words(text, markup)
    marked = [w for w in words if w.source == "say-as"]
    assert [(w.text, w.syllables) for w in marked] == [("123", ("yi1", "er4", "san1"))]
    plain = [w for w in words if w.source == "normalised"]
    assert plain and plain[0].syllables[:3] == ("yi4", "bai3", "er4")


def test_mandarin_phoneme_in_ipa_or_pinyin_for_its_span(mandarin: MandarinStage):
    text = "和和"
    markup = Pronunciation(
        "taiwan", spoken_as=(_span(text, "和", 1, phoneme="han4", alphabet="pinyin"),)
    )
    words = mandarin.words(text, markup)
    assert words[-1].source == "phoneme" and words[-1].syllables == ("han4",)
    assert words[0].syllables != ("han4",)


@pytest.mark.parametrize("language", ["en-US", "zh-TW"])
def test_say_as_gets_through_a_turns_worth_of_hostile_text_quickly(language):
    hostile = ["9" * 2000, "1:" * 1000, "1/" * 1000, "a1" * 1000, "$" + "9" * 1999, "-" * 2000]
    started = time.perf_counter()
    for kind in SayAs:
        for text in hostile:
            assert isinstance(said_as(text, kind, "ymd", language), str)
    assert time.perf_counter() - started < 5
