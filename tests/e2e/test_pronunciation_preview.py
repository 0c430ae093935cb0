"""POST /api/v1/pronunciations on the real stack: synthesis answers through the stage its voices
read with (Taiwan readings, normalised numbers, Latin words, the user's lexicons), and the
gateway says 503 when no worker answers."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import Stack, eventually

pytestmark = pytest.mark.e2e

PREVIEW = "/api/v1/pronunciations"


def _words(answer) -> dict[str, dict]:
    assert answer.status_code == 200, answer.text
    return {w["text"]: w for w in answer.json()["words"]}


async def test_taiwan_text_is_previewed_with_taiwan_readings_and_bopomofo(api):
    text = "我每天騎YouBike去上班，垃圾要分類，NT$1,200。"
    words = _words(await api.post(PREVIEW, json={"text": text, "voice": "zf_xiaoxiao"}))
    assert (words["垃圾"]["pinyin"], words["垃圾"]["bopomofo"]) == ("lè sè", "ㄌㄜˋ ㄙㄜˋ")
    assert words["垃圾"]["source"] == "taiwan"
    assert words["YouBike"]["source"] == "latin"
    assert words["NT$1,200"]["source"] == "normalised"
    assert words["NT$1,200"]["pinyin"].startswith("xīn tái bì")
    answer = (await api.post(PREVIEW, json={"text": text, "voice": "zf_xiaoxiao"})).json()
    assert answer["reading"] == "taiwan"
    covered = "".join(w["text"] for w in answer["words"])
    assert covered == text  # every character of the text is in one word, in order


async def test_the_mainland_standard_reads_the_mainland_way(api):
    body = {"text": "垃圾要分類。", "voice": "zf_xiaoxiao", "reading": "mainland"}
    assert _words(await api.post(PREVIEW, json=body))["垃圾"]["pinyin"] == "lā jī"


async def test_a_lexicon_entry_shows_where_it_applies_and_only_for_its_owner(api, bob_api):
    name = f"mine-{uuid.uuid4().hex[:8]}"
    entry = {"grapheme": "分類", "phoneme": "fen4 lei4", "alphabet": "pinyin"}
    put = await api.put(f"/api/v1/lexicons/{name}", json={"entries": [entry]})
    assert put.status_code in (200, 201), put.text
    body = {"text": "垃圾要分類。", "language": "zh-TW", "lexicons": [name]}
    word = _words(await api.post(PREVIEW, json=body))["分類"]
    assert (word["pinyin"], word["source"]) == ("fèn lèi", f"lexicon:{name}")
    refused = await bob_api.post(PREVIEW, json=body)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["lexicons[0]"]


async def test_english_is_previewed_in_ipa_with_numbers_said(api):
    body = {"text": "It costs $5.30, please.", "voice": "af_heart"}
    words = _words(await api.post(PREVIEW, json=body))
    assert words["$5.30"]["source"] == "normalised"
    assert words["costs"]["reading"]  # IPA from the same espeak the voice reads with


async def test_bad_input_names_the_field(api):
    for body, field in (
        ({"text": "", "voice": "zf_xiaoxiao"}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "你好", "voice": "nobody"}, "voice"),
        ({"text": "你好", "lexicons": ["bad name"]}, "lexicons[0]"),
    ):
        answer = await api.post(PREVIEW, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in answer.json()["errors"]], answer.json()


async def test_no_worker_answering_is_a_503(api, stack: Stack):
    stack.stop_service("synthesis")
    try:
        answer = await api.post(PREVIEW, json={"text": "你好", "voice": "zf_xiaoxiao"})
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"]
    finally:
        stack.start_service("synthesis")

    async def answered():
        answer = await api.post(PREVIEW, json={"text": "你好", "voice": "zf_xiaoxiao"})
        return answer.status_code == 200

    await eventually(answered, timeout_s=60, what="synthesis answering previews again")
