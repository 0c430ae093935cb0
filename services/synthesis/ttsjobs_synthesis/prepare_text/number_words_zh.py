"""Chinese number words, as Taiwan says them, in Traditional characters.

Consumes digit strings (ASCII or full-width, with or without thousands commas); emits words:
cardinals (一千兩百), digit-by-digit readings (零九一二) and decimals (三點五). cn2an builds the
cardinals; this module turns its mainland output into Taiwan usage.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

DIGIT_WORDS = "零一二三四五六七八九"

# cn2an answers in Simplified characters; the said text is Traditional.
_TO_TRADITIONAL = str.maketrans("万亿点负两", "萬億點負兩")

# Taiwan says 兩 for a leading 2 of 百 and 千 (兩百, 一千兩百) and of a whole 萬 or 億 group
# (兩萬, 兩億), but 二 in 二十, 十二萬 and 一百零二萬, where the 2 is a units digit.
_TWO_BEFORE_HUNDREDS = regex.compile(r"二(?=[百千])")
_TWO_LEADING_A_GROUP = regex.compile(r"(?:^|(?<=[萬億]))二(?=[萬億])")

# Taiwan's next unit after 億 is 兆 where cn2an says 万亿; longer numbers are read digit by digit.
_MAX_CARDINAL_DIGITS = 12


def plain_digits(digits: str) -> str:
    """ASCII digits for ``digits`` (full-width ０-９ included), thousands commas dropped."""
    return unicodedata.normalize("NFKC", digits).replace(",", "")


def digit_by_digit(digits: str) -> str:
    """Each digit on its own: 0912 → 零九一二 (Taiwan says 一, not 幺, for 1)."""
    return "".join(DIGIT_WORDS[int(d)] for d in plain_digits(digits))


@lru_cache(maxsize=4096)
def cardinal(digits: str, *, counting: bool = False) -> str:
    """The integer ``digits`` as a Taiwan cardinal: 1200 → 一千兩百, 10000 → 一萬.

    ``counting`` is for a number before a measure word, where Taiwan says 兩 for 2 (兩個).
    Leading zeros (007) and numbers past 一兆 are read digit by digit.
    """
    digits = plain_digits(digits)
    if (len(digits) > 1 and digits.startswith("0")) or len(digits) > _MAX_CARDINAL_DIGITS:
        return digit_by_digit(digits)
    if counting and int(digits) == 2:
        return "兩"
    # cn2an reads its YAML config when imported: imported on first use, so that importing this
    # module does no I/O.
    import cn2an  # type: ignore[import-untyped]  # ships no types, has no stubs

    words = cn2an.an2cn(digits, "low").translate(_TO_TRADITIONAL)
    words = _TWO_BEFORE_HUNDREDS.sub("兩", words)
    return _TWO_LEADING_A_GROUP.sub("兩", words)


def decimal(number: str, *, counting: bool = False) -> str:
    """``number`` with an optional fraction: 3.5 → 三點五, 1,200.50 → 一千兩百點五零."""
    whole, _, fraction = plain_digits(number).partition(".")
    words = cardinal(whole, counting=counting and not fraction)
    return f"{words}點{digit_by_digit(fraction)}" if fraction else words


def signed(number: str, *, counting: bool = False) -> str:
    """``number`` that may start with a minus sign (-, −): -3 → 負三."""
    if number[:1] in "-−":
        return "負" + decimal(number[1:])
    return decimal(number, counting=counting)
