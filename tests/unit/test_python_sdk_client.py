"""The SDK's own logic (clients/python): answers staged by httpx.MockTransport. Problems become
ApiError with their fields, submits carry an Idempotency-Key and are sent again with it, a list
follows its cursor, a script goes as text/plain, a download cut off goes on with Range, and the
feed cursor resumes after the last event. The live stack's side is tests/e2e/test_python_sdk.py."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from ttsjobs_client import ApiError, AsyncClient, Client, FeedRefused
from ttsjobs_client.downloads import saved_name
from ttsjobs_client.feed import FeedCursor

JOB = {
    "id": "j1", "status": "pending", "job_type": "multi_role", "provider": "tone", "title": "t",
    "input": {"provider": "tone", "turns": [{"speaker": "A", "text": "hi"}],
              "voice_assignments": {"A": {"voice": "mid"}}},
    "progress": {"done": 0, "total": 1}, "result": None, "error_message": None,
    "created_at": "2026-12-07T09:30:00Z", "started_at": None, "completed_at": None,
    "elapsed": 0.0, "links": {"self": "/api/v1/jobs/j1"},
}  # fmt: skip
PROBLEM = {
    "type": "urn:ttsjobs:problem:validation", "title": "Invalid request", "status": 422,
    "detail": "1 field is invalid", "errors": [{"field": "provider", "reason": "unknown"}],
}  # fmt: skip


def _client(handler) -> Client:
    return Client("http://gw", "tj_x", transport=httpx.MockTransport(handler))


def test_a_problem_becomes_an_api_error_with_its_fields():
    client = _client(lambda request: httpx.Response(422, json=PROBLEM))
    with pytest.raises(ApiError) as refused:
        client.submit_text("hi", provider="nope")
    err = refused.value
    assert (err.status, err.type, err.title) == (422, PROBLEM["type"], "Invalid request")
    assert err.detail == "1 field is invalid" and err.errors == PROBLEM["errors"]


def test_an_answer_that_is_no_problem_document_keeps_its_status_and_text():
    client = _client(lambda request: httpx.Response(404, text="no such page"))
    with pytest.raises(ApiError) as refused:
        client.job("j1")
    assert refused.value.status == 404 and refused.value.title == "no such page"
    assert refused.value.body is None and refused.value.errors == []


def test_a_submit_is_sent_again_with_its_key_until_answered_and_the_answer_is_typed():
    keys: list[str | None] = []
    answers = iter(
        [httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(202, json=JOB)]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("Idempotency-Key"))
        assert request.headers["Authorization"] == "Bearer tj_x"
        return next(answers)

    job = _client(handler).submit({"provider": "tone", "turns": []}, title="x")
    assert job.id == "j1" and job.status.value == "pending" and job.progress.total == 1
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]


def test_a_key_given_is_the_key_sent():
    keys: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("Idempotency-Key"))
        return httpx.Response(202, json=JOB)

    _client(handler).submit_text("hi", idempotency_key="mine-1", provider="tone")
    assert keys == ["mine-1"]


def test_a_script_goes_as_text_with_the_options_in_the_query(tmp_path):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json=JOB)

    script = tmp_path / "morning.txt"
    script.write_text("Alice: 早安。\n", encoding="utf-8")
    client = _client(handler)
    client.submit_script(script, title="晨間", stems=True, provider=None)
    client.submit_script("Bob: Hi.\n")
    first, second = seen
    assert first.headers["content-type"].startswith("text/plain")
    assert first.content == "Alice: 早安。\n".encode()
    assert dict(first.url.params) == {"title": "晨間", "stems": "true"}
    assert second.content == b"Bob: Hi.\n" and not second.url.params


def test_jobs_follows_the_cursor_page_after_page():
    pages = {
        None: {"items": [JOB, {**JOB, "id": "j2"}], "next_cursor": "c1"},
        "c1": {"items": [{**JOB, "id": "j3"}], "next_cursor": None},
    }
    asked: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(dict(request.url.params))
        return httpx.Response(200, json=pages[request.url.params.get("cursor")])

    ids = [job.id for job in _client(handler).jobs(page_size=2)]
    assert ids == ["j1", "j2", "j3"]
    assert asked == [{"limit": "2"}, {"limit": "2", "cursor": "c1"}]


class _CutOff(httpx.SyncByteStream):
    """The first ``keep`` bytes, then the connection drops."""

    def __init__(self, body: bytes, keep: int) -> None:
        self.body, self.keep = body, keep

    def __iter__(self) -> Iterator[bytes]:
        yield self.body[: self.keep]
        raise httpx.ReadError("connection reset")


def test_a_download_cut_off_goes_on_from_where_it_stopped(tmp_path):
    audio = bytes(range(256)) * 40
    ranges: list[tuple[str | None, str | None]] = []
    headers = {"ETag": '"v1"', "Content-Type": "audio/wav",
               "Content-Disposition": "attachment; filename*=UTF-8''%E6%97%A9.wav"}  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        ranges.append((request.headers.get("Range"), request.headers.get("If-Range")))
        if len(ranges) == 1:
            return httpx.Response(200, headers=headers, stream=_CutOff(audio, 1000))
        start = int(request.headers["Range"].removeprefix("bytes=").rstrip("-"))
        return httpx.Response(206, headers=headers, content=audio[start:])

    got = _client(handler).download("j1", tmp_path)
    assert got.path == tmp_path / "早.wav" and got.path.read_bytes() == audio
    assert got.size == len(audio) and got.content_type == "audio/wav"
    assert ranges == [(None, None), ("bytes=1000-", '"v1"')]
    assert not list(tmp_path.glob("*.part")), "the part file became the file"


def test_a_download_refused_writes_nothing(tmp_path):
    client = _client(lambda request: httpx.Response(409, json={**PROBLEM, "status": 409}))
    with pytest.raises(ApiError):
        client.download("j1", tmp_path / "x.wav")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("disposition", "name"),
    [
        ("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", "passwd"),
        ('attachment; filename="..\\..\\x.wav"', "x.wav"),
        ('attachment; filename="a\x1b[2Jb.wav"', "a[2Jb.wav"),
        ('attachment; filename=".."', None),
    ],
)
def test_a_download_is_saved_under_a_name_never_a_path(disposition, name):
    assert saved_name(disposition) == name


def test_the_feed_resumes_after_the_last_event_and_ends_only_on_1000():
    cursor = FeedCursor("http://gw:8000/", "j1")
    assert cursor.url == "ws://gw:8000/api/v1/jobs/j1/events"
    assert cursor.take('{"type": "snapshot", "seq": 7, "job": {}}') is not None
    assert cursor.take('{"type": "ping", "seq": 7}') is None
    cursor.take('{"type": "event", "seq": 9, "job_id": "j1", "event": {}}')
    assert cursor.url.endswith("/events?after=9")
    assert [cursor.finished(code, "") for code in (None, 1001, 1012, 4503)] == [False] * 4
    assert cursor.finished(1000, "job finished")
    with pytest.raises(FeedRefused) as refused:
        cursor.finished(4404, "no such job")
    assert refused.value.code == 4404
    waits = [cursor.backoff() for _ in range(5)]
    assert waits == sorted(waits) and waits[0] < waits[-1] == 2.0
    assert FeedCursor("https://example.org", "j").url.startswith("wss://example.org/")


class _AsyncCutOff(httpx.AsyncByteStream):
    def __init__(self, body: bytes, keep: int) -> None:
        self.body, self.keep = body, keep

    async def __aiter__(self):
        yield self.body[: self.keep]
        raise httpx.ReadError("connection reset")


async def test_the_async_client_pages_resumes_a_download_and_says_problems(tmp_path):
    audio = b"RIFF" + bytes(4000)
    downloads: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/download"):
            downloads.append(request.headers.get("Range"))
            if len(downloads) == 1:
                return httpx.Response(200, headers={"ETag": '"v1"'}, stream=_AsyncCutOff(audio, 10))
            return httpx.Response(206, content=audio[10:])
        if request.url.path.endswith("/cancel"):
            return httpx.Response(409, json={**PROBLEM, "status": 409, "title": "Finished"})
        cursor = request.url.params.get("cursor")
        items = [{**JOB, "id": "a"}] if cursor is None else [{**JOB, "id": "b"}]
        return httpx.Response(200, json={"items": items, "next_cursor": None if cursor else "c"})

    transport = httpx.MockTransport(handler)
    async with AsyncClient("http://gw", "tj_x", transport=transport) as client:
        assert [job.id async for job in client.jobs(page_size=1)] == ["a", "b"]
        got = await client.download("j1", tmp_path / "a.wav")
        with pytest.raises(ApiError) as refused:
            await client.cancel("j1")
    assert got.path.read_bytes() == audio and downloads == [None, "bytes=10-"]
    assert (refused.value.status, refused.value.title) == (409, "Finished")
