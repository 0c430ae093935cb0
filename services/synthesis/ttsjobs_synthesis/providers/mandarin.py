"""Mandarin text to Kokoro's phonemes, from Traditional or Simplified characters.

misaki's G2P (jieba for words, pypinyin for readings) keys its word list on Simplified
characters, so the text is converted to Simplified here, for the G2P only: the stored input, the
captions and the UI keep the text as the user wrote it. Numbers and dates become Chinese words
(cn2an, inside misaki); runs of Latin letters are read by the English phonemiser handed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import zhconv

_LATIN_OR_NOT = re.compile(r"([A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)*)|([^A-Za-z]+)")


def prepare_jieba(cache_file: Path) -> None:
    """Point jieba's dictionary cache at a file this install owns (it writes one on first use)."""
    import jieba

    jieba.setLogLevel(60)  # its progress lines are not log events
    jieba.dt.cache_file = str(cache_file)
    jieba.dt.tmp_dir = str(cache_file.parent)


class MandarinG2P:
    def __init__(self, *, english: Callable[[str], str], jieba_cache: Path) -> None:
        prepare_jieba(jieba_cache)
        from misaki import zh

        self._g2p = zh.ZHG2P()
        self._english = english

    def __call__(self, text: str) -> str:
        simplified = zhconv.convert(text, "zh-cn")
        phonemes = []
        for latin, other in _LATIN_OR_NOT.findall(simplified):
            if latin:
                phonemes.append(self._english(latin))
            elif other.strip():
                phonemes.append(self._g2p(other)[0])
        return " ".join(p.strip() for p in phonemes if p.strip())
