"""Range and If-Range for seekable downloads (RFC 9110); the names downloads are saved under."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from ttsjobs_cli.commands import saved_name
from ttsjobs_gateway.downloads import content_disposition, download_name
from ttsjobs_gateway.errors import RangeNotSatisfiable
from ttsjobs_gateway.ranges import http_date, parse_range, range_applies

HUGE = "9" * 4301  # past Python's int-digit limit: int() of it raises


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=999-999", (999, 999)),
        # A last-pos or suffix past any file is the end of this one.
        (f"bytes=0-{HUGE}", (0, 999)),
        (f"bytes=10-{HUGE}", (10, 999)),
        (f"bytes=-{HUGE}", (0, 999)),
        (f"bytes={'0' * 5000}7-{'0' * 5000}9", (7, 9)),  # leading zeros are still small numbers
        # The unit is case-insensitive; OWS around the list's commas and empty elements are fine.
        ("BYTES=0-9", (0, 9)),
        ("  bytes=0-9\t", (0, 9)),
        ("bytes=0-9 , ", (0, 9)),
        # Several specs: those past the end are dropped, spans that touch are one.
        ("bytes=0-9,10-19", (0, 19)),
        ("bytes=5-9, 0-6", (0, 9)),
        ("bytes=0-9,2000-", (0, 9)),
        ("bytes=0-1,5-6", None),  # apart: multipart is not served, the whole file is
        # Invalid or foreign: ignored, the whole file.
        ("bytes=5-3", None),
        ("bytes=0-9,5-3", None),
        (f"bytes={HUGE}-5", None),
        ("bytes=-", None),
        ("bytes=", None),
        ("bytes=,", None),
        ("bytes = 0-9", None),
        ("bytes=0 - 9", None),
        ("bytes=0x10-", None),
        ("bytes=+1-2", None),
        ("bytes=١-٢", None),  # Arabic-Indic digits are digits to \d in Python, not to HTTP
        ("bytes=0-9;q=1", None),
        ("items=0-1", None),
        ("bytes", None),
        ("bytes0-1", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header",
    ["bytes=1000-", "bytes=-0", f"bytes={HUGE}-", f"bytes={HUGE}-{HUGE}", "bytes=-0,2000-"],
)
def test_unsatisfiable_ranges(header):
    with pytest.raises(RangeNotSatisfiable) as refused:
        parse_range(header, 1000)
    assert refused.value.headers == {"Content-Range": "bytes */1000"}


def test_a_range_on_an_empty_file_is_ignored():
    assert parse_range("bytes=0-", 0) is None


ETAG = '"5d41402abc4b2a76b9719d911017c592"'
MODIFIED = datetime(2026, 12, 6, 17, 9, 42, 512_000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("if_range", "applies"),
    [
        (None, True),  # no If-Range: the Range stands
        (ETAG, True),
        (f" {ETAG} ", True),
        ('"another"', False),
        (f"W/{ETAG}", False),  # a weak tag never matches (RFC 9110 §13.1.5)
        (ETAG.upper(), False),
        ("Sun, 06 Dec 2026 17:09:42 GMT", True),
        ("Sun, 06 Dec 2026 17:09:41 GMT", False),
        ("Sun, 06 Dec 2026 17:09:43 GMT", False),  # later is not the same file either
        ("Sun, 06 Dec 2026 17:09:42 -0000", False),
        ("not a date", False),
        ("", False),
        ("Sun, 06 Dec 99999 17:09:42 GMT", False),
        ("Sun, 99 Dec 2026 17:09:42 GMT", False),
    ],
)
def test_if_range(if_range, applies):
    assert range_applies(if_range, etag=ETAG, last_modified=MODIFIED) is applies


def test_if_range_never_matches_what_a_file_does_not_have():
    assert not range_applies(ETAG, etag=None, last_modified=MODIFIED)
    assert not range_applies("Sun, 06 Dec 2026 17:09:42 GMT", etag=ETAG, last_modified=None)


def test_last_modified_is_an_imf_fixdate():
    assert http_date(MODIFIED) == "Sun, 06 Dec 2026 17:09:42 GMT"


def _job(title):
    return SimpleNamespace(
        id="0b6a",
        title=title,
        created_at=datetime(2026, 12, 1, 23, 30, tzinfo=timezone(timedelta(hours=8))),
        result=None,
    )


@pytest.mark.parametrize(
    ("title", "name", "fallback"),
    [
        ("早安會議", "2026-12-01_1530_早安會議.wav", "2026-12-01_1530_ttsjobs-0b6a.wav"),
        ("Standup notes", "2026-12-01_1530_Standup_notes.wav", None),
        (
            "Q4 早安 review",
            "2026-12-01_1530_Q4_早安_review.wav",
            "2026-12-01_1530_ttsjobs-0b6a.wav",
        ),
        ("../../etc/passwd", "2026-12-01_1530_etc_passwd.wav", None),
        ('a\\b:c*?"<>|d', "2026-12-01_1530_a_b_c_d.wav", None),
        ("tab\there\x00nul\u202eRLO\r\n", "2026-12-01_1530_tab_here_nul_RLO.wav", None),
        ("..", "2026-12-01_1530_ttsjobs-0b6a.wav", None),
        (None, "2026-12-01_1530_ttsjobs-0b6a.wav", None),
    ],
)
def test_download_names_carry_the_date_and_a_clean_title(title, name, fallback):
    job = _job(title)
    assert download_name(job, "wav") == name
    header = content_disposition(job, "wav")
    assert header.startswith(f'attachment; filename="{fallback or name}"')
    assert header.isascii()
    if fallback:
        assert header.endswith(f"; filename*=UTF-8''{quote(name, safe='')}")
    else:
        assert "filename*" not in header


def test_a_long_title_is_cut():
    name = download_name(_job("字" * 300), "vtt")
    assert name == f"2026-12-01_1530_{'字' * 80}.vtt"


@pytest.mark.parametrize(
    ("disposition", "name"),
    [
        ("attachment; filename=\"a.wav\"; filename*=UTF-8''%E6%97%A9.wav", "早.wav"),
        ('attachment; filename="plain.wav"', "plain.wav"),
        ("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", "passwd"),
        ('attachment; filename="..\\..\\x.wav"', "x.wav"),
        ('attachment; filename=".."', None),
        ("inline", None),
    ],
)
def test_the_cli_saves_under_the_name_and_never_a_path(disposition, name):
    assert saved_name(disposition) == name
