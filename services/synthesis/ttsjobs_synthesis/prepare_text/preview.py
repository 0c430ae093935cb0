"""The pronunciation preview, answered by the same stage the voices read through: Mandarin word
by word with its syllables (mandarin.py), other languages word by word in IPA."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from ttsjobs.contracts.lexicon import Alphabet
from ttsjobs.contracts.pronunciations import PreviewWord
from ttsjobs.contracts.readings import is_mandarin
from ttsjobs.lexicons.alphabets import xsampa_to_ipa
from ttsjobs.lexicons.pinyin import pinyin_to_bopomofo, tone_marks
from ttsjobs_synthesis.prepare_text.engine_text import normaliser_for, planned
from ttsjobs_synthesis.prepare_text.mandarin import MandarinStage
from ttsjobs_synthesis.prepare_text.plan import said_text
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation

Phonemise = Callable[[str, str], str]  # (text, espeak language) -> IPA
_WORD = re.compile(r"\S+")
_ESPEAK_LANGUAGES = {"en-us": "en-us", "en-gb": "en-gb", "pt-br": "pt-br", "fr-fr": "fr-fr"}


def espeak_language(tag: str) -> str:
    tag = tag.lower()
    return _ESPEAK_LANGUAGES.get(tag) or ("en-us" if tag.startswith("en") else tag.split("-")[0])


class Previewer:
    """One per process; jieba and espeak keep global state, so one preview runs at a time."""

    def __init__(self, phonemise: Phonemise) -> None:
        self._phonemise = phonemise
        self._lock = threading.Lock()
        self._mandarin = MandarinStage(english=lambda words: phonemise(words, "en-us"))

    def words(self, text: str, language: str, pronunciation: Pronunciation) -> list[PreviewWord]:
        with self._lock:
            if is_mandarin(language):
                return [self._chinese(w) for w in self._mandarin.words(text, pronunciation)]
            return self._other(text, language, pronunciation)

    @staticmethod
    def _chinese(word) -> PreviewWord:
        if word.syllables:
            marks = tone_marks(list(word.syllables))
            return PreviewWord(
                text=word.text,
                start=word.start,
                end=word.end,
                reading=marks,
                pinyin=marks,
                bopomofo=pinyin_to_bopomofo(list(word.syllables)),
                source=word.source,
            )
        said = word.phonemes.strip() if word.source != "other" else ""
        return PreviewWord(
            text=word.text,
            start=word.start,
            end=word.end,
            reading=said or None,
            source=word.source,
        )

    def _other(self, text: str, language: str, pronunciation: Pronunciation) -> list[PreviewWord]:
        normalise = normaliser_for(language)
        espeak = espeak_language(language)
        out: list[PreviewWord] = []
        for piece in planned(text, language, pronunciation):
            if piece.said is None:
                ipa = piece.phoneme or ""
                if piece.alphabet is Alphabet.x_sampa:
                    ipa = xsampa_to_ipa(ipa)
                out.append(
                    PreviewWord(
                        text=text[piece.start : piece.end],
                        start=piece.start,
                        end=piece.end,
                        reading=ipa,
                        source=piece.source,
                    )
                )
                continue
            if piece.source != "text":  # said instead of what was written: one word
                said = said_text(piece, normalise)
                out.append(
                    PreviewWord(
                        text=text[piece.start : piece.end],
                        start=piece.start,
                        end=piece.end,
                        reading=self._phonemise(said, espeak).strip(),
                        source=piece.source,
                    )
                )
                continue
            for word in _WORD.finditer(piece.said):
                out.append(
                    PreviewWord(
                        text=word.group(),
                        start=piece.start + word.start(),
                        end=piece.start + word.end(),
                        reading=self._phonemise(word.group(), espeak).strip() or None,
                        source="g2p",
                    )
                )
        return out
