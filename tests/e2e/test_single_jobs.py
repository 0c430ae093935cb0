"""single_tts jobs on the real stack: a long text read by one voice, split at its sentences.

Long texts use espeak: it is fast enough for 20,000 characters on two shared cores, and the
flow after the gateway is the multi-role one whatever the engine.
"""

from __future__ import annotations

import itertools
import re

import httpx
import pytest

from tests.conftest import eventually
from tests.e2e.test_cli import ttsjobs
from tests.support.jobs import wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs.messaging.job_history import read_history

pytestmark = pytest.mark.e2e

SINGLE = "/api/v1/jobs/tts"
LONG_JOB_S = 600  # 20,000 characters on two cores shared with other test sessions


def chinese_text(chars: int, tag: str) -> tuple[str, int]:
    """A Chinese text of at least ``chars`` characters and how many sentences it has: CJK
    terminators, closing quotes, decimals that must not be cut."""
    templates = [
        "第{i}段{tag}：今天的温度是{n}.5度，天气很好。",
        "他问道：“你明天还来吗？”",
        "她笑着说「当然会来！」",
        "价格是{n},000.25元；",
        "我们在第{i}个路口转弯，然后一直往前走，直到看见那座红色的小桥为止。",
    ]
    sentences: list[str] = []
    while sum(map(len, sentences)) < chars:
        i = len(sentences)
        sentences.append(templates[i % len(templates)].format(i=i, n=i % 97, tag=tag))
    return "".join(sentences), len(sentences)


def english_text(chars: int, tag: str) -> tuple[str, int]:
    """An English text of at least ``chars`` characters and how many sentences it has:
    abbreviations, decimals, ellipses and quotes that must not end a sentence early."""
    templates = [
        "Dr. Smith paid $3.14 for item {i} of batch {tag}, i.e. a bargain.",
        'She said "Wait!" and walked on... then stopped at door {i}.',
        "The U.S. team scored {n},000.5 points, e.g. more than ever before!",
        "Was it really number {i}?",
        "Apples, pears, etc. filled basket {n}; nobody knew why.",
    ]
    sentences: list[str] = []
    while sum(len(s) + 1 for s in sentences) < chars:
        i = len(sentences)
        sentences.append(templates[i % len(templates)].format(i=i, n=i % 97, tag=tag))
    return " ".join(sentences), len(sentences) + sum(";" in s for s in sentences)


async def _submit(api: httpx.AsyncClient, body: dict) -> dict:
    response = await api.post(SINGLE, json=body)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/api/v1/jobs/{response.json()['id']}"
    return response.json()


