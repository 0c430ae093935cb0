"""What must hold after a cluster drill, checked from the stream, the table and the bucket (never
from the gateways' answers alone), and the numbers a drill reports.

- Every job a client was told about ends completed exactly once: one JobCompleted in the
  stream, one completed row, and an audio object that exists.
- No Idempotency-Key created two jobs (the title of each JobCreated carries its key).
- No job of the drill's user is left pending or processing; the stream's JobCreated of the user
  and the table's rows are the same jobs; no audio object in the user's folder lacks a job.
- One user's backlog does not hold up another's few jobs (``fairness``)."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
import httpx
import nats

from tests.conftest import eventually
from tests.support.cluster_drills import TITLE_PREFIX, Burst
from tests.support.jobs import SUBMIT, stack_bucket
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobCompleted, JobCreated, JobStarted, parse_event
from ttsjobs.messaging.batch_get import BatchGet
from ttsjobs.storage import AUDIO_PREFIX


@dataclass
class JobEvents:
    """The stream's events of one user's jobs, from a sequence on."""

    kinds: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    keys: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # key → jobs
    started: dict[str, float] = field(default_factory=dict)
    completed: dict[str, float] = field(default_factory=dict)

    def add(self, data: bytes, user_id: str, mine: set[str]) -> None:
        event = parse_event(data)
        if isinstance(event, JobCreated) and event.data.user_id == user_id:
            mine.add(event.subject)
            title = event.data.request.title or ""
            self.keys[title.removeprefix(TITLE_PREFIX)].append(event.subject)
        if event.subject not in mine:
            return
        self.kinds[event.subject][event.kind] += 1
        if isinstance(event, JobStarted):
            self.started.setdefault(event.subject, _seconds(event.time))
        if isinstance(event, JobCompleted):
            self.completed.setdefault(event.subject, _seconds(event.time))


def _seconds(at: datetime) -> float:
    return at.timestamp()


async def stream_events(nats_url: str, user_id: str, *, from_seq: int) -> JobEvents:
    nc = await nats.connect(nats_url.split(","))
    try:
        reader, events, mine = BatchGet(nc.jetstream(), subjects.STREAM), JobEvents(), set[str]()
        seq = from_seq
        while True:
            found, more = await reader.read(subjects.ALL_JOB_EVENTS, from_seq=seq)
            for _, data in found:
                events.add(data, user_id, mine)
            if not more or not found:
                return events
            seq = found[-1][0] + 1
    finally:
        await nc.close()


async def stream_last_seq(nats_url: str) -> int:
    nc = await nats.connect(nats_url.split(","))
    try:
        return int((await nc.jetstream().stream_info(subjects.STREAM)).state.last_seq)
    finally:
        await nc.close()


@dataclass(frozen=True)
class DrillReport:
    drill: str
    sent: int
    completed: int
    duplicates: int
    lost: int
    longest_gap_s: float
    post_p99_s: float
    longest_post_s: float  # the longest a client waited for a 202, its retries included
    recovery_s: float

    def row(self) -> str:
        return (f"| {self.drill} | {self.sent} | {self.completed} | {self.duplicates} | "
                f"{self.lost} | {self.longest_gap_s:.1f} | {self.post_p99_s:.2f} | "
                f"{self.longest_post_s:.2f} | {self.recovery_s:.1f} |")  # fmt: skip


TABLE_HEAD = (
    "| drill | jobs sent | completed | duplicates | lost | longest POST gap (s) | POST p99 (s)"
    " | longest POST (s) | time to full recovery (s) |"
    "\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


async def check_drill(
    stack, burst: Burst, user_id: str, *, drill: str, from_seq: int, timeout_s: float = 120
) -> DrillReport:
    """Wait (up to ``timeout_s``) until the drill's jobs have settled, assert the invariants
    of the module docstring, and return the drill's numbers."""
    unanswered = [p.key for p in burst.posts if p.status != 202]
    assert not unanswered, f"POSTs that never got their 202 within the deadline: {unanswered}"
    told = {p.job_id for p in burst.posts if p.job_id}
    db = await asyncpg.connect(stack.env["TTSJOBS_DATABASE_URL"])
    try:
        await eventually(
            lambda: _all_settled(db, user_id, told),
            timeout_s=timeout_s,
            what=f"{drill}: every job completed in the table",
            interval_s=0.5,
        )
        events = await stream_events(stack.env["TTSJOBS_NATS_URL"], user_id, from_seq=from_seq)
        rows = await db.fetch(
            "SELECT j.id::text, j.status, a.object_key, j.result_json FROM tts_jobs j"
            " LEFT JOIN audio_files a ON a.id = j.audio_file_id WHERE j.user_id = $1::uuid",
            user_id,
        )
    finally:
        await db.close()
    doubled = {k: jobs for k, jobs in events.keys.items() if len(jobs) > 1}
    assert not doubled, f"{drill}: keys that created more than one job: {doubled}"
    answers = {p.key: p.job_id for p in burst.posts}
    assert {k: jobs[0] for k, jobs in events.keys.items() if k in answers} == answers
    not_once = {j: dict(c) for j, c in events.kinds.items() if (c["created"], c["completed"],
                c["failed"]) != (1, 1, 0)}  # fmt: skip
    assert not not_once, f"{drill}: jobs not created and completed exactly once: {not_once}"
    assert told <= set(events.kinds), f"{drill}: told about but not in the stream"
    assert {r["id"] for r in rows} == set(events.kinds), f"{drill}: stream and table differ"
    assert {r["status"] for r in rows} <= {"completed"}, Counter(r["status"] for r in rows)
    await _audio_matches_jobs(stack, user_id, rows, drill)
    return DrillReport(
        drill=drill,
        sent=len(burst.posts),
        completed=sum(c["completed"] for c in events.kinds.values()),
        duplicates=sum(len(j) - 1 for j in doubled.values()),
        lost=len(told - set(events.completed)),
        longest_gap_s=longest_gap(burst),
        post_p99_s=percentile([p.latency_s or 0.0 for p in burst.posts], 0.99),
        longest_post_s=max((p.latency_s or 0.0 for p in burst.posts), default=0.0),
        recovery_s=recovery(burst, events),
    )


