"""A POST sent again with the same Idempotency-Key while its answer never came, was a 502/503/504
or the 409 of a key in flight; any other answer is final. The client's logic alone: answers are
staged by an httpx.MockTransport (the gateway's side is in tests/e2e/test_idempotency.py)."""

from __future__ import annotations

import httpx
import pytest

from ttsjobs_cli.client import Api
from ttsjobs_cli.retrying import (
    FIRST_BACKOFF_S,
    IN_FLIGHT,
    LONGEST_BACKOFF_S,
    Retrying,
    post_retrying,
    post_retrying_blocking,
)

JOB = {"id": "j1", "status": "pending"}


def _problem(status: int, kind: str, retry_after: str | None = "0") -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(status, json={"type": kind, "status": status}, headers=headers)


class Staged:
    """Answers each request with the next outcome staged (an exception is raised), and keeps
    the Idempotency-Key of each."""

    def __init__(self, *outcomes: httpx.Response | Exception) -> None:
        self._outcomes = list(outcomes)
        self.keys: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers.get("Idempotency-Key"))
        outcome = self._outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def _async_client(staged: Staged) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(staged), base_url="http://gw")


async def test_a_lost_answer_a_503_and_a_key_in_flight_are_sent_again_with_the_same_key():
    staged = Staged(
        httpx.ConnectError("refused"),
        _problem(503, "urn:ttsjobs:problem:not-confirmed"),
        _problem(409, IN_FLIGHT),
        httpx.Response(202, json=JOB),
    )
    async with _async_client(staged) as client:
        answer = await post_retrying(client, "/api/v1/jobs/tts", json={}, key="k1")
    assert answer.status_code == 202 and answer.json() == JOB
    assert staged.keys == ["k1"] * 4


@pytest.mark.parametrize(
    "final",
    [
        _problem(409, "urn:ttsjobs:problem:idempotency-key-job-deleted"),
        _problem(422, "urn:ttsjobs:problem:validation"),
        _problem(429, "urn:ttsjobs:problem:rate-limited"),
        httpx.Response(409, text="not a problem document"),
        httpx.Response(500),
    ],
)
async def test_any_other_answer_is_the_answer(final):
    staged = Staged(final, httpx.Response(202, json=JOB))
    async with _async_client(staged) as client:
        answer = await post_retrying(client, "/api/v1/jobs/tts", json={}, key="k1")
    assert answer.status_code == final.status_code and len(staged.keys) == 1


async def test_past_the_deadline_the_last_error_or_answer_is_returned():
    staged = Staged(httpx.ReadTimeout("slow"))
    async with _async_client(staged) as client:
        with pytest.raises(httpx.ReadTimeout):
            await post_retrying(client, "/x", json={}, key="k", deadline_s=FIRST_BACKOFF_S / 2)
    staged = Staged(_problem(503, "urn:ttsjobs:problem:not-confirmed", retry_after="5"))
    async with _async_client(staged) as client:
        answer = await post_retrying(client, "/x", json={}, key="k", deadline_s=4)
    assert answer.status_code == 503 and len(staged.keys) == 1, "no try is started past it"


def test_waits_follow_retry_after_else_a_backoff_that_doubles_up_to_its_longest():
    now = [0.0]
    retrying = Retrying(10, clock=lambda: now[0])
    lost = httpx.ConnectError("refused")
    waits = [retrying.wait_before_next(lost) for _ in range(4)]
    assert waits == [FIRST_BACKOFF_S, 2 * FIRST_BACKOFF_S, LONGEST_BACKOFF_S, LONGEST_BACKOFF_S]
    assert retrying.wait_before_next(_problem(409, IN_FLIGHT, retry_after="1")) == 1.0
    assert retrying.wait_before_next(_problem(502, "-", retry_after="soon")) == LONGEST_BACKOFF_S
    now[0] = 9.5
    assert retrying.wait_before_next(lost) is None, "the wait would end past the deadline"


def test_the_cli_submits_with_a_key_of_its_own_and_rides_through_a_restart(capsys):
    staged = Staged(httpx.Response(502), httpx.Response(202, json=JOB))
    api = Api("http://gw", api_key="tj_x", transport=httpx.MockTransport(staged))
    assert api.submit({"provider": "tone"}) == JOB
    assert staged.keys[0] and staged.keys[0] == staged.keys[1]
    out = capsys.readouterr()
    assert "sending it again with the same Idempotency-Key" in out.err and not out.out


def test_each_submit_has_a_key_of_its_own():
    staged = Staged(httpx.Response(202, json=JOB), httpx.Response(202, json=JOB))
    api = Api("http://gw", api_key="tj_x", transport=httpx.MockTransport(staged))
    api.submit_text({"text": "one"})
    api.submit_script(b"A: two", {})
    assert len(set(staged.keys)) == 2 and None not in staged.keys


def test_the_blocking_twin_says_each_wait():
    staged = Staged(httpx.RemoteProtocolError("cut off"), httpx.Response(202, json=JOB))
    heard: list[float] = []
    with httpx.Client(transport=httpx.MockTransport(staged), base_url="http://gw") as client:
        answer = post_retrying_blocking(
            client, "/x", json={}, key="k", waiting=lambda _, wait: heard.append(wait)
        )
    assert answer.status_code == 202 and heard == [FIRST_BACKOFF_S]
