"""Benchmark: what one gateway writes, how long another answers it wrongly.

    .venv/bin/python bench/cross_gateway_staleness.py [--rounds 300]

Two gateways (A, the stack's, and B, a second process) on one embedded stack, tone and espeak
providers. Each round makes one write on A and reads it on B at once, then again and again with
no pause until B agrees; a round is stale when B's first read disagreed, and its staleness is
the time from A's answer to the sending of B's first read that agreed (the one before it, sent
a read's time earlier, still disagreed). Kinds of round:

- create: POST on A (tone), GET on B: the job (any status), never a 404;
- create, listed: POST on A, the job in B's first page (the table: the projection's lag);
- rename of a finished job made on A: PATCH on A, then GET on A (the writer's next request)
  and on B with the new title (B's staleness counted from A's answer); with the projection
  running, and then with it stopped (the table never catches up then);
- cancel: POST (espeak, 6 turns) and DELETE at once on A, GET on B cancelled, asked to stop
  or ended;
- delete of a finished job: DELETE on A, GET on B a 404, then the job gone from B's first
  page (read after the GET agreed).

B's reads are polled for at most 10 s per round; a round that never agrees is counted apart.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import SUBMIT, machine_line, percentile, running_stack
from ttsjobs_cli.embedded.processes import free_port, wait_until

GIVE_UP_S = 10.0


def _tone(tag: str) -> dict:
    return {
        "provider": "tone",
        "title": f"stale {tag}",
        "turns": [{"speaker": "A", "text": f"Line of {tag}."}],
        "voice_assignments": {"A": {"voice": "mid"}},
    }


def _espeak(tag: str) -> dict:
    return {
        "provider": "espeak",
        "title": f"stale {tag}",
        "turns": [{"speaker": "A", "text": f"Line {i} of {tag}, said out loud."} for i in range(6)],
        "voice_assignments": {"A": {"voice": "en-us"}},
    }


class Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.rounds = 0
        self.stale: list[float] = []  # seconds, of the rounds whose first read disagreed
        self.never = 0
        self.skipped = 0

    async def round(
        self, agrees: Callable[[], Awaitable[bool]], *, since: float | None = None
    ) -> None:
        """``since``: when the write answered (perf_counter), if not just now."""
        self.rounds += 1
        start = time.perf_counter() if since is None else since
        if await agrees():
            return
        while (asked := time.perf_counter()) - start < GIVE_UP_S:
            if await agrees():
                # Up to the read that agreed being sent: B was still seen wrong by a read sent
                # before it, so the window closed between the two.
                self.stale.append(asked - start)
                return
        self.never += 1

    def row(self) -> str:
        ms = [s * 1000 for s in self.stale]
        longest = f"{max(ms):.1f}" if ms else "–"
        median = f"{statistics.median(ms):.1f}" if ms else "–"
        p99 = f"{percentile(ms, 99):.1f}" if ms else "–"
        never = f" ({self.never} never within {GIVE_UP_S:.0f} s)" if self.never else ""
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        return (f"| {self.name} | {len(self.stale)}/{self.rounds}{never}{skipped} | {median} | "
                f"{p99} | {longest} |")  # fmt: skip


async def _finished(client: httpx.AsyncClient, ids: list[str]) -> None:
    for job_id in ids:
        deadline = time.monotonic() + 120
        while (await client.get(f"/api/v1/jobs/{job_id}")).json()["status"] != "completed":
            assert time.monotonic() < deadline, f"{job_id} did not complete"
            await asyncio.sleep(0.05)


async def _made(client: httpx.AsyncClient, bodies: list[dict]) -> list[str]:
    ids = []
    for body in bodies:
        answer = await client.post(SUBMIT, json=body)
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["id"])
    return ids


async def run(running, url_b: str, rounds: int) -> list[Tally]:
    stack = running.stack
    headers = running.headers
    async with (
        httpx.AsyncClient(base_url=running.url, headers=headers, timeout=30) as a,
        httpx.AsyncClient(base_url=url_b, headers=headers, timeout=30) as b,
    ):
        created, listed = Tally("create on A → GET on B"), Tally("create on A → in B's list")
        for i in range(rounds):
            job_id = (await _made(a, [_tone(f"create {i}")]))[0]

            async def read(job_id: str = job_id) -> bool:
                return (await b.get(f"/api/v1/jobs/{job_id}")).status_code == 200

            async def in_list(job_id: str = job_id) -> bool:
                page = (await b.get("/api/v1/jobs", params={"limit": 5})).json()
                return job_id in [item["id"] for item in page["items"]]

            await created.round(read)
            await listed.round(in_list)

        stack.stop_service("projection")
        created_dark = Tally("create on A → GET on B, projection stopped")
        for i in range(min(rounds, 100)):
            job_id = (await _made(a, [_tone(f"dark {i}")]))[0]

            async def read_dark(job_id: str = job_id) -> bool:
                return (await b.get(f"/api/v1/jobs/{job_id}")).status_code == 200

            await created_dark.round(read_dark)
        stack.start_service("projection")

        # Made on A: B reads them from the table, as it reads any job another gateway accepted;
        # A's next GET after its own PATCH is the writer's read-your-writes.
        finished = await _made(a, [_tone(f"finished {i}") for i in range(rounds)])
        await _finished(a, finished)
        await _projected(a, finished)
        tallies = {
            (stopped, side): Tally(
                f"rename (finished) on A → GET on {side}"
                + (", projection stopped" if stopped else "")
            )
            for stopped in (False, True)
            for side in ("A", "B")
        }
        for i, job_id in enumerate(finished):
            dark = i >= rounds // 2
            if i == rounds // 2:
                stack.stop_service("projection")
            title = f"renamed {uuid.uuid4().hex[:8]}"
            answer = await a.patch(f"/api/v1/jobs/{job_id}", json={"title": title})
            assert answer.status_code == 200, answer.text
            answered = time.perf_counter()
            for side, client in (("A", a), ("B", b)):

                async def titled(
                    job_id: str = job_id, title: str = title, client: httpx.AsyncClient = client
                ) -> bool:
                    return (await client.get(f"/api/v1/jobs/{job_id}")).json()["title"] == title

                await tallies[dark, side].round(titled, since=answered)
        stack.start_service("projection")

        cancelled = Tally("cancel on A → GET on B")
        for i in range(rounds):
            job_id = (await _made(a, [_espeak(f"cancel {i}")]))[0]
            answer = await a.delete(f"/api/v1/jobs/{job_id}")
            if answer.status_code == 409:
                cancelled.skipped += 1  # ended before the cancel
                continue

            async def stopped(job_id: str = job_id) -> bool:
                seen = (await b.get(f"/api/v1/jobs/{job_id}")).json()
                ended = seen["status"] in ("cancelled", "completed", "failed")
                return ended or seen["cancel_requested_at"] is not None

            await cancelled.round(stopped)

        deleted = Tally("delete (finished) on A → 404 on B")
        unlisted = Tally("delete (finished) on A → gone from B's list")
        for job_id in finished:
            assert (await a.delete(f"/api/v1/jobs/{job_id}")).status_code == 204

            async def gone(job_id: str = job_id) -> bool:
                return (await b.get(f"/api/v1/jobs/{job_id}")).status_code == 404

            async def not_listed(job_id: str = job_id) -> bool:
                page = (await b.get("/api/v1/jobs", params={"limit": 20})).json()
                return job_id not in [i["id"] for i in page["items"]]

            await deleted.round(gone)
            await unlisted.round(not_listed)
    return [created, created_dark, listed, *tallies.values(), cancelled, deleted, unlisted]


async def _projected(client: httpx.AsyncClient, ids: list[str]) -> None:
    """Every job of ``ids`` in the table (the list reads only the table)."""
    deadline = time.monotonic() + 60
    wanted = set(ids)
    while True:
        seen: set[str] = set()
        cursor = None
        while True:
            params: dict[str, str | int] = {"limit": 100, "status": "completed"}
            if cursor:
                params["cursor"] = cursor
            page = (await client.get("/api/v1/jobs", params=params)).json()
            seen |= {item["id"] for item in page["items"]}
            cursor = page["next_cursor"]
            if not cursor:
                break
        if wanted <= seen:
            return
        assert time.monotonic() < deadline, "the projection did not catch up"
        await asyncio.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    env = {
        "TTSJOBS_PROVIDERS": '["tone", "espeak"]',
        "TTSJOBS_PER_USER_LIMIT": "8",
        "TTSJOBS_WORKER_SLOTS": "8",
    }
    with running_stack(env) as running:
        stack = running.stack
        port = free_port()
        stack.start_service("gateway-b", service="gateway", extra_env={"TTSJOBS_PORT": str(port)})
        url_b = f"http://127.0.0.1:{port}"
        wait_until(lambda: _ready(url_b), timeout_s=60, what="gateway B ready")
        tallies = asyncio.run(run(running, url_b, args.rounds))
    print(machine_line(1))
    print()
    print(
        "| write on A → read on B | stale first reads / rounds | median ms | p99 ms | longest ms |"
    )
    print("|---|---|---|---|---|")
    for tally in tallies:
        print(tally.row())


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


if __name__ == "__main__":
    main()
