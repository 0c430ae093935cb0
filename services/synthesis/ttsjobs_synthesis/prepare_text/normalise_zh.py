"""Chinese text normaliser: numbers, money, dates, times, phone numbers, units and versions become
the words a Taiwan reader says, before G2P.

Consumes the user's Chinese text (Traditional or Simplified, Latin and punctuation mixed in);
emits Rewrites whose ``said`` is in Traditional characters, Taiwan usage: 兩 where Taiwan says it
(兩百, 兩點, 兩個), 點 for times and decimals. Text outside the rewrites is never touched.

Choices where usage varies, so that each is made once and on purpose:
- A bare ``$`` is the local dollar (Taiwan's menus and price tags write $120 for NT$120):
  ``$5`` → 五元. ``US$5`` → 五美元, ``NT$5`` → 新台幣五元, ``€`` 歐元, ``£`` 英鎊, ``¥`` 日圓.
- Money's cents drop trailing zeros (NT$1,200.50 → 新台幣一千兩百點五元); other decimals read
  every written digit (3.50 → 三點五零).
- A four-digit number before 年 is a year, read digit by digit (2026年 → 二零二六年); shorter ones
  are counted (3年 → 三年, 民國115年 → 民國一百一十五年).
- ``a/b`` is a fraction when it is a proper one with a denominator up to 10 (1/2 → 二分之一) or
  cannot be a date; otherwise a month and day (12/25 → 十二月二十五日).
- ``7-11`` is the store and is left for the brand reader.
"""

from __future__ import annotations

import regex

from ttsjobs_synthesis.prepare_text import number_words_zh as words
from ttsjobs_synthesis.prepare_text.normalise_units import (
    ZH_BELOW_ZERO_UNITS,
    ZH_UNITS,
    unit_alternation,
)
from ttsjobs_synthesis.prepare_text.rule_table import Rule, RuleTable
from ttsjobs_synthesis.prepare_text.spans import Rewrite

# Every rule that starts with digits starts only where no digit precedes: each rule is then tried
# once per run of digits, never once per digit, which keeps the scan linear on a long digit run.
D = "[0-9０-９]"
NOT_AFTER_DIGIT = f"(?<!{D})"
INT = rf"(?:{D}{{1,3}}(?:,{D}{{3}})++(?!{D})|{D}++)"
NUM = rf"{INT}(?:\.{D}++)?+"
# A minus sign, when it cannot be a hyphen or a range's dash (nothing word-like before it).
MINUS = r"(?:(?<![0-9A-Za-z０-９)])[-−])"
SIGNED = rf"{MINUS}?+{NUM}"
TIME = rf"(?:[01]?{D}|2[0-4]):[0-5]{D}(?::[0-5]{D})?+"
UNIT = unit_alternation(ZH_UNITS)

# What follows a number that counts things, where Taiwan says 兩 for 2 (兩個, 兩點, 兩萬).
# 年級 and 次方 are ranks, not counts (二年級, 二次方).
COUNTED = regex.compile(
    r"\s?(?!年級|年级|次方)(?:個|个|位|名|本|隻|只|張|张|條|条|件|次|天|年|週|周|小時|小时"
    r"|分鐘|分钟|秒|倍|人|份|杯|碗|瓶|盒|包|片|塊|块|元|台|臺|輛|辆|間|间|家|場|场|部|篇|首"
    r"|支|把|雙|双|對|对|套|顆|颗|頓|顿|趟|遍|種|种|歲|岁|頁|页|樣|样|層|层|百|千|萬|万|億|亿"
    r"|成|點|点|公斤|公里|公尺|公分|公升|坪|棟|栋|門|门|堂|節|节|封|票|桌|戶|户)"
)

DAY_OR_MONTH = regex.compile(r"[月日號号]")

