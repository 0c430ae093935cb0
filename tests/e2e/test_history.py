"""History that helps: search the jobs (`q`), rename a job (PATCH), and download files named
by their date and title."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import client_of, create_user, eventually, eventually_sync
from tests.support.jobs import dialogue, projection_caught_up, submit, wait_for_status
from ttsjobs.messaging.job_history import current_state

pytestmark = pytest.mark.e2e

LIST = "/api/v1/jobs"


@pytest.fixture(scope="module")
def searcher(stack):
    """A user of this module's own: what a search finds is exactly the jobs made here."""
    return create_user(stack, f"searcher-{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def search_api(stack, searcher):
    async with client_of(stack, searcher) as client:
        yield client


def _job(title: str | None, *texts: str) -> dict:
    body = dialogue("espeak", title=title)
    body["turns"] = [
        {"speaker": "Alice" if i % 2 == 0 else "Bob", "text": text} for i, text in enumerate(texts)
    ]
    # Mandarin reads the Han characters and the Latin letters alike.
    body["voice_assignments"] = {turn["speaker"]: {"voice": "cmn"} for turn in body["turns"]}
    return body


# Submitted oldest first; the list answers newest first.
JOBS = {
    "meeting": _job("早安會議", "今天的議程很短。", "Good."),
    "standup": _job("Weekly Standup", "The budget is 100% spent_now, sadly."),
    "night": _job("晚安", "明天見，Good NIGHT."),
    "lunch": _job(None, "早餐吃了嗎？", "Path C:\\temp is fine."),
}


async def _search(api: httpx.AsyncClient, q: str, **params) -> list[str]:
    response = await api.get(LIST, params={"q": q, "limit": 100, **params})
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["items"]]


@pytest.fixture(scope="module")
def searched_jobs(stack, searcher, bob) -> dict[str, str]:
    """The searcher's jobs (name → id), all finished; and one of bob's with the same words."""
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as api:
        ids = {}
        for name, body in JOBS.items():
            response = api.post(f"{LIST}/tts/multi-role", json=body, headers=searcher.headers)
            assert response.status_code == 202, response.text
            ids[name] = response.json()["id"]
        bobs = _job("早安會議 Weekly Standup 晚安", "早餐 100% spent_now C:\\temp")
        response = api.post(f"{LIST}/tts/multi-role", json=bobs, headers=bob.headers)
        assert response.status_code == 202, response.text
        ids["bob"] = response.json()["id"]

        def all_finished() -> bool:
            for name, job_id in ids.items():
                who = bob if name == "bob" else searcher
                job = api.get(f"{LIST}/{job_id}", headers=who.headers).json()
                if job["status"] not in ("completed", "failed"):
                    return False
            # And in the table, which is what a search reads.
            listed = api.get(LIST, params={"limit": 100}, headers=searcher.headers).json()
            return {j["id"] for j in listed["items"]} == {v for k, v in ids.items() if k != "bob"}

        # A sync fixture, as the stack is.
        eventually_sync(
            all_finished, timeout_s=120, what="the searcher's jobs finished", interval_s=0.1
        )
        return ids


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("早", ["lunch", "meeting"]),  # one character: a title and a turn's text
        ("早安", ["meeting"]),  # two
        ("安", ["night", "meeting"]),
        ("議程很短", ["meeting"]),  # a turn's text, past the trigram threshold
        ("早安會議", ["meeting"]),
        ("standup", ["standup"]),  # Latin letters in any case
        ("WEEKLY STAND", ["standup"]),
        ("good night", ["night"]),
        ("good", ["night", "meeting"]),
        ("100%", ["standup"]),  # % and _ are themselves, not wildcards
        ("%", ["standup"]),
        ("_", ["standup"]),
        ("t_n", ["standup"]),
        ("1_0", []),
        ("10%s", []),
        ("C:\\temp", ["lunch"]),  # and so is the escape character
        ("\\", ["lunch"]),
        ("bob", []),
        ("沒有這個", []),
    ],
)
async def test_search_finds_titles_and_turn_texts(searched_jobs, search_api, q, names):
    assert await _search(search_api, q) == [searched_jobs[n] for n in names]


async def test_search_never_finds_another_users_jobs(searched_jobs, search_api, bob_api):
    bobs = searched_jobs["bob"]
    for q in ("早", "早安", "早安會議", "standup", "%", "_", "100%", "\\"):
        assert bobs not in await _search(search_api, q), q
        assert bobs in await _search(bob_api, q), q
        mine = set(await _search(bob_api, q)) & set(searched_jobs.values())
        assert mine == {bobs}, q