async def _all_settled(db: asyncpg.Connection, user_id: str, told: set[str]) -> bool:
    counts = dict(await db.fetch(
        "SELECT status, count(*) FROM tts_jobs WHERE user_id = $1::uuid GROUP BY status", user_id
    ))  # fmt: skip
    done = await db.fetchval(
        "SELECT count(*) FROM tts_jobs WHERE id = ANY($1::uuid[]) AND status = 'completed'",
        list(told),
    )
    return done == len(told) and not counts.get("pending") and not counts.get("processing")


async def _audio_matches_jobs(stack, user_id: str, rows: list, drill: str) -> None:
    """Every completed job's audio exists, and every object in the user's audio folders belongs
    to a job: its audio (named by content: two jobs may share one), the objects its result
    names (word timing, stems), or the segments it was heard by while it rendered."""
    bucket = stack.env.get("TTSJOBS_S3_BUCKET", "ttsjobs-audio")
    audio = {r["object_key"] for r in rows}
    named = audio | {key for r in rows for key in _result_objects(r["result_json"])}
    live_of = {f"/live/{r['id']}/" for r in rows}

    def listed() -> set[str]:
        objects = stack_bucket(stack).list_objects(bucket, prefix=AUDIO_PREFIX, recursive=True)
        return {o.object_name for o in objects if f"/{user_id}/" in o.object_name}

    stored = await asyncio.to_thread(listed)
    assert audio <= stored, f"{drill}: jobs whose audio is missing: {audio - stored}"
    orphans = {k for k in stored - named if not any(live in k for live in live_of)}
    assert not orphans, f"{drill}: objects no job refers to: {sorted(orphans)[:10]}"


def _result_objects(result_json: str | dict | None) -> set[str]:
    result = json.loads(result_json) if isinstance(result_json, str) else result_json or {}
    return {ref["key"] for name in ("timing", "stems") if (ref := result.get(name))}


