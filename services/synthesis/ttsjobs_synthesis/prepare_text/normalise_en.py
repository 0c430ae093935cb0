"""English text normaliser: money, numbers, times, dates, units, versions, phone numbers, web
addresses and e-mail addresses become the words a reader says, before G2P.

Consumes English text; emits Rewrites, text outside them untouched. Choices made once:
- American style: no "and" inside numbers (one hundred one), "and" only between dollars and cents.
- A bare four-digit number from 1100 to 2099 is read as a year (1999 → nineteen ninety-nine);
  as a count it sounds natural too (fifteen hundred people).
- Zero is "oh" in versions and phone numbers (two point oh point one), "zero" elsewhere.
- A web address drops its scheme (https://example.com → example dot com).
"""

from __future__ import annotations

import regex

from ttsjobs_synthesis.prepare_text import number_words_en as words
from ttsjobs_synthesis.prepare_text.money_en import CURRENCY, say_money
from ttsjobs_synthesis.prepare_text.normalise_units import EN_UNITS, unit_alternation
from ttsjobs_synthesis.prepare_text.rule_table import Rule, RuleTable
from ttsjobs_synthesis.prepare_text.spans import Rewrite
from ttsjobs_synthesis.prepare_text.web_en import DOMAIN, EMAIL, URL, say_address

# Every rule that starts with digits starts only where no digit precedes, so each is tried once
# per run of digits (a linear scan, even over 100 kB of digits).
NOT_AFTER_DIGIT = "(?<![0-9])"
INT, NUM = words.INT, words.NUM
MINUS = r"(?:(?<![\w)])[-−])"
SIGNED = rf"{MINUS}?+{NUM}"
UNIT = unit_alternation(EN_UNITS)
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _spaced(m: regex.Match[str], said: str) -> str:
    """``said`` with a space where a letter touches the match (3D → three D, MP3 → MP three)."""
    text, start, end = m.string, m.start(), m.end()
    before = " " if start and text[start - 1].isalpha() else ""
    after = " " if end < len(text) and text[end].isalpha() else ""
    return f"{before}{said}{after}"


def say_date(m: regex.Match[str]) -> str:
    day = words.ordinal(str(int(m["d_d"])))
    return f"{MONTHS[int(m['d_m']) - 1]} {day}, {words.year(m['d_y'])}"


def say_phone(m: regex.Match[str]) -> str:
    """Digit groups as written, with a pause between: 555-123-4567 → five five five, one two…"""
    groups = regex.findall(r"[0-9]++", m.group())
    said = ", ".join(words.digit_by_digit(g, zero="oh") for g in groups)
    return ("plus " if m.group().startswith("+") else "") + said


def say_time(m: regex.Match[str]) -> str:
    """10:30 am → ten thirty A M; 14:05 → fourteen oh five; 10:00 → ten o'clock."""
    hour, minute = int(m["t_h"]), int(m["t_m"])
    said = words.cardinal(str(hour))
    if minute:
        said += (" oh " if minute < 10 else " ") + words.cardinal(str(minute))
    elif not m["t_ampm"]:
        said += " o'clock" if 1 <= hour <= 12 else " hundred"
    if m["t_s"]:
        seconds = int(m["t_s"])
        said += f" and {words.cardinal(str(seconds))} second{'' if seconds == 1 else 's'}"
    if m["t_ampm"]:
        said += " A M" if m["t_ampm"][0] in "Aa" else " P M"
    return said


def _unit_words(unit: str, number: str) -> str:
    singular, plural = EN_UNITS[unit]
    return singular if words.is_one(number.lstrip("-−")) else plural


def say_range(m: regex.Match[str]) -> str:
    """5-10 → five to ten; 5-10 km → five to ten kilometers; 1999-2001 → years."""
    low, high, unit = m["r_lo"], m["r_hi"], (m["r_unit"] or "").strip()
    if _is_year(low) and _is_year(high) and not unit:
        return f"{words.year(low)} to {words.year(high)}"
    said = f"{words.decimal(low)} to {words.decimal(high)}"
    if unit == "%":
        return said + " percent"
    return f"{said} {EN_UNITS[unit][1]}" if unit else _spaced(m, said)


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1100 <= int(number) <= 2099


def say_version(m: regex.Match[str]) -> str:
    parts = m["v_num"].split(".")
    said = " point ".join("oh" if p == "0" else words.cardinal(p) for p in parts)
    return ("version " if m["v_v"] else "") + said


def say_fraction(m: regex.Match[str]) -> str | None:
    """1/2 → one half, 3/4 → three quarters, 2/3 → two thirds; 12/25 and 24/7 are not fractions."""
    top, bottom = int(m["f_a"]), int(m["f_b"])
    if not 0 < top < bottom:
        return None
    names = {2: ("half", "halves"), 4: ("quarter", "quarters")}
    one = names.get(bottom, (words.ordinal(str(bottom)),))[0]
    many = names.get(bottom, (one, one + "s"))[1]
    return f"{words.cardinal(str(top))} {one if top == 1 else many}"


