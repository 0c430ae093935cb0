"""``ttsjobs show ID``: one job as a person reads it (title, status, the voice of each speaker,
times, the audio's length, when it expires, where its files are); ``--json`` prints the API's
view as it is, for scripts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.cells import cell_len
from rich.highlighter import JSONHighlighter

from ttsjobs_cli.job_table import local_time, seconds
from ttsjobs_cli.safe_text import console, json_shown, shown


def print_json(job: dict[str, Any]) -> None:
    console.print(JSONHighlighter()(json_shown(job)), soft_wrap=True)


def _voice(assignment: dict[str, Any], provider: str) -> str:
    said = f"{assignment.get('voice') or '?'} ({assignment.get('provider') or provider})"
    for setting in ("speed", "pitch", "volume"):
        value = assignment.get(setting)
        if value is not None and value != 1.0:
            said += f", {setting} {value}"
    if assignment.get("reading"):
        said += f", {assignment['reading']} reading"
    return said


def _voices(job: dict[str, Any]) -> list[tuple[str, str]]:
    if single := job.get("single"):  # one reader; its request carries no dialogue
        return [("reader", shown(_voice(single, job.get("provider", ""))))]
    request = job.get("input") or {}
    assignments = request.get("voice_assignments") or {}
    return [
        (shown(speaker), shown(_voice(assignment, job.get("provider", ""))))
        for speaker, assignment in assignments.items()
    ]


def _expiry(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        left = datetime.fromisoformat(iso) - datetime.now(UTC)
    except ValueError:
        return shown(iso)
    days = round(left.total_seconds() / 86_400)  # rounded as the web app does: a new job's "30"
    when = "today" if days < 1 else "in 1 day" if days == 1 else f"in {days} days"
    return f"{local_time(iso)} ({when})"


def _progress(job: dict[str, Any]) -> str:
    progress = job.get("progress") or {}
    unit = "sentences" if job.get("job_type") == "single_tts" else "turns"
    said = f"{progress.get('done', 0)}/{progress.get('total', 0)} {unit}"
    if progress.get("eta_ms") is not None:
        said += f", about {seconds(progress['eta_ms'])} left"
    return said


def _rows(job: dict[str, Any], base_url: str) -> list[tuple[str, str]]:
    result = job.get("result") or {}
    rows = [
        ("id", shown(job["id"])),
        ("status", shown(job["status"])),
        ("engine", shown(job.get("provider", ""))),
        ("progress", _progress(job) if job["status"] in ("pending", "processing") else ""),
        ("error", shown(job.get("error_message") or "", lines=True)),
        ("created", local_time(job.get("created_at"))),
        ("started", local_time(job.get("started_at"))),
        ("completed", local_time(job.get("completed_at"))),
        ("took", seconds(job["elapsed"] * 1000) if job.get("elapsed") is not None else ""),
        ("audio", seconds(result.get("duration_ms")) if result else ""),
        ("expires", _expiry(job.get("expires_at"))),
    ]
    rows += [(f"voice of {speaker}", voice) for speaker, voice in _voices(job)]
    rows += [("warning", shown(warning)) for warning in job.get("warnings") or []]
    links = job.get("links") or {}
    for name, label in (("download", "audio file"), ("captions_vtt", "captions VTT"),
                        ("captions_srt", "captions SRT"), ("captions_words", "word captions VTT"),
                        ("alignment", "character times")):  # fmt: skip
        if links.get(name):
            rows.append((label, shown(base_url + links[name])))
    return [(name, value) for name, value in rows if value]


def print_job(job: dict[str, Any], *, base_url: str) -> None:
    console.print(f"[bold]{shown(job.get('title') or '(untitled)')}[/bold]")
    rows = _rows(job, base_url)
    # Plain lines, names padded by cell width (a CJK speaker takes two per character), never
    # folded: a link cut in two could not be copied.
    width = max(cell_len(name) for name, _ in rows)
    for name, value in rows:
        padding = " " * (width - cell_len(name) + 2)
        console.print(f"[dim]{name}[/dim]{padding}{value}", highlight=False, soft_wrap=True)
    if job["status"] == "completed":
        console.print(f"save it with: ttsjobs download {shown(job['id'][:8])}", highlight=False)
