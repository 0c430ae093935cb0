"""Limits at the gateway: body size (413 before parsing), submissions per user per minute and
pending jobs per user (429 with Retry-After), and CORS only for configured origins."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from tests.conftest import eventually
from tests.support.gateways import start_second_gateway
from tests.support.jobs import SUBMIT, dialogue
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


@pytest.fixture
async def strict_gateway(stack, alice, request):
    """A second gateway on the same stack, with small limits and one allowed origin.

    Each test tightens one limit and leaves the others loose, so that jobs still pending from
    earlier tests cannot trip a limit the test is not about.
    """
    limits = {"TTSJOBS_SUBMISSIONS_PER_MINUTE": "3", "TTSJOBS_MAX_PENDING_JOBS": "100000"}
    limits.update(getattr(request, "param", {}))
    url = await start_second_gateway(
        stack,
        "gateway-strict",
        {
            **limits,
            "TTSJOBS_MAX_BODY_BYTES": "4096",
            "TTSJOBS_CORS_ORIGINS": '["https://app.example"]',
        },
    )
    async with httpx.AsyncClient(base_url=url, timeout=30, headers=alice.headers) as client:
        yield client
    stack.stop_service("gateway-strict")


async def test_an_oversized_body_is_refused_before_parsing(strict_gateway):
    body = dialogue("espeak")
    body["turns"][0]["text"] = "x" * 5000
    response = await strict_gateway.post(SUBMIT, json=body)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["max_bytes"] == 4096


async def test_submissions_are_rate_limited_per_user(strict_gateway, bob):
    # Repeats of one keyed request publish nothing, so they spend none of the 3 per minute.
    keyed = {"Idempotency-Key": "limits-repeat"}
    repeats = [await strict_gateway.post(SUBMIT, json=dialogue("espeak"), headers=keyed)
               for _ in range(4)]  # fmt: skip
    assert {r.status_code for r in repeats} == {202} and len({r.json()["id"] for r in repeats}) == 1
    statuses = [(await strict_gateway.post(SUBMIT, json=dialogue("espeak"))).status_code
                for _ in range(2)]  # fmt: skip
    assert statuses == [202, 202]
    limited = await strict_gateway.post(SUBMIT, json=dialogue("espeak"))
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["type"] == "urn:ttsjobs:problem:rate-limited"
    # Another user has a budget of their own.
    theirs = await strict_gateway.post(SUBMIT, json=dialogue("espeak"), headers=bob.headers)
    assert theirs.status_code == 202


@pytest.mark.parametrize(
    "strict_gateway",
    [{"TTSJOBS_SUBMISSIONS_PER_MINUTE": "100000", "TTSJOBS_MAX_PENDING_JOBS": "2"}],
    indirect=True,
)
async def test_pending_jobs_per_user_are_capped(strict_gateway, stack, db, api):
    async def nothing_pending():
        return await db.fetchval("SELECT count(*) FROM tts_jobs WHERE status = 'pending'") == 0

    # Jobs of earlier tests still waiting would count against the cap of two.
    await eventually(nothing_pending, timeout_s=120, what="earlier jobs out of pending")
    stack.stop_service("synthesis")  # nothing leaves pending while this test runs
    try:
        for _ in range(2):
            assert (await strict_gateway.post(SUBMIT, json=dialogue("espeak"))).status_code == 202

        async def two_pending():
            return await db.fetchval("SELECT count(*) FROM tts_jobs WHERE status = 'pending'") >= 2

        await eventually(two_pending, what="the table showing two pending jobs")
        capped = await strict_gateway.post(SUBMIT, json=dialogue("espeak"))
        assert capped.status_code == 429
        assert "may be pending" in capped.json()["detail"]
    finally:
        stack.start_service("synthesis")


async def test_cors_only_for_configured_origins(strict_gateway, api):
    allowed = await strict_gateway.options(
        SUBMIT, headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"}
    )
    assert allowed.headers.get("access-control-allow-origin") == "https://app.example"
    other = await strict_gateway.get("/api/v1/voices", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    default = await api.get("/api/v1/voices", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in default.headers, "no origins unless configured"


async def test_a_streamed_oversized_body_is_refused_too(strict_gateway):
    async def chunks():
        yield b'{"provider": "espeak", "turns": [{"speaker": "A", "text": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}], "voice_assignments": {"A": {"voice": "en-us"}}}'

    response = await strict_gateway.post(
        SUBMIT, content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_refused_body_creates_nothing_even_when_it_starts_complete(api, js):
    """A complete, valid body followed by more whitespace than the limit: the 413 must mean
    that nothing was done, so the handler may not have run on the part that fit."""
    title = f"refused {uuid.uuid4()}"
    before = await _created_count(js)

    async def chunks():
        yield json.dumps(dialogue("espeak", title=title)).encode()
        for _ in range(18):  # 18 x 64 KiB: past the gateway's 1 MiB
            yield b" " * 65536

    refused = await api.post(SUBMIT, content=chunks(), headers={"content-type": "application/json"})
    assert refused.status_code == 413, refused.text
    # A job submitted after the refusal shows in the list: had the refused one been published
    # (before its answer), it would be in the stream and the list by now too.
    marker = (await api.post(SUBMIT, json=dialogue("espeak", title=f"marker {title}"))).json()

    async def marker_listed():
        page = (await api.get("/api/v1/jobs", params={"limit": 100})).json()["items"]
        return page if marker["id"] in {j["id"] for j in page} else None

    listed = await eventually(marker_listed, what="the marker job in the list")
    assert title not in {j["title"] for j in listed}
    assert await _created_count(js) == before + 1, "only the marker job was published"
