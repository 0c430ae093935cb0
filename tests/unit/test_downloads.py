"""Range parsing for seekable downloads; the names downloads are saved under."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from ttsjobs_cli.commands import saved_name
from ttsjobs_gateway.downloads import content_disposition, download_name, parse_range
from ttsjobs_gateway.errors import RangeNotSatisfiable


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=900-5000", (900, 999)),
        ("items=0-1", None),
        ("bytes=0-1,5-6", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-1", "bytes=-0"])
def test_unsatisfiable_ranges(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 1000)


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
