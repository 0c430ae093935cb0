"""Where lexicon entries apply: whole words for Latin, the longest run for Han, case-sensitive,
the first lexicon winning, and a job using only the entries its text has."""

from __future__ import annotations

from ttsjobs.contracts.lexicon import Lexicon, UsedEntry
from ttsjobs.lexicons.matching import EntryMatcher, used_entries


def _entry(grapheme: str, alias: str = "x", lexicon: str = "a") -> UsedEntry:
    return UsedEntry(lexicon=lexicon, grapheme=grapheme, alias=alias)


def _found(text: str, *graphemes: str) -> list[str]:
    return [text[m.start : m.end] for m in EntryMatcher(map(_entry, graphemes)).matches(text)]


def test_latin_matches_whole_words_only():
    assert _found("LINE and LINEAR, LINE.", "LINE") == ["LINE", "LINE"]
    assert _found("我每天騎YouBike去上班", "YouBike") == ["YouBike"]
    assert _found("7-11 and 17-110", "7-11") == ["7-11"]


def test_graphemes_are_case_sensitive():
    assert _found("line Line LINE", "LINE") == ["LINE"]


def test_han_takes_the_longest_run_leftmost():
    assert _found("重慶森林很好看", "重慶", "重慶森林", "森林") == ["重慶森林"]
    assert _found("銀行行長", "行長", "銀行") == ["銀行", "行長"]


def test_the_first_lexicon_wins_for_a_grapheme():
    first, second = _entry("LINE", "line app", "one"), _entry("LINE", "lain", "two")
    (match,) = EntryMatcher([first, second]).matches("LINE")
    assert match.entry.lexicon == "one"


def test_a_job_keeps_only_the_entries_its_text_uses_with_alphabets_resolved():
    mine = Lexicon.model_validate(
        {
            "alphabet": "pinyin",
            "entries": [
                {"grapheme": "和", "phoneme": "han4"},
                {"grapheme": "YouBike", "alias": "優拜克"},
                {"grapheme": "Unused", "alias": "x"},
            ],
        }
    )
    other = Lexicon.model_validate({"entries": [{"grapheme": "YouBike", "alias": "U bike"}]})
    used = used_entries(["我和你騎YouBike。"], [("mine", mine), ("other", other)])
    assert [(e.lexicon, e.grapheme, e.alphabet) for e in used] == [
        ("mine", "和", "pinyin"),
        ("mine", "YouBike", None),
    ]


def test_many_entries_and_a_long_text_take_one_pass():
    entries = [_entry("哈" * n) for n in range(1, 101)]
    matches = EntryMatcher(entries).matches("哈" * 100_000)
    assert len(matches) == 1000 and all(m.end - m.start == 100 for m in matches)


def test_a_shorter_grapheme_fits_where_the_longest_is_inside_a_word():
    assert _found("LINE app", "LINE", "LINE ap") == ["LINE"]
    assert _found("xLINE LINE", "LINE") == ["LINE"]


def test_one_long_word_is_passed_over_quickly():
    entries = [_entry("a" * n) for n in range(1, 101)]
    assert EntryMatcher(entries).matches("b" + "a" * 100_000) == []
