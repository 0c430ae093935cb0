"""The job commands of ``ttsjobs`` (submitting.py has submit): jobs, show, follow, download,
cancel, delete, voices; and the live progress of jobs.

A terminal program for people: it prints with rich to stdout and exits non-zero on failure.
Every string the server sends (titles, statuses, error messages, voice names, file names) goes
through ``shown`` (safe_text.py) before rich sees it. A job id may be typed as a unique start of
it (id_prefixes.py).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

# The SDK names a download's file; tests/unit/test_downloads.py reads the rule here.
from ttsjobs_client.downloads import saved_name as saved_name

from ttsjobs_cli.client import Api, CliError
from ttsjobs_cli.id_prefixes import job_id_of
from ttsjobs_cli.job_table import SHORT_ID, print_jobs
from ttsjobs_cli.safe_text import console, shown
from ttsjobs_cli.show import print_job, print_json

FINISHED = ("completed", "failed", "cancelled")


def watch(api: Api, jobs: list[dict[str, Any]]) -> int:
    """Live progress of ``jobs`` until each ends, then a line on each; 0 if all completed."""
    finished = asyncio.run(_watch(api, jobs))
    for job in finished:
        _summary(job)
    return 0 if all(job["status"] == "completed" for job in finished) else 1


async def _watch(api: Api, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} {task.fields[unit]}"),
        TextColumn("{task.fields[status]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        tasks = {
            job["id"]: progress.add_task(
                shown(job.get("title") or job["id"][:8]),
                total=job["progress"]["total"],
                status="pending",
                unit=_unit(job),
            )
            for job in jobs
        }
        await asyncio.gather(*[_follow(api, job["id"], progress, tasks[job["id"]]) for job in jobs])
    return [api.job(job["id"]) for job in jobs]


async def _follow(api: Api, job_id: str, progress: Progress, task: TaskID) -> None:
    async for message in api.follow(job_id):
        if message["type"] == "snapshot":
            job = message["job"]
            progress.update(task, completed=job["progress"]["done"], status=shown(job["status"]))
            continue
        event = message["event"]
        kind = event["type"].split(".")[-2]
        if kind == "progressed":
            progress.update(task, completed=event["data"]["done"], status="processing")
        elif kind in ("started", "completed", "failed", "cancelled"):
            progress.update(task, status=kind)
            if kind == "completed":
                progress.update(task, completed=progress.tasks[task].total)


def _unit(job: dict[str, Any]) -> str:
    """What a job's progress counts: a long text's sentences, a dialogue's turns."""
    return "sentences" if job.get("job_type") == "single_tts" else "turns"


def _summary(job: dict[str, Any]) -> None:
    job_id = shown(job["id"])
    if job["status"] == "completed":
        result = job["result"]
        console.print(
            f"[green]completed[/green] {job_id}: {result['duration_ms'] / 1000:.1f} s of audio "
            f"in {job['elapsed']:.1f} s, {result['cache_hits']} {_unit(job)} from cache; "
            f"`ttsjobs download {job_id[:SHORT_ID]}`"
        )
    else:
        reason = shown(job.get("error_message") or "")
        console.print(f"[red]{shown(job['status'])}[/red] {job_id}: {reason}")


def list_jobs(api: Api, *, limit: int, status: str | None = None, search: str | None = None) -> int:
    print_jobs(api.jobs(limit=limit, status=status, q=search))
    return 0


def show(api: Api, given_id: str, *, as_json: bool = False) -> int:
    job = api.job(job_id_of(api, given_id))
    if as_json:
        print_json(job)
    else:
        print_job(job, base_url=api.base_url)
    return 0


def follow(api: Api, given_id: str) -> int:
    """Live progress of one job already submitted; a finished one is summed up at once."""
    job = api.job(job_id_of(api, given_id))
    if job["status"] in FINISHED:
        _summary(job)
        return 0 if job["status"] == "completed" else 1
    return watch(api, [job])


def _destination(output: str | None) -> Path:
    """Where a download goes: ``-o FILE`` as given; ``-o DIR`` (a directory, or a path ending
    in /, made if missing) that folder under the server's file name; no -o, here."""
    if output is None:
        return Path()
    if output.endswith(("/", os.sep)):
        Path(output).mkdir(parents=True, exist_ok=True)
    return Path(output)


def download(api: Api, given_id: str, output: str | None) -> int:
    job_id = job_id_of(api, given_id)
    to = _destination(output)
    try:
        got = api.download(job_id, to)
    except OSError as err:
        # The SDK writes NAME.part and renames it NAME once whole: the user named NAME.
        target = str(err.filename or to).removesuffix(".part")
        if isinstance(err, FileNotFoundError):
            raise CliError(f"{target}: its folder does not exist") from err
        if isinstance(err, IsADirectoryError | FileExistsError):
            raise CliError(f"{target}: something else is in the way ({err.strerror})") from err
        raise CliError(f"{target}: cannot write ({err.strerror})") from err
    kind = shown(got.content_type)
    console.print(f"saved {shown(got.path)} ({got.size} bytes, {kind})")
    return 0


def cancel(api: Api, given_id: str) -> int:
    job_id = job_id_of(api, given_id)
    # The server refuses a finished job too (409); asked first, the answer can say what to do.
    status = api.job(job_id)["status"]
    if status in FINISHED:
        raise CliError(
            f"{job_id[:SHORT_ID]} is {shown(status)}: only pending or processing jobs can be "
            "cancelled (`ttsjobs delete` removes a finished one)"
        )
    job = api.cancel(job_id)
    said = (
        "cancelled" if job["status"] == "cancelled" else "cancel requested (stops at the next turn)"
    )
    console.print(f"{shown(job_id)}: {said}")
    return 0


def delete(api: Api, given_id: str) -> int:
    """A finished job is deleted with its files; an unfinished one is cancelled, as the API does."""
    job_id = job_id_of(api, given_id)
    job = api.delete(job_id)
    if job is None:
        said = "deleted, with its audio and captions"
    elif job["status"] == "cancelled":
        said = "was unfinished: cancelled (delete it again to remove it)"
    else:
        said = "was unfinished: cancel requested (stops at the next turn)"
    console.print(f"{shown(job_id)}: {said}")
    return 0


def voices(
    api: Api,
    provider: str | None,
    *,
    language: str | None = None,
    gender: str | None = None,
) -> int:
    """Providers with their voice counts; with a provider or a filter, the voices themselves."""
    catalogue = api.voices(provider=provider, language=language, gender=gender)["providers"]
    if provider is None and language is None and gender is None:
        table = Table("provider", "voices", "description")
        for entry in catalogue:
            table.add_row(
                shown(entry["provider"]), str(len(entry["voices"])), shown(entry["description"])
            )
        console.print(table)
        return 0
    if provider is not None and not catalogue and language is None and gender is None:
        raise CliError(f"no provider {provider!r}; `ttsjobs voices` lists them")
    table = Table("voice", "name", "language", "gender", "provider", "settings")
    for entry in catalogue:
        for voice in entry["voices"]:
            cells = (voice["id"], voice["name"], voice["language"], voice.get("gender") or "",
                     entry["provider"], ", ".join(voice["settings"]))  # fmt: skip
            table.add_row(*map(shown, cells))
    console.print(table)
    return 0
