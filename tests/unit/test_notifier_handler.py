"""notify with the job's history in memory and the receiver in process (httpx's MockTransport):
a final event is POSTed once, signed, and the attempt recorded; a job without a callback_url is
left alone; anything but a 2xx is retried with doubling waits until the last attempt; a URL off
the allowlist is never called."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from ttsjobs.callbacks import DELIVERY_HEADER, SIGNATURE_HEADER, verify
from ttsjobs.contracts.job_events import AudioObject, JobEvent, JobResult, TurnTiming, encode_event
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.messaging.consumer import RetryLater
from ttsjobs_gateway.publishers import job_created
from ttsjobs_notifier.handlers import NotifierDeps, notify
from ttsjobs_synthesis import publishers as synth

HOOKS = "http://hooks.test/hooks"
SECRET = "s3cret"
MAX_ATTEMPTS = 4


class Receiver:
    """Answers each POST with the next of ``answers`` (an HTTP status, or an exception to
    raise as the network would), and 200 once they run out."""

    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer)


def _result() -> JobResult:
    audio = AudioObject(bucket="b", object_key="k", size_bytes=10, content_type="audio/wav",
                        format="wav", sample_rate=22050)  # fmt: skip
    timing = TurnTiming(index=0, speaker="Alice", start_ms=0, end_ms=100, synthesis_ms=5)
    return JobResult(duration_ms=100, latency_ms=5, turn_timings=[timing], audio=audio)


FINAL_EVENTS = {
    "completed": lambda job: synth.job_completed(job, _result(), user_id="u1"),
    "failed": lambda job: synth.job_failed(job, "no voice", user_id="u1"),
    "cancelled": lambda job: synth.job_cancelled(job, user_id="u1"),
}


def _job(callback_url: str | None = f"{HOOKS}/a", *, ends: str = "completed"):
    """A bus that holds a job's creation and its final event, and that final event."""
    request = MultiRoleRequest.model_validate(dialogue("espeak", callback_url=callback_url))
    created = job_created(request, user_id="u1")
    final = FINAL_EVENTS[ends](created.job_id)
    return MemoryBus(created, final), final


async def _notify(bus: MemoryBus, event: JobEvent, receiver: Receiver, *, attempt: int = 1):
    async with httpx.AsyncClient(transport=httpx.MockTransport(receiver)) as http:
        deps = NotifierDeps(
            publish=bus.publish, jobs=bus, http=http, secret=SECRET, allowlist=[f"{HOOKS}/"],
            max_attempts=MAX_ATTEMPTS, backoff_base_s=2.0, backoff_max_s=5.0,
        )  # fmt: skip
        await notify(event, attempt=attempt, deps=deps)


def _attempts(bus: MemoryBus) -> list[dict]:
    return [e.data.callback.model_dump() for e in bus.of_kind("callback_attempted")]


@pytest.mark.parametrize("ends", sorted(FINAL_EVENTS))
async def test_a_final_event_is_posted_once_signed_and_the_attempt_recorded(ends):
    bus, final = _job(ends=ends)
    receiver = Receiver()
    await _notify(bus, final, receiver)

    [request] = receiver.requests
    assert request.method == "POST" and str(request.url) == f"{HOOKS}/a"
    assert request.content == encode_event(final)
    assert json.loads(request.content)["type"] == final.type
    assert request.headers["Content-Type"] == "application/cloudevents+json"
    assert request.headers[DELIVERY_HEADER] == final.id
    assert verify(SECRET, request.content, request.headers[SIGNATURE_HEADER])
    [attempt] = _attempts(bus)
    assert attempt["attempt"] == 1 and attempt["url"] == f"{HOOKS}/a"
    assert attempt["delivered"] and attempt["final"] and attempt["status_code"] == 200
    assert attempt["error"] is None


