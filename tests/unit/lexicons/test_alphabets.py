"""Alphabet conversions (pinyin, Bopomofo, tone marks, X-SAMPA, English IPA to espeak) and
which engine can take which phoneme."""

# The case tables below read best as one case a line, input beside the answer it must get.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from ttsjobs.contracts.lexicon import Alphabet, LexiconEntry, UsedEntry
from ttsjobs.lexicons.alphabet_names import alphabet_named
from ttsjobs.lexicons.alphabets import (
    bopomofo_syllables,
    checked_phoneme,
    ipa_to_espeak,
    phoneme_problem,
    pinyin_syllables,
    pinyin_to_bopomofo,
    tone_marks,
    xsampa_to_ipa,
)
from ttsjobs.lexicons.arpabet import arpabet_to_ipa
from ttsjobs.lexicons.pinyin import syllables
from ttsjobs.lexicons.problems import LexiconProblem


@pytest.mark.parametrize(
    ("typed", "ours"),
    [
        ("hang2 zhang3", ["hang2", "zhang3"]),
        ("Hang2  Zhang3", ["hang2", "zhang3"]),
        ("hang2zhang3", ["hang2", "zhang3"]),
        ("hao 3", ["hao3"]),  # Azure's zh-CN sapi form
        ("lv4", ["lv4"]),
        ("lü4", ["lv4"]),
        ("lu:4", ["lv4"]),
        ("nü3", ["nv3"]),
        ("lǜ", ["lv4"]),
        ("jv3", ["ju3"]),  # ü is written u after j, q, x, y
        ("xue2", ["xue2"]),
        ("ma5", ["ma5"]),
        ("ma0", ["ma5"]),
        ("lè sè", ["le4", "se4"]),
        ("mā ma", ["ma1", "ma5"]),  # in tone-mark writing, unmarked is neutral
        ("hai2 zi5", ["hai2", "zi5"]),
        ("huar1", ["huar1"]),  # erhua
    ],
)
def test_pinyin_as_typed_becomes_our_syllables(typed: str, ours: list[str]) -> None:
    assert pinyin_syllables(typed) == ours


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("hang", "pinyin 'hang' needs a tone number 1-5 (5 for the neutral tone)"),
        ("hang6", "pinyin 'hang6' needs a tone number 1-5 (5 for the neutral tone)"),
        ("ma1 ma", "pinyin 'ma' needs a tone number 1-5 (5 for the neutral tone)"),
        ("xx1", "unknown pinyin syllable 'xx'"),
        ("hello1", "unknown pinyin syllable 'hello'"),
        ("lǜ4", "pinyin 'lǜ4' has two tones"),
        ("   ", "pinyin needs at least one syllable"),
    ],
)
def test_unreadable_pinyin_is_named(typed: str, message: str) -> None:
    with pytest.raises(LexiconProblem) as caught:
        pinyin_syllables(typed)
    assert (caught.value.field, caught.value.message) == ("phoneme", message)


def test_pypinyin_knows_the_syllables() -> None:
    known = syllables()
    assert {"hang", "zhang", "lv", "ju", "er", "ê", "zhi"} <= known
    assert "xx" not in known and "jv" not in known
    assert 400 < len(known) < 450


# Rows of Azure's zh-TW phone set (Bopomofo, pinyin), speech-ssml-phonetic-sets#zh-tw.
AZURE_ROWS = [
    ("ㄓ", "zhi1"), ("ㄅㄚ", "ba1"), ("ㄅㄚˊ", "ba2"), ("ㄅㄚˇ", "ba3"), ("ㄅㄚˋ", "ba4"),
    ("ㄅㄚ˙", "ba5"), ("ㄋㄩˇ", "nv3"), ("ㄌㄩㄝˋ", "lve4"), ("ㄩㄝˋ", "yue4"), ("ㄦˇ", "er3"),
    ("ㄝ", "ê1"), ("ㄒㄩㄥ", "xiong1"), ("ㄧㄥˊ", "ying2"), ("ㄨㄛˇ", "wo3"), ("ㄉㄨㄟˋ", "dui4"),
    ("ㄋㄧㄡˊ", "niu2"), ("ㄗㄨㄣ", "zun1"), ("ㄘˇ", "ci3"), ("ㄩㄢˊ", "yuan2"),
]  # fmt: skip


