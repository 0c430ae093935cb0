"""The Taiwan readings lexicon: readings from the dictionary data, traceable, judgement noted."""

import pytest

from ttsjobs_synthesis.prepare_text import taiwan_readings
from ttsjobs_synthesis.prepare_text.taiwan_readings import (
    CHAR_REPLACEMENTS,
    JUDGEMENT_CALLS,
    moedict_reading,
    taiwan_char_reading,
    taiwan_entries,
    taiwan_reading,
)


@pytest.mark.parametrize(
    ("word", "reading"),
    [("垃圾", ("le4", "se4")), ("質量", ("zhi2", "liang4"))],
)
def test_issue_words_listed_in_the_dictionary_come_with_their_headword(word, reading) -> None:
    assert taiwan_reading(word) == (reading, word)


def test_a_word_in_simplified_finds_its_traditional_headword() -> None:
    assert taiwan_reading("质量") == (("zhi2", "liang4"), "質量")


@pytest.mark.parametrize(
    ("char", "mainland", "taiwan"),
    [
        ("期", "qi1", "qi2"),
        ("究", "jiu1", "jiu4"),
        ("危", "wei1", "wei2"),
        ("微", "wei1", "wei2"),
        ("企", "qi3", "qi4"),
        ("髮", "fa4", "fa3"),
        ("質", "zhi4", "zhi2"),
    ],
)
def test_character_readings_replace_the_mainland_reading(char, mainland, taiwan) -> None:
    assert taiwan_char_reading(char, mainland) == taiwan


def test_a_character_keeps_a_reading_it_does_not_replace() -> None:
    assert taiwan_char_reading("期", "ji1") is None  # 期年 jī nián stays
    assert taiwan_char_reading("長", "zhang3") is None  # not a Taiwan difference


def test_every_character_replacement_is_what_the_dictionary_says() -> None:
    for char, mainland in CHAR_REPLACEMENTS.items():
        taiwan = taiwan_char_reading(char, mainland[0])
        assert taiwan is not None and taiwan not in mainland, char
        assert moedict_reading(char) == (taiwan,)


def test_the_lexicon_has_at_least_200_words_each_traceable_to_its_entry() -> None:
    entries = taiwan_entries()
    print(f"\nTaiwan lexicon: {len(entries)} word entries")
    assert len(entries) >= 200
    for headword, reading in list(entries.items())[::50]:
        assert taiwan_reading(headword) == (reading, headword)
        assert len(reading) == len(headword)
        # Where the reading differs from the dictionary it is only at 一/不 or a neutral tone.
        for char, ours, dictionary in zip(
            headword, reading, moedict_reading(headword), strict=True
        ):
            assert ours == dictionary or char in "一不" or dictionary.endswith("5"), headword


def test_judgement_calls_keep_the_common_reading_and_say_why() -> None:
    assert "和" in JUDGEMENT_CALLS
    for headword, why in JUDGEMENT_CALLS.items():
        assert why.strip(), headword
        assert taiwan_reading(headword) is None, headword
    assert moedict_reading("公車") == ("gong1", "ju1")  # what the data says, and why it is kept out


def test_the_dictionary_is_read_once_per_process() -> None:
    taiwan_readings._moedict.cache_clear()
    for word in ("垃圾", "質量", "星期", "质量"):
        taiwan_reading(word)
    assert taiwan_readings._moedict.cache_info().misses == 1
