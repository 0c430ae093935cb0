"""Spans are recorded only where something exports them; their ids travel either way."""

from __future__ import annotations

from opentelemetry import propagate, trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from ttsjobs.observability.tracing import build_provider

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def _upstream(flags: str) -> dict[str, str]:
    return {"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-{flags}"}


def test_nothing_exported_means_nothing_recorded_yet_the_ids_travel_on():
    tracer = build_provider("tests").get_tracer("t")
    span = tracer.start_span(
        "process JobCreated", context=propagate.extract(_upstream("01")), kind=SpanKind.CONSUMER
    )
    ctx = span.get_span_context()
    assert not span.is_recording()
    assert format(ctx.trace_id, "032x") == TRACE_ID and ctx.is_valid
    with trace.use_span(span, end_on_exit=True):
        headers: dict[str, str] = {}
        propagate.inject(headers)
    assert TRACE_ID in headers["traceparent"]

    root = tracer.start_span("POST /api/v1/jobs")
    assert not root.is_recording() and root.get_span_context().is_valid


def test_an_exporting_service_records_even_when_upstream_exported_nothing():
    exporter = InMemorySpanExporter()
    provider = build_provider("tests", processor=SimpleSpanProcessor(exporter))
    span = provider.get_tracer("t").start_span(
        "process JobCreated", context=propagate.extract(_upstream("00")), kind=SpanKind.CONSUMER
    )
    span.end()
    (finished,) = exporter.get_finished_spans()
    assert format(finished.context.trace_id, "032x") == TRACE_ID
    assert finished.parent is not None and finished.parent.span_id == 0x00F067AA0BA902B7
