"""SSML's attribute values as ttsjobs' numbers: pauses in ms, prosody as multipliers of the
voice's own rate, gain and pitch, phoneme alphabets and say-as kinds. Each table is the
documented mapping (README, "SSML"); a value outside it is a warning, never a refusal, as the
cloud services treat it.

Every reader returns ``(value, warning)``: the value is None when the attribute is not used.
"""

from __future__ import annotations

import math
import re

from ttsjobs.contracts.job_request import MAX_PAUSE_MS
from ttsjobs.contracts.lexicon import Alphabet
from ttsjobs.contracts.turn_markup import SayAs

Read = tuple[float | None, str | None]

# <break strength>: Azure's documented lengths (Polly's are "a comma", "a sentence", ...).
BREAK_STRENGTH_MS = {
    "none": 0,
    "x-weak": 250,
    "weak": 500,
    "medium": 750,  # also a <break/> with neither attribute
    "strong": 1000,
    "x-strong": 1250,
}
MEDIUM_MS = BREAK_STRENGTH_MS["medium"]
SENTENCE_PAUSE_MS = 300  # after </s>: the pause a dialogue has between turns
PARAGRAPH_PAUSE_MS = 600  # after </p>: as between a single_tts text's paragraphs

# <prosody rate>: Azure's documented multipliers; a percentage without a sign is absolute
# ("150%"), with one it is relative to the enclosing rate ("+10%").
RATES = {"x-slow": 0.5, "slow": 0.64, "medium": 1.0, "fast": 1.55, "x-fast": 2.0, "default": 1.0}
# <prosody volume>: gains in dB around the voice's level (silent cannot be: it is the quietest).
VOLUMES_DB = {
    "silent": -math.inf, "x-soft": -6.0, "soft": -3.0, "medium": 0.0, "loud": 3.0,
    "x-loud": 6.0, "default": 0.0,
}  # fmt: skip
PITCHES = {"x-low": 0.8, "low": 0.9, "medium": 1.0, "high": 1.1, "x-high": 1.2, "default": 1.0}

SPEED_RANGE = (0.25, 4.0)  # the contract's Speed, Volume and Pitch bounds
VOLUME_RANGE = (0.1, 4.0)
PITCH_RANGE = (0.5, 2.0)

_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$")
_PERCENT = re.compile(r"^\s*([+-])?(\d+(?:\.\d+)?)\s*%\s*$")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")
_DB = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*dB\s*$", re.I)
_SEMITONES = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)\s*st\s*$")


def break_ms(time: str | None, strength: str | None) -> tuple[int, str | None]:
    """A <break>'s length: its time, else its strength, else medium's; at most MAX_PAUSE_MS."""
    if time is not None:
        if (m := _TIME.match(time)) is None:
            return BREAK_STRENGTH_MS[
                "medium"
            ], f'<break time="{time}"> is not a time; read as medium'
        ms = float(m.group(1)) * (1 if m.group(2) == "ms" else 1000)
        if ms > MAX_PAUSE_MS:
            return (
                MAX_PAUSE_MS,
                f'<break time="{time}"> is longer than {MAX_PAUSE_MS} ms; cut to it',
            )
        return round(ms), None
    if strength is None:
        return BREAK_STRENGTH_MS["medium"], None
    if strength not in BREAK_STRENGTH_MS:
        return BREAK_STRENGTH_MS[
            "medium"
        ], f'<break strength="{strength}"> is unknown; read as medium'
    return BREAK_STRENGTH_MS[strength], None


def _power(base: float, exponent: float) -> float:
    """``base ** exponent``, infinite past a float's range ("+99999dB" is clamped, not a 500)."""
    try:
        return float(base**exponent)
    except OverflowError:
        return math.inf


def _relative(value: str, current: float) -> float | None:
    """``+10%`` / ``-10%`` of the current value; ``150%`` is absolute."""
    if (m := _PERCENT.match(value)) is None:
        return None
    share = float(m.group(2)) / 100
    if m.group(1) is None:
        return share
    return current * (1 + share if m.group(1) == "+" else 1 - share)


def _clamped(
    name: str, value: str, number: float, bounds: tuple[float, float]
) -> tuple[float, str | None]:
    low, high = bounds
    if low <= number <= high:
        return round(number, 3), None
    kept = min(max(number, low), high)
    shown = "silent" if number == 0 else f"{number:.3g}×"
    return kept, f'<prosody {name}="{value}"> is {shown}; kept within {low}–{high}: {kept}'


def rate(value: str, current: float) -> Read:
    """A speed multiplier, from a keyword, a percentage or a bare multiplier (SSML 1.1)."""
    word = value.strip().lower()
    number = RATES.get(word)
    if number is None:
        number = _relative(word, current)
    if number is None and (m := _NUMBER.match(word)) is not None:
        number = float(m.group(1))
    if number is None:
        return None, f'<prosody rate="{value}"> is not a rate; ignored'
    return _clamped("rate", value, number, SPEED_RANGE)


