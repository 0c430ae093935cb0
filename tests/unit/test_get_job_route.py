"""GET /api/v1/jobs/{id} through the gateway's app, on a fake pool: JobRoute resolves the
route's dependencies itself, and answers as FastAPI's resolution of them does (the key, the
owner, the id's forms, the problems); app.dependency_overrides hold on it as on every route;
a finished job's answer is serialised once per row."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Header
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.support.jobs import dialogue
from ttsjobs.accounts.keys import new_key
from ttsjobs.contracts.job_events import AudioObject, JobResult, TurnTiming
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobState, JobStatus
from ttsjobs.readmodel.rows import COLUMNS, row_from_state
from ttsjobs_gateway import schemas, server_spans
from ttsjobs_gateway.auth import ApiKeys, Caller, authenticated
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.entrypoints.http_jobs import JobRoute, get_job
from ttsjobs_gateway.limits import SubmissionRate
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_gateway.main import create_app
from ttsjobs_gateway.reads.current import JobReads
from ttsjobs_gateway.state import Ports, job_reads

OWNER, OTHER = str(uuid.uuid4()), str(uuid.uuid4())
JOB = str(uuid.uuid4())
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def _state(status: JobStatus = JobStatus.completed) -> JobState:
    audio = AudioObject(bucket="b", object_key="k", size_bytes=10, content_type="audio/wav",
                        format="wav", sample_rate=22050)  # fmt: skip
    timing = TurnTiming(index=0, speaker="Alice", start_ms=0, end_ms=100, synthesis_ms=5)
    finished = status is JobStatus.completed
    state = JobState(
        id=JOB, user_id=OWNER, status=status, job_type="multi_role_tts", provider="espeak",
        title="t", input=MultiRoleRequest.model_validate(dialogue("espeak")), progress_total=2,
        result=JobResult(duration_ms=100, latency_ms=5, turn_timings=[timing], audio=audio)
        if finished else None,
        created_at=T0, completed_at=T0 + timedelta(seconds=1) if finished else None,
        updated_at=T0, last_event_seq=4, last_event_id="e4",
    )  # fmt: skip
    return state


def _row(status: JobStatus = JobStatus.completed) -> dict[str, Any]:
    row = dict(zip(COLUMNS, row_from_state(_state(status)), strict=False))
    return {**row, "id": uuid.UUID(JOB), "user_id": uuid.UUID(OWNER), "read_model_error": None}


class Pool:
    """The two queries of a GET: the API keys (one per user), and the job's row."""

    def __init__(self, row: dict[str, Any], keys: dict[str, tuple[str, str]]) -> None:
        self.row, self.keys = row, keys  # keys: key id -> (user id, sha256)

    async def fetchrow(self, query: str, *args: Any) -> dict[str, Any] | None:
        if "api_keys" in query:
            found = self.keys.get(args[0])
            return found and {"user_id": found[0], "key_sha256": found[1]}
        return self.row if str(args[0]) == JOB else None


class CaughtUp:
    """The events of a job whose row is current."""

    async def caught_up(self, state: JobState) -> JobState:
        return state