CURRENCIES = {  # symbol → (said before the amount, said after it)
    "NT$": ("新台幣", "元"),
    "NTD": ("新台幣", "元"),
    "$": ("", "元"),
    "＄": ("", "元"),
    "US$": ("", "美元"),
    "USD": ("", "美元"),
    "HK$": ("港幣", "元"),
    "€": ("", "歐元"),
    "£": ("", "英鎊"),
    "¥": ("", "日圓"),
    "￥": ("", "日圓"),
    "RMB": ("人民幣", "元"),
}
CURRENCY = "|".join(regex.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
MULTIPLIERS = str.maketrans("万亿", "萬億")


def _counted(match: regex.Match[str], group: str) -> bool:
    """The number in ``group`` counts something: a measure word follows and 第 does not precede."""
    text, start = match.string, match.start(group)
    return bool(COUNTED.match(text, match.end(group))) and text[start - 1 : start] != "第"


def say_money(m: regex.Match[str]) -> str:
    before, after = CURRENCIES[m["m_cur"].strip()]
    whole, _, cents = words.plain_digits(m["m_amt"]).partition(".")
    cents = cents.rstrip("0")
    multiplier = (m["m_mult"] or "").translate(MULTIPLIERS)
    amount = words.cardinal(whole, counting=not cents)
    if cents:
        amount += "點" + words.digit_by_digit(cents)
    return f"{before}{amount}{multiplier}{after}"


def say_date(m: regex.Match[str]) -> str:
    year = words.digit_by_digit(m["d_y"])
    return f"{year}年{_day_or_month(m['d_m'])}月{_day_or_month(m['d_d'])}日"


def _day_or_month(digits: str) -> str:
    return words.cardinal(str(int(words.plain_digits(digits))))


def say_time(clock: str) -> str:
    """10:30 → 十點三十分, 14:05:09 → 十四點零五分零九秒, 2:00 → 兩點, 12:30:00 → 十二點三十分."""
    hour, minute, *second = words.plain_digits(clock).split(":")
    seconds = int(second[0]) if second else 0
    said = words.cardinal(str(int(hour)), counting=True) + "點"
    if int(minute) or seconds:
        said += _minute_or_second(minute) + "分"
    if seconds:
        said += _minute_or_second(second[0]) + "秒"
    return said


def _minute_or_second(two_digits: str) -> str:
    # A written leading zero is said (十點零五分); 00 is 零.
    value = int(two_digits)
    return ("零" if 0 < value < 10 else "") + words.cardinal(str(value))


def say_phone(m: regex.Match[str]) -> str:
    """Digit by digit in the written groups: 0912-345-678 → 零九一二 三四五 六七八; a mobile
    number written unbroken is said in the same groups."""
    groups = regex.findall(rf"{D}++", m.group())
    if len(groups) == 1 and len(groups[0]) == 10:
        groups = [groups[0][:4], groups[0][4:7], groups[0][7:]]
    said = " ".join(words.digit_by_digit(g) for g in groups)
    return ("加" if m.group().startswith("+") else "") + said


def say_version(m: regex.Match[str]) -> str:
    return "點".join(words.cardinal(part) for part in words.plain_digits(m["v_num"]).split("."))


def say_percent(m: regex.Match[str]) -> str:
    number = m["p_num"]
    sign = "負" if number[0] in "-−" else ""
    number = number.lstrip("-−")
    amount = "百" if words.plain_digits(number) == "100" else words.decimal(number)
    return f"{sign}百分之{amount}"


def _with_unit(unit: str, number: str, *, counting: bool) -> str:
    if unit in ZH_BELOW_ZERO_UNITS and number[0] in "-−":
        return ZH_UNITS[unit].format(n="零下" + words.decimal(number[1:]))
    counting = counting and unit not in ZH_BELOW_ZERO_UNITS  # 攝氏二度, not 兩度
    return ZH_UNITS[unit].format(n=words.signed(number, counting=counting))


def say_unit(m: regex.Match[str]) -> str:
    return _with_unit(m["u_unit"], m["u_num"], counting=True)


def say_range(m: regex.Match[str]) -> str:
    """3-5 → 三到五; 3-5kg → 三到五公斤; 10:00-12:00 → 十點到十二點; 2-3個 → 兩到三個."""
    low, high, unit = m["r_lo"], m["r_hi"], (m["r_unit"] or "").strip()
    if ":" in low or ":" in high:
        return f"{say_time(low)}到{say_time(high)}"
    if unit in ("%", "％") or m["r_lo_pct"]:
        return f"百分之{words.decimal(low)}到百分之{words.decimal(high)}"
    if not unit and _is_year(low) and _is_year(high) and m.string.startswith("年", m.end()):
        return f"{words.digit_by_digit(low)}到{words.digit_by_digit(high)}"
    if unit:
        return ZH_UNITS[unit].format(n=f"{words.decimal(low)}到{words.decimal(high)}")
    counting = _counted(m, "r_hi")  # 兩到三個: the measure word after the range counts both ends
    return f"{words.decimal(low, counting=counting)}到{words.decimal(high, counting=counting)}"


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit()


def say_fraction(m: regex.Match[str]) -> str | None:
    top, bottom = int(m["f_a"]), int(m["f_b"])
    proper = top < bottom <= 10
    if not proper and 1 <= top <= 12 and 1 <= bottom <= 31:
        return f"{words.cardinal(str(top))}月{words.cardinal(str(bottom))}日"
    if bottom == 0:
        return None
    return f"{words.cardinal(str(bottom))}分之{words.cardinal(str(top))}"


def say_number(m: regex.Match[str]) -> str:
    if DAY_OR_MONTH.match(m.string, m.end()) and m["n_num"].isdecimal():
        return _day_or_month(m["n_num"])  # 12月06日: the written zero is not said
    return words.signed(m["n_num"], counting=_counted(m, "n_num"))


RULES = RuleTable(
    [
        # The store's name, for the brand reader: matched here so no later rule reads it.
        Rule("store", r"(?<![0-9０-９-])7-11(?![0-9０-９-])", lambda m: None),
        Rule(
            "money",
            rf"(?P<m_cur>{CURRENCY})\s?(?P<m_amt>{NUM})(?P<m_mult>[萬億万亿])?+元?+",
            say_money,
        ),
        Rule(
            "date",
            rf"{NOT_AFTER_DIGIT}(?P<d_y>{D}{{4}})(?P<d_sep>[/.-])(?P<d_m>1[0-2]|0?[1-9])"
            rf"(?P=d_sep)(?P<d_d>3[01]|[12][0-9]|0?[1-9])(?!{D})",
            say_date,
        ),
        Rule(
            "phone",
            rf"(?<![0-9０-９+-])(?:\+{D}{{1,3}}(?:[-\s]{D}{{1,4}}){{2,4}}+"
            rf"|(?:\(0{D}{{1,3}}\)\s?|0{D}{{1,3}}-){D}{{3,4}}-?{D}{{3,4}}|09{D}{{8}})(?![0-9０-９-])",
            say_phone,
        ),
        Rule(
            "range",
            rf"{NOT_AFTER_DIGIT}(?P<r_lo>{TIME}|{NUM})(?P<r_lo_pct>[%％])?+\s?[-~～–]"
            rf"(?P<r_hi>{TIME}|{NUM})(?![0-9０-９:])"
            rf"(?P<r_unit>\s?(?:{UNIT}|[%％]))?+",
            say_range,
        ),
        Rule(
            "time",
            rf"(?<![0-9０-９:])(?P<t_clock>{TIME})(?![0-9０-９:])",
            lambda m: say_time(m["t_clock"]),
        ),
        Rule(
            "version",
            rf"(?<![0-9０-９.])(?P<v_num>{D}++(?:\.{D}++){{2,}}+)",
            say_version,
        ),
        Rule("percent", rf"{NOT_AFTER_DIGIT}(?P<p_num>{SIGNED})\s?[%％]", say_percent),
        Rule("unit", rf"{NOT_AFTER_DIGIT}(?P<u_num>{SIGNED})\s?(?P<u_unit>{UNIT})", say_unit),
        Rule(
            "fraction",
            r"(?<![0-9０-９/])(?P<f_a>[0-9]{1,3})/(?P<f_b>[0-9]{1,3})(?![0-9０-９/])",
            say_fraction,
        ),
        Rule(
            "year",
            rf"{NOT_AFTER_DIGIT}(?P<y_num>{D}{{4}})(?=\s?年)(?!\s?年級)",
            lambda m: words.digit_by_digit(m["y_num"]),
        ),
        Rule("number", rf"{NOT_AFTER_DIGIT}(?P<n_num>{SIGNED})", say_number),
    ]
)


def normalise_zh(text: str) -> list[Rewrite]:
    """Rewrites that turn ``text``'s numbers, money, times and the like into Taiwan Mandarin."""
    return RULES.rewrites(text)