@pytest.mark.parametrize(("bopomofo", "pinyin"), AZURE_ROWS)
def test_bopomofo_agrees_with_azures_table(bopomofo: str, pinyin: str) -> None:
    assert bopomofo_syllables(bopomofo) == [pinyin]
    assert pinyin_to_bopomofo([pinyin]) == bopomofo


def test_every_syllable_and_tone_survives_bopomofo_and_back() -> None:
    every = [
        f"{base}{tone}"
        for base in sorted(syllables() - {"m", "n", "ng", "hm", "hng", "wong"})
        for tone in range(1, 6)
    ]
    assert bopomofo_syllables(pinyin_to_bopomofo(every)) == every


@pytest.mark.parametrize(
    ("typed", "ours"),
    [
        ("ㄏㄤˊ ㄓㄤˇ", ["hang2", "zhang3"]),
        ("ㄏㄤˊㄓㄤˇ", ["hang2", "zhang3"]),
        ("ㄅㄚˉ", ["ba1"]),
        ("˙ㄇㄚ", ["ma5"]),  # Taiwan's school form
        ("ㄇㄚ ˙ㄇㄚ", ["ma1", "ma5"]),
        ("ㄏㄨㄚㄦ", ["huar1"]),
    ],
)
def test_bopomofo_as_typed(typed: str, ours: list[str]) -> None:
    assert bopomofo_syllables(typed) == ours


def test_the_neutral_tone_mark_can_lead_as_taiwan_prints_it() -> None:
    assert pinyin_to_bopomofo("ma1 ma5") == "ㄇㄚ ㄇㄚ˙"
    assert pinyin_to_bopomofo("ma1 ma5", neutral_first=True) == "ㄇㄚ ˙ㄇㄚ"
    assert pinyin_to_bopomofo("huar5", neutral_first=True) == "˙ㄏㄨㄚㄦ"
    assert bopomofo_syllables("˙ㄏㄨㄚㄦ") == ["huar5"]


def test_unreadable_bopomofo_is_named() -> None:
    with pytest.raises(LexiconProblem, match="unknown Bopomofo syllable 'ㄅㄅ'"):
        bopomofo_syllables("ㄏㄤˊ ㄅㄅ")
    with pytest.raises(LexiconProblem, match="has no Bopomofo spelling"):
        pinyin_to_bopomofo(["hm5"])


def test_tone_marks_for_display() -> None:
    assert tone_marks(["le4", "se4"]) == "lè sè"
    assert tone_marks("xing1 qi2") == "xīng qí"
    assert tone_marks(["lv4", "ma5"]) == "lǜ ma"


@pytest.mark.parametrize(
    ("xsampa", "ipa"),
    [
        ('"{p@l', "ˈæpəl"),  # Google's X-SAMPA example for "apple"
        ('t@"meItoU', "təˈmeɪtoʊ"),
        ('"hEl@U', "ˈhɛləʊ"),
        ("r\\`", "ɻ"),  # the longest symbol wins over r\ and r
        ("d_h", "dʰ"),
        ("a~", "ã"),
        ('%kub@r"neItiz', "ˌkubərˈneɪtiz"),
        ("S@:", "ʃəː"),
    ],
)
def test_xsampa_to_ipa(xsampa: str, ipa: str) -> None:
    assert xsampa_to_ipa(xsampa) == ipa


def test_unknown_xsampa_symbol_is_named() -> None:
    with pytest.raises(LexiconProblem) as caught:
        xsampa_to_ipa("ab#c")
    assert caught.value.message == "X-SAMPA has no symbol '#' (U+0023) at 2"


@pytest.mark.parametrize(
    ("ipa", "espeak"),
    [
        ("həˈloʊ", "h@'loU"),
        ("təˈmeɪtoʊ", "t@'meItoU"),
        ("tə'meɪtoʊ", "t@'meItoU"),  # ElevenLabs writes stress as an apostrophe
        ("ˈtʃɜːtʃ", "'tS3:tS"),
        ("ˈæpl̩", "'ap@L"),
        ("ˌkuːbərˈneɪtiːz", ",ku:b@r'neIti:z"),
        ("ðə wɝld", "D@ w3:ld"),
    ],
)
def test_ipa_to_espeak(ipa: str, espeak: str) -> None:
    assert ipa_to_espeak(ipa) == espeak