async def _check_long_job(api, js, body: dict, sentences: int) -> dict:
    job = await _submit(api, body)
    assert job["job_type"] == "single_tts"
    assert job["progress"] == {"done": 0, "total": sentences, "eta_ms": None}
    assert job["single"]["text"] == body["text"], "the job shows the text as sent"
    done = await wait_for_status(
        api, job["id"], {"completed", "failed"}, timeout_s=LONG_JOB_S, interval_s=1
    )
    assert done["status"] == "completed", done["error_message"]
    assert done["progress"]["done"] == done["progress"]["total"] == sentences

    progressed = [e for _, e in await read_history(js, job["id"]) if e.kind == "progressed"]
    assert sorted(e.data.done for e in progressed) == list(range(1, sentences + 1))
    assert {e.data.total for e in progressed} == {sentences}, "progress counts sentences"

    vtt = (await api.get(done["links"]["captions_vtt"])).text
    cues = re.findall(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n", vtt)
    assert len(cues) == sentences, "one caption cue per sentence"
    assert "<v " not in vtt, "a single voice's captions carry no speaker label"
    audio = await api.get(done["links"]["download"])
    assert audio.status_code == 200 and len(audio.content) > 1000
    return done


async def test_a_20000_character_chinese_text_completes_a_cue_per_sentence(api, js):
    text, sentences = chinese_text(20_000, "中")
    assert len(text) >= 20_000
    body = {
        "text": text,
        "provider": "espeak",
        "language": "zh",
        "speed": 2.0,  # half the audio to put together: the text is what is tested
        "output_format": "mp3",
        "sample_rate": 16000,
        "title": "long Chinese",
    }
    done = await _check_long_job(api, js, body, sentences)
    assert done["input"] is None, "the text once: no dialogue of its sentences beside it"
    assert done["single"]["voice"] == "cmn" and done["single"]["language"] is None


async def test_a_20000_character_english_text_completes_and_a_rerun_is_all_cache(api, js):
    text, sentences = english_text(20_000, "en")
    body = {"text": text, "provider": "espeak", "voice": "en-us", "speed": 1.5}
    done = await _check_long_job(api, js, body, sentences)
    assert done["single"]["text"] == text and done["single"]["speed"] == 1.5
    ends = done["sentence_ends"]
    pieces = [text[a:b] for a, b in itertools.pairwise([0, *ends])]
    assert len(pieces) == sentences and "".join(pieces) == text, "the sentences, nothing lost"

    rerun = await _submit(api, done["single"])  # the view's request, as the API says to rerun
    again = await wait_for_status(
        api, rerun["id"], {"completed", "failed"}, timeout_s=LONG_JOB_S, interval_s=1
    )
    assert again["status"] == "completed", again["error_message"]
    assert again["result"]["cache_hits"] == sentences
    assert all(t["cache_hit"] for t in again["result"]["turn_timings"])


async def _created_count(js) -> int:
    info = await js.stream_info(subjects.STREAM, subjects_filter=subjects.every_job("created"))
    return sum((info.state.subjects or {}).values())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider": "espeak", "voice": "en-us"}, "text"),
        ({"text": "   ", "provider": "espeak"}, "text"),
        ({"text": "x" * 100_001, "provider": "espeak"}, "text"),
        ({"text": "Hi.", "provider": "espeak", "voice": "no-such-voice"}, "voice"),
        ({"text": "Hi.", "provider": "nope"}, "provider"),
        ({"text": "Hi.", "provider": "espeak", "language": "zz", "gender": "male"}, "voice"),
        ({"text": "你好。", "provider": "espeak", "voice": "en-us"}, "text"),
        ({"text": "Hi.", "provider": "espeak", "speed": 10}, "speed"),
        ({"text": "Hi.", "provider": "espeak", "voice": "en-us", "language": "en"}, "body"),
        ({"text": "Hi.", "provider": "espeak", "sample_rate": 1}, "sample_rate"),
        ({"text": "Hi.", "callback_url": "https://evil.example"}, "callback_url"),
        ({"text": "Hi.", "turns": []}, "turns"),
    ],
)  # fmt: skip
async def test_bad_input_is_a_422_naming_the_field_and_makes_no_job(api, js, body, field):
    before = await _created_count(js)
    listed = (await api.get("/api/v1/jobs", params={"limit": 100})).json()["items"]
    response = await api.post(SINGLE, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = [e["field"] for e in response.json()["errors"]]
    assert any(f == field or f.startswith(f"{field}.") for f in fields), fields
    assert await _created_count(js) == before
    after = (await api.get("/api/v1/jobs", params={"limit": 100})).json()["items"]
    assert [j["id"] for j in after] == [j["id"] for j in listed]


async def test_a_text_longer_than_a_dialogue_may_be_is_accepted(api):
    # 300 sentences and 24,000 characters: over max_turns (200) and max_total_chars (20,000).
    text = " ".join(
        f"Sentence {i} is here, and it is a fairly long one, at about eighty characters."
        for i in range(300)
    )
    assert len(text) > 20_000
    response = await api.post(
        SINGLE, json={"text": text, "provider": "espeak", "voice": "en-us", "title": "limits"}
    )
    assert response.status_code == 202, response.text
    assert response.json()["progress"]["total"] == 300
    await api.delete(f"/api/v1/jobs/{response.json()['id']}")  # not needed to run to the end


async def test_100000_characters_of_tiny_sentences_are_accepted_within_a_message(api):
    # 33,333 sentences: packed into pieces so the events stay < 1 MB. Latin letters: as many
    # Han characters would be past the 3 hours of audio a job may have (duration.py).
    text = "A. " * 33_333
    response = await api.post(
        SINGLE, json={"text": text, "provider": "espeak", "voice": "en-us", "title": "tiny"}
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert 0 < job["progress"]["total"] <= 4_000
    assert job["single"]["text"] == text
    await api.delete(f"/api/v1/jobs/{job['id']}")  # not needed to run to the end
    cancelled = await wait_for_status(api, job["id"], {"cancelled", "completed"}, timeout_s=120)
    assert cancelled["single"]["text"] == text, "the table holds the whole text"


async def test_the_same_idempotency_key_gives_the_same_job(api):
    body = {"text": "Once. Twice.", "provider": "espeak", "voice": "en-us", "title": "idem"}
    headers = {"Idempotency-Key": "single-idem-1"}
    first = await api.post(SINGLE, json=body, headers=headers)
    second = await api.post(SINGLE, json=body, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    other = await api.post(SINGLE, json={**body, "text": "Other."}, headers=headers)
    assert other.status_code == 422, other.text  # as in multi-role: the key names another body
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_the_job_list_filters_by_job_type(api):
    single = await _submit(
        api, {"text": "Listed. Here.", "provider": "espeak", "voice": "en-us", "title": "lst"}
    )
    multi = await api.post(
        "/api/v1/jobs/tts/multi-role",
        json={
            "provider": "espeak",
            "turns": [{"speaker": "A", "text": "A dialogue job."}],
            "voice_assignments": {"A": {"voice": "en-us"}},
        },
    )
    assert multi.status_code == 202, multi.text

    async def listed(job_type: str, job_id: str):
        page = await api.get("/api/v1/jobs", params={"job_type": job_type, "limit": 100})
        items = page.json()["items"]
        return items if any(j["id"] == job_id for j in items) else None

    singles = await eventually(lambda: listed("single_tts", single["id"]), what="single listed")
    assert {j["job_type"] for j in singles} == {"single_tts"}
    multis = await eventually(lambda: listed("multi_role_tts", multi.json()["id"]), what="multi")
    assert {j["job_type"] for j in multis} == {"multi_role_tts"}
    assert single["id"] not in {j["id"] for j in multis}

    bad = await api.get("/api/v1/jobs", params={"job_type": "karaoke"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "job_type"
    await wait_for_status(api, single["id"], {"completed"}, timeout_s=120)


async def test_a_single_job_whose_worker_is_killed_resumes_from_its_cached_sentences(api, stack):
    text, sentences = english_text(6_000, "crash")
    job = await _submit(api, {"text": text, "provider": "espeak", "voice": "en-gb-x-rp"})
    seen: list[int] = []

    async def progress(at_least: int):
        current = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
        seen.append(current["progress"]["done"])
        return current if current["progress"]["done"] >= at_least else None

    await eventually(lambda: progress(10), timeout_s=120, what="some sentences done")
    stack.kill_service("synthesis")  # kill -9, engine processes included
    stack.start_service("synthesis")

    async def finished():
        current = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
        seen.append(current["progress"]["done"])
        return current if current["status"] in {"completed", "failed"} else None

    done = await eventually(
        finished, timeout_s=LONG_JOB_S, what="the job completing after a crash", interval_s=0.5
    )
    assert done["status"] == "completed", done["error_message"]
    assert seen == sorted(seen), "progress never goes backwards"
    assert done["progress"]["done"] == sentences
    assert done["result"]["cache_hits"] >= 10, "sentences finished before the crash were kept"


def test_the_cli_submits_a_text_file_as_a_long_text(stack, alice, tmp_path):
    as_alice = {"TTSJOBS_API_KEY": alice.key}
    chapter = tmp_path / "第一章.txt"
    chapter.write_text("\ufeff天亮了。Dr. Lee woke at 6.30 a.m. 他起床了！\n", encoding="utf-8")
    done = ttsjobs(stack.gateway_url, "submit", str(chapter), "--text", "--provider", "espeak",
                   "--language", "zh", "--speed", "1.2", "--wait", env=as_alice)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3/3 sentences" in done.stdout and "completed" in done.stdout, done.stdout
    job_id = done.stdout.split()[0]
    job = httpx.get(
        f"{stack.gateway_url}/api/v1/jobs/{job_id}",
        headers={"Authorization": f"Bearer {alice.key}"},
    ).json()
    assert job["job_type"] == "single_tts" and job["title"] == "第一章"
    assert job["single"]["text"] == "天亮了。Dr. Lee woke at 6.30 a.m. 他起床了！\n", "BOM dropped"
    assert job["single"]["speed"] == 1.2 and job["single"]["voice"] == "cmn"

    not_utf8 = tmp_path / "latin1.txt"
    not_utf8.write_bytes(b"line one\ncaf\xe9\n")
    refused = ttsjobs(stack.gateway_url, "submit", str(not_utf8), "--text", env=as_alice)
    assert refused.returncode == 1 and "not UTF-8 (line 2)" in refused.stdout, refused.stdout
    misplaced = ttsjobs(stack.gateway_url, "submit", str(chapter), "--voice", "cmn", env=as_alice)
    assert misplaced.returncode == 2 and "--voice is for --text" in misplaced.stdout
