"""OpenTelemetry tracing: one trace per job across the services, carried in NATS headers.

W3C trace context (``traceparent``) goes into every published message's headers and comes out of
every consumed one, so the gateway's POST span is the parent of the synthesis job span, its
turn spans, and the projection's apply spans. Spans follow the messaging semantic conventions
(``send``/``process`` + destination, PRODUCER/CONSUMER kinds, messaging.* attributes).

Export is a setting: OTLP over HTTP when ``TTSJOBS_OTLP_ENDPOINT`` is set, or a file. With
neither, nothing is recorded: spans still get ids, which reach the logs and the next service's
headers, but none is built to be dropped (a span per projected event was a quarter of the
projection's CPU).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased, Sampler
from opentelemetry.trace import Span, SpanKind


def configure_tracing(
    service: str,
    *,
    otlp_endpoint: str | None = None,
    trace_file: str | None = None,
    processor: SpanProcessor | None = None,
) -> TracerProvider:
    """Install the process's tracer provider; ``processor`` lets tests collect spans."""
    global _exporting
    provider = build_provider(
        service, otlp_endpoint=otlp_endpoint, trace_file=trace_file, processor=processor
    )
    trace.set_tracer_provider(provider)
    tracer.cache_clear()
    _exporting = provider.sampler is not ALWAYS_OFF
    return provider


def build_provider(
    service: str,
    *,
    otlp_endpoint: str | None = None,
    trace_file: str | None = None,
    processor: SpanProcessor | None = None,
) -> TracerProvider:
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"ttsjobs-{service}"}),
        sampler=_recording_sampler()
        if otlp_endpoint or trace_file or processor is not None
        else ALWAYS_OFF,
    )
    if trace_file:
        # The SDK's console exporter, pointed at a file, one compact JSON object per line.
        out = open(trace_file, "a", buffering=1)
        provider.add_span_processor(
            SimpleSpanProcessor(
                ConsoleSpanExporter(
                    out=out, formatter=lambda span: span.to_json(indent=None) + "\n"
                )
            )
        )
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces"))
        )
    if processor is not None:
        provider.add_span_processor(processor)
    return provider


_exporting = False


def exporting() -> bool:
    """Whether this process's spans go anywhere; a span made only to be dropped can be skipped
    (``continued`` gives what the logs need)."""
    return _exporting


def continued(headers: Mapping[str, str] | None) -> Span:
    """The publisher's span context, unrecorded: for a log line to carry the message's trace
    where no span of its own is recorded."""
    return trace.get_current_span(propagate.extract(headers or {}))


def _recording_sampler() -> Sampler:
    # A service that exports records its part of every trace, even when the service upstream
    # exports nothing and so marked the trace as not sampled.
    return ParentBased(
        ALWAYS_ON, remote_parent_not_sampled=ALWAYS_ON, local_parent_not_sampled=ALWAYS_ON
    )


@functools.cache
def tracer() -> trace.Tracer:
    # One for the process: get_tracer makes a new tracer, checks included, on every call, and
    # a job's path asks for one per span (it was 4 % of synthesis' CPU). Before a provider is
    # set this is the API's proxy, which follows the provider once there is one.
    return trace.get_tracer("ttsjobs")


def inject(headers: dict[str, str]) -> dict[str, str]:
    """Add the current trace context (traceparent, tracestate) to message headers."""
    propagate.inject(headers)
    return headers


@contextlib.contextmanager
def sending(subject: str, *, kind: str, message_id: str) -> Iterator[dict[str, str]]:
    """A PRODUCER span around one publish; yields headers that carry it."""
    with tracer().start_as_current_span(
        f"send {kind}",
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "nats",
            "messaging.operation.type": "send",
            "messaging.destination.name": subject,
            "messaging.message.id": message_id,
        },
    ):
        yield inject({})


@contextlib.contextmanager
def processing(
    headers: Mapping[str, str] | None,
    *,
    subject: str,
    kind: str,
    consumer: str,
    message_id: str,
    delivery: int,
) -> Iterator[Span]:
    """A CONSUMER span for one delivered message, a child of the span that published it."""
    span = consumed(headers, subject=subject, kind=kind, consumer=consumer,
                    message_id=message_id, delivery=delivery)  # fmt: skip
    with trace.use_span(span, end_on_exit=True):
        yield span


def consumed(
    headers: Mapping[str, str] | None,
    *,
    subject: str,
    kind: str,
    consumer: str,
    message_id: str,
    delivery: int,
    attributes: Mapping[str, int] | None = None,
) -> Span:
    """The span ``processing`` makes, for a message handled together with others: started but
    not made current, so a batch's spans cost no context switches; the caller ends it (and
    makes it current with ``trace.use_span`` for what it logs)."""
    return tracer().start_span(
        f"process {kind}",
        context=propagate.extract(headers or {}),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "nats",
            "messaging.operation.type": "process",
            "messaging.destination.name": subject,
            "messaging.consumer.group.name": consumer,
            "messaging.message.id": message_id,
            "messaging.message.delivery_count": delivery,
            **(attributes or {}),
        },
    )


def current_ids() -> tuple[str, str] | None:
    """(trace_id, span_id) of the current span, as hex, or None outside any span."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return format(ctx.trace_id, "032x"), format(ctx.span_id, "016x")
