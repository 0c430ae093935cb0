"""PLS and JSON round trips: what we export reads back as the same lexicon, in both forms."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.lexicon import LEXICON_MAX_BYTES, Alphabet, Lexicon, LexiconEntry
from ttsjobs.lexicons.json_form import export_json, parse_json
from ttsjobs.lexicons.pls import export_pls, parse_pls
from ttsjobs.lexicons.problems import LexiconProblem

MIXED = Lexicon(
    language="zh-TW",
    alphabet=Alphabet.bopomofo,
    entries=[
        LexiconEntry(grapheme="垃圾", phoneme="ㄌㄜˋ ㄙㄜˋ"),
        LexiconEntry(grapheme="星期", phoneme="xing1 qi2", alphabet=Alphabet.pinyin),
        LexiconEntry(grapheme="YouBike", alias="油拜克"),
        LexiconEntry(grapheme="W3C", alias="World Wide Web Consortium", phoneme="ㄅㄚ"),
        LexiconEntry(grapheme="tomato", phoneme="təˈmeɪtoʊ", alphabet=Alphabet.ipa),
        LexiconEntry(grapheme="apple", phoneme='"{p@l', alphabet=Alphabet.x_sampa),
        LexiconEntry(grapheme="hello", phoneme="h@l'oU", alphabet=Alphabet.espeak),
        LexiconEntry(grapheme="Kokoro", phoneme="kˈOkəɹO", alphabet=Alphabet.kokoro),
        LexiconEntry(grapheme='a < b & "c"', alias="less & more"),
    ],
)


def test_pls_round_trip_is_exact() -> None:
    assert parse_pls(export_pls(MIXED)) == MIXED


def test_json_round_trip_is_exact() -> None:
    assert parse_json(export_json(MIXED)) == MIXED


def test_pls_and_json_carry_the_same_lexicon() -> None:
    assert parse_json(export_json(parse_pls(export_pls(MIXED)))) == MIXED
    assert parse_pls(export_pls(parse_json(export_json(MIXED)))) == MIXED


def test_an_empty_lexicon_round_trips() -> None:
    empty = Lexicon(entries=[])
    assert parse_pls(export_pls(empty)) == empty
    assert parse_json(export_json(empty)) == empty


def test_json_reads_text_as_pls_does_so_either_form_gives_the_same_lexicon() -> None:
    padded = '{"entries": [{"grapheme": " Benigni ", "phoneme": " bɛˈniːnji ", "alias": "\\tB "}]}'
    lexicon = parse_json(padded.encode())
    assert lexicon.entries == [LexiconEntry(grapheme="Benigni", alias="B", phoneme="bɛˈniːnji")]
    assert parse_pls(export_pls(lexicon)) == lexicon


def test_an_alphabet_without_a_phoneme_is_dropped_as_pls_would() -> None:
    lexicon = parse_json(b'{"entries": [{"grapheme": "W3C", "alias": "W 3 C", "alphabet": "ipa"}]}')
    assert lexicon.entries == [LexiconEntry(grapheme="W3C", alias="W 3 C")]
    assert parse_pls(export_pls(lexicon)) == lexicon


def test_elevenlabs_rules_are_trimmed_alike() -> None:
    rules = b'{"rules": [{"type": "alias", "string_to_replace": " UN ", "alias": " U N"}]}'
    assert parse_json(rules).entries == [LexiconEntry(grapheme="UN", alias="U N")]


def _near_the_cap() -> Lexicon:
    """As many entries as the stored form (compact JSON, as the gateway keeps it) holds."""
    entries = [LexiconEntry(grapheme=f"詞{i:04}", phoneme="zhang3 da4") for i in range(10_000)]
    head = len(export_json(Lexicon(language="zh-TW", alphabet=Alphabet.pinyin, entries=[])))
    each = len(export_json(Lexicon(entries=entries[:1]))) - len(export_json(Lexicon(entries=[])))
    fits = (LEXICON_MAX_BYTES - head) // (each + 1)  # +1: the comma between entries
    return Lexicon(language="zh-TW", alphabet=Alphabet.pinyin, entries=entries[:fits])


def test_an_exported_json_lexicon_can_always_be_put_back() -> None:
    # The gateway caps the stored form, compact JSON; the export is no larger than that.
    lexicon = _near_the_cap()
    exported = export_json(lexicon)
    assert LEXICON_MAX_BYTES - 100 < len(exported) <= LEXICON_MAX_BYTES
    assert parse_json(exported) == lexicon


def test_pls_is_wordier_and_a_caller_may_allow_it_more() -> None:
    lexicon = _near_the_cap()
    exported = export_pls(lexicon)
    assert 1.3 < len(exported) / len(export_json(lexicon)) < 1.8
    with pytest.raises(LexiconProblem, match="a lexicon is at most 262144 bytes"):
        parse_pls(exported)
    assert parse_pls(exported, max_bytes=2 * LEXICON_MAX_BYTES) == lexicon