def test_unmappable_ipa_is_named() -> None:
    with pytest.raises(LexiconProblem) as caught:
        ipa_to_espeak("ʘa")
    assert caught.value.message == "IPA for English espeak has no symbol 'ʘ' (U+0298) at 0"


def test_checked_phoneme_stores_canonical_forms() -> None:
    assert checked_phoneme("Hang2  zhang3", Alphabet.pinyin) == "hang2 zhang3"
    assert checked_phoneme("˙ㄇㄚ", Alphabet.bopomofo) == "ㄇㄚ˙"
    assert checked_phoneme("/tə'meɪtoʊ/", Alphabet.ipa) == "tə'meɪtoʊ"
    assert checked_phoneme("[təˈmeɪtoʊ]", Alphabet.ipa) == "təˈmeɪtoʊ"
    assert checked_phoneme(' "{p@l ', Alphabet.x_sampa) == '"{p@l'
    assert checked_phoneme(" h@l'oU ", Alphabet.espeak) == "h@l'oU"
    with pytest.raises(LexiconProblem):
        checked_phoneme("a#", Alphabet.x_sampa)


@pytest.mark.parametrize(
    ("name", "language", "ours"),
    [
        ("ipa", None, Alphabet.ipa),
        ("IPA", None, Alphabet.ipa),
        ("x-sampa", None, Alphabet.x_sampa),
        ("x-SAMPA", None, Alphabet.x_sampa),
        ("pinyin", None, Alphabet.pinyin),
        ("bopomofo", None, Alphabet.bopomofo),
        ("x-microsoft-sapi", "zh-TW", Alphabet.bopomofo),
        ("sapi", "zh-tw", Alphabet.bopomofo),
        ("x-microsoft-sapi", "zh-CN", Alphabet.pinyin),
        ("kokoro", None, Alphabet.kokoro),
        ("espeak", None, Alphabet.espeak),
        ("cmu-arpabet", None, Alphabet.ipa),  # its phonemes are read into IPA
    ],
)
def test_alphabet_names_as_found(name: str, language: str | None, ours: Alphabet) -> None:
    assert alphabet_named(name, language=language) is ours


@pytest.mark.parametrize(
    ("name", "language", "message"),
    [
        ("klingon", None, "unknown alphabet 'klingon'; use one of ipa, x-sampa, pinyin, bopomofo, kokoro, espeak"),
        ("sapi", "en-US", "alphabet 'sapi' is Azure's phone set for en-US; only its zh-TW (Bopomofo) and zh-CN (pinyin) sets are understood here"),
        ("x-microsoft-sapi", "zh-HK", "alphabet 'x-microsoft-sapi' is Azure's phone set for zh-HK"),
        ("ups", None, "alphabet 'ups' (Azure's Universal Phone Set) is not supported"),
    ],
)  # fmt: skip
def test_other_alphabets_are_refused_clearly(name: str, language: str | None, message: str) -> None:
    with pytest.raises(LexiconProblem) as caught:
        alphabet_named(name, language=language, field="lexicon.alphabet")
    assert caught.value.field == "lexicon.alphabet"
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("arpabet", "ipa"),
    [
        ("T AE1 L AH0 N", "tˈælən"),  # ElevenLabs' "talon"
        ("AE K CH UW AH L IY", "æktʃuːəli"),  # and its "actually", stress left out
        ("t ah0 m ey1 t ow2", "təmˈeɪtˌoʊ"),
        ("HH ER1 S ER0", "hˈɝsɚ"),
        ("DH IY0 IY1", "ðiˈiː"),
    ],
)
def test_arpabet_to_ipa(arpabet: str, ipa: str) -> None:
    assert arpabet_to_ipa(arpabet) == ipa
    ipa_to_espeak(ipa)  # and espeak's English voices can say it


@pytest.mark.parametrize(
    ("arpabet", "message"),
    [
        ("T AE3 L", "CMU ARPAbet has no phoneme 'AE3'"),
        ("T1 AE", "CMU ARPAbet has no phoneme 'T1'"),
        ("Q AE", "CMU ARPAbet has no phoneme 'Q'"),
        ("  ", "CMU ARPAbet needs at least one phoneme"),
    ],
)
def test_unknown_arpabet_is_named(arpabet: str, message: str) -> None:
    with pytest.raises(LexiconProblem) as caught:
        arpabet_to_ipa(arpabet)
    assert caught.value.message == message


