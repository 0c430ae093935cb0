"""PLS and JSON round trips: what we export reads back as the same lexicon, in both forms."""

from __future__ import annotations

from ttsjobs.contracts.lexicon import Alphabet, Lexicon, LexiconEntry
from ttsjobs.lexicons.json_form import export_json, parse_json
from ttsjobs.lexicons.pls import export_pls, parse_pls

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


def test_elevenlabs_rules_are_trimmed_alike() -> None:
    rules = b'{"rules": [{"type": "alias", "string_to_replace": " UN ", "alias": " U N"}]}'
    assert parse_json(rules).entries == [LexiconEntry(grapheme="UN", alias="U N")]
