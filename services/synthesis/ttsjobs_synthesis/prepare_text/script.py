"""Traditional characters to Simplified ones, for the Mandarin G2P: the script, never the words.

Consumes text as the user wrote it; emits text of the same length in which character i is
character i of the input in Simplified script. The G2P (jieba, pypinyin) keys its dictionaries
on Simplified characters, so it reads Simplified best; but zhconv's ``zh-cn`` target also swaps
Taiwan vocabulary for mainland vocabulary (滑鼠 → 鼠标, 軟體 → 软件), so the voice would say words
the user never wrote. ``zh-hans`` converts the script only (滑鼠 → 滑鼠, 軟體 → 软体). Keeping the
length lets every later step map a position in the converted text back to the user's text.
"""

from __future__ import annotations

import re

import zhconv

# Runs of characters zhconv may convert as a phrase; anything else (punctuation, spaces, Latin)
# separates them, so a phrase conversion that changes the length only costs its own run.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


# Traditional 著 is two Simplified characters: 著 (zhù: 著名, 著作, 顯著) and 着 (the particle
# zhe, and zháo, zhuó: 跟著, 睡著, 著陸). zhconv keeps 著 throughout, and the G2P then reads every
# 跟著 as gēn zhù; these are the words in which 著 stays 著, every other 著 becomes 着.
_ZHU = re.compile(r"(?<![显土原名巨编论专合译遗昭卓拙新大杰])著(?![名作述称书录者有文])")


def to_simplified(text: str) -> str:
    """``text`` in Simplified script, same length, character for character."""
    simplified = _HAN_RUN.sub(lambda run: _convert_run(run.group(), "zh-hans"), text)
    return _ZHU.sub("着", simplified)


def to_traditional(text: str) -> str:
    """``text`` in Traditional script, same length: how the Taiwan lexicon (keyed on the
    dictionary's Traditional headwords) finds a word written in Simplified (头发 → 頭髮)."""
    return _HAN_RUN.sub(lambda run: _convert_run(run.group(), "zh-hant"), text)


def _convert_run(run: str, locale: str) -> str:
    converted = zhconv.convert(run, locale)
    if len(converted) == len(run):
        return converted
    # A phrase rule changed the length: character by character keeps positions aligned.
    return "".join(_convert_char(char, locale) for char in run)


def _convert_char(char: str, locale: str) -> str:
    converted = zhconv.convert(char, locale)
    return converted if len(converted) == 1 else char
