"""Phoneme alphabets: checking what a user wrote, converting it, and knowing which engine can
say it.

- ``checked_phoneme``: the form we store for a phoneme in one of our alphabets (pinyin and
  Bopomofo normalised, X-SAMPA proven convertible), or a LexiconProblem naming what is wrong;
  the parsers call it on every phoneme, so a stored lexicon holds only readable phonemes.
- ``xsampa_to_ipa``, ``ipa_to_espeak``: longest-match transcription by the tables beside this
  module; an unknown symbol is a LexiconProblem that names it.
- ``phoneme_problem``: whether an engine (provider, voice language) can take an entry's phoneme.
- Mandarin readings (pinyin, Bopomofo, tone marks) live in ``pinyin.py`` and are named here too.
"""

from __future__ import annotations

import unicodedata

from ttsjobs.contracts.lexicon import Alphabet, LexiconEntry, UsedEntry
from ttsjobs.contracts.readings import is_mandarin
from ttsjobs.lexicons.espeak_table import IPA_TO_ESPEAK
from ttsjobs.lexicons.pinyin import (
    bopomofo_syllables,
    normalised_bopomofo,
    normalised_pinyin,
    pinyin_syllables,
    pinyin_to_bopomofo,
    tone_marks,
)
from ttsjobs.lexicons.problems import LexiconProblem
from ttsjobs.lexicons.xsampa_table import XSAMPA_TO_IPA

__all__ = [
    "bopomofo_syllables",
    "checked_phoneme",
    "ipa_to_espeak",
    "normalised_bopomofo",
    "normalised_pinyin",
    "phoneme_problem",
    "pinyin_syllables",
    "pinyin_to_bopomofo",
    "tone_marks",
    "xsampa_to_ipa",
]

_LONGEST_XSAMPA = max(map(len, XSAMPA_TO_IPA))
_LONGEST_IPA = max(map(len, IPA_TO_ESPEAK))
_DELIMITERS = (("/", "/"), ("[", "]"))
_MANDARIN_ALPHABETS = (Alphabet.pinyin, Alphabet.bopomofo, Alphabet.kokoro)
_OTHER_KOKORO_ALPHABETS = (Alphabet.ipa, Alphabet.x_sampa, Alphabet.kokoro)


def _transcribe(text: str, table: dict[str, str], longest: int, what: str) -> str:
    out, at = [], 0
    while at < len(text):
        for size in range(min(longest, len(text) - at), 0, -1):
            symbol = text[at : at + size]
            if symbol in table:
                out.append(table[symbol])
                at += size
                break
        else:
            char = text[at]
            raise LexiconProblem(
                "phoneme", f"{what} has no symbol {char!r} (U+{ord(char):04X}) at {at}"
            )
    return "".join(out)


def xsampa_to_ipa(text: str) -> str:
    """X-SAMPA -> IPA: '"hEl@U' -> "ˈhɛləʊ"."""
    return unicodedata.normalize(
        "NFC", _transcribe(text, XSAMPA_TO_IPA, _LONGEST_XSAMPA, "X-SAMPA")
    )


def ipa_to_espeak(text: str) -> str:
    """English IPA -> espeak-ng mnemonics: "həˈloʊ" -> "h@'loU"."""
    return _transcribe(
        unicodedata.normalize("NFC", text), IPA_TO_ESPEAK, _LONGEST_IPA, "IPA for English espeak"
    )


def _undelimited(text: str) -> str:
    # Dictionaries print IPA between slashes or brackets (ElevenLabs' example: /tə'meɪtoʊ/);
    # they mark the notation, not a sound.
    text = text.strip()
    for opening, closing in _DELIMITERS:
        if len(text) > 2 and text.startswith(opening) and text.endswith(closing):
            return text[1:-1].strip()
    return text


def checked_phoneme(text: str, alphabet: Alphabet) -> str:
    """The phoneme as we store it, or LexiconProblem("phoneme", ...): pinyin and Bopomofo in
    their canonical forms ("hang2 zhang3", "ㄏㄤˊ ㄓㄤˇ"), IPA and X-SAMPA without enclosing
    slashes (X-SAMPA checked symbol by symbol), kokoro and espeak passed through."""
    if alphabet is Alphabet.pinyin:
        return normalised_pinyin(text)
    if alphabet is Alphabet.bopomofo:
        return normalised_bopomofo(text)
    if alphabet is Alphabet.x_sampa:
        bare = _undelimited(text)
        xsampa_to_ipa(bare)
        return bare
    if alphabet is Alphabet.ipa:
        return unicodedata.normalize("NFC", _undelimited(text))
    return text.strip()


def _is_english(language: str) -> bool:
    return language.strip().lower().replace("_", "-").split("-", 1)[0] == "en"


def _listed(alphabets: tuple[Alphabet, ...]) -> str:
    names = [a.value for a in alphabets]
    return ", ".join(names[:-1]) + " or " + names[-1]


def phoneme_problem(
    entry: UsedEntry | LexiconEntry, *, alphabet: Alphabet, provider: str, voice_language: str
) -> str | None:
    """Why this engine cannot say ``entry``'s phoneme, or None when it can (or when the entry
    has an alias, which wins, or no phoneme). ``alphabet`` is the lexicon's default, used when
    the entry names none. The message names what is wrong; the caller adds which entry."""
    if entry.alias is not None or entry.phoneme is None:
        return None
    used = entry.alphabet or alphabet
    try:
        if provider == "kokoro":
            return _kokoro_problem(entry.phoneme, used, voice_language)
        if provider == "espeak":
            return _espeak_problem(entry.phoneme, used, voice_language)
    except LexiconProblem as problem:
        return problem.message
    return f"{provider} takes no phonemes; use an alias"


def _kokoro_problem(phoneme: str, used: Alphabet, voice_language: str) -> str | None:
    if is_mandarin(voice_language):
        if used not in _MANDARIN_ALPHABETS:
            return (
                f"kokoro's Mandarin voices take {_listed(_MANDARIN_ALPHABETS)} phonemes, "
                f"not {used.value}"
            )
        if used is Alphabet.pinyin:
            pinyin_syllables(phoneme)
        elif used is Alphabet.bopomofo:
            bopomofo_syllables(phoneme)
        return None
    if used not in _OTHER_KOKORO_ALPHABETS:
        return (
            f"kokoro's {voice_language} voices take {_listed(_OTHER_KOKORO_ALPHABETS)} "
            f"phonemes, not {used.value}"
        )
    if used is Alphabet.x_sampa:
        xsampa_to_ipa(phoneme)
    return None


def _espeak_problem(phoneme: str, used: Alphabet, voice_language: str) -> str | None:
    if used is Alphabet.espeak:
        return None
    if used not in (Alphabet.ipa, Alphabet.x_sampa):
        return f"espeak takes espeak, ipa or x-sampa phonemes, not {used.value}"
    if not _is_english(voice_language):
        return (
            f"espeak's {voice_language} voices take only espeak phonemes; "
            "ipa and x-sampa are mapped for its English voices"
        )
    ipa_to_espeak(xsampa_to_ipa(phoneme) if used is Alphabet.x_sampa else phoneme)
    return None
