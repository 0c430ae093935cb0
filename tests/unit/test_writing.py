"""Which scripts a voice reads (the Unicode Script property), what has something to say, and
which names can be shown: the rules that the door, casting and synthesis share."""

from __future__ import annotations

import unicodedata

import pytest

from ttsjobs.contracts.strings import blank, name_problem, nfc, says_something
from ttsjobs.contracts.writing import reads, script_problem, scripts_in, unreadable

ARABIC = "مرحبا بالعالم"
HEBREW = "שלום עולם"


@pytest.mark.parametrize("language", ["en-US", "en-GB", "zh-CN", "fr-FR", "hi-IN"])
@pytest.mark.parametrize(("text", "script"), [(ARABIC, "Arabic"), (HEBREW, "Hebrew")])
def test_arabic_and_hebrew_are_refused_by_voices_of_other_scripts(language, text, script):
    problem = script_problem(f"Hello, {text}!", language)
    assert problem is not None and script in problem and language in problem


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("早安，Bob。iPhone 很好用。", "zh-CN"),  # Latin is read in Chinese
        ("ㄅㄆㄇ 注音", "zh-TW"),
        ("今日は、カタカナとひらがな。", "ja"),
        ("안녕하세요, Kim 씨.", "ko"),
        ("नमस्ते दुनिया 123", "hi-IN"),
        ("Привет, iPhone!", "ru"),
        (ARABIC + " ١٢٣", "ar"),
        (HEBREW, "he"),
        ("Καλημέρα", "el"),
        ("Grüße, señor! Ça va? 😀 № 5 — ½", "de"),
        ("𐑖𐑱𐑝𐑾𐑯 and Latin", "en-Shaw"),  # a script subtag adds its script
        ("سلام salam", "fa-Latn"),
    ],
)
def test_a_language_reads_its_scripts_latin_and_common_characters(text, language):
    assert script_problem(text, language) is None


def test_a_language_the_table_does_not_know_blocks_nothing():
    assert reads("xx-YY") is None
    assert script_problem(ARABIC + "日本", "xx-YY") is None


def test_an_engine_that_reads_less_than_its_language_says_so():
    # espeak-ng's Japanese reads kana and says "Chinese letter" for every kanji.
    assert unreadable("日本語です", "ja") is None
    assert unreadable("日本語です", "ja", provider="espeak") == "Han"
    assert unreadable("ひらがなです", "ja", provider="espeak") is None


def test_the_scripts_of_a_text_are_found_in_order_with_their_first_index():
    assert scripts_in("Hi 世界 مرحبا 世 Ω") == {"Han": 3, "Arabic": 6, "Greek": 14}
    assert scripts_in("Hello, 123! 😀") == {}


def test_a_character_of_an_unlisted_script_is_named_by_its_code_point():
    problem = script_problem("𐌰𐌱", "en")
    assert problem is not None and "U+10330" in problem and "GOTHIC LETTER AHSA" in problem
    # The first such character stands for all of them; listed scripts after it are still found.
    assert scripts_in("𐌰𐌱 ᚠ 世") == {"U+10330": 0, "Runic": 3, "Han": 5}


def test_matching_is_on_nfc_and_the_text_is_left_as_sent():
    decomposed = unicodedata.normalize("NFD", "Café résumé")
    assert decomposed != nfc(decomposed) == "Café résumé"
    assert script_problem(decomposed, "fr") is None
    compatibility = "\uf900"  # a CJK compatibility ideograph: NFC makes it U+8C48
    assert nfc(compatibility) == "\u8c48" and script_problem(compatibility, "zh") is None


@pytest.mark.parametrize(
    "text",
    [
        "。。。！？",
        "...",
        "!?;:—",
        "\u200b\u2060\ufeff",  # ZWSP, WJ, BOM: str.strip() keeps them
        " \t\u3000 ",
        "😀🎉 ★ ♪",
        "\u0301\u0308",  # combining marks alone
    ],
)
def test_only_punctuation_symbols_or_invisible_characters_say_nothing(text):
    assert not says_something(text)


@pytest.mark.parametrize("text", ["a", "3", "٣", "三", "ａ", "Ⅻ", "¿Qué?", "…ok"])
def test_one_letter_or_number_of_any_script_says_something(text):
    assert says_something(text)


def test_blank_means_only_whitespace_and_format_characters():
    assert blank("\u200b \ufeff\u2060\u200e")
    assert not blank("👨\u200d👩")  # a ZWJ sequence shows


@pytest.mark.parametrize(
    "name",
    ["\u202eecilA", "Al\u202dice", "\u2066Bob\u2069", "Bo\u200fb", "\u061cسارا", "A\x00",
     "A\x1b[31m", "A\x85", "A\x9b", "A\tB", "A\x7f"],
)  # fmt: skip
def test_controls_and_bidi_controls_are_refused_in_names(name):
    problem = name_problem(name)
    assert problem is not None and "control" in problem


@pytest.mark.parametrize("name", ["Alice", "小明", "سارا", "Dr. Who", "👨\u200d👩 family"])
def test_names_of_any_script_are_fine(name):
    assert name_problem(name) is None


def test_a_long_text_is_checked_in_one_pass_per_script():
    # Not timed (bench/ times things): the result for a text with every script far apart.
    text = "word " * 20_000 + "世界" + "word " * 20_000 + "مرحبا"
    assert list(scripts_in(text)) == ["Han", "Arabic"]