async def test_a_job_without_a_callback_url_is_left_alone():
    bus, final = _job(None)
    receiver = Receiver()
    before = list(bus.history)
    await _notify(bus, final, receiver)
    assert receiver.requests == [] and bus.history == before


async def test_an_undelivered_event_is_retried_with_doubling_waits_until_the_last_attempt():
    bus, final = _job()
    receiver = Receiver(*[500] * MAX_ATTEMPTS)
    delays = []
    for attempt in range(1, MAX_ATTEMPTS):
        with pytest.raises(RetryLater) as retry:
            await _notify(bus, final, receiver, attempt=attempt)
        assert not retry.value.hold, "handed back to the server, not held by the runner"
        delays.append(retry.value.delay_s)
    await _notify(bus, final, receiver, attempt=MAX_ATTEMPTS)  # the last: no retry after it

    assert delays == [2.0, 4.0, 5.0], "doubling from the base, up to the maximum"
    attempts = _attempts(bus)
    assert [(a["attempt"], a["status_code"], a["delivered"], a["final"]) for a in attempts] == [
        (1, 500, False, False),
        (2, 500, False, False),
        (3, 500, False, False),
        (4, 500, False, True),
    ]
    assert {a["error"] for a in attempts} == {"the receiver answered HTTP 500"}
    assert {r.headers[DELIVERY_HEADER] for r in receiver.requests} == {final.id}


@pytest.mark.parametrize(
    ("answer", "status", "error"),
    [
        (httpx.ConnectError("connection refused"), None, "ConnectError: connection refused"),
        (httpx.ReadTimeout("timed out"), None, "ReadTimeout: timed out"),
        (302, 302, "the receiver answered HTTP 302"),  # a redirect is not followed
        (404, 404, "the receiver answered HTTP 404"),
    ],
)
async def test_no_answer_or_one_that_is_not_2xx_is_not_a_delivery(answer, status, error):
    bus, final = _job()
    with pytest.raises(RetryLater):
        await _notify(bus, final, Receiver(answer))
    [attempt] = _attempts(bus)
    assert (attempt["status_code"], attempt["error"]) == (status, error)
    assert not attempt["delivered"] and not attempt["final"]


async def test_a_retry_that_gets_through_is_recorded_as_delivered():
    bus, final = _job()
    receiver = Receiver(503)
    with pytest.raises(RetryLater):
        await _notify(bus, final, receiver, attempt=1)
    await _notify(bus, final, receiver, attempt=2)
    assert [(a["delivered"], a["final"]) for a in _attempts(bus)] == [(False, False), (True, True)]


@pytest.mark.parametrize(
    "url",
    [
        "http://elsewhere.test/hooks/a",
        f"{HOOKS}X/a",
        f"{HOOKS}/../admin",
        "http://hooks.test:81/hooks/a",
    ],
)
async def test_a_url_off_the_allowlist_is_never_called(url):
    bus, final = _job(url)
    receiver = Receiver()
    await _notify(bus, final, receiver)  # refused for good: nothing to retry
    assert receiver.requests == []
    [attempt] = _attempts(bus)
    assert attempt["url"] == url and attempt["error"] == "not under an allowed callback URL"
    assert not attempt["delivered"] and attempt["final"]


async def test_the_url_called_is_the_canonical_one_that_was_checked():
    raw = "http://HOOKS.test:80/hooks/x/../%62"
    bus, final = _job(raw)
    receiver = Receiver()
    await _notify(bus, final, receiver)
    assert [str(r.url) for r in receiver.requests] == [f"{HOOKS}/b"]
    assert _attempts(bus)[0]["url"] == raw, "the job shows the URL as submitted"


async def test_a_job_not_yet_in_the_history_is_tried_again_later():
    _, final = _job()
    unknown = MemoryBus(final)  # its creation not read yet: no callback_url to go by
    receiver = Receiver()
    with pytest.raises(RetryLater):
        await _notify(unknown, final, receiver)
    assert receiver.requests == [] and unknown.of_kind("callback_attempted") == []
