"""English number words, American style, built on num2words.

Consumes digit strings (thousands commas allowed); emits words: cardinals (one thousand two
hundred), years (nineteen ninety-nine), ordinals (twenty-second), decimals (three point one four)
and digits one by one. num2words writes British connectors ("one hundred and one", "one
thousand, two hundred"); American speech and the G2P do without the "and" and the commas.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from num2words import num2words  # type: ignore[import-untyped]  # ships no types, has no stubs

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# Past a quadrillion nobody says the number: it is an identifier, read digit by digit.
_MAX_CARDINAL_DIGITS = 15
_BRITISH_CONNECTORS = regex.compile(r",| and(?= )")


def plain_digits(digits: str) -> str:
    return digits.replace(",", "")


def digit_by_digit(digits: str, *, zero: str = "zero") -> str:
    """Each digit on its own: 007 → zero zero seven (``zero="oh"`` for phone numbers, versions)."""
    return " ".join(zero if d == "0" else DIGIT_WORDS[int(d)] for d in plain_digits(digits))


def _american(words: str) -> str:
    return _BRITISH_CONNECTORS.sub("", words)


@lru_cache(maxsize=4096)
def cardinal(digits: str) -> str:
    """1,200 → one thousand two hundred; leading zeros and very long numbers digit by digit."""
    digits = plain_digits(digits)
    if (len(digits) > 1 and digits.startswith("0")) or len(digits) > _MAX_CARDINAL_DIGITS:
        return digit_by_digit(digits)
    return _american(num2words(int(digits)))


def year(digits: str) -> str:
    """1999 → nineteen ninety-nine, 2026 → twenty twenty-six, 2005 → two thousand five."""
    return _american(num2words(int(digits), to="year"))


def ordinal(digits: str) -> str:
    """22 → twenty-second."""
    digits = plain_digits(digits)
    if len(digits) > _MAX_CARDINAL_DIGITS:
        return digit_by_digit(digits) + "th"
    return _american(num2words(int(digits), to="ordinal"))


def decimal(number: str) -> str:
    """3.14 → three point one four; the fraction's digits are said one by one."""
    whole, _, fraction = plain_digits(number).partition(".")
    words = cardinal(whole)
    return f"{words} point {digit_by_digit(fraction)}" if fraction else words


def signed(number: str) -> str:
    """-3 → minus three."""
    if number[:1] in "-−":
        return "minus " + decimal(number[1:])
    return decimal(number)


def is_one(number: str) -> bool:
    """Exactly 1 as written (1, not 1.0): what takes a singular noun."""
    return plain_digits(number) == "1"


# How the numbers this module reads are written, for the normaliser's patterns. A rule that starts
# with one of these also starts with (?<![0-9]), so that it is tried once per run of digits.
INT = r"(?:[0-9]{1,3}(?:,[0-9]{3})++(?![0-9])|[0-9]++)"
NUM = rf"{INT}(?:\.[0-9]++)?+"