@pytest.mark.parametrize("q", ["早", "good"])
async def test_search_pages_with_the_cursor_and_other_filters(searched_jobs, search_api, q):
    everything = await _search(search_api, q)
    assert len(everything) == 2
    seen, cursor = [], None
    while True:
        params = {"q": q, "limit": 1} | ({"cursor": cursor} if cursor else {})
        page = (await search_api.get(LIST, params=params)).json()
        seen += [j["id"] for j in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    statuses = {
        job_id: (await search_api.get(f"{LIST}/{job_id}")).json()["status"] for job_id in seen
    }
    for status in ("completed", "failed", "pending"):
        expected = [job_id for job_id in everything if statuses[job_id] == status]
        assert await _search(search_api, q, status=status) == expected
    assert await _search(search_api, "") == list(reversed(list(searched_jobs.values())[:-1]))


async def _by_prefix(api: httpx.AsyncClient, prefix: str, **params) -> list[str]:
    response = await api.get(LIST, params={"id_prefix": prefix, "limit": 100, **params})
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["items"]]


async def test_jobs_are_found_by_the_start_of_their_id(searched_jobs, search_api, bob_api):
    mine = [job_id for name, job_id in searched_jobs.items() if name != "bob"]
    for job_id in mine:
        assert await _by_prefix(search_api, job_id[:8]) == [job_id]
        assert await _by_prefix(search_api, job_id[:11].upper()) == [job_id], "case, a dash"
        assert await _by_prefix(search_api, job_id.replace("-", "")[:10]) == [job_id]
        assert await _by_prefix(search_api, job_id) == [job_id]
    newest_first = list(reversed(mine))
    for digit in {job_id[0] for job_id in mine}:
        expected = [job_id for job_id in newest_first if job_id.startswith(digit)]
        assert await _by_prefix(search_api, digit) == expected, "a short prefix: every match"
    bobs = searched_jobs["bob"]
    assert await _by_prefix(search_api, bobs) == [], "never another user's job"
    assert await _by_prefix(bob_api, bobs[:6]) == [bobs]


async def test_an_id_prefix_is_looked_up_in_the_users_index(stack, db):
    # The list's query on a copy of tts_jobs with its indexes (a temporary table, this
    # connection's own) holding 20,000 jobs of one user: the (user_id, id) index answers the
    # range, rather than a walk over all of the user's rows filtered by id.
    user = str(uuid.uuid4())
    await db.execute(
        "CREATE TEMP TABLE jobs_copy (LIKE tts_jobs INCLUDING DEFAULTS INCLUDING INDEXES)"
    )
    await db.execute(
        "INSERT INTO jobs_copy (id, user_id, status, job_type, provider, input_json,"
        " progress_total, created_at, updated_at, last_event_seq, last_event_id)"
        " SELECT gen_random_uuid(), $1, 'completed', 'multi_role_tts', 'espeak', '{}', 1,"
        " now() - g * interval '1 minute', now(), g, 'e' FROM generate_series(1, 20000) g",
        user,
    )
    await db.execute("ANALYZE jobs_copy")
    lines = await db.fetch(
        "EXPLAIN SELECT id FROM jobs_copy WHERE user_id = $1 AND id BETWEEN $2::uuid AND $3::uuid"
        " ORDER BY created_at DESC, id DESC LIMIT 21",
        user,
        "a0c50000-0000-0000-0000-000000000000",
        "a0c5ffff-ffff-ffff-ffff-ffffffffffff",
    )
    await db.execute("DROP TABLE jobs_copy")
    plan = "\n".join(line[0] for line in lines)
    assert "jobs_copy_user_id_id_idx" in plan, plan


@pytest.mark.parametrize("prefix", ["", "xyz", "a0c5 1", "0" * 33, "a" * 32 + "-----", "é"])
async def test_a_bad_id_prefix_is_a_422_naming_it(search_api, prefix):
    response = await search_api.get(LIST, params={"id_prefix": prefix})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["id_prefix"]


@pytest.mark.parametrize(
    ("q", "reason"),
    [("字" * 201, "at most 200"), ("a\x00b", "U+0000"), ("\ufffe", "U+FFFE")],
)
async def test_a_search_that_cannot_be_stored_or_is_too_long_is_a_422(search_api, q, reason):
    response = await search_api.get(LIST, params={"q": q})
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["q"]
    assert reason in errors[0]["reason"]


