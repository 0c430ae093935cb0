"""What `ttsjobs dev` shows: the services' log files followed line by line, one line per finished
job, errors said once, JSON mode passing the lines on; and stdlib records logged as JSON."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from ttsjobs_cli.embedded.console import Console, JobLines, short_id
from ttsjobs_cli.embedded.log_tail import LogTail

JOB = "a0c5e1f2-1234-4c5d-8e9f-0123456789ab"


def test_the_tail_returns_complete_lines_once_and_skips_what_came_before(tmp_path):
    (tmp_path / "gateway.log").write_text("old line\n")
    tail = LogTail.from_now(tmp_path)
    assert tail.poll() == []
    with open(tmp_path / "gateway.log", "a") as f:
        f.write("first\nsecond, half")
    (tmp_path / "synthesis.log").write_text("a new file is read from its start\n")
    assert tail.poll() == [("gateway", "first"), ("synthesis", "a new file is read from its start")]
    with open(tmp_path / "gateway.log", "a") as f:
        f.write(" done\n")
    assert tail.poll() == [("gateway", "second, half done")]
    (tmp_path / "gateway.log").write_text("replaced\n")  # shorter than what was read
    assert tail.poll() == [("gateway", "replaced")]


def test_a_missing_folder_is_no_error(tmp_path):
    assert LogTail.from_now(tmp_path / "logs").poll() == []


def test_a_job_is_one_line_when_it_ends():
    lines = JobLines()
    started = {"event": "job.started", "job_id": JOB, "level": "info"}
    assert lines.line_for("synthesis", started) is None
    done = {"event": "job.completed", "job_id": JOB, "duration_ms": 12_345, "level": "info"}
    assert lines.line_for("synthesis", done) == "job a0c5e1f2 completed, 12.3 s of audio"
    applied = {"event": "projection.status_changed", "job_id": JOB, "status": "completed"}
    assert lines.line_for("projection", applied) is None, "said once, by synthesis"


def test_a_failure_says_its_reason_and_a_cancel_says_so():
    lines = JobLines()
    refused = {"event": "event.permanent_failure", "job_id": JOB, "reason": "no such voice"}
    assert lines.line_for("synthesis", refused) is None
    failed = {"event": "projection.status_changed", "job_id": JOB, "status": "failed"}
    assert lines.line_for("projection", failed) == "job a0c5e1f2 failed: no such voice"
    cancelled = {"event": "projection.status_changed", "job_id": JOB, "status": "cancelled"}
    assert lines.line_for("projection", cancelled) == "job a0c5e1f2 cancelled"


def test_an_error_is_said_once_a_minute():
    now = [0.0]
    lines = JobLines(clock=lambda: now[0])
    error = {"event": "s3.unreachable", "level": "error"}
    said = "notifier reported an error (s3.unreachable); see logs/notifier.log"
    assert lines.line_for("notifier", error) == said
    assert lines.line_for("notifier", error) is None
    assert lines.line_for("notifier", {"event": "s3.unreachable", "level": "warning"}) is None
    now[0] = 61.0
    assert lines.line_for("notifier", error) == said


def test_the_short_id_is_a_prefix_of_the_id():
    assert short_id(JOB) == "a0c5e1f2" and JOB.startswith(short_id(JOB))


def _logs_with(tmp_path, *lines: str):
    logs = tmp_path / "logs"
    logs.mkdir()
    return logs, lambda: (logs / "synthesis.log").write_text("".join(f"{x}\n" for x in lines))


def test_people_see_job_lines_and_no_json(tmp_path):
    done = json.dumps({"event": "job.completed", "job_id": JOB, "duration_ms": 2000})
    logs, write = _logs_with(tmp_path, done, json.dumps({"event": "job.started"}), "Traceback")
    out = io.StringIO()
    console = Console(logs, json_lines=False, out=out)
    console.say("ttsjobs: starting")
    write()
    console.poll()
    assert out.getvalue() == "ttsjobs: starting\nttsjobs: job a0c5e1f2 completed, 2.0 s of audio\n"


def test_json_mode_passes_the_lines_on_and_wraps_what_is_not_json(tmp_path):
    started = json.dumps({"event": "job.started", "job_id": JOB})
    logs, write = _logs_with(tmp_path, started, "Traceback (most recent call last):")
    out = io.StringIO()
    console = Console(logs, json_lines=True, out=out)
    console.say("a line for people")
    write()
    console.poll()
    shown = [json.loads(line) for line in out.getvalue().splitlines()]
    assert shown == [
        {"event": "job.started", "job_id": JOB},
        {"event": "output", "service": "synthesis", "line": "Traceback (most recent call last):"},
    ]


def test_stdlib_records_are_json_lines_like_structlogs():
    # In a process of its own: pytest's handlers on the root logger would keep ours off it.
    program = (
        "import logging, structlog\n"
        "from ttsjobs.observability.logging import configure_logging\n"
        "configure_logging('gateway', json=True)\n"
        "logging.getLogger('uvicorn.error').info('Uvicorn running on %s', 'http://127.0.0.1:1')\n"
        "structlog.get_logger().info('gateway.ready')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    records = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(r["event"], r["service"], r["level"]) for r in records] == [
        ("Uvicorn running on http://127.0.0.1:1", "gateway", "info"),
        ("gateway.ready", "gateway", "info"),
    ]
    assert records[0]["logger"] == "uvicorn.error"
