"""run_worker's shared part with fake runners and a fake NATS connection: the ready and stopped
lines, drain on SIGTERM, and the order things close in."""

from __future__ import annotations

import asyncio
import os
import signal
from contextlib import asynccontextmanager

from structlog.testing import capture_logs

from tests.conftest import eventually
from ttsjobs.runtime.worker import Probes, Worker, serve_worker
from ttsjobs.settings import CommonSettings


class FakeRunner:
    def __init__(self, *, burst: bool, seen: list[str]) -> None:
        self._burst = burst
        self._seen = seen
        self._stopping = asyncio.Event()
        self.started = asyncio.Event()
        self.processed = 0

    def stop(self) -> None:
        self._seen.append("runner.stop")
        self._stopping.set()

    async def run(self) -> None:
        self.started.set()
        if not self._burst:
            await self._stopping.wait()
        self.processed = 3


class FakeNats:
    def __init__(self, seen: list[str]) -> None:
        self._seen = seen

    async def drain(self) -> None:
        self._seen.append("nats.drain")


class NoConsumers:
    async def consumer_info(self, stream: str, durable: str):
        raise LookupError(durable)


def bootstrap_with(seen: list[str], runners: list[FakeRunner]):
    async def closing() -> None:
        seen.append("closing")
        raise RuntimeError("a closing step that fails does not stop the rest")

    @asynccontextmanager
    async def bootstrap(settings: CommonSettings, *, burst: bool = False):
        runners.append(FakeRunner(burst=burst, seen=seen))
        runners.append(FakeRunner(burst=burst, seen=seen))
        yield Worker(
            nc=FakeNats(seen),  # type: ignore[arg-type]
            js=NoConsumers(),  # type: ignore[arg-type]
            runners=runners,
            probes=Probes(checks={}, consumers=[("JOBS", "fake")]),
            ready={"slots": 2},
            summary=lambda: {"processed": sum(r.processed for r in runners)},
            on_drain=lambda: seen.append("on_drain"),
            closing=[closing],
        )
        seen.append("bootstrap.closed")

    return bootstrap


async def test_burst_runs_to_the_end_and_says_what_it_did():
    seen: list[str] = []
    runners: list[FakeRunner] = []
    with capture_logs() as logs:
        stopped = await serve_worker(
            "fake", CommonSettings(), bootstrap_with(seen, runners), burst=True
        )
    assert stopped == {"processed": 6}
    events = [(line["event"], line.get("slots"), line.get("processed")) for line in logs]
    assert events == [
        ("fake.ready", 2, None), ("fake.closing_failed", None, None), ("fake.stopped", None, 6),
    ]  # fmt: skip
    # The connection drains before the service's own resources close.
    assert seen == ["closing", "nats.drain", "bootstrap.closed"]


async def test_sigterm_drains_every_runner_then_stops():
    seen: list[str] = []
    runners: list[FakeRunner] = []
    with capture_logs() as logs:
        serving = asyncio.create_task(
            serve_worker("fake", CommonSettings(), bootstrap_with(seen, runners))
        )

        async def running() -> bool:
            assert not serving.done(), serving
            return len(runners) == 2 and all(r.started.is_set() for r in runners)

        await eventually(running, timeout_s=10, what="both runners running")
        os.kill(os.getpid(), signal.SIGTERM)
        stopped = await asyncio.wait_for(serving, timeout=10)
    assert stopped == {"processed": 6}
    assert [line["event"] for line in logs] == [
        "fake.ready", "fake.draining", "fake.closing_failed", "fake.stopped",
    ]  # fmt: skip
    assert seen == [
        "on_drain", "runner.stop", "runner.stop", "closing", "nats.drain", "bootstrap.closed",
    ]  # fmt: skip
    # The handlers are gone with the worker: SIGTERM is the process's default again.
    assert not asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