def _entry(phoneme: str, alphabet: Alphabet | None = None) -> LexiconEntry:
    return LexiconEntry(grapheme="字", phoneme=phoneme, alphabet=alphabet)


@pytest.mark.parametrize(
    ("entry", "provider", "language", "problem"),
    [
        (_entry("hang2", Alphabet.pinyin), "kokoro", "zh-CN", None),
        (_entry("ㄏㄤˊ", Alphabet.bopomofo), "kokoro", "zh-CN", None),
        (_entry("x", Alphabet.kokoro), "kokoro", "zh-CN", None),
        (_entry("həˈloʊ", Alphabet.ipa), "kokoro", "zh-CN", "kokoro's Mandarin voices take pinyin, bopomofo or kokoro phonemes, not ipa"),
        (_entry("xx1", Alphabet.pinyin), "kokoro", "zh-CN", "unknown pinyin syllable 'xx'"),
        (_entry("həˈloʊ", Alphabet.ipa), "kokoro", "en-US", None),
        (_entry('h@"loU', Alphabet.x_sampa), "kokoro", "en-GB", None),
        (_entry("h#", Alphabet.x_sampa), "kokoro", "en-US", "X-SAMPA has no symbol '#' (U+0023) at 1"),
        (_entry("hang2", Alphabet.pinyin), "kokoro", "en-US", "kokoro's en-US voices take ipa, x-sampa or kokoro phonemes, not pinyin"),
        (_entry("h@'loU", Alphabet.espeak), "espeak", "en-US", None),
        (_entry("h@'loU", Alphabet.espeak), "espeak", "de-DE", None),
        (_entry("həˈloʊ", Alphabet.ipa), "espeak", "en-US", None),
        (_entry('h@"loU', Alphabet.x_sampa), "espeak", "en-US", None),
        (_entry("ʘa", Alphabet.ipa), "espeak", "en-US", "IPA for English espeak has no symbol 'ʘ' (U+0298) at 0"),
        (_entry("həˈloʊ", Alphabet.ipa), "espeak", "de-DE", "espeak's de-DE voices take only espeak phonemes; ipa and x-sampa are mapped for its English voices"),
        (_entry("hang2", Alphabet.pinyin), "espeak", "cmn", "espeak takes espeak, ipa or x-sampa phonemes, not pinyin"),
        (_entry("həˈloʊ", Alphabet.ipa), "piper", "en-US", "piper takes no phonemes; use an alias"),
        (_entry("həˈloʊ", Alphabet.ipa), "tone", "en-US", "tone takes no phonemes; use an alias"),
    ],
)  # fmt: skip
def test_phoneme_problem(
    entry: LexiconEntry, provider: str, language: str, problem: str | None
) -> None:
    found = phoneme_problem(
        entry, alphabet=Alphabet.ipa, provider=provider, voice_language=language
    )
    assert found == problem


def test_phoneme_problem_uses_the_lexicons_alphabet_when_the_entry_names_none() -> None:
    entry = _entry("hang2")
    assert (
        phoneme_problem(entry, alphabet=Alphabet.pinyin, provider="kokoro", voice_language="zh-CN")
        is None
    )
    assert phoneme_problem(
        entry, alphabet=Alphabet.ipa, provider="kokoro", voice_language="zh-CN"
    ) == ("kokoro's Mandarin voices take pinyin, bopomofo or kokoro phonemes, not ipa")


def test_an_alias_wins_so_its_phoneme_is_no_problem() -> None:
    used = UsedEntry(
        lexicon="mine", grapheme="W3C", alias="W three C", phoneme="ʘ", alphabet=Alphabet.ipa
    )
    assert (
        phoneme_problem(used, alphabet=Alphabet.ipa, provider="piper", voice_language="en-US")
        is None
    )
    bare = UsedEntry(lexicon="mine", grapheme="W3C", phoneme="ʘ", alphabet=Alphabet.ipa)
    assert phoneme_problem(
        bare, alphabet=Alphabet.ipa, provider="piper", voice_language="en-US"
    ) == ("piper takes no phonemes; use an alias")
