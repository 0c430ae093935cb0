"""to_simplified converts the script only, and keeps every character where it was."""

import pytest
import zhconv

from ttsjobs_synthesis.prepare_text import script
from ttsjobs_synthesis.prepare_text.script import to_simplified, to_traditional


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("滑鼠", "滑鼠"),
        ("軟體", "软体"),
        ("網路", "网路"),
        ("記憶體", "记忆体"),
        ("資訊", "资讯"),
        ("頭髮", "头发"),
        ("臺灣", "台湾"),
        ("我用滑鼠點開軟體，可是記憶體不夠。", "我用滑鼠点开软体，可是记忆体不够。"),
    ],
)
def test_the_script_changes_and_the_words_stay(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


def test_mainland_vocabulary_never_comes_in() -> None:
    out = to_simplified("我用滑鼠點開軟體，可是記憶體不夠，網路也很慢。")
    for mainland_word in ("鼠标", "软件", "内存", "网络"):
        assert mainland_word not in out


def test_text_that_is_already_simplified_or_not_han_is_untouched() -> None:
    text = "我用鼠标, and English 123 — 还有标点！"
    assert to_simplified(text) == text


def test_each_character_stays_at_its_position() -> None:
    text = "「頭髮」很長，YouBike 在臺北。\n還有 𠮷 與 㐀。"
    out = to_simplified(text)
    assert len(out) == len(text)
    for original, converted in zip(text, out, strict=True):
        assert converted == original or converted == zhconv.convert(original, "zh-hans")


def test_a_phrase_rule_that_changes_the_length_falls_back_to_characters(monkeypatch) -> None:
    # zhconv's zh-hans table has no such rule today; a future table might, and the positions
    # must survive it. A stand-in convert that lengthens any run longer than one character.
    real_convert = zhconv.convert

    def lengthening(text: str, locale: str) -> str:
        out = real_convert(text, locale)
        return out + "多" if len(text) > 1 else out

    monkeypatch.setattr(script.zhconv, "convert", lengthening)
    assert to_simplified("頭髮，軟體") == "头发，软体"


def test_zhconv_zh_hans_rules_keep_the_length() -> None:
    # Why the fallback above is rare: every zh-hans rule maps a phrase to one of equal length.
    from zhconv.zhconv import getdict

    assert all(len(key) == len(value) for key, value in getdict("zh-hans").items())


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("他笑著說話", "他笑着说话"),  # the particle: Simplified 着
        ("孩子睡著了", "孩子睡着了"),
        ("飛機著陸", "飞机着陆"),
        ("著名的著作", "著名的著作"),  # zhù: Simplified keeps 著
        ("效果顯著", "效果显著"),
    ],
)
def test_zhe_becomes_its_simplified_form_only_where_it_is_not_zhu(traditional, simplified) -> None:
    assert to_simplified(traditional) == simplified


def test_to_traditional_finds_the_dictionary_script_and_keeps_the_length() -> None:
    assert to_traditional("头发和质量") == "頭髮和質量"
    text = "他说：OK，头发 5 公分。"
    assert len(to_traditional(text)) == len(text)
