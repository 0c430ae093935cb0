"""Mandarin text to Kokoro's phonemes, word by word, through the whole prepare-text stage.

The turn is cut into pieces (plan.py: the user's lexicon entries, the built-in Latin words,
numbers and the like said as words by normalise_zh). Chinese is read word by word under the
role's reading standard (mandarin_readings.py: the script converted for the G2P only, never the
vocabulary); Latin runs go to the English G2P handed in; a lexicon's pinyin, Bopomofo or Kokoro
phonemes are used as they are. Each word keeps its place in the turn and where its reading came
from, which is what the pronunciation preview shows: the preview and the voice use this one path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from misaki.zh import ZHG2P

from ttsjobs.contracts.lexicon import Alphabet
from ttsjobs.lexicons.alphabets import xsampa_to_ipa
from ttsjobs.lexicons.pinyin import bopomofo_syllables, pinyin_syllables
from ttsjobs_synthesis.prepare_text.latin_words import KNOWN, spoken_latin
from ttsjobs_synthesis.prepare_text.mandarin_readings import read_mandarin
from ttsjobs_synthesis.prepare_text.normalise_zh import normalise_zh
from ttsjobs_synthesis.prepare_text.plan import Piece, builtin_matcher, pieces, said_text
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation

_LATIN_OR_NOT = re.compile(r"([A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)*)|([^A-Za-z]+)")
_BUILTIN = builtin_matcher(KNOWN)


@dataclass(frozen=True)
class SpokenWord:
    text: str  # as the user wrote it
    start: int
    end: int
    syllables: tuple[str, ...]  # pinyin, tone numbers; empty for Latin and punctuation
    phonemes: str  # what Kokoro is given for it
    source: str  # g2p, taiwan, rule, normalised, latin, lexicon:<name>, other


class MandarinStage:
    def __init__(self, english: Callable[[str], str]) -> None:
        self._english = english

    def words(self, text: str, pronunciation: Pronunciation) -> list[SpokenWord]:
        standard = pronunciation.reading or "mainland"
        out: list[SpokenWord] = []
        for piece in pieces(
            text,
            pronunciation.entries,
            normalise=normalise_zh,
            builtin=_BUILTIN,
            spoken=pronunciation.spoken_as,
            language="zh-TW" if standard == "taiwan" else "zh-CN",
        ):
            out += self._piece_words(text, piece, standard)
        return out

    def phonemes(self, text: str, pronunciation: Pronunciation) -> str:
        return joined(self.words(text, pronunciation))

    def _piece_words(self, text: str, piece: Piece, standard: str) -> list[SpokenWord]:
        written = text[piece.start : piece.end]
        if piece.said is None:
            return [self._reading(written, piece)]
        said = said_text(piece, normalise_zh)
        words = self._said_words(said, standard, offset=piece.start)
        if piece.source == "text":
            return words
        # Said instead of what was written: one word, the written text, that says it all.
        syllables = tuple(s for w in words for s in w.syllables)
        return [SpokenWord(written, piece.start, piece.end, syllables, joined(words), piece.source)]

    def _reading(self, written: str, piece: Piece) -> SpokenWord:
        assert piece.phoneme is not None
        if piece.alphabet in (Alphabet.kokoro, Alphabet.ipa):  # IPA: a turn's own <phoneme>
            return SpokenWord(written, piece.start, piece.end, (), piece.phoneme, piece.source)
        if piece.alphabet is Alphabet.x_sampa:
            phonemes = xsampa_to_ipa(piece.phoneme)
            return SpokenWord(written, piece.start, piece.end, (), phonemes, piece.source)
        if piece.alphabet is Alphabet.bopomofo:
            syllables = tuple(bopomofo_syllables(piece.phoneme))
        else:  # the gateway let only Mandarin's alphabets through for a Mandarin voice
            syllables = tuple(pinyin_syllables(piece.phoneme))
        phonemes = "".join(ZHG2P.py2ipa(s) for s in syllables)
        return SpokenWord(written, piece.start, piece.end, syllables, phonemes, piece.source)

    def _said_words(self, said: str, standard: str, *, offset: int) -> list[SpokenWord]:
        out: list[SpokenWord] = []
        for run in _LATIN_OR_NOT.finditer(said):
            at = offset + run.start()
            if run.group(1):
                spoken, _ = spoken_latin(run.group(1))
                out.append(
                    SpokenWord(
                        run.group(1), at, offset + run.end(), (), self._english(spoken), "latin"
                    )
                )
                continue
            for word in read_mandarin(run.group(2), standard):
                start, end = at + word.start, at + word.end
                if word.syllables:
                    phonemes = "".join(ZHG2P.py2ipa(s) for s in word.syllables)
                else:
                    phonemes = ZHG2P.map_punctuation(word.text) if word.text.strip() else " "
                out.append(SpokenWord(word.text, start, end, word.syllables, phonemes, word.source))
        return out


def joined(words: list[SpokenWord]) -> str:
    """The words' phonemes as one string: words apart by a space, punctuation after its word."""
    out = ""
    for word in words:
        phonemes = word.phonemes.strip()
        if not phonemes:
            out += " "
        elif word.syllables or word.source == "latin" or phonemes[0].isalpha():
            out += (" " if out and not out.endswith(" ") else "") + phonemes
        else:
            out = out.rstrip() + phonemes + " "
    return " ".join(out.split())
