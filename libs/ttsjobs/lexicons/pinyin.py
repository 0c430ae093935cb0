"""Mandarin readings: pinyin with tone numbers, Bopomofo, and pinyin with tone marks.

Our pinyin form is Google's: syllables with tone numbers 1-5 (5 the neutral tone), separated by
spaces, ü written "v" after n and l ("lv4", "nve4") and "u" after j, q, x, y ("ju3") - the form
pypinyin's TONE3 style writes, which the G2P stage speaks. What users type is accepted more
liberally (tone marks, "ü", "u:", Azure's spaced "hao 3", "hang2zhang3") and normalised.

Every syllable is checked against the syllables pypinyin's own dictionary uses, and the
Bopomofo table is pypinyin's BOPOMOFO conversion of those syllables, reversed; both are built
once, on first use (pypinyin's dictionaries are large: nothing is read at import).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ttsjobs.lexicons.problems import LexiconProblem

# pypinyin's dictionaries hold a few interjections whose "syllables" are bare nasals; they have
# no Bopomofo of their own (pypinyin maps "m" to ㄇㄨ, which is "mu"), so they stay pinyin-only.
_NO_BOPOMOFO = {"m", "n", "ng", "hm", "hng", "wong"}
_TONE_MARKS = {"ˉ": 1, "ˊ": 2, "ˇ": 3, "ˋ": 4, "˙": 5}
_MARK_FOR_TONE = {1: "", 2: "ˊ", 3: "ˇ", 4: "ˋ", 5: "˙"}
_PIECE = re.compile(r"([^\d\s]+)(\d?)")
_SYLLABLE = re.compile(r"([a-zêü]+)([1-5])")
# Pinyin's tone-marked vowels, decomposed: a combining macron, acute, caron or grave.
_COMBINING_TONES = {"\u0304", "\u0301", "\u030c", "\u0300"}


@cache
def syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows ("hang", "lv", "ju", "er", "ê", ...): those of its
    single-character dictionary (its phrase dictionary adds none; checked with pypinyin 0.55)."""
    from pypinyin import pinyin_dict
    from pypinyin.contrib.tone_convert import to_tone3

    readings: set[str] = set()
    for joined in pinyin_dict.pinyin_dict.values():
        readings.update(joined.split(","))
    known = set()
    for reading in readings:
        found = _SYLLABLE.fullmatch(to_tone3(reading, neutral_tone_with_five=True))
        if found:
            known.add(found[1])
    return frozenset(known)


@cache
def _bopomofo_table() -> tuple[dict[str, str], dict[str, str]]:
    """(toneless pinyin -> Bopomofo, Bopomofo -> toneless pinyin)."""
    from pypinyin import Style
    from pypinyin.contrib.tone_convert import to_tone
    from pypinyin.style import convert

    forward = {"ê": "ㄝ"}
    for base in sorted(syllables() - _NO_BOPOMOFO - {"ê"}):
        # Tone 1 carries no mark in pypinyin's Bopomofo, so it gives the bare syllable.
        forward[base] = convert(to_tone(base + "1"), Style.BOPOMOFO, strict=True)
    backward = {bopomofo: base for base, bopomofo in forward.items()}
    assert len(backward) == len(forward), "two syllables share one Bopomofo spelling"
    return forward, backward


def _toned(letters: str, digit: str, *, marks_allowed: bool) -> tuple[str, int | None]:
    """(toneless syllable, tone) from one piece as typed; tone None when none was written."""
    decomposed = unicodedata.normalize("NFD", letters)
    marks = [c for c in decomposed if c in _COMBINING_TONES]
    plain = "".join(c for c in decomposed if c not in _COMBINING_TONES)
    plain = unicodedata.normalize("NFC", plain).replace("u:", "ü").replace("ü", "v")
    tone = int(digit) if digit else None
    if marks:
        if tone is not None or len(marks) > 1:
            raise LexiconProblem("phoneme", f"pinyin {letters + digit!r} has two tones")
        tone = 1 + ["\u0304", "\u0301", "\u030c", "\u0300"].index(marks[0])
    elif tone is None and marks_allowed:
        tone = 5  # in tone-mark writing an unmarked syllable is the neutral tone
    if plain[:1] in "jqxy":
        plain = plain.replace("v", "u")  # ü is written u after j, q, x, y
    return plain, (5 if tone == 0 else tone)


