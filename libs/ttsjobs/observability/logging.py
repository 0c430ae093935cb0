"""structlog: JSON lines when not on a terminal, readable text on one.

Every line gets the service name, what is bound in the context (job_id, user_id: the consumer
runner clears and binds them per message, the gateway per request) and the current span's
trace_id and span_id, so a line leads to its trace and a trace to its lines.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send
from structlog.typing import EventDict, WrappedLogger

from ttsjobs.observability.tracing import current_ids


def _add_trace_ids(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    ids = current_ids()
    if ids is not None:
        event_dict.setdefault("trace_id", ids[0])
        event_dict.setdefault("span_id", ids[1])
    return event_dict


def configure_logging(
    service: str, *, level: str = "INFO", json: bool | None = None, stream: TextIO | None = None
) -> None:
    stream = stream or sys.stderr
    if json is None:
        json = not stream.isatty()
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )

    def add_service(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    structlog.configure(
        processors=[
            add_service,
            structlog.contextvars.merge_contextvars,
            _add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=True,
    )
    # Libraries that log through stdlib (uvicorn, nats) go to stderr at the same level.
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(name)s %(message)s")


class FreshLogContext:
    """ASGI middleware: each request or WebSocket starts with nothing bound from the last one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            structlog.contextvars.clear_contextvars()
        await self.app(scope, receive, send)
