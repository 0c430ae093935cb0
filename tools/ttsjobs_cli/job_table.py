"""``ttsjobs jobs``: the caller's jobs as a table that fits the terminal, 80 columns included.

Ids are shown by their first 8 characters, which every job command takes (id_prefixes.py);
a title is cut with … to the room left, its width counted in terminal cells (a CJK character
takes two), which rich's tables do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich import box
from rich.table import Table

from ttsjobs_cli.safe_text import console, shown

SHORT_ID = 8


def local_time(iso: str | None) -> str:
    """A server time (UTC, ISO 8601) in the terminal's own time zone, to the minute."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return shown(iso)


def short_time(iso: str | None, *, now: datetime | None = None) -> str:
    """``12-06 23:40`` this year, ``2025-12-06`` before: a list's time, in 11 cells."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return shown(iso)
    this_year = (now or datetime.now().astimezone()).year == when.year
    return when.strftime("%m-%d %H:%M" if this_year else "%Y-%m-%d")


def seconds(ms: int | float | None) -> str:
    return "" if ms is None else f"{ms / 1000:.1f} s"


# Each column but the title keeps its width: rich would otherwise cut ids and times short to
# make room for a long title (a no_wrap column never gives way by itself).
_FIXED = {"id": SHORT_ID, "status": len("processing"), "created": len("12-31 23:59"),
          "audio": len("999.9 s")}  # fmt: skip
_GAP = 3  # padding, separator, padding


def job_table(jobs: list[dict[str, Any]], *, width: int) -> Table:
    """The table for a terminal ``width`` cells wide; titles cut with … to what is left."""
    title_width = max(10, width - sum(_FIXED.values()) - _GAP * len(_FIXED))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, cells in _FIXED.items():
        table.add_column(
            name, no_wrap=True, width=cells, justify="right" if name == "audio" else "left"
        )
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=title_width)
    for job in jobs:
        result = job.get("result") or {}
        table.add_row(
            shown(str(job["id"])[:SHORT_ID]),
            shown(job["status"]),
            short_time(job.get("created_at")),
            seconds(result.get("duration_ms")),
            shown(job.get("title") or ""),
        )
    return table


def print_jobs(page: dict[str, Any]) -> None:
    jobs = page.get("items") or []
    if not jobs:
        console.print("no jobs")
        return
    console.print(job_table(jobs, width=console.width))
    if page.get("next_cursor"):
        console.print(f"(the newest {len(jobs)}; --limit shows more)", highlight=False)