def longest_gap(burst: Burst) -> float:
    """The longest window in which some client's POST kept failing: from a POST's first failed
    attempt to the start of the attempt that got through, windows that overlap merged."""
    windows = sorted(
        (failed[0].sent, p.attempts[-1].sent if p.status == 202 else failed[-1].ended)
        for p in burst.posts
        if (failed := [a for a in p.attempts if a.failed])
    )
    longest, start, end = 0.0, -math.inf, -math.inf
    for begin, finish in windows:
        if begin > end:
            start, end = begin, finish
        end = max(end, finish)
        longest = max(longest, end - start)
    return longest


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] if ordered else 0.0


def recovery(burst: Burst, events: JobEvents) -> float:
    """From the fault until the system serves as before it: the completion of the last tone job
    that was slow (POST to JobCompleted beyond twice the pre-fault p95, and a second more), or
    whose POST had to be retried. 0 when no job was."""
    if burst.fault_at is None:
        return 0.0
    tone = [p for p in burst.posts if p.provider == "tone" and p.job_id in events.completed]
    end_to_end = {p.key: events.completed[p.job_id or ""] - p.sent for p in tone}
    before = [end_to_end[p.key] for p in tone if p.sent < burst.fault_at]
    slow_s = 2 * percentile(before, 0.95) + 1.0
    slow_done = [
        events.completed[p.job_id or ""]
        for p in tone
        if end_to_end[p.key] > slow_s or len(p.attempts) > 1
    ]
    return max([t - burst.fault_at for t in slow_done if t > burst.fault_at], default=0.0)


async def fairness(
    stack, urls: list[str], backlogged: dict, other: dict, *, backlog: int = 24
) -> int:
    """User ``backlogged`` queues ``backlog`` slow jobs, then user ``other`` two: returns how many
    of the backlog started after the other's first JobCreated and before both its jobs had
    started. Waits until every one of them has completed, so the next drill starts idle."""
    run, nats_url = f"fair {time.time_ns()}", stack.env["TTSJOBS_NATS_URL"]
    async with httpx.AsyncClient(base_url=urls[0], timeout=30) as client:

        async def submit(body: dict, headers: dict) -> str:
            response = await client.post(SUBMIT, json=body, headers=headers)
            assert response.status_code == 202, response.text
            return str(response.json()["id"])

        first = await stream_last_seq(nats_url) + 1
        queued = [await submit(_slow_job(f"{run} a{i}"), backlogged) for i in range(backlog)]
        seq = await stream_last_seq(nats_url) + 1
        theirs = [await submit(_slow_job(f"{run} b{i}"), other) for i in range(2)]
        everyone = set(queued) | set(theirs)
        nc = await nats.connect(nats_url.split(","))
        try:
            reader = BatchGet(nc.jetstream(), subjects.STREAM)

            async def all_completed() -> list[str] | None:
                done = await _in_stream_order(reader, JobCompleted.kind, from_seq=first)
                if not everyone <= set(done):
                    return None
                return await _in_stream_order(reader, JobStarted.kind, from_seq=seq)

            started = await eventually(all_completed, timeout_s=120, interval_s=0.5,
                                       what="the fairness jobs completed")  # fmt: skip
        finally:
            await nc.close()
    last_of_theirs = max(started.index(job) for job in theirs)
    return len(set(started[:last_of_theirs]) & set(queued))


def _slow_job(tag: str) -> dict:
    lines = [{"speaker": "A", "text": f"{tag} turn {i} {'x' * 400}"} for i in range(12)]
    return {"provider": "tone", "title": tag, "turns": lines,
            "voice_assignments": {"A": {"voice": "mid"}}}  # fmt: skip


async def _in_stream_order(reader: BatchGet, kind: str, *, from_seq: int) -> list[str]:
    """The jobs with an event of ``kind`` from ``from_seq`` on, in stream order."""
    jobs, seq = [], max(1, from_seq)
    while True:
        found, more = await reader.read(subjects.every_job(kind), from_seq=seq)
        jobs += [parse_event(data).subject for _, data in found]
        if not more or not found:
            return jobs
        seq = found[-1][0] + 1
