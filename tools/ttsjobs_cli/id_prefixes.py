"""A job id as people type it: the whole id, or a unique start of it (``a0c5``), as ``ttsjobs
jobs`` shows them. A prefix is looked up with ``GET /api/v1/jobs?id_prefix=``; one that fits
several jobs is refused with the candidates listed, never guessed."""

from __future__ import annotations

import re
from typing import Any

from ttsjobs_cli.client import Api, CliError
from ttsjobs_cli.safe_text import plain

_WHOLE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PREFIX = re.compile(r"[0-9a-f][0-9a-f-]{0,35}")
# Enough candidates to tell them apart by title; more than this and the prefix is just short.
_CANDIDATES_SHOWN = 10


def job_id_of(api: Api, given: str) -> str:
    """The one job of the caller's whose id is ``given`` or starts with it."""
    typed = given.strip().lower()
    if _WHOLE.fullmatch(typed):
        return typed  # a whole id is taken as it is: the command's own request says if it exists
    if not _PREFIX.fullmatch(typed):
        raise CliError(
            f"{plain(given)!r} is not a job id: a job id is hex digits and dashes, like the "
            "start of one `ttsjobs jobs` lists (a0c5b2d1)"
        )
    page = api.jobs(limit=_CANDIDATES_SHOWN, id_prefix=typed)
    # Checked here too, so that a server that ignores id_prefix is never taken at its word.
    items = page.get("items", [])
    # Dashes or none, as the API takes them: 8a0c5b2d11 is the start of 8a0c5b2d-11….
    found = [job for job in items if _hex(job.get("id", "")).startswith(_hex(typed))]
    if not found:
        raise CliError(f"no job of yours has an id starting with {typed}")
    # A next page means more of the same only if this page was all of the prefix.
    more = bool(page.get("next_cursor")) and len(found) == len(items)
    if len(found) > 1 or more:
        raise CliError(_ambiguous(typed, found, more=more))
    return str(found[0]["id"])


def _hex(job_id: object) -> str:
    return str(job_id).replace("-", "")


def _ambiguous(prefix: str, found: list[dict[str, Any]], *, more: bool) -> str:
    lines = [f"{prefix} is the start of several jobs' ids; type more of it:"]
    for job in found:
        title = plain(job.get("title") or "(untitled)")
        lines.append(f"  {plain(job['id'])}  {plain(job.get('status', ''))}  {title}")
    if more:
        lines.append("  … and more")
    return "\n".join(lines)