def pinyin_syllables(text: str) -> list[str]:
    """Pinyin as typed -> our syllables: "Hang2 zhang3" -> ["hang2", "zhang3"], "lǜ" ->
    ["lv4"], "nü3" -> ["nv3"], "hao 3" -> ["hao3"]. Raises LexiconProblem("phoneme", ...)
    naming the syllable it cannot read."""
    text = unicodedata.normalize("NFC", text).lower()
    pieces = _PIECE.findall(re.sub(r"(?<=[^\d\s])\s+(?=\d)", "", text))
    if not pieces:
        raise LexiconProblem("phoneme", "pinyin needs at least one syllable")
    marks_allowed = any(
        c in _COMBINING_TONES for c in unicodedata.normalize("NFD", text)
    ) and not any(digit for _, digit in pieces)
    known = syllables()
    found = []
    for letters, digit in pieces:
        base, tone = _toned(letters, digit, marks_allowed=marks_allowed)
        if base not in known and not (base.endswith("r") and base[:-1] in known):
            raise LexiconProblem("phoneme", f"unknown pinyin syllable {letters!r}")
        if tone is None or not 1 <= tone <= 5:
            raise LexiconProblem(
                "phoneme",
                f"pinyin {letters + digit!r} needs a tone number 1-5 (5 for the neutral tone)",
            )
        found.append(f"{base}{tone}")
    return found


def normalised_pinyin(text: str) -> str:
    """Our canonical pinyin string for what was typed: "hang2 zhang3"."""
    return " ".join(pinyin_syllables(text))


def pinyin_to_bopomofo(syllables_: list[str] | str, *, neutral_first: bool = False) -> str:
    """["hang2", "zhang3"] (or "hang2 zhang3") -> "ㄏㄤˊ ㄓㄤˇ". Tone 1 carries no mark; the
    neutral tone's "˙" follows the syllable as Azure writes it ("ㄇㄚ˙"), or with
    ``neutral_first`` leads it as Taiwan's schoolbooks print it ("˙ㄇㄚ")."""
    if isinstance(syllables_, str):
        syllables_ = pinyin_syllables(syllables_)
    forward, _ = _bopomofo_table()
    spelled = []
    for syllable in syllables_:
        base, tone = syllable[:-1], int(syllable[-1])
        # Erhua: the syllable, its tone, then ㄦ ("huar1" -> ㄏㄨㄚㄦ).
        erhua = base not in forward and base.endswith("r") and base[:-1] in forward
        if erhua:
            base = base[:-1]
        if base not in forward:
            raise LexiconProblem("phoneme", f"pinyin {syllable!r} has no Bopomofo spelling")
        if tone == 5 and neutral_first:
            spelled.append("˙" + forward[base] + ("ㄦ" if erhua else ""))
        else:
            spelled.append(forward[base] + _MARK_FOR_TONE[tone] + ("ㄦ" if erhua else ""))
    return " ".join(spelled)


def bopomofo_syllables(text: str) -> list[str]:
    """Bopomofo -> our pinyin syllables: "ㄏㄤˊ ㄓㄤˇ" -> ["hang2", "zhang3"]. Tone 1 may be
    marked "ˉ" or not; the neutral "˙" may stand before the syllable (Taiwan's school form) or
    after it (Azure's). Raises LexiconProblem("phoneme", ...) naming what it cannot read."""
    _, backward = _bopomofo_table()
    # A tone mark ends a syllable, except "˙", which may also begin one.
    spaced = re.sub(r"([ˉˊˇˋ])(?!ㄦ)", r"\1 ", unicodedata.normalize("NFC", text))
    spaced = re.sub(r"˙(?=[\u3105-\u312f])", " ˙", spaced)
    found = []
    for token in spaced.split():
        tone = 1
        marks = [c for c in token if c in _TONE_MARKS]
        if len(marks) > 1:
            raise LexiconProblem("phoneme", f"Bopomofo {token!r} has two tones")
        if marks:
            tone = _TONE_MARKS[marks[0]]
        bare = "".join(c for c in token if c not in _TONE_MARKS)
        if bare not in backward and bare.endswith("ㄦ") and bare[:-1] in backward:
            found.append(f"{backward[bare[:-1]]}r{tone}")
            continue
        if bare not in backward:
            raise LexiconProblem("phoneme", f"unknown Bopomofo syllable {token!r}")
        found.append(f"{backward[bare]}{tone}")
    if not found:
        raise LexiconProblem("phoneme", "Bopomofo needs at least one syllable")
    return found


def normalised_bopomofo(text: str) -> str:
    """Our canonical Bopomofo string for what was typed: "ㄏㄤˊ ㄓㄤˇ", "ㄇㄚ˙"."""
    return pinyin_to_bopomofo(bopomofo_syllables(text))


def tone_marks(syllables_: list[str] | str) -> str:
    """["le4", "se4"] (or "le4 se4") -> "lè sè", for display."""
    from pypinyin.contrib.tone_convert import to_tone

    if isinstance(syllables_, str):
        syllables_ = pinyin_syllables(syllables_)
    return " ".join(to_tone(s) for s in syllables_)
