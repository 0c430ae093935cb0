"""Trace context crosses NATS: the span around a publish is the parent of the span that
processes the message, and the log lines written meanwhile carry both ids and the job's."""

from __future__ import annotations

import io
import json

import pytest
import structlog
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.integration.conftest import created_consumer
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.consumer import ConsumerRunner, RunnerOptions
from ttsjobs.messaging.event_families import JOB_EVENTS
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs.observability import tracing
from ttsjobs.observability.logging import configure_logging
from ttsjobs_gateway.publishers import job_created


@pytest.fixture(scope="module")
def spans():
    exporter = InMemorySpanExporter()
    tracing.configure_tracing("tests", processor=SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
def json_logs():
    stream = io.StringIO()
    configure_logging("tests", json=True, stream=stream)
    yield stream
    structlog.reset_defaults()


async def test_a_consumed_message_continues_the_publishers_trace(jetstream, spans, json_logs):
    durable = await created_consumer(jetstream, max_deliver=3)
    event = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
    with tracing.tracer().start_as_current_span("POST /api/v1/jobs/tts/multi-role") as root:
        await EventPublisher(jetstream)(event)

    async def handler(received, msg) -> None:
        structlog.get_logger().info("handled")

    await ConsumerRunner(
        jetstream, durable, handler, events=JOB_EVENTS, options=RunnerOptions(burst=True)
    ).run()

    by_name = {s.name: s for s in spans.get_finished_spans()}
    send, process = by_name["send JobCreated"], by_name["process JobCreated"]
    trace_id = root.get_span_context().trace_id
    assert send.context.trace_id == process.context.trace_id == trace_id
    assert send.parent.span_id == root.get_span_context().span_id
    assert process.parent.span_id == send.context.span_id
    assert send.kind is SpanKind.PRODUCER and process.kind is SpanKind.CONSUMER
    assert process.attributes["messaging.system"] == "nats"
    assert process.attributes["messaging.destination.name"] == event.nats_subject()
    assert process.attributes["messaging.consumer.group.name"] == durable

    captured = json_logs.getvalue()
    line = next(
        json.loads(raw)
        for raw in captured.splitlines()
        if raw.startswith("{") and '"handled"' in raw
    )
    assert line["job_id"] == event.job_id and line["user_id"] == "u1"
    assert line["trace_id"] == format(trace_id, "032x")
    assert line["span_id"] == format(process.context.span_id, "016x")
    assert line["service"] == "tests"


def test_a_span_for_one_event_of_a_batch_continues_its_publishers_trace(spans):
    with tracing.sending("ttsjobs.job.j1.created", kind="JobCreated", message_id="m1") as headers:
        sent = trace.get_current_span().get_span_context()

    span = tracing.consumed(
        headers,
        subject="ttsjobs.job.j1.created",
        kind="JobCreated",
        consumer="projection",
        message_id="m1",
        delivery=2,
        attributes={"ttsjobs.batch_size": 3},
    )
    assert trace.get_current_span() is not span  # started, not made current
    span.end()

    (process,) = [
        s
        for s in spans.get_finished_spans()
        if s.name == "process JobCreated" and s.attributes["messaging.message.id"] == "m1"
    ]
    assert process.context.trace_id == sent.trace_id
    assert process.parent.span_id == sent.span_id
    assert process.kind is SpanKind.CONSUMER
    assert process.attributes["messaging.message.delivery_count"] == 2
    assert process.attributes["ttsjobs.batch_size"] == 3
    assert process.attributes["messaging.consumer.group.name"] == "projection"