def say_decade(m: regex.Match[str]) -> str:
    """1990s → nineteen nineties, 2000s → two thousands."""
    said = words.year(m["dec_num"])
    return said[:-1] + "ies" if said.endswith("y") else said + "s"


RULES = RuleTable(
    [
        Rule("url", URL, say_address),
        Rule("email", EMAIL, say_address),
        Rule("domain", DOMAIN, say_address),
        Rule("money", CURRENCY, say_money),
        Rule(
            "date",
            rf"{NOT_AFTER_DIGIT}(?P<d_y>[0-9]{{4}})-(?P<d_m>1[0-2]|0[1-9])"
            rf"-(?P<d_d>3[01]|[12][0-9]|0[1-9])(?![0-9])",
            say_date,
        ),
        Rule(
            "phone",
            r"(?<![0-9+-])(?:\+[0-9]{1,3}(?:[-.\s][0-9]{1,4}){2,5}+"
            r"|(?:\+?1[-.\s])?+(?:\([0-9]{3}\)\s?|[0-9]{3}[-.])[0-9]{3}[-.][0-9]{4}"
            r"|[0-9]{3}-[0-9]{4})(?![0-9-])",
            say_phone,
        ),
        Rule(
            "time",
            r"(?<![0-9:])(?P<t_h>[01]?[0-9]|2[0-3]):(?P<t_m>[0-5][0-9])(?::(?P<t_s>[0-5][0-9]))?+"
            r"(?![0-9:])(?:\s?(?P<t_ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?+",
            say_time,
        ),
        Rule(
            "hour",
            r"(?<![0-9:])(?P<h_h>1[0-2]|0?[1-9])\s?(?P<h_ampm>[AaPp])\.?[Mm]\.?(?![A-Za-z])",
            lambda m: f"{words.cardinal(str(int(m['h_h'])))} {m['h_ampm'].upper()} M",
        ),
        Rule(
            "fraction",
            r"(?<![0-9/])(?P<f_a>[0-9])/(?P<f_b>10|[2-9])(?![0-9/])",
            say_fraction,
        ),
        Rule(
            "ip",
            r"(?<![\w.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![\w]|\.[0-9])",
            lambda m: " dot ".join(words.digit_by_digit(p) for p in m.group().split(".")),
        ),
        Rule(
            "version",
            r"(?<![\w.])(?:(?P<v_v>[vV])(?P<v_num>[0-9]++(?:\.[0-9]++)*+)"
            r"|(?P<v_num>[0-9]++(?:\.[0-9]++){2,}+))(?![\w])",
            say_version,
        ),
        Rule(
            "range",
            rf"{NOT_AFTER_DIGIT}(?<![\w.-])(?P<r_lo>{NUM})\s?[-–~](?P<r_hi>{NUM})(?![0-9])"
            rf"(?P<r_unit>\s?(?:{UNIT}|%))?+",
            say_range,
        ),
        Rule(
            "ordinal",
            rf"{NOT_AFTER_DIGIT}(?P<o_num>{INT})(?:st|nd|rd|th)(?![A-Za-z])",
            lambda m: words.ordinal(m["o_num"]),
        ),
        Rule(
            "percent",
            rf"{NOT_AFTER_DIGIT}(?P<p_num>{SIGNED})\s?%",
            lambda m: f"{words.signed(m['p_num'])} percent",
        ),
        Rule(
            "unit",
            rf"{NOT_AFTER_DIGIT}(?P<u_num>{SIGNED})\s?(?P<u_unit>{UNIT})",
            lambda m: f"{words.signed(m['u_num'])} {_unit_words(m['u_unit'], m['u_num'])}",
        ),
        Rule(
            "decade",
            rf"{NOT_AFTER_DIGIT}(?P<dec_num>1[1-9][0-9]0|20[0-9]0)s(?![A-Za-z])",
            say_decade,
        ),
        Rule(
            "year",
            rf"{NOT_AFTER_DIGIT}(?<![0-9][.,])(?P<y_num>1[1-9][0-9]{{2}}|20[0-9]{{2}})(?![0-9]|[.,][0-9])",
            lambda m: _spaced(m, words.year(m["y_num"])),
        ),
        Rule(
            "number",
            rf"{NOT_AFTER_DIGIT}(?P<n_num>{SIGNED})",
            lambda m: _spaced(m, words.signed(m["n_num"])),
        ),
    ]
)


def normalise_en(text: str) -> list[Rewrite]:
    """Rewrites that turn ``text``'s numbers, money, times, addresses and the like into words."""
    return RULES.rewrites(text)