async def test_a_rename_shows_everywhere_and_survives_a_rebuild(api, bob_api, stack, js, db):
    token = uuid.uuid4().hex[:10]
    job = await submit(api, dialogue("espeak", title=f"old name {token}"))
    await wait_for_status(api, job["id"], {"completed"})
    new_title = f"新的名字 {token}"
    response = await api.patch(f"{LIST}/{job['id']}", json={"title": new_title})
    assert response.status_code == 200, response.text
    renamed = response.json()
    assert renamed["title"] == new_title and renamed["status"] == "completed"
    assert renamed["input"]["title"] == f"old name {token}", "the request stays as submitted"

    async def shown_everywhere():
        one = (await api.get(f"{LIST}/{job['id']}")).json()
        found = await _search(api, "新的名字 " + token)
        return one["title"] == new_title and found == [job["id"]]

    await eventually(shown_everywhere, what="the new title in GET and in the search")
    assert await _search(api, f"old name {token}") == [], "the old title is no longer found"
    listed = (await api.get(LIST, params={"limit": 100})).json()["items"]
    assert [j["title"] for j in listed if j["id"] == job["id"]] == [new_title]

    # Someone else's rename is the 404 an unknown job gets, and changes nothing.
    theirs = await bob_api.patch(f"{LIST}/{job['id']}", json={"title": "bob's now"})
    assert theirs.status_code == 404
    assert (await current_state(js, job["id"])).title == new_title

    await projection_caught_up(js, db)
    row_before = dict(
        await db.fetchrow("SELECT * FROM tts_jobs WHERE id = $1", uuid.UUID(job["id"]))
    )
    env = {**os.environ, **{k: stack.env[k] for k in ("TTSJOBS_NATS_URL", "TTSJOBS_DATABASE_URL")}}
    cli = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ttsjobs_cli.main", "projection", "rebuild",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(cli.communicate(), timeout=300)
    assert cli.returncode == 0, output.decode()[-3000:]
    row_after = dict(
        await db.fetchrow("SELECT * FROM tts_jobs WHERE id = $1", uuid.UUID(job["id"]))
    )
    assert row_after == row_before
    assert row_after["title"] == new_title and row_after["search_text"].startswith(new_title)
    assert (await api.get(f"{LIST}/{job['id']}")).json()["title"] == new_title
    assert await _search(api, "新的名字 " + token) == [job["id"]]


async def test_a_pending_job_can_be_renamed_and_the_title_removed(api):
    job = await submit(api, dialogue("espeak", title="soon renamed"))
    response = await api.patch(f"{LIST}/{job['id']}", json={"title": "renamed at once"})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "renamed at once"
    # Read after write: a job still running is topped up from its events.
    current = (await api.get(f"{LIST}/{job['id']}")).json()
    assert current["title"] == "renamed at once" or current["status"] == "completed"
    response = await api.patch(f"{LIST}/{job['id']}", json={"title": None})
    assert response.status_code == 200 and response.json()["title"] is None
    done = await wait_for_status(api, job["id"], {"completed"})

    async def untitled():
        return (await api.get(f"{LIST}/{job['id']}")).json()["title"] is None

    await eventually(untitled, what="the title removed")
    assert done["status"] == "completed", "a rename does not get in the way of the synthesis"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": 5}, "title"),
        ({}, "title"),
        ({"title": "ok", "status": "completed"}, "status"),
    ],
)
async def test_a_bad_title_is_a_422(api, body, field):
    job = await submit(api, dialogue("espeak", title="stays"))
    response = await api.patch(f"{LIST}/{job['id']}", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert (await api.get(f"{LIST}/{job['id']}")).json()["title"] == "stays"


async def test_a_rename_of_no_job_is_a_404(api):
    response = await api.patch(f"{LIST}/{uuid.uuid4()}", json={"title": "anything"})
    assert response.status_code == 404
    assert response.json()["type"] == "urn:ttsjobs:problem:job-not-found"


async def test_downloads_are_named_by_date_and_title(api):
    job = await submit(api, dialogue("espeak", title="早安會議 / 第1次"))
    job = await wait_for_status(api, job["id"], {"completed"})
    at = datetime.fromisoformat(job["created_at"]).astimezone(UTC).strftime("%Y-%m-%d_%H%M")
    for path, ext in (("download", "wav"), ("captions?format=vtt", "vtt"),
                      ("captions?format=srt", "srt")):  # fmt: skip
        response = await api.get(f"{LIST}/{job['id']}/{path}")
        assert response.status_code == 200, response.text
        disposition = response.headers["content-disposition"]
        name = f"{at}_早安會議_第1次.{ext}"
        assert disposition == (
            f'attachment; filename="{at}_ttsjobs-{job["id"]}.{ext}"; '
            f"filename*=UTF-8''{quote(name, safe='')}"
        ), disposition

    renamed = await api.patch(f"{LIST}/{job['id']}", json={"title": "Morning: take 2"})
    assert renamed.status_code == 200

    async def named_anew():
        response = await api.get(f"{LIST}/{job['id']}/download")
        return response.headers["content-disposition"] == (
            f'attachment; filename="{at}_Morning_take_2.wav"'
        )

    await eventually(named_anew, what="the download named by the new title")