class Unused:
    """A port a GET of a finished job must not touch."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"{name} used")


@pytest.fixture
def keys():
    return {OWNER: new_key(), OTHER: new_key()}


def _app(row: dict[str, Any], keys, events: Any = None):
    pool = Pool(row, {k.key_id: (user, k.sha256) for user, k in keys.items()})
    settings = Settings()
    app = create_app(settings)
    reads = JobReads(pool, live=LiveJobs(), events=events or Unused())  # type: ignore[arg-type]
    app.state.ports = Ports(
        settings=settings, history=Unused(), reads=reads, catalogue=Unused(),
        audio=Unused(), stream=Unused(), feeds=Unused(), idempotency=Unused(),
        rate=SubmissionRate(1), keys=ApiKeys(pool, cache_s=30), readiness={},
    )  # type: ignore[arg-type]  # fmt: skip
    return app


def _client(row: dict[str, Any], keys, events: Any = None) -> httpx.AsyncClient:
    return _over(_app(row, keys, events))


def _over(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


def _auth(key) -> dict[str, str]:
    return {"Authorization": f"Bearer {key.key}"}


async def test_every_form_of_the_id_gets_the_same_answer(keys):
    async with _client(_row(), keys) as api:
        canonical = await api.get(f"/api/v1/jobs/{JOB}", headers=_auth(keys[OWNER]))
        assert canonical.status_code == 200, canonical.text
        assert canonical.headers["content-type"] == "application/json"
        assert canonical.headers["x-content-type-options"] == "nosniff"
        assert canonical.json()["id"] == JOB and canonical.json()["status"] == "completed"
        # Not in the canonical form: FastAPI's own resolution parses it, to the same answer.
        for other in (JOB.upper(), JOB.replace("-", ""), f"{{{JOB}}}"):
            again = await api.get(f"/api/v1/jobs/{other}", headers=_auth(keys[OWNER]))
            assert (again.status_code, again.content) == (200, canonical.content), other


async def test_without_a_valid_key_every_form_is_a_401_problem(keys):
    async with _client(_row(), keys) as api:
        for job_id in (JOB, JOB.upper(), "not-a-uuid"):
            for headers in ({}, {"Authorization": "Bearer tj_000000000000_" + "x" * 43}):
                response = await api.get(f"/api/v1/jobs/{job_id}", headers=headers)
                assert response.status_code == 401, (job_id, headers)
                assert response.headers["content-type"] == "application/problem+json"
                assert response.headers["www-authenticate"] == 'Bearer realm="ttsjobs"'
                assert response.json()["instance"] == f"/api/v1/jobs/{job_id}"


async def test_someone_elses_job_and_a_missing_one_are_404(keys):
    async with _client(_row(), keys) as api:
        for job_id, key in [(JOB, keys[OTHER]), (JOB.upper(), keys[OTHER])]:
            response = await api.get(f"/api/v1/jobs/{job_id}", headers=_auth(key))
            assert response.status_code == 404, job_id
            assert response.json()["type"] == "urn:ttsjobs:problem:job-not-found"
            assert response.json()["instance"] == f"/api/v1/jobs/{job_id}"
            assert response.headers["content-type"] == "application/problem+json"


async def test_a_malformed_id_is_a_422_naming_the_field(keys):
    async with _client(_row(), keys) as api:
        response = await api.get("/api/v1/jobs/not-a-uuid", headers=_auth(keys[OWNER]))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "job_id"


async def test_a_finished_job_is_serialised_once_an_unfinished_one_every_time(keys, monkeypatch):
    views = []
    made = schemas.JobView.of.__func__  # type: ignore[attr-defined]

    def counted(cls, state, **kwargs):
        views.append(state.status)
        return made(cls, state, **kwargs)

    monkeypatch.setattr(schemas.JobView, "of", classmethod(counted))
    for status in (JobStatus.completed, JobStatus.processing):
        async with _client(_row(status), keys, CaughtUp()) as api:
            for _ in range(3):
                response = await api.get(f"/api/v1/jobs/{JOB}", headers=_auth(keys[OWNER]))
                assert response.json()["status"] == status.value
    assert views == [JobStatus.completed] + [JobStatus.processing] * 3


async def test_each_get_is_a_server_span_in_the_callers_trace(keys, monkeypatch):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(server_spans.trace, "get_tracer", provider.get_tracer)
    trace_id, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    traced = {"traceparent": f"00-{trace_id}-{parent}-01"}
    async with _client(_row(), keys) as api:
        for job_id, key in [(JOB, keys[OWNER]), (JOB, keys[OTHER]), (JOB.upper(), keys[OWNER])]:
            await api.get(f"/api/v1/jobs/{job_id}", headers={**_auth(key), **traced})
    spans = exporter.get_finished_spans()
    assert [s.attributes["http.response.status_code"] for s in spans] == [200, 404, 200]
    for span in spans:
        assert span.kind is SpanKind.SERVER and span.name == "GET /api/v1/jobs/{job_id}"
        assert span.attributes["http.route"] == "/api/v1/jobs/{job_id}"
        assert f"{span.context.trace_id:032x}" == trace_id
        assert span.parent is not None and f"{span.parent.span_id:016x}" == parent


def test_job_route_refuses_an_endpoint_that_declares_what_it_does_not_resolve():
    async def with_a_header(job_id: uuid.UUID, extra: str = Header()) -> None: ...

    router = APIRouter()
    with pytest.raises(TypeError, match="declares more"):
        router.add_api_route("/{job_id}", with_a_header, route_class_override=JobRoute)
    router.add_api_route("/{job_id}", get_job, route_class_override=JobRoute)


class OneJob:
    """A reads port an override puts in place of the gateway's: it knows one job, its own."""

    def __init__(self, state: JobState) -> None:
        self.state = state
        self.asked: list[tuple[str, str]] = []

    async def current(self, job_id: str, user_id: str) -> JobState:
        self.asked.append((job_id, user_id))
        return self.state

    def view_json(self, state: JobState, *, retention: timedelta) -> bytes:
        return schemas.JobView.of(state, retention=retention).model_dump_json().encode()


async def test_dependency_overrides_hold_on_the_fast_get_path(keys):
    other = _state().model_copy(update={"title": "from the override"})
    app = _app(_row(), keys)
    override = OneJob(other)

    async def caller() -> Caller:
        return Caller(user_id=OWNER, key_id="k-override")

    async def reads() -> OneJob:
        return override

    async with _over(app) as api:
        plain = await api.get(f"/api/v1/jobs/{JOB}", headers=_auth(keys[OWNER]))
        assert plain.json()["title"] == "t", "without overrides: the gateway's own reads"
        app.dependency_overrides[job_reads] = reads
        app.dependency_overrides[authenticated] = caller
        # No key at all: the overridden caller answers for it, on the canonical id too.
        for job_id in (JOB, JOB.upper()):
            response = await api.get(f"/api/v1/jobs/{job_id}")
            assert response.status_code == 200, response.text
            assert response.json()["title"] == "from the override"
        assert override.asked == [(JOB, OWNER), (JOB, OWNER)]
        app.dependency_overrides.clear()
        again = await api.get(f"/api/v1/jobs/{JOB}", headers=_auth(keys[OWNER]))
        assert again.json()["title"] == "t"
