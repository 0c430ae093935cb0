"""``ttsjobs jobs`` at 80 columns: short ids, whole times, titles cut with … by cell width
(a CJK character takes two cells), and ``show``'s human view of a job."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from rich.cells import cell_len
from rich.console import Console

from ttsjobs_cli.job_table import job_table, short_time
from ttsjobs_cli.show import print_job

CJK = "晨間節目：台北今天的天氣、交通與新聞摘要，還有一段很長很長的訪談內容"
JOB_ID = "a0c5b2d1-1111-4222-8333-444444444444"


def _job(**fields: object) -> dict[str, object]:
    return {"id": JOB_ID, "status": "completed", "created_at": "2026-12-06T23:40:00+00:00",
            "title": "t", "result": {"duration_ms": 12345}, **fields}  # fmt: skip


def _rendered(width: int, renderable: object) -> list[str]:
    console = Console(width=width, file=io.StringIO(), emoji=False, color_system=None)
    console.print(renderable)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def test_80_columns_hold_short_ids_times_and_titles_cut_by_cell_width():
    jobs = [_job(title=CJK), _job(id="b" + JOB_ID[1:], title="gardening " * 20, result=None)]
    lines = _rendered(80, job_table(jobs, width=80))
    assert max(cell_len(line) for line in lines) <= 80
    cjk_row, latin_row = lines[2], lines[3]
    assert cjk_row.startswith("a0c5b2d1 ") and JOB_ID not in cjk_row
    assert "12.3 s" in cjk_row and "晨間節目" in cjk_row and cjk_row.rstrip().endswith("…")
    assert latin_row.startswith("b0c5b2d1 ") and latin_row.rstrip().endswith("…")


def test_a_short_title_is_whole_and_a_wide_terminal_shows_more():
    lines = _rendered(160, job_table([_job(title=CJK)], width=160))
    assert CJK in lines[2]


def test_list_times_drop_the_year_only_within_it():
    now = datetime(2026, 12, 7, tzinfo=UTC)
    assert len(short_time("2026-12-06T23:40:00+00:00", now=now)) == len("12-06 23:40")
    assert short_time("2025-01-02T10:00:00+00:00", now=now).startswith("2025-01-0")
    assert short_time(None) == ""


def test_show_names_each_speakers_voice_expiry_and_files(monkeypatch):
    expires = (datetime.now(UTC) + timedelta(days=29, hours=1)).isoformat()
    job = _job(
        title="晨間節目", provider="kokoro", expires_at=expires, elapsed=4.2,
        input={"voice_assignments": {
            "主持人": {"voice": "zf_xiaoxiao", "speed": 1.0, "reading": "taiwan"},
            "來賓": {"voice": "zm_yunxi", "speed": 1.25},
        }},
        links={"self": f"/api/v1/jobs/{JOB_ID}", "download": f"/api/v1/jobs/{JOB_ID}/download"},
    )  # fmt: skip
    console = Console(width=100, file=io.StringIO(), emoji=False, color_system=None)
    monkeypatch.setattr("ttsjobs_cli.show.console", console)
    print_job(job, base_url="http://127.0.0.1:8000")
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.startswith("晨間節目\n")
    assert "voice of 主持人  zf_xiaoxiao (kokoro), taiwan reading" in text
    assert "voice of 來賓    zm_yunxi (kokoro), speed 1.25" in text
    assert "(in 29 days)" in text and "4.2 s" in text and "12.3 s" in text
    assert f"http://127.0.0.1:8000/api/v1/jobs/{JOB_ID}/download" in text
    assert "ttsjobs download a0c5b2d1" in text
    assert "progress" not in text and "error" not in text  # nothing empty is shown


def test_a_new_jobs_expiry_reads_as_the_web_app_says_it():
    # Just made, with 30 days of retention less a few seconds: "in 30 days", as the web app
    # rounds it, not a floor's "in 29 days".
    from ttsjobs_cli.show import _expiry

    soon_after_creation = (datetime.now(UTC) + timedelta(days=30, seconds=-5)).isoformat()
    assert _expiry(soon_after_creation).endswith("(in 30 days)")
    assert _expiry((datetime.now(UTC) + timedelta(hours=3)).isoformat()).endswith("(today)")
