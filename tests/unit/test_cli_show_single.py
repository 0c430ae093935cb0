"""``ttsjobs show`` of a single_tts job, whose view carries its request once (``single``, no
dialogue in ``input``): the reader's voice is still named."""

from __future__ import annotations

import io

from rich.console import Console

from ttsjobs_cli.show import print_job

JOB_ID = "b1c5b2d1-1111-4222-8333-444444444444"


def test_show_names_a_long_texts_reader(monkeypatch):
    job = {
        "id": JOB_ID, "status": "completed", "job_type": "single_tts", "title": "第一章",
        "provider": "kokoro", "created_at": "2026-12-06T23:40:00+00:00", "input": None,
        "single": {"text": "很長的文字。", "voice": "zf_xiaoxiao", "speed": 1.25},
        "sentence_ends": [6], "links": {"self": f"/api/v1/jobs/{JOB_ID}"},
    }  # fmt: skip
    console = Console(width=100, file=io.StringIO(), emoji=False, color_system=None)
    monkeypatch.setattr("ttsjobs_cli.show.console", console)
    print_job(job, base_url="http://127.0.0.1:8000")
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "voice of reader  zf_xiaoxiao (kokoro), speed 1.25" in text
