"""The cluster drills, one fault each, run the same way by the suite (tests/drills/
test_cluster_drills.py) and at full size by bench/cluster_drills.py: a steady burst as a user of
the drill's own, the fault in its middle (the member is back before the burst ends), then the
checks of tests/support/drill_invariants.py and the fairness probe."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats

from tests.conftest import User, create_user, eventually
from tests.support.cluster_drills import Burst, steady_burst
from tests.support.drill_invariants import DrillReport, check_drill, fairness, stream_last_seq
from tests.support.jobs import SUBMIT, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import JobStarted, parse_event
from ttsjobs.messaging.batch_get import BatchGet
from ttsjobs_cli.embedded.stack import Stack, answers_ready
from ttsjobs_gateway.idempotency import BUCKET as IDEMPOTENCY_BUCKET

# Longer than a JetStream election takes: the frozen node's peers must elect without it.
FREEZE_S = 8.0
# At most this many of a backlog's jobs may start between another user's submission and the
# start of both its jobs: each of the four slots (two processes, two each) frees once.
FAIR_PASSED = 4


def cluster_stack(data_dir: Path, *, extra_env: dict[str, str] | None = None) -> Stack:
    """A cluster stack with the settings the drills need (servers not started yet)."""
    stack = Stack(data_dir=data_dir, trace_to_files=True, cluster=True)
    stack.env.update({
        "TTSJOBS_LOG_LEVEL": "INFO",
        # A killed worker's job comes back after ack_wait: short, so the drills are quick.
        "TTSJOBS_ACK_WAIT_S": "4",
        "TTSJOBS_SUBMISSIONS_PER_MINUTE": "1000000",
        "TTSJOBS_MAX_PENDING_JOBS": "1000000",
        "TTSJOBS_PROVIDERS": json.dumps(["kokoro", "tone"]),
        # One kokoro process per synthesis: each loads the model before it takes jobs.
        "TTSJOBS_KOKORO_PROCESSES": "1",
        **(extra_env or {}),
    })  # fmt: skip
    return stack


@dataclass(frozen=True)
class Size:
    """POSTs answered before the fault, while it lasts, and after the member is back."""

    before: int = 30
    during: int = 20
    after: int = 30
    clients: int = 4
    pause_s: float = 0.25


async def run_drill(
    stack: Stack, fair_users: tuple[User, User], name: str, *, size: Size = Size()
) -> tuple[DrillReport, int]:
    """The drill ``name`` (a key of DRILLS): its report, and how many of a backlog's jobs
    started before the bystander's (asserted at most FAIR_PASSED)."""
    user = create_user(stack, "drill-" + re.sub(r"[^a-z0-9]+", "-", name).strip("-"))
    from_seq = await stream_last_seq(stack.env["TTSJOBS_NATS_URL"]) + 1
    async with steady_burst(
        stack.gateway_urls, user.headers, clients=size.clients, pause_s=size.pause_s
    ) as burst:
        await burst.until_answered(size.before)
        burst.mark_fault()
        await DRILLS[name](stack, burst, user, size.during)
        await burst.until_answered(size.after, timeout_s=120)
    report = await check_drill(stack, burst, user.user_id, drill=name, from_seq=from_seq)
    backlogged, bystander = fair_users
    passed = await fairness(stack, stack.gateway_urls, backlogged.headers, bystander.headers)
    assert passed <= FAIR_PASSED, f"{name}: {passed} of the backlog went before the bystander"
    return report, passed


async def stream_leader(stack: Stack, burst: Burst, user: User, during: int) -> None:
    await _kill_node(stack, burst, stack.nats_cluster.leader_of_stream(subjects.STREAM), during)


async def bucket_leader(stack: Stack, burst: Burst, user: User, during: int) -> None:
    await _kill_node(stack, burst, stack.nats_cluster.leader_of_bucket(IDEMPOTENCY_BUCKET), during)


async def non_leader(stack: Stack, burst: Burst, user: User, during: int) -> None:
    nodes = stack.nats_cluster
    leaders = {
        nodes.leader_of_stream(subjects.STREAM),
        nodes.leader_of_bucket(IDEMPOTENCY_BUCKET),
        nodes.wait_meta_leader(),
    }
    follower = next((n.name for n in nodes.nodes if n.name not in leaders), None)
    assert follower, f"every node leads something: {leaders}"
    await _kill_node(stack, burst, follower, during)


