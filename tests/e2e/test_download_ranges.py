"""Downloads against RFC 9110 on a real completed job: any Range gets the whole file, a span of
it or a 416, never a 500; If-Range that does not match gets the whole file; HEAD answers with
the headers a GET sends and no body."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import eventually_sync
from tests.support.jobs import SUBMIT, dialogue

pytestmark = pytest.mark.e2e

HUGE = "9" * 4301  # one digit past Python's int-digit limit: int() of it raises


@pytest.fixture(scope="module")
def done_job(stack, alice) -> dict:
    with httpx.Client(base_url=stack.gateway_url, timeout=30, headers=alice.headers) as api:
        response = api.post(SUBMIT, json=dialogue("espeak", title="ranges"))
        assert response.status_code == 202, response.text

        def completed():
            job = api.get(f"/api/v1/jobs/{response.json()['id']}").json()
            assert job["status"] in ("pending", "processing", "completed"), job
            return job if job["status"] == "completed" else None

        return eventually_sync(completed, timeout_s=120, what="the job completed")


@pytest.fixture
async def whole(api, done_job) -> httpx.Response:
    response = await api.get(done_job["links"]["download"])
    assert response.status_code == 200
    return response


def _local_port(response: httpx.Response) -> int:
    return response.extensions["network_stream"].get_extra_info("client_addr")[1]


async def test_a_huge_last_pos_is_the_whole_file_on_a_connection_that_stays(api, whole):
    url = str(whole.url)
    clamped = await api.get(url, headers={"Range": f"bytes=0-{HUGE}"})
    assert clamped.status_code == 206, clamped.text[:500]
    size = len(whole.content)
    assert clamped.headers["content-range"] == f"bytes 0-{size - 1}/{size}"
    assert clamped.content == whole.content
    # The same keep-alive connection answers the next request.
    after = await api.get(url, headers={"Range": "bytes=0-9"})
    assert after.status_code == 206 and after.content == whole.content[:10]
    assert _local_port(after) == _local_port(clamped)


async def test_a_huge_first_pos_is_unsatisfiable(api, whole):
    refused = await api.get(str(whole.url), headers={"Range": f"bytes={HUGE}-"})
    assert refused.status_code == 416, refused.text[:500]
    assert refused.headers["content-range"] == f"bytes */{len(whole.content)}"
    assert refused.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "header", ["bytes=5-3", "items=0-9", "bytes=0-1,100-200", "bytes = 0-9", f"bytes={HUGE}-3"]
)
async def test_a_range_that_is_invalid_or_not_served_gets_the_whole_file(api, whole, header):
    response = await api.get(str(whole.url), headers={"Range": header})
    assert response.status_code == 200 and "content-range" not in response.headers
    assert response.content == whole.content


async def test_bytes_minus_zero_is_unsatisfiable(api, whole):
    assert (await api.get(str(whole.url), headers={"Range": "bytes=-0"})).status_code == 416


async def test_if_range_serves_the_range_only_for_the_same_file(api, whole):
    url = str(whole.url)
    etag, modified = whole.headers["etag"], whole.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith(" GMT")
    for same in (etag, modified):
        part = await api.get(url, headers={"Range": "bytes=0-9", "If-Range": same})
        assert part.status_code == 206 and part.content == whole.content[:10], same
    for other in ('"another"', f"W/{etag}", "Thu, 01 Jan 1970 00:00:00 GMT", "garbage"):
        full = await api.get(url, headers={"Range": "bytes=0-9", "If-Range": other})
        assert full.status_code == 200 and full.content == whole.content, other
    # Not matching, the Range is not even read: an unsatisfiable one gets the file too.
    beyond = await api.get(url, headers={"Range": f"bytes={HUGE}-", "If-Range": '"another"'})
    assert beyond.status_code == 200


async def test_head_on_the_audio_is_a_get_without_its_body(api, whole):
    head = await api.head(str(whole.url), headers={"Range": "bytes=0-9"})  # no ranges on HEAD
    assert head.status_code == 200, head.headers
    assert head.content == b""
    for name in ("content-length", "content-type", "accept-ranges", "etag", "last-modified",
                 "content-disposition"):  # fmt: skip
        assert head.headers[name] == whole.headers[name], name
    assert int(head.headers["content-length"]) == len(whole.content)


async def test_captions_have_a_head_an_etag_and_ranges(api, done_job):
    url = f"/api/v1/jobs/{done_job['id']}/captions"
    for fmt in ("vtt", "srt"):
        full = await api.get(url, params={"format": fmt})
        assert full.status_code == 200 and full.headers["etag"].startswith('"')
        head = await api.head(url, params={"format": fmt})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(full.content))
        assert head.headers["etag"] == full.headers["etag"]
        assert head.headers["content-type"] == full.headers["content-type"]
        part = await api.get(
            url,
            params={"format": fmt},
            headers={"Range": "bytes=-5", "If-Range": head.headers["etag"]},
        )
        assert part.status_code == 206 and part.content == full.content[-5:]


async def test_head_of_someone_elses_or_no_job_is_404(bob_api, api, done_job):
    assert (await bob_api.head(done_job["links"]["download"])).status_code == 404
    missing = done_job["links"]["download"].replace(done_job["id"][:8], "00000000")
    assert (await api.head(missing)).status_code == 404
