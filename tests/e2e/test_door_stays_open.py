"""The gateway's door stays open: the largest body it admits, in its worst shape, is refused for
its size while /healthz goes on being answered; /scripts/parse keeps to a job's limits; and a
job whose audio would be longer than the limit is refused at the door and makes nothing.

The latency itself is bench/healthz_under_big_body.py's: these tests assert what happens and in
which order, never how long it took.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from tests.support.jobs import SUBMIT
from ttsjobs.contracts import subjects

pytestmark = pytest.mark.e2e

MAX_BODY = 1_048_576  # TTSJOBS_MAX_BODY_BYTES, as the suite's gateway has it
SINGLE = "/api/v1/jobs/tts"
PARSE = "/api/v1/scripts/parse"
TEXT = {"content-type": "text/plain; charset=utf-8"}
# A deadline for each /healthz, not a measure: one that waits this long waits on the body.
HEALTHZ_DEADLINE_S = 30.0


def worst_script(limit: int = MAX_BODY) -> bytes:
    """``S0: hi`` … one line per speaker, as many as fit: the most turns and speakers a body
    can hold (casting once cost speakers × turns)."""
    lines, size = [], 0
    while size + len(line := f"S{len(lines)}: hi\n") <= limit:
        lines.append(line)
        size += len(line)
    return "".join(lines).encode()


def worst_json(limit: int = MAX_BODY) -> bytes:
    """The same as JSON: a turn per speaker, as many as fit."""
    turns, size = [], len('{"turns":[]}')
    while size + len(turn := f'{{"speaker":"S{len(turns)}","text":"hi"}},') <= limit:
        turns.append(turn)
        size += len(turn)
    return ('{"turns":[' + "".join(turns).rstrip(",") + "]}").encode()


async def _health_while(client: httpx.AsyncClient, big: asyncio.Task) -> int:
    """Ask /healthz again and again until ``big`` is answered; how many answers came while it
    was still in flight. A gateway whose event loop the body holds answers none in time."""
    in_flight = 0
    while not big.done():
        health = await client.get("/healthz", timeout=HEALTHZ_DEADLINE_S)
        assert health.status_code == 200, health.text
        in_flight += not big.done()
    return in_flight


async def _post_uploaded(
    client: httpx.AsyncClient, path: str, body: bytes, content_type: str
) -> tuple[asyncio.Task[httpx.Response], asyncio.Event]:
    """The POST, started; and an event set once its last byte has been handed to the socket."""
    uploaded = asyncio.Event()

    async def chunks():
        for start in range(0, len(body), 65_536):
            yield body[start : start + 65_536]
        uploaded.set()

    headers = {"content-type": content_type, "content-length": str(len(body))}
    big = asyncio.create_task(client.post(path, content=chunks(), headers=headers, timeout=120))
    return big, uploaded


async def test_healthz_is_answered_while_the_largest_script_is_read(stack, alice):
    body = worst_script()
    assert len(body) > MAX_BODY - 16
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=alice.headers) as client:
        big, uploaded = await _post_uploaded(client, SUBMIT, body, TEXT["content-type"])
        await asyncio.wait_for(uploaded.wait(), timeout=60)
        # Sent once the whole body is on its way: the gateway reads it, then parses and counts
        # it, all off its event loop, and /healthz is answered meanwhile.
        in_flight = await _health_while(client, big)
        refused = await big
    assert in_flight >= 1, "no /healthz was answered while the script was being read"
    assert refused.status_code == 422, refused.text[:500]
    turns = body.count(b"\n")
    assert refused.json()["errors"] == [
        {"field": "turns", "reason": f"{turns} turns; at most 200"},
        {"field": "turns", "reason": f"{2 * turns} characters in all; at most 20000"},
        {"field": "turns", "reason": f"{turns} speakers; at most 10"},
    ]


async def test_healthz_is_answered_while_the_largest_json_is_refused(stack, alice):
    """Refused on its turn count after one JSON parse, before a turn is validated: too soon
    after its upload to assert an order in, so this asserts that no /healthz waits on it."""
    body = worst_json()
    assert len(body) > MAX_BODY - 64
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=alice.headers) as client:
        big, uploaded = await _post_uploaded(client, SUBMIT, body, "application/json")
        await asyncio.wait_for(uploaded.wait(), timeout=60)
        await _health_while(client, big)
        refused = await big
    assert refused.status_code == 422, refused.text[:500]
    turns = len(json.loads(body)["turns"])
    assert refused.json()["errors"] == [{"field": "turns", "reason": f"{turns} turns; at most 200"}]


async def test_reading_a_script_keeps_to_a_job_s_limits(api):
    too_many_turns = "".join(f"S{i % 2}: hi\n" for i in range(201))
    response = await api.post(PARSE, content=too_many_turns.encode(), headers=TEXT)
    assert response.status_code == 422, response.text[:300]
    assert response.json()["errors"] == [{"field": "turns", "reason": "201 turns; at most 200"}]

    too_many_speakers = "".join(f"S{i}: hi\n" for i in range(11))
    response = await api.post(PARSE, content=too_many_speakers.encode(), headers=TEXT)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "turns", "reason": "11 speakers; at most 10"}]

    long_turn = "Alice: Hi.\nBob: " + "x" * 2_001
    response = await api.post(PARSE, content=long_turn.encode(), headers=TEXT)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "script.line[2]", "reason": "2001 characters; at most 2000 per turn"}
    ]
    within = await api.post(PARSE, content=b"Alice: Hi.\nBob: Hello.", headers=TEXT)
    assert within.status_code == 200 and len(within.json()["turns"]) == 2


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


def _audio_problem(response: httpx.Response, field: str) -> str:
    assert response.status_code == 422, response.text[:300]
    reasons = [e["reason"] for e in response.json()["errors"] if e["field"] == field]
    found = [r for r in reasons if "of audio; at most 3 hours" in r]
    assert found, response.json()["errors"]
    assert "TTSJOBS_LIMITS__MAX_AUDIO_SECONDS" in found[0]
    return found[0]


async def test_audio_longer_than_the_limit_is_refused_at_the_door(api, js):
    before = await _created_count(js)
    # 2,000 short sentences at a quarter speed, ten seconds apart: six hours, in 8,000
    # characters.
    slow = {"text": "Hi. " * 2_000, "provider": "espeak", "voice": "en-us", "speed": 0.25,
            "pause_ms": 10_000, "sample_rate": 48_000}  # fmt: skip
    assert _audio_problem(await api.post(SINGLE, json=slow), "text").startswith("about 6.")
    # 100,000 Han characters without a mark, which espeak read as six hours of audio.
    han = {"text": "中" * 100_000, "provider": "espeak", "voice": "cmn"}
    assert _audio_problem(await api.post(SINGLE, json=han), "text").startswith("about 6.9 hours")
    # A dialogue within every count can be too long as well.
    turns = [{"speaker": "A", "text": "早" * 100}] * 200
    dialogue = {"provider": "espeak", "turns": turns, "pause_ms": 10_000,
                "voice_assignments": {"A": {"voice": "cmn", "speed": 0.25}}}  # fmt: skip
    _audio_problem(await api.post(SUBMIT, json=dialogue), "turns")
    assert await _created_count(js) == before, "a refused job publishes nothing"
