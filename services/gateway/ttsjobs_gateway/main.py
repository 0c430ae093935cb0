"""Composition root of the gateway: ``bootstrap()`` opens its ports once, ``create_app()`` (for
ASGI servers and tests) runs it in the lifespan, ``run()`` is the console command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import structlog
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from nats.aio.client import Client

from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.job_history import StreamJobHistory
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import ensure_streams
from ttsjobs.observability import probes
from ttsjobs.observability.logging import FreshLogContext, configure_logging
from ttsjobs.observability.tracing import configure_tracing
from ttsjobs.startup import with_retries
from ttsjobs.storage import s3_client
from ttsjobs_gateway.allow import AnswerOptions
from ttsjobs_gateway.auth import ApiKeys
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.docs import install_docs
from ttsjobs_gateway.entrypoints import (
    http_casting,
    http_chapters_stems,
    http_downloads,
    http_jobs,
    http_lexicons,
    http_live_audio,
    http_openai,
    http_pronunciations,
    http_saved_voices,
    http_script_jobs,
    http_scripts,
    http_voice_previews,
    http_voices,
    ws_jobs,
)
from ttsjobs_gateway.errors import install_problem_handlers
from ttsjobs_gateway.feeds.fan_out import FanOut
from ttsjobs_gateway.feeds.frame_writes import FeedProtocol
from ttsjobs_gateway.idempotency import IdempotencyKeys, idempotency_bucket
from ttsjobs_gateway.lexicon_store import LexiconStore
from ttsjobs_gateway.limits import BodyTooLarge, SubmissionRate
from ttsjobs_gateway.live.job_tap import JobTap
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_gateway.openai_compat.schema import install_openai_compat
from ttsjobs_gateway.openapi import install_openapi
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.saved_voices import SavedVoices
from ttsjobs_gateway.security_headers import SecurityHeaders
from ttsjobs_gateway.server_spans import ServerSpans
from ttsjobs_gateway.state import Ports, Readiness, Voices

log = structlog.get_logger()
WEB = Path(__file__).parent / "web"  # the web app: plain HTML, CSS and JS, no build step


async def _leave_session_as_is(conn: asyncpg.Connection) -> None:
    """Returning a connection to the pool costs no round trip. The default reset (unlisten,
    unlock advisory locks, close cursors, RESET ALL) is a second query per request, and the
    gateway's sessions change none of that: it only reads, in managed transactions that are
    always closed before the connection goes back."""
    if conn.is_in_transaction():  # never expected; a connection must not go back mid-transaction
        await conn.execute("ROLLBACK")


def _catalogue(app: FastAPI) -> dict:
    ports: Ports | None = getattr(app.state, "ports", None)  # None before start-up
    return ports.catalogue.providers if ports is not None else {}


async def _open_nats(settings: Settings, reconnected: list) -> Client:
    return await with_retries(
        lambda: connect_nats(
            settings.nats_url,
            name="gateway",
            reconnected=reconnected,
            # A 503 must mean "not done": no publish waits in the client for NATS to return.
            buffer_while_disconnected=False,
        ),
        what="nats",
    )


async def _open_pool(settings: Settings) -> asyncpg.Pool:
    return await with_retries(
        lambda: asyncpg.create_pool(
            settings.database_url.get_secret_value(),
            min_size=1,
            max_size=10,
            reset=_leave_session_as_is,
        ),
        what="postgresql",
    )


@asynccontextmanager
async def bootstrap(settings: Settings) -> AsyncIterator[Ports]:
    """Open what the gateway needs, compose its ports, and close it all in reverse after."""
    reconnected: list = []
    nc = await _open_nats(settings, reconnected)
    js = nc.jetstream()  # set-up and background work: the library's patient default
    await ensure_streams(js, retention=settings.retention, replicas=settings.stream_replicas)
    await idempotency_bucket(js, replicas=settings.stream_replicas)
    # Requests answer within a bound of their own (see handlers: a 503 after it).
    request_js = nc.jetstream(timeout=settings.nats_request_timeout_s)
    pool = await _open_pool(settings)
    catalogue = CatalogueView(replicas=settings.stream_replicas)
    await catalogue.start(js)
    s3 = s3_client(settings)

    # One subscription feeds what the gateway knows live: the live job cache first, so that
    # a read on a feed's event finds that event, then the feeds (live/job_tap.py).
    live = LiveJobs(link=lambda: (nc.is_connected, nc.stats["reconnects"]))
    feeds = FanOut()
    tap = JobTap(js)
    tap.register(live)
    tap.register(feeds)
    feeds.start()
    await tap.start()
    reconnected += [tap.resubscribe, lambda: catalogue.restart(js)]
    keys = ApiKeys(pool, cache_s=settings.auth_cache_s)
    await keys.watch_revocations(nc)
    # Every job event this gateway appends is noted in the live cache as the stream acks it.
    history = StreamJobHistory(request_js, live.noting(EventPublisher(request_js)))
    try:
        yield Ports(
            settings=settings,
            history=history,
            reads=JobReads(pool, live=live, events=history),
            catalogue=catalogue,
            audio=s3,
            stream=request_js,
            feeds=feeds,
            idempotency=IdempotencyKeys(
                await idempotency_bucket(request_js), attempt_s=settings.nats_request_timeout_s
            ),
            rate=SubmissionRate(settings.submissions_per_minute),
            keys=keys,
            lexicons=LexiconStore(request_js, replicas=settings.stream_replicas),
            saved_voices=SavedVoices(request_js, replicas=settings.stream_replicas),
            nats=nc,
            readiness={
                "nats": probes.nats_check(nc),
                "postgresql": probes.postgres_check(pool),
                "s3": probes.s3_check(s3, settings.s3_bucket),
            },
        )
    finally:
        await keys.stop()
        await tap.stop()
        await feeds.stop()
        await catalogue.stop()
        await pool.close()
        await nc.drain()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with bootstrap(settings) as ports:
            app.state.ports = ports
            log.info("gateway.ready", host=settings.host, port=settings.port)
            yield

    app = FastAPI(
        title="ttsjobs",
        version="0.1.0",
        summary="Multi-role text-to-speech as asynchronous, reliable jobs",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs, with a CSP of their own
        redoc_url=None,
        # Spans come from ServerSpans: FastAPI's own telemetry, on once a tracer provider is
        # set, would add a second SERVER span and spans per dependency and serialisation.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    install_problem_handlers(app)
    install_docs(app)
    app.add_middleware(FreshLogContext)
    install_openapi(app, providers=lambda: _catalogue(app))
    app.add_middleware(BodyTooLarge, max_bytes=settings.max_body_bytes)
    app.add_middleware(AnswerOptions, router=app.router)
    install_openai_compat(app)  # around the body limit: its 413 in OpenAI's shape on /v1/
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Content-Type", "Idempotency-Key", "Authorization", "If-Match"],
            expose_headers=["Location", "Retry-After", "ETag"],
        )
    # Outside the rest: every response gets them, a 413 or a CORS preflight's included.
    app.add_middleware(SecurityHeaders)
    # A SERVER span per request (see server_spans), around all of the above.
    app.add_middleware(ServerSpans)
    app.include_router(http_jobs.router)
    app.include_router(http_script_jobs.router)
    app.include_router(http_downloads.router)
    app.include_router(http_chapters_stems.router)
    app.include_router(http_live_audio.router)
    app.include_router(http_voices.router)
    app.include_router(http_casting.router)
    app.include_router(http_scripts.router)
    app.include_router(http_lexicons.router)
    app.include_router(http_pronunciations.router)
    app.include_router(http_saved_voices.router)
    app.include_router(http_voice_previews.router)
    app.include_router(http_openai.router)
    app.include_router(ws_jobs.router)

    @app.get(
        "/healthz", operation_id="getHealth", tags=["operations"], summary="The process is alive"
    )
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        operation_id="getReadiness",
        tags=["operations"],
        summary="NATS, PostgreSQL and S3 answer; also which providers have voices",
        responses={503: {"description": "a dependency is not answering; the problem names it"}},
    )
    async def readyz(checks: Readiness, catalogue: Voices) -> JSONResponse:
        results = await probes.run_checks(checks)
        return probes.readiness_response(results, providers=sorted(catalogue.providers))

    @app.get(
        "/metrics",
        operation_id="getMetrics",
        tags=["operations"],
        summary="Prometheus metrics",
        response_class=Response,
        responses={200: {"description": "Prometheus' text format", "content": {"text/plain": {}}}},
    )
    async def metrics_endpoint() -> Response:
        return probes.metrics_response()

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html")

    app.mount("/assets", StaticFiles(directory=WEB), name="assets")

    return app


def run() -> None:
    settings = Settings()
    configure_logging("gateway", level=settings.log_level)
    configure_tracing(
        "gateway", otlp_endpoint=settings.otlp_endpoint, trace_file=settings.trace_file
    )
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        # Feed messages are small JSON; compressing each one for each subscriber cost more CPU
        # than it saved bytes (about a tenth of the gateway's time with 1,000 subscribers).
        ws_per_message_deflate=False,
        # uvicorn's default protocol, offering feeds a write of ready-made frames (frame_writes).
        ws=FeedProtocol,
    )
    # Server.run, not asyncio.run(serve()): only run() builds the loop that ``loop`` names;
    # serve() alone left the gateway on the default asyncio loop.
    uvicorn.Server(config).run()


if __name__ == "__main__":
    run()
