"""SSML's ``<say-as interpret-as>`` for one span of a turn: the span's text said the way it was
marked, in English or Mandarin as Taiwan says it, through the normalisers' own number words.

What does not read as what it was marked ("cardinal" over letters) is left to the language's
normaliser as if unmarked: the span is still said, only not as marked. Other languages are left
to the engine.
"""

from __future__ import annotations

import unicodedata

import regex

from ttsjobs.contracts.turn_markup import SayAs
from ttsjobs_synthesis.prepare_text import number_words_en as en
from ttsjobs_synthesis.prepare_text import number_words_zh as zh
from ttsjobs_synthesis.prepare_text.spans import apply_rewrites

_DIGITS = regex.compile(r"[0-9]+")
_NUMBER = regex.compile(r"[-−]?[0-9][0-9,]*(?:\.[0-9]+)?")
_CLOCK = regex.compile(
    r"(?P<t_h>[0-9]{1,2})[:.](?P<t_m>[0-9]{2})(?:[:.](?P<t_s>[0-9]{2}))?"
    r"\s*(?P<t_ampm>[AaPp]\.?[Mm]\.?)?"
)
_FORMATS = frozenset({"ymd", "mdy", "dmy", "ydm", "ym", "my", "md", "dm", "y", "m", "d"})


def said_as(written: str, interpret_as: SayAs, fmt: str | None, language: str) -> str:
    """What is said for ``written`` marked ``interpret_as`` (``fmt``: a date's field order) in
    ``language`` (BCP 47)."""
    text = unicodedata.normalize("NFKC", written).strip()
    base = language.lower().split("-")[0]
    mandarin = base in ("zh", "cmn")
    if not mandarin and base not in ("en", ""):
        return written
    said = (_mandarin if mandarin else _english)(text, interpret_as, (fmt or "").lower())
    if said is not None:
        return said
    return _normalised(written, mandarin)


def _normalised(written: str, mandarin: bool) -> str:
    if mandarin:
        from ttsjobs_synthesis.prepare_text.normalise_zh import normalise_zh

        return apply_rewrites(written, normalise_zh(written))
    from ttsjobs_synthesis.prepare_text.normalise_en import normalise_en

    return apply_rewrites(written, normalise_en(written))


def _number(text: str) -> str | None:
    found = _NUMBER.fullmatch(text.replace(" ", ""))
    return found.group() if found else None


def _date_fields(text: str, fmt: str, mandarin: bool) -> dict[str, int] | None:
    groups = _DIGITS.findall(text)
    if fmt not in _FORMATS:
        # Unsaid: a leading four-digit group is a year first; else as the language writes dates.
        fmt = "ymd" if groups and len(groups[0]) == 4 else ("ymd" if mandarin else "mdy")
        fmt = fmt[: len(groups)] if len(groups) < 3 else fmt
    if len(groups) != len(fmt):
        return None
    fields = {name: int(value) for name, value in zip(fmt, groups, strict=True)}
    if not 1 <= fields.get("m", 1) <= 12 or not 1 <= fields.get("d", 1) <= 31:
        return None
    return fields


def _english(text: str, kind: SayAs, fmt: str) -> str | None:
    if kind is SayAs.characters:
        letters = (en.DIGIT_WORDS[int(c)] if c.isdigit() else c.upper() for c in text)
        return " ".join(c for c in letters if not c.isspace())
    if kind is SayAs.digits:
        if not _DIGITS.search(text):
            return None
        return " ".join(en.digit_by_digit(g) for g in _DIGITS.findall(text))
    if kind is SayAs.telephone:
        groups = _DIGITS.findall(text)
        if not groups:
            return None
        said = ", ".join(en.digit_by_digit(g, zero="oh") for g in groups)
        return ("plus " if text.startswith("+") else "") + said
    if kind is SayAs.cardinal:
        number = _number(text)
        return en.signed(number) if number else None
    if kind is SayAs.ordinal:
        digits = regex.fullmatch(r"([0-9][0-9,]*)(?:st|nd|rd|th)?\.?", text, regex.IGNORECASE)
        return en.ordinal(en.plain_digits(digits.group(1))) if digits else None
    if kind is SayAs.date:
        fields = _date_fields(text, fmt, mandarin=False)
        if fields is None:
            return None
        from ttsjobs_synthesis.prepare_text.normalise_en import MONTHS

        month_day = []
        if "m" in fields:
            month_day.append(MONTHS[fields["m"] - 1])
        if "d" in fields:
            month_day.append(en.ordinal(str(fields["d"])))
        out = " ".join(month_day)
        if "y" in fields:
            year = en.year(str(fields["y"]))
            out = f"{out}, {year}" if "d" in fields else f"{out} {year}".strip()
        return out
    if kind is SayAs.time:
        clock = _CLOCK.fullmatch(text)
        if clock is None:
            return None
        from ttsjobs_synthesis.prepare_text.normalise_en import say_time

        return say_time(clock)
    return None  # currency: the normaliser reads amounts with their symbol


def _mandarin(text: str, kind: SayAs, fmt: str) -> str | None:
    if kind is SayAs.characters:
        letters = (zh.DIGIT_WORDS[int(c)] if c.isdigit() else c for c in text)
        return " ".join(c for c in letters if not c.isspace())
    if kind is SayAs.digits:
        groups = _DIGITS.findall(text)
        return " ".join(zh.digit_by_digit(g) for g in groups) if groups else None
    if kind is SayAs.telephone:
        groups = _DIGITS.findall(text)
        if not groups:
            return None
        if len(groups) == 1 and len(groups[0]) == 10:  # a mobile number, said 4-3-3
            groups = [groups[0][:4], groups[0][4:7], groups[0][7:]]
        said = " ".join(zh.digit_by_digit(g) for g in groups)
        return ("加" if text.startswith("+") else "") + said
    if kind is SayAs.cardinal:
        number = _number(text)
        return zh.signed(number) if number else None
    if kind is SayAs.ordinal:
        digits = regex.fullmatch(r"第?([0-9][0-9,]*)", text)
        return "第" + zh.cardinal(zh.plain_digits(digits.group(1))) if digits else None
    if kind is SayAs.date:
        fields = _date_fields(text, fmt, mandarin=True)
        if fields is None:
            return None
        out = zh.digit_by_digit(str(fields["y"])) + "年" if "y" in fields else ""
        if "m" in fields:
            out += zh.cardinal(str(fields["m"])) + "月"
        if "d" in fields:
            out += zh.cardinal(str(fields["d"])) + "日"
        return out
    if kind is SayAs.time:
        clock = _CLOCK.fullmatch(text)
        if clock is None:
            return None
        from ttsjobs_synthesis.prepare_text.normalise_zh import say_time

        seconds = f":{clock['t_s']}" if clock["t_s"] else ""
        said = say_time(f"{clock['t_h']}:{clock['t_m']}{seconds}")
        if clock["t_ampm"]:
            said = ("上午" if clock["t_ampm"][0] in "Aa" else "下午") + said
        return said
    return None  # currency: the normaliser reads amounts with their symbol
