"""One way to run a worker service, like arq's ``run_worker()``: each service's ``main.py``
composes its parts in a ``bootstrap()`` and hands them here.

``run_worker()`` owns what every worker does the same way: logging and tracing set up before
anything else, start-up waits on NATS, SIGTERM/SIGINT → drain (fetch nothing more, finish what
is in hand), the probes and consumer-backlog metrics beside the consumers, ``<name>.ready`` once
running and one ``<name>.stopped`` summary line on the way out, then the NATS connection
drained before the service's own resources close.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import structlog
import uvloop
from nats.aio.client import Client
from nats.js import JetStreamContext
from prometheus_client import Gauge

from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.topology import ensure_streams
from ttsjobs.observability import probes
from ttsjobs.observability.logging import configure_logging
from ttsjobs.observability.tracing import configure_tracing
from ttsjobs.settings import CommonSettings
from ttsjobs.startup import with_retries

log = structlog.get_logger()
S = TypeVar("S", bound=CommonSettings)
DRAIN_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Runner(Protocol):
    """A consumer runner: ``run()`` until stopped (or, in burst mode, until drained)."""

    def run(self) -> Awaitable[None]: ...

    def stop(self) -> None: ...


@dataclass
class Probes:
    """What /readyz checks and which consumers' backlog /metrics shows."""

    checks: dict[str, probes.Check]
    consumers: list[tuple[str, str]]
    lag_gauge: Gauge | None = None
    degraded: probes.Degraded | None = None


@dataclass
class Worker:
    """A service's composed parts, as its ``bootstrap()`` yields them."""

    nc: Client
    js: JetStreamContext
    runners: Sequence[Runner]
    probes: Probes
    # Fields of the ``<name>.ready`` line, and of the ``<name>.stopped`` summary once stopped.
    ready: dict[str, Any] = field(default_factory=dict)
    summary: Callable[[], dict[str, Any]] = dict
    # Called on SIGTERM before the runners stop (synthesis hands running jobs back).
    on_drain: Callable[[], None] = lambda: None
    # Run beside the consumers until they stop (the projection's janitor).
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    # Run once the runners have stopped, while the connection is still open (synthesis frees
    # the user slots it held back for a hand-over).
    closing: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


Bootstrap = Callable[..., AbstractAsyncContextManager[Worker]]


async def open_jetstream(
    settings: CommonSettings, *, client_name: str
) -> tuple[Client, JetStreamContext]:
    """Connect (waiting for NATS to answer) and declare the streams."""
    nc = await with_retries(lambda: connect_nats(settings.nats_url, name=client_name), what="nats")
    js = nc.jetstream()
    await ensure_streams(js, retention=settings.retention, replicas=settings.stream_replicas)
    return nc, js


def run_worker(name: str, settings: S, bootstrap: Bootstrap) -> None:
    """The process entry point: ``bootstrap(settings, burst=False)`` yields the ``Worker``,
    which runs until SIGTERM or SIGINT has drained it."""
    configure_logging(name, level=settings.log_level)
    configure_tracing(name, otlp_endpoint=settings.otlp_endpoint, trace_file=settings.trace_file)
    uvloop.run(serve_worker(name, settings, bootstrap))


async def serve_worker(
    name: str, settings: S, bootstrap: Bootstrap, *, burst: bool = False
) -> dict[str, Any]:
    """Compose and run the worker; returns the fields of its ``<name>.stopped`` line.

    ``burst``: process what is queued and return, with no signal handlers, probes or
    background tasks (tests, the projection's rebuild)."""
    async with bootstrap(settings, burst=burst) as worker:
        return await _run(name, settings, worker, burst=burst)


async def _run(name: str, settings: S, worker: Worker, *, burst: bool) -> dict[str, Any]:
    side_tasks: list[asyncio.Task[None]] = []
    if not burst:
        _on_drain_signals(name, worker)
        side_tasks = [asyncio.create_task(work()) for work in worker.background]
        side_tasks += probes.start_beside(
            settings,
            worker.js,
            checks=worker.probes.checks,
            consumers=worker.probes.consumers,
            lag_gauge=worker.probes.lag_gauge,
            degraded=worker.probes.degraded,
        )
    log.info(f"{name}.ready", **worker.ready)
    try:
        await asyncio.gather(*(runner.run() for runner in worker.runners))
    finally:
        if not burst:
            _off_drain_signals()
        for task in side_tasks:
            task.cancel()
        for close in worker.closing:
            try:
                await close()
            except Exception:
                log.warning(f"{name}.closing_failed", exc_info=True)
        summary = worker.summary()
        log.info(f"{name}.stopped", **summary)
        await worker.nc.drain()
    return summary


def _on_drain_signals(name: str, worker: Worker) -> None:
    def drain() -> None:
        log.info(f"{name}.draining")
        worker.on_drain()
        for runner in worker.runners:
            runner.stop()

    loop = asyncio.get_running_loop()
    for sig in DRAIN_SIGNALS:
        loop.add_signal_handler(sig, drain)


def _off_drain_signals() -> None:
    loop = asyncio.get_running_loop()
    for sig in DRAIN_SIGNALS:
        loop.remove_signal_handler(sig)
