"""A SERVER span per HTTP request, continuing a caller's ``traceparent``: its context reaches the
JobCreated headers, so synthesis and the projection join the POST's trace, and the logs of the
request carry its trace and span ids.

In place of OpenTelemetry's FastAPI instrumentation, which did the same and more per request:
it matched the route a second time to name the span, collected a dozen request attributes,
and wrapped ``send`` in layers of its own. Profiled under GET of one job, that was about a
third of the gateway's CPU per request; this middleware costs a span and four attributes.
"""

from __future__ import annotations

from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Probes, the web app's files and the WebSocket feeds: frequent, and no trace worth keeping.
UNTRACED = ("/healthz", "/readyz", "/metrics", "/assets")


def _carrier(scope: Scope) -> dict[str, str]:
    """The W3C trace context headers of the request, as the propagator reads them."""
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in scope["headers"]
        if name in (b"traceparent", b"tracestate")
    }


def traced(scope: Scope) -> bool:
    if scope["type"] != "http":  # lifespan and WebSocket scopes
        return False
    path: str = scope["path"]
    return not path.startswith(UNTRACED) and "events" not in path


class ServerSpans:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.tracer = trace.get_tracer("ttsjobs.gateway")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not traced(scope):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        parent = propagate.extract(_carrier(scope))
        span = self.tracer.start_span(
            method,
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": scope["path"]},
        )
        token = context.attach(trace.set_span_in_context(span, parent))

        async def status_noted(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            await send(message)

        try:
            await self.app(scope, receive, status_noted)
        except BaseException as err:
            span.record_exception(err)
            span.set_status(Status(StatusCode.ERROR, type(err).__name__))
            raise
        finally:
            # Named once routed, as the instrumentation named it: "GET /api/v1/jobs/{job_id}".
            route = getattr(scope.get("route"), "path", None)
            if route is not None:
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
            span.end()
            context.detach(token)
