"""Byte ranges for downloads, as RFC 9110 §14 has them: which part of a file a GET asks for
(``Range``), and whether it still may (``If-Range``, §13.1.5).

Whatever a client sends, the answer is the whole file, one span of it, or "nothing fits" (416),
never an error of ours: a Range we cannot read is ignored, as the RFC allows.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from ttsjobs_gateway.errors import RangeNotSatisfiable

_OWS = " \t"
_SPEC = re.compile(r"([0-9]*)-([0-9]*)")  # DIGIT is ASCII; \d would take ١٢٣
# Positions are counted before they are converted: a file here is far below 10**15 bytes, so a
# longer number (leading zeros aside) is past any file, and no number of digits costs more to
# read than fifteen (int() of thousands of digits is quadratic and refused past 4,300).
_DIGITS = 15
_BEYOND = 10**_DIGITS

Span = tuple[int, int]
"""(first, last), both inclusive, as Content-Range has them."""


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _DIGITS else _BEYOND


def _specs(header: str) -> list[tuple[int | None, int | None]] | None:
    """The range-set's (first-pos, last-pos) pairs; None when it is not a bytes range-set or one
    of its specs is invalid (a last-pos before its first-pos, anything but digits and a dash)."""
    unit, equals, range_set = header.strip(_OWS).partition("=")
    if not equals or unit.lower() != "bytes":
        return None  # a unit we do not serve is ignored (§14.2)
    # A list may hold empty elements and OWS around its commas (§5.6.1).
    elements = [e.strip(_OWS) for e in range_set.split(",")]
    specs: list[tuple[int | None, int | None]] = []
    for element in filter(None, elements):
        match = _SPEC.fullmatch(element)
        if match is None or not (match[1] or match[2]):
            return None
        first = _position(match[1]) if match[1] else None
        last = _position(match[2]) if match[2] else None
        if first is not None and last is not None and last < first:
            return None
        specs.append((first, last))
    return specs or None


def _satisfiable(first: int | None, last: int | None, size: int) -> Span | None:
    if first is None:  # a suffix: the last `last` bytes, or all of a shorter file
        assert last is not None
        return (max(0, size - last), size - 1) if last > 0 else None
    if first >= size:
        return None
    return first, size - 1 if last is None else min(last, size - 1)


def _coalesced(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def parse_range(header: str | None, size: int) -> Span | None:
    """The one span of a ``size``-byte file that ``header`` asks for, or None for the whole file.

    An invalid or foreign Range is ignored (None). Specs past the end are dropped; when none is
    left, RangeNotSatisfiable (416). Several spans that touch are served as one; several apart
    would need multipart/byteranges, which is not served: the whole file is (the RFC lets a
    server ignore a Range). An empty file has no span to name, so a Range on it is ignored.
    """
    specs = _specs(header) if header and size > 0 else None
    if specs is None:
        return None
    spans = [span for f, la in specs if (span := _satisfiable(f, la, size)) is not None]
    if not spans:
        raise RangeNotSatisfiable(size)
    merged = _coalesced(spans)
    return merged[0] if len(merged) == 1 else None


def http_date(moment: datetime) -> str:
    """``Sun, 06 Dec 2026 17:09:42 GMT`` (IMF-fixdate), for Last-Modified."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def range_applies(
    if_range: str | None, *, etag: str | None, last_modified: datetime | None
) -> bool:
    """§13.1.5: whether a Range may be served, given the request's If-Range. An entity-tag
    matches only strongly (a weak one never does); a date only when it is exactly the file's
    Last-Modified. A date is a strong validator here: a stored file is written once and never
    changes, let alone twice within its second (§8.8.2.2)."""
    if if_range is None:
        return True
    value = if_range.strip(_OWS)
    if value.startswith(('"', "W/")):
        return etag is not None and value == etag
    if last_modified is None:
        return False
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    if date.tzinfo is None:  # "-0000": a time whose zone is unknown cannot match exactly
        return False
    return date == last_modified.replace(microsecond=0)