def volume(value: str, current: float) -> Read:
    """A gain: a keyword, ``+6dB``, ``+10%`` (relative) or a number 0-100 (100: the voice's
    own level, as SSML 1.1 and Azure read it)."""
    word = value.strip().lower()
    number: float | None = None
    if word in VOLUMES_DB:
        number = 10 ** (VOLUMES_DB[word] / 20) if VOLUMES_DB[word] > -math.inf else 0.0
    elif (db := _DB.match(word)) is not None:
        number = current * _power(10, float(db.group(1)) / 20)
    elif (m := _PERCENT.match(word)) is not None and m.group(1) is not None:
        number = _relative(word, current)
    elif (m := _NUMBER.match(word)) is not None or (m := _PERCENT.match(word)) is not None:
        number = float(m.group(m.lastindex or 1)) / 100
    if number is None:
        return None, f'<prosody volume="{value}"> is not a volume; ignored'
    return _clamped("volume", value, number, VOLUME_RANGE)


def pitch(value: str, current: float) -> Read:
    """A pitch multiplier: a keyword, ``+10%`` or ``-2st``; Hz cannot be read without the
    voice's own pitch, and is a warning."""
    word = value.strip().lower()
    number = PITCHES.get(word)
    if number is None and (m := _PERCENT.match(word)) is not None and m.group(1) is not None:
        number = _relative(word, current)
    if number is None and (st := _SEMITONES.match(word)) is not None:
        number = current * _power(2, float(st.group(1)) / 12)
    if number is None:
        return None, f'<prosody pitch="{value}"> is not read (a keyword, ±n% or ±n st are); ignored'
    return _clamped("pitch", value, number, PITCH_RANGE)


# <phoneme alphabet>: SSML's names and the vendors' own for ours. Azure's "sapi" is a pinyin
# with tone numbers in zh-CN and zh-HK, bopomofo in zh-TW (its phonetic sets' tables).
ALPHABETS = {
    "ipa": Alphabet.ipa,
    "x-sampa": Alphabet.x_sampa,
    "x-amazon-pinyin": Alphabet.pinyin,
    "pinyin": Alphabet.pinyin,
    "x-pinyin": Alphabet.pinyin,
    "bopomofo": Alphabet.bopomofo,
    "zhuyin": Alphabet.bopomofo,
    "x-bopomofo": Alphabet.bopomofo,
}
_SAPI = ("sapi", "x-microsoft-sapi")
_BOPOMOFO = re.compile(r"[\u3100-\u312f\u31a0-\u31bf]")


def alphabet(name: str | None, ph: str, language: str | None) -> tuple[Alphabet | None, str | None]:
    """The phoneme's alphabet, or None and why its text is read as written."""
    if name is None:
        return Alphabet.ipa, None  # SSML's processors read a phoneme without one as IPA
    key = name.strip().lower()
    if key in ALPHABETS:
        return ALPHABETS[key], None
    if key in _SAPI:
        if _BOPOMOFO.search(ph) or (language or "").lower() in ("zh-tw", "cmn-tw", "zh-hant"):
            return Alphabet.bopomofo, None
        if (language or "").lower().startswith(("zh", "cmn", "yue")):
            return Alphabet.pinyin, None
    return (
        None,
        f'<phoneme alphabet="{name}"> is not one ttsjobs reads; its text is read as written',
    )


# <say-as interpret-as>: SSML's, Polly's, Azure's and Google's names for the normaliser's kinds.
SAY_AS = {
    "characters": SayAs.characters,
    "spell-out": SayAs.characters,
    "letters": SayAs.characters,
    "verbatim": SayAs.characters,  # Google
    "cardinal": SayAs.cardinal,
    "number": SayAs.cardinal,
    "ordinal": SayAs.ordinal,
    "digits": SayAs.digits,
    "number_digit": SayAs.digits,  # Azure
    "date": SayAs.date,
    "time": SayAs.time,
    "telephone": SayAs.telephone,
    "phone": SayAs.telephone,
    "currency": SayAs.currency,
}


def say_as(interpret_as: str | None) -> tuple[SayAs | None, str | None]:
    if interpret_as is None:
        return None, "<say-as> without interpret-as; its text is read as written"
    # "date:mdy" and "date" with format="mdy" alike (older Azure and SAPI write the former)
    kind = SAY_AS.get(interpret_as.strip().lower().partition(":")[0])
    if kind is None:
        return None, f'<say-as interpret-as="{interpret_as}"> is not read; its text is as written'
    return kind, None