async def _kill_node(stack: Stack, burst: Burst, node: str, during: int) -> None:
    stack.nats_cluster.kill(node)
    await burst.until_answered(during, timeout_s=120)
    await asyncio.to_thread(stack.nats_cluster.restart, node)


async def frozen_node(stack: Stack, burst: Burst, user: User, during: int) -> None:
    nodes = stack.nats_cluster
    frozen = nodes.leader_of_stream(subjects.STREAM)
    nodes.pause(frozen)
    try:
        await asyncio.sleep(FREEZE_S)  # the fault is a span of time; the burst goes on
    finally:
        nodes.resume(frozen)


async def gateway(stack: Stack, burst: Burst, user: User, during: int) -> None:
    stack.kill_service("gateway-2")
    await burst.until_answered(during, timeout_s=120)
    stack.start_service("gateway-2")
    await services_ready(stack)


async def synthesis_mid_long_job(stack: Stack, burst: Burst, user: User, during: int) -> None:
    # A user of its own: behind the burst's jobs of the same user it would wait its turn.
    owner = create_user(stack, f"long-{user.name}")
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=owner.headers) as api:
        response = await api.post(SUBMIT, json=long_kokoro_job(burst.run))
        assert response.status_code == 202, response.text
        job = response.json()

        async def under_way() -> bool:
            shown = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
            assert shown["status"] != "completed", "the long job ended before it could be cut"
            return bool(0 < shown["progress"]["done"] < shown["progress"]["total"])

        await eventually(under_way, timeout_s=120, interval_s=0.2, what="the long job under way")
        worker = await worker_of(stack, job["id"])
        stack.kill_service(worker)
        await burst.until_answered(during, timeout_s=120)
        stack.start_service(worker)
        await services_ready(stack, worker)
        done = await wait_for_status(
            api, job["id"], {"completed", "failed"}, timeout_s=300, interval_s=0.5
        )
        assert done["status"] == "completed", done["error_message"]


def long_kokoro_job(run: str, turns: int = 6) -> dict:
    """Seconds of kokoro work a turn, on one engine process: the job is under way long enough
    to be cut in its middle (a tone job's turns are done in milliseconds, so it could end
    between two looks). Its text is the run's own, so no cached turn shortens it."""
    lines = [
        {"speaker": "A" if i % 2 else "B",
         "text": f"Part {i} of run {run} keeps a worker busy."}
        for i in range(turns)
    ]  # fmt: skip
    voices = {"A": {"voice": "af_heart"}, "B": {"voice": "am_michael"}}
    return {"provider": "kokoro", "title": "long", "turns": lines, "voice_assignments": voices}


async def projection(stack: Stack, burst: Burst, user: User, during: int) -> None:
    stack.kill_service("projection")
    await burst.until_answered(during, timeout_s=120)
    stack.start_service("projection")
    await services_ready(stack, "projection")


# A fault: given the stack, the burst under way, the drill's user and how many POSTs to let
# through while the member is down; returns once the member is back.
Fault = Callable[[Stack, Burst, User, int], Awaitable[None]]
DRILLS: dict[str, Fault] = {
    "job stream leader": stream_leader,
    "idempotency bucket leader": bucket_leader,
    "non-leader node": non_leader,
    "one gateway": gateway,
    "synthesis mid long job": synthesis_mid_long_job,
    "projection": projection,
    "node frozen (SIGSTOP)": frozen_node,
}


async def worker_of(stack: Stack, job_id: str) -> str:
    """The synthesis process that started the job (its JobStarted says)."""
    nc = await nats.connect(stack.env["TTSJOBS_NATS_URL"].split(","))
    try:
        reader = BatchGet(nc.jetstream(), subjects.STREAM)
        [(_, data)], _ = await reader.read(subjects.job_event(job_id, "started"), from_seq=1)
    finally:
        await nc.close()
    started = parse_event(data)
    assert isinstance(started, JobStarted)
    return started.data.worker


async def services_ready(stack: Stack, *workers: str) -> None:
    """Every gateway lists voices and each of ``workers`` answers its /readyz."""

    async def ready() -> bool:
        ports = [stack.probe_ports[name] for name in workers]
        answers = [await asyncio.to_thread(answers_ready, port) for port in ports]
        return all(answers) and await asyncio.to_thread(stack._voices_listed)

    await eventually(ready, timeout_s=180, interval_s=0.5, what=f"{workers or 'gateways'} ready")
