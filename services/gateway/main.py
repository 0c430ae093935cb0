"""Composition root of the gateway: ``create_app()`` for ASGI servers and tests, ``run()`` for
the console command."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import structlog
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.messaging.topology import ensure_streams
from ttsjobs.observability.logging import configure_logging
from ttsjobs.startup import with_retries
from ttsjobs.storage import s3_client
from ttsjobs_gateway import views
from ttsjobs_gateway.auth import ApiKeys
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.entrypoints import http_jobs, http_voices, ws_jobs
from ttsjobs_gateway.errors import install_problem_handlers, problem
from ttsjobs_gateway.feeds import EventRelay
from ttsjobs_gateway.idempotency import IdempotencyKeys, idempotency_bucket
from ttsjobs_gateway.limits import BodyTooLarge, SubmissionRate
from ttsjobs_gateway.openapi import install_openapi
from ttsjobs_gateway.state import GatewayState

log = structlog.get_logger()
WEB = Path(__file__).parent / "web"  # the web app: plain HTML, CSS and JS, no build step


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        nc = await with_retries(
            lambda: connect_nats(settings.nats_url, name="gateway"), what="nats"
        )
        js = nc.jetstream()
        await ensure_streams(js, retention=settings.retention)
        pool = await with_retries(
            lambda: asyncpg.create_pool(
                settings.database_url.get_secret_value(), min_size=1, max_size=10
            ),
            what="postgresql",
        )
        catalogue = CatalogueView()
        await catalogue.start(js)
        s3 = s3_client(settings)

        relay = EventRelay(js)
        await relay.start()
        keys = ApiKeys(pool, cache_s=settings.auth_cache_s)
        await keys.watch_revocations(nc)
        app.state.gateway = GatewayState(
            settings=settings,
            nc=nc,
            js=js,
            publish=EventPublisher(js),
            pool=pool,
            s3=s3,
            catalogue=catalogue,
            relay=relay,
            idempotency=IdempotencyKeys(await idempotency_bucket(js)),
            rate=SubmissionRate(settings.submissions_per_minute),
            keys=keys,
        )
        log.info("gateway.ready", host=settings.host, port=settings.port)
        try:
            yield
        finally:
            await keys.stop()
            await relay.stop()
            await catalogue.stop()
            await pool.close()
            await nc.drain()

    app = FastAPI(
        title="ttsjobs",
        version="0.1.0",
        summary="Multi-role text-to-speech as asynchronous, reliable jobs",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    install_openapi(app)
    app.add_middleware(BodyTooLarge, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Content-Type", "Idempotency-Key", "Authorization"],
            expose_headers=["Location", "Retry-After"],
        )
    app.include_router(http_jobs.router)
    app.include_router(http_voices.router)
    app.include_router(ws_jobs.router)

    @app.get("/healthz", tags=["health"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="NATS and PostgreSQL answer; also how many providers have voices",
        responses={503: {"description": "a dependency is not answering"}},
    )
    async def readyz() -> JSONResponse:
        gw: GatewayState = app.state.gateway
        checks = {"nats": gw.nc.is_connected, "postgresql": await views.answers(gw.pool)}
        providers = sorted(gw.catalogue.providers)
        if all(checks.values()):
            return JSONResponse({"status": "ready", "checks": checks, "providers": providers})
        down = ", ".join(name for name, ok in checks.items() if not ok)
        return problem(503, "not-ready", "Not ready", f"not answering: {down}", "/readyz",
                       checks=checks, providers=providers)  # fmt: skip

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html")

    app.mount("/assets", StaticFiles(directory=WEB), name="assets")

    return app


def run() -> None:
    settings = Settings()
    configure_logging("gateway", level=settings.log_level)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
    )
    asyncio.run(uvicorn.Server(config).serve())


if __name__ == "__main__":
    run()
