"""Units of measure the normalisers read after a number, and how each language says them.

Consumed by normalise_zh and normalise_en; the tables are data, the patterns are built from them
once at import (no I/O). A unit is only read as one when no letter follows it (5 miles is not
5 m + "iles").
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

# Taiwan's words: 公尺 and 公分 rather than the mainland's 米 and 厘米. ``{n}`` is the number;
# a speed puts the number inside (60km/h → 每小時六十公里) because that is how it is said.
# Units Taiwan says in Latin letters (GB, GHz) keep them: the Latin reader speaks them.
ZH_UNITS: dict[str, str] = {
    "km/h": "每小時{n}公里",
    "kph": "每小時{n}公里",
    "mph": "每小時{n}英里",
    "km": "{n}公里",
    "cm": "{n}公分",
    "mm": "{n}公釐",
    "m": "{n}公尺",
    "kg": "{n}公斤",
    "mg": "{n}毫克",
    "g": "{n}公克",
    "ml": "{n}毫升",
    "mL": "{n}毫升",
    "L": "{n}公升",
    "°C": "攝氏{n}度",
    "℃": "攝氏{n}度",
    "°F": "華氏{n}度",
    "℉": "華氏{n}度",
    "TB": "{n}TB",
    "GB": "{n}GB",
    "MB": "{n}MB",
    "KB": "{n}KB",
    "GHz": "{n}GHz",
    "MHz": "{n}MHz",
}

# Below zero Taiwan says 零下 (攝氏零下五度), not 負.
ZH_BELOW_ZERO_UNITS = frozenset({"°C", "℃", "°F", "℉"})

# (singular, plural) in US spelling; the singular is for exactly 1.
EN_UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "m": ("meter", "meters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "L": ("liter", "liters"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "℃": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "℉": ("degree Fahrenheit", "degrees Fahrenheit"),
    "TB": ("terabyte", "terabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "MB": ("megabyte", "megabytes"),
    "KB": ("kilobyte", "kilobytes"),
    "GHz": ("gigahertz", "gigahertz"),
    "MHz": ("megahertz", "megahertz"),
    "Hz": ("hertz", "hertz"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "kW": ("kilowatt", "kilowatts"),
    "ms": ("millisecond", "milliseconds"),
    "min": ("minute", "minutes"),
}


def unit_alternation(units: Iterable[str]) -> str:
    """A regex alternation of ``units``, longest first so km/h wins over km and km over m,
    closed by "no letter follows"."""
    names = sorted(units, key=len, reverse=True)
    escaped = "|".join(regex.escape(name) for name in names)
    return rf"(?:{escaped})(?![A-Za-z])"
