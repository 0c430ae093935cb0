"""English money: $5.30 → five dollars and thirty cents, $5.3 billion → five point three billion
dollars, €, £ and ¥ by their names.

Consumes a match of ``CURRENCY`` (the money rule of normalise_en); emits the words said.
"""

from __future__ import annotations

import regex

from ttsjobs_synthesis.prepare_text import number_words_en as words

# symbol → (one, many, one hundredth, many hundredths); yen has no subunit in use.
CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("U S dollar", "U S dollars", "cent", "cents"),
    "NT$": ("New Taiwan dollar", "New Taiwan dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
}
MULTIPLIERS = {
    "k": "thousand",
    "m": "million",
    "b": "billion",
    "bn": "billion",
    "tn": "trillion",
    "thousand": "thousand",
    "million": "million",
    "billion": "billion",
    "trillion": "trillion",
}
_SYMBOLS = "|".join(regex.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
_MULTIPLIER = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
CURRENCY = (
    rf"(?P<m_minus>(?<![\w)])[-−])?+(?P<m_cur>{_SYMBOLS})\s?(?P<m_amt>{words.NUM})"
    rf"(?:\s?(?P<m_mult>(?i:{_MULTIPLIER}))(?![A-Za-z]))?+"
)


def say_money(m: regex.Match[str]) -> str:
    return ("minus " if m["m_minus"] else "") + _amount(m)


def _amount(m: regex.Match[str]) -> str:
    one, many, hundredth, hundredths = CURRENCIES[m["m_cur"]]
    amount = words.plain_digits(m["m_amt"])
    if m["m_mult"]:
        return f"{words.decimal(amount)} {MULTIPLIERS[m['m_mult'].lower()]} {many}"
    whole, _, cents = amount.partition(".")
    if len(cents) > 2 or (cents and not hundredth):
        return f"{words.decimal(amount)} {many}"
    cents_value = int(cents.ljust(2, "0")) if cents else 0
    said = []
    if int(whole) or not cents_value:
        said.append(f"{words.cardinal(whole)} {one if int(whole) == 1 else many}")
    if cents_value:
        said.append(
            f"{words.cardinal(str(cents_value))} {hundredth if cents_value == 1 else hundredths}"
        )
    return " and ".join(said)
