"""The HTTP side of a worker service: /healthz (the process answers), /readyz (its NATS,
PostgreSQL and S3 answer; a 503 names whichever does not) and /metrics (Prometheus).

The gateway serves the same three paths from its own app; synthesis and the projection have no
other HTTP, so they run this small one on ``TTSJOBS_PROBE_PORT``.

A service may also say it is *degraded*: it works and takes traffic, but something needs an
operator (the projection has dead-lettered events). That answers 200 with ``"status":
"degraded"`` and the reasons, not 503: a 503 takes a pod out of service or holds a deploy,
which would help nobody (the other events are applied) and would hide the reason behind "not
ready". Monitoring that wants to page reads the body or the dead-letter metric.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import uvicorn
from minio import Minio
from nats.aio.client import Client
from nats.js import JetStreamContext
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ttsjobs.observability.metrics import watch_consumers
from ttsjobs.settings import CommonSettings

Check = Callable[[], Awaitable[bool]]
# The reasons a working service needs attention; empty when none.
Degraded = Callable[[], Awaitable[list[str]]]
# The dead letters waiting for the given consumers: messaging.dead_letters.count_letters, handed
# in by the service, since observability stands below messaging.
CountLetters = Callable[[JetStreamContext, tuple[str, ...]], Awaitable[int]]
CHECK_TIMEOUT_S = 2.0


def nats_check(nc: Client) -> Check:
    async def check() -> bool:
        return nc.is_connected

    return check


def postgres_check(pool: asyncpg.Pool) -> Check:
    async def check() -> bool:
        answer: object = await pool.fetchval("SELECT 1", timeout=CHECK_TIMEOUT_S)
        return answer == 1

    return check


def s3_check(s3: Minio, bucket: str) -> Check:
    async def check() -> bool:
        return await asyncio.to_thread(s3.bucket_exists, bucket)

    return check


def dead_letters_check(
    js: JetStreamContext, consumers: tuple[str, ...], count_letters: CountLetters
) -> Degraded:
    async def check() -> list[str]:
        waiting = await count_letters(js, consumers)
        if not waiting:
            return []
        return [
            f"{waiting} dead-lettered event(s) of {', '.join(consumers)}: see "
            "`ttsjobs projection dead-letters`"
        ]

    return check


async def degraded_reasons(degraded: Degraded | None) -> list[str]:
    if degraded is None:
        return []
    try:
        return await asyncio.wait_for(degraded(), CHECK_TIMEOUT_S)
    except Exception as err:
        return [f"could not tell whether degraded: {type(err).__name__}"]


async def run_checks(checks: dict[str, Check]) -> dict[str, bool]:
    async def one(check: Check) -> bool:
        try:
            return bool(await asyncio.wait_for(check(), CHECK_TIMEOUT_S))
        except Exception:
            return False

    results = await asyncio.gather(*(one(c) for c in checks.values()))
    return dict(zip(checks, results, strict=True))


def readiness_response(
    results: dict[str, bool], *, degraded: list[str] | None = None, **extra: Any
) -> JSONResponse:
    if degraded:
        extra["degraded"] = degraded
    if all(results.values()):
        status = "degraded" if degraded else "ready"
        return JSONResponse({"status": status, "checks": results, **extra})
    down = ", ".join(name for name, ok in results.items() if not ok)
    return JSONResponse(
        {
            "type": "urn:ttsjobs:problem:not-ready",
            "title": "Not ready",
            "status": 503,
            "detail": f"not answering: {down}",
            "instance": "/readyz",
            "checks": results,
            **extra,
        },
        status_code=503,
        media_type="application/problem+json",
    )


def metrics_response() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def probe_app(checks: dict[str, Check], *, degraded: Degraded | None = None) -> Starlette:
    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        results, reasons = await asyncio.gather(run_checks(checks), degraded_reasons(degraded))
        return readiness_response(results, degraded=reasons)

    async def metrics(_: Request) -> Response:
        return metrics_response()

    return Starlette(
        routes=[Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)]
    )


async def serve_probes(
    checks: dict[str, Check], *, host: str, port: int, degraded: Degraded | None = None
) -> None:
    """Serve until cancelled."""
    config = uvicorn.Config(
        probe_app(checks, degraded=degraded),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
    )
    await _ProbeServer(config).serve()


class _ProbeServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """The service owns SIGTERM (it drains); uvicorn must not take the signal handlers over."""
        yield


def start_beside(
    settings: CommonSettings,
    js: JetStreamContext,
    *,
    checks: dict[str, Check],
    consumers: list[tuple[str, str]],
    lag_gauge: Gauge | None = None,
    degraded: Degraded | None = None,
) -> list[asyncio.Task[None]]:
    """What a worker service runs beside its consumers: the backlog watch of its consumers and,
    when a probe port is set, the probe server. Cancel the tasks on the way out."""
    tasks = [asyncio.create_task(watch_consumers(js, consumers, lag_gauge=lag_gauge))]
    if settings.probe_port is not None:
        tasks.append(
            asyncio.create_task(
                serve_probes(
                    checks, host=settings.probe_host, port=settings.probe_port, degraded=degraded
                )
            )
        )
    return tasks
