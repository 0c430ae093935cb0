"""/api/v1/lexicons on the real stack: PLS and JSON in and out, the caps, If-Match, isolation
between users, hostile XML, and the snapshot a job takes of the entries it uses."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from tests.conftest import create_user
from tests.support.jobs import SUBMIT, dialogue
from ttsjobs.contracts.lexicon import LEXICON_MAX_BYTES, MAX_LEXICONS_PER_USER

pytestmark = pytest.mark.e2e

LEXICONS = "/api/v1/lexicons"
PLS_TYPE = "application/pls+xml"
PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme>
  <lexeme><grapheme>tomato</grapheme><phoneme>təˈmeɪtoʊ</phoneme></lexeme>
</lexicon>
""".encode()


async def _names(client: httpx.AsyncClient) -> set[str]:
    return {x["name"] for x in (await client.get(LEXICONS)).json()["lexicons"]}


@pytest.fixture(autouse=True)
async def _leave_no_lexicons(api, bob_api):
    """alice and bob live for the whole session, and may have 20 lexicons each: what a test
    made, it deletes, so that later tests (and other files) still have room."""
    before = {client: await _names(client) for client in (api, bob_api)}
    yield
    for client, names in before.items():
        for name in await _names(client) - names:
            assert (await client.delete(f"{LEXICONS}/{name}")).status_code == 204


def _name(prefix: str = "lex") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _json(*entries: dict, **fields) -> dict:
    return {"alphabet": "ipa", **fields, "entries": list(entries)}


async def _put(api: httpx.AsyncClient, name: str, body: dict, **headers) -> httpx.Response:
    return await api.put(f"{LEXICONS}/{name}", json=body, headers=headers)


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def _fields(problem: dict) -> list[str]:
    return [error["field"] for error in problem.get("errors", [])]


async def test_put_get_list_replace_delete(api):
    name = _name()
    created = await _put(api, name, _json({"grapheme": "YouBike", "alias": "you bike"}))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{LEXICONS}/{name}"
    summary = created.json()
    assert summary["name"] == name and summary["entry_count"] == 1
    assert summary["alphabet"] == "ipa" and summary["size_bytes"] > 0

    got = await api.get(f"{LEXICONS}/{name}")
    assert got.status_code == 200 and got.headers["etag"] == created.headers["etag"]
    document = got.json()
    assert document["entries"] == [{"grapheme": "YouBike", "alias": "you bike"}]
    assert document["name"] == name and document["updated_at"] == summary["updated_at"]

    listed = (await api.get(LEXICONS)).json()["lexicons"]
    assert summary in listed
    assert [x["name"] for x in listed] == sorted(x["name"] for x in listed)

    replaced = await _put(api, name, _json({"grapheme": "YouBike", "alias": "U bike"}))
    assert replaced.status_code == 200 and replaced.headers["etag"] != created.headers["etag"]
    assert (await api.get(f"{LEXICONS}/{name}")).json()["entries"][0]["alias"] == "U bike"

    assert (await api.delete(f"{LEXICONS}/{name}")).status_code == 204
    assert _problem(await api.get(f"{LEXICONS}/{name}"), 404)["name"] == name
    _problem(await api.delete(f"{LEXICONS}/{name}"), 404)
    assert name not in [x["name"] for x in (await api.get(LEXICONS)).json()["lexicons"]]


async def test_pls_in_and_both_exports_round_trip(api):
    name = _name("pls")
    put = await api.put(f"{LEXICONS}/{name}", content=PLS, headers={"Content-Type": PLS_TYPE})
    assert put.status_code == 201, put.text
    assert put.json()["language"] == "en-US" and put.json()["entry_count"] == 2
    document = (await api.get(f"{LEXICONS}/{name}")).json()

    exported = await api.get(f"{LEXICONS}/{name}", headers={"Accept": PLS_TYPE})
    assert exported.headers["content-type"] == PLS_TYPE
    assert exported.headers["content-disposition"] == f'attachment; filename="{name}.pls"'
    assert exported.headers["etag"] == put.headers["etag"]
    also = await api.get(f"{LEXICONS}/{name}", params={"format": "pls"})
    assert also.content == exported.content

    # The PLS export, uploaded again, is the same lexicon.
    again = _name("pls-again")
    reput = await api.put(
        f"{LEXICONS}/{again}", content=exported.content, headers={"Content-Type": PLS_TYPE}
    )
    assert reput.status_code == 201, reput.text
    copy = (await api.get(f"{LEXICONS}/{again}")).json()
    for field in ("language", "alphabet", "entries"):
        assert copy[field] == document[field], field

    # So is the JSON export, uploaded as JSON.
    as_json = await api.get(f"{LEXICONS}/{name}", params={"format": "json"})
    assert as_json.headers["content-disposition"] == f'attachment; filename="{name}.json"'
    third = _name("json-again")
    reput = await api.put(
        f"{LEXICONS}/{third}",
        content=as_json.content,
        headers={"Content-Type": "application/json"},
    )
    assert reput.status_code == 201, reput.text
    copy = (await api.get(f"{LEXICONS}/{third}")).json()
    for field in ("language", "alphabet", "entries"):
        assert copy[field] == document[field], field


async def test_if_match_keeps_a_concurrent_edit(api):
    name = _name()
    first = await _put(api, name, _json({"grapheme": "LINE", "alias": "line"}))
    etag = first.headers["etag"]
    mine = await _put(api, name, _json({"grapheme": "LINE", "alias": "mine"}), **{"If-Match": etag})
    assert mine.status_code == 200, mine.text
    stale = await _put(
        api, name, _json({"grapheme": "LINE", "alias": "lost"}), **{"If-Match": etag}
    )
    assert _fields(_problem(stale, 412)) == ["If-Match"]
    _problem(await api.delete(f"{LEXICONS}/{name}", headers={"If-Match": etag}), 412)
    assert (await api.get(f"{LEXICONS}/{name}")).json()["entries"][0]["alias"] == "mine"
    gone = await api.delete(f"{LEXICONS}/{name}", headers={"If-Match": mine.headers["etag"]})
    assert gone.status_code == 204


async def test_bad_requests_name_the_field_and_store_nothing(api):
    name = _name()
    cases = [
        (f"{LEXICONS}/{name}", b"W3C=World", "text/plain", 415, "Content-Type"),
        (f"{LEXICONS}/{name}", b"{}", "application/json", 422, None),
        (f"{LEXICONS}/{name}", b"not json", "application/json", 422, None),
        (f"{LEXICONS}/{name}", b"<lexicon", PLS_TYPE, 422, None),
        (f"{LEXICONS}/-starts-badly", PLS, PLS_TYPE, 422, "name"),
        (f"{LEXICONS}/{'x' * 65}", PLS, PLS_TYPE, 422, "name"),
    ]
    for path, body, content_type, status, field in cases:
        response = await api.put(path, content=body, headers={"Content-Type": content_type})
        problem = _problem(response, status)
        assert problem["errors"], problem
        if field is not None:
            assert field in _fields(problem), problem
    entry = {"grapheme": "x", "alias": "y", "colour": "red"}
    problem = _problem(await _put(api, name, _json(entry)), 422)
    assert any(f.startswith("entries[0]") for f in _fields(problem)), problem
    _problem(await api.get(f"{LEXICONS}/{name}"), 404)
    _problem(await api.get(f"{LEXICONS}/bad..name!"), 422)


HOSTILE = {
    "billion laughs": b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa"
 xml:lang="en"><lexeme><grapheme>&lol3;</grapheme><alias>x</alias></lexeme></lexicon>""",
    "external entity": b"""<?xml version="1.0"?>
<!DOCTYPE lexicon [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa"
 xml:lang="en"><lexeme><grapheme>root</grapheme><alias>&secret;</alias></lexeme></lexicon>""",
    "deep": b"<lexicon>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</lexicon>",
    "NUL": b"<lexicon version='1.0' alphabet='ipa'>\x00</lexicon>",
}


async def test_ten_megabytes_of_xml_is_refused_unread(api):
    name = _name()
    body = b"<lexicon>" + b"<lexeme>" * (10 * 1024 * 1024 // 8) + b"</lexicon>"
    response = await api.put(f"{LEXICONS}/{name}", content=body, headers={"Content-Type": PLS_TYPE})
    _problem(response, 413)
    _problem(await api.get(f"{LEXICONS}/{name}"), 404)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_hostile_xml_is_a_clean_4xx(api, kind):
    name = _name()
    response = await api.put(
        f"{LEXICONS}/{name}", content=HOSTILE[kind], headers={"Content-Type": PLS_TYPE}
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "root:" not in response.text and "lollol" not in response.text
    _problem(await api.get(f"{LEXICONS}/{name}"), 404)


async def test_caps_on_size_and_count(stack):
    carol = create_user(stack, f"carol-{uuid.uuid4().hex[:6]}")
    async with httpx.AsyncClient(
        base_url=stack.gateway_url, headers=carol.headers, timeout=30
    ) as api:
        # 257 KB as sent: refused before it is parsed.
        entries = [{"grapheme": f"w{i:05d}", "alias": "a" * 30} for i in range(5500)]
        body = json.dumps(_json(*entries)).encode()
        assert LEXICON_MAX_BYTES < len(body) < 1024 * 1024
        response = await api.put(
            f"{LEXICONS}/big", content=body, headers={"Content-Type": "application/json"}
        )
        assert _fields(_problem(response, 413)) == ["body"]
        # Just under the cap as sent, just over it as stored (its name and time added).
        small = json.dumps(_json(*entries[:10]), separators=(",", ":")).encode()
        padded = _json(*entries[:10], language="en")
        padded["entries"][0]["alias"] += "a" * (LEXICON_MAX_BYTES - len(small) - 30)
        body = json.dumps(padded, separators=(",", ":")).encode()
        assert len(body) <= LEXICON_MAX_BYTES
        response = await api.put(
            f"{LEXICONS}/big", content=body, headers={"Content-Type": "application/json"}
        )
        # An alias is at most 300 characters: the model refuses it, or the store's cap does.
        assert response.status_code in (413, 422), response.text
        _problem(await api.get(f"{LEXICONS}/big"), 404)

        for i in range(MAX_LEXICONS_PER_USER):
            put = await _put(api, f"l{i}", _json({"grapheme": "x", "alias": "y"}))
            assert put.status_code == 201, put.text
        over = await _put(api, "one-too-many", _json({"grapheme": "x", "alias": "y"}))
        assert _fields(_problem(over, 409)) == ["name"]
        assert str(MAX_LEXICONS_PER_USER) in over.json()["detail"]
        _problem(await api.get(f"{LEXICONS}/one-too-many"), 404)
        replaced = await _put(api, "l0", _json({"grapheme": "x", "alias": "z"}))
        assert replaced.status_code == 200
        assert len((await api.get(LEXICONS)).json()["lexicons"]) == MAX_LEXICONS_PER_USER


async def test_a_lexicon_near_the_cap_exports_to_pls_that_uploads_again(api):
    name, again = _name("near-cap"), _name("again")
    entries = [{"grapheme": f"w{i:05d}", "alias": "a" * 30} for i in range(3900)]
    body = json.dumps(_json(*entries), separators=(",", ":")).encode()
    assert 0.9 * LEXICON_MAX_BYTES < len(body) <= LEXICON_MAX_BYTES
    put = await api.put(
        f"{LEXICONS}/{name}", content=body, headers={"Content-Type": "application/json"}
    )
    assert put.status_code == 201, put.text
    exported = await api.get(f"{LEXICONS}/{name}", params={"format": "pls"})
    assert len(exported.content) > LEXICON_MAX_BYTES  # markup costs more than JSON
    back = await api.put(
        f"{LEXICONS}/{again}", content=exported.content, headers={"Content-Type": PLS_TYPE}
    )
    assert back.status_code == 201, back.text
    first = (await api.get(f"{LEXICONS}/{name}")).json()
    second = (await api.get(f"{LEXICONS}/{again}")).json()
    assert second["entries"] == first["entries"] and len(second["entries"]) == 3900
    for listed in (name, again):
        assert (await api.delete(f"{LEXICONS}/{listed}")).status_code == 204


async def test_a_script_names_its_lexicons_in_the_query(api):
    name = _name("script")
    await _put(api, name, _json({"grapheme": "Bob", "alias": "Robert"}))
    response = await api.post(
        SUBMIT,
        content=b"Alice: Hi, Bob.\nBob: Hello, Alice.",
        params=[("lexicons", name), ("provider", "espeak")],
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 202, response.text
    job = (await api.get(f"/api/v1/jobs/{response.json()['id']}")).json()
    assert job["input"]["lexicons"] == [name]
    assert [e["alias"] for e in job["input"]["lexicon_entries"]] == ["Robert"]
    unknown = await api.post(
        SUBMIT,
        content=b"Alice: Hi.",
        params={"lexicons": "nobody-has-this"},
        headers={"Content-Type": "text/plain"},
    )
    assert _fields(_problem(unknown, 422)) == ["lexicons[0]"]
    await api.delete(f"{LEXICONS}/{name}")


async def _job_input(api: httpx.AsyncClient, body: dict) -> dict:
    response = await api.post(SUBMIT, json=body)
    assert response.status_code == 202, response.text
    job = (await api.get(f"/api/v1/jobs/{response.json()['id']}")).json()
    return job["input"]


async def test_a_job_right_after_a_put_snapshots_the_new_entries(api):
    name, other = _name("brands"), _name("more")
    await _put(
        api, name, _json({"grapheme": "Bob", "alias": "Robert"}, {"grapheme": "zzz", "alias": "q"})
    )
    await _put(
        api,
        other,
        _json({"grapheme": "Bob", "alias": "Bobby"}, {"grapheme": "walk", "alias": "stroll"}),
    )
    used = await _job_input(api, dialogue("espeak", lexicons=[name, other]))
    assert used["lexicons"] == [name, other]
    # Only what the text uses; for a word in both, the first listed wins.
    assert used["lexicon_entries"] == [
        {"lexicon": name, "grapheme": "Bob", "alias": "Robert", "phoneme": None, "alphabet": None},
        {"lexicon": other, "grapheme": "walk", "alias": "stroll", "phoneme": None,
         "alphabet": None},
    ]  # fmt: skip
    await _put(api, name, _json({"grapheme": "Bob", "alias": "Roberto"}))
    again = await _job_input(api, dialogue("espeak", lexicons=[name]))
    assert [e["alias"] for e in again["lexicon_entries"]] == ["Roberto"]

    # Running the stored input again keeps its entries: the lexicons are not read again.
    await api.delete(f"{LEXICONS}/{name}")
    rerun = await _job_input(api, used)
    assert rerun["lexicon_entries"] == used["lexicon_entries"]

    plain = await _job_input(api, dialogue("espeak"))
    assert plain["lexicons"] == [] and plain["lexicon_entries"] is None


async def test_unknown_lexicons_and_phonemes_a_voice_cannot_take(api):
    response = await api.post(SUBMIT, json=dialogue("espeak", lexicons=["never-made"]))
    problem = _problem(response, 422)
    assert _fields(problem) == ["lexicons[0]"] and "never-made" in problem["detail"]

    name = _name("phonemes")
    await _put(api, name, _json({"grapheme": "Bob", "phoneme": "bɑb"}))
    response = await api.post(SUBMIT, json=dialogue("piper", lexicons=[name]))
    problem = _problem(response, 422)
    assert _fields(problem) == ["lexicons[0]"]
    assert "'Bob'" in problem["detail"] and "piper takes no phonemes" in problem["detail"]
    accepted = await _job_input(api, dialogue("espeak", lexicons=[name]))
    assert accepted["lexicon_entries"][0]["phoneme"] == "bɑb"
    assert accepted["lexicon_entries"][0]["alphabet"] == "ipa"


async def test_one_users_lexicons_are_invisible_to_another(api, bob_api):
    name = _name("private")
    await _put(api, name, _json({"grapheme": "Bob", "alias": "Alice's word"}))
    _problem(await bob_api.get(f"{LEXICONS}/{name}"), 404)
    _problem(await bob_api.delete(f"{LEXICONS}/{name}"), 404)
    assert name not in [x["name"] for x in (await bob_api.get(LEXICONS)).json()["lexicons"]]
    refused = await bob_api.post(SUBMIT, json=dialogue("espeak", lexicons=[name]))
    assert _fields(_problem(refused, 422)) == ["lexicons[0]"]

    await _put(bob_api, name, _json({"grapheme": "Bob", "alias": "Bob's word"}))
    bobs = await _job_input(bob_api, dialogue("espeak", lexicons=[name]))
    assert [e["alias"] for e in bobs["lexicon_entries"]] == ["Bob's word"]
    alices = (await api.get(f"{LEXICONS}/{name}")).json()
    assert alices["entries"][0]["alias"] == "Alice's word"


async def test_a_long_text_job_snapshots_too(api):
    name = _name("single")
    await _put(api, name, _json({"grapheme": "rain", "alias": "drizzle"}))
    text = {"text": "The rain was soothing. We walked.", "voice": "en-us", "provider": "espeak"}
    response = await api.post("/api/v1/jobs/tts", json={**text, "lexicons": [name]})
    assert response.status_code == 202, response.text
    job = (await api.get(f"/api/v1/jobs/{response.json()['id']}")).json()
    assert job["input"] is None, "a text's job is served once, as `single`"
    assert [e["alias"] for e in job["single"]["lexicon_entries"]] == ["drizzle"]
    unknown = await api.post("/api/v1/jobs/tts", json={**text, "lexicons": ["never-made"]})
    assert _fields(_problem(unknown, 422)) == ["lexicons[0]"]


async def test_if_match_star_needs_the_lexicon(api):
    name = _name()
    body = _json({"grapheme": "x", "alias": "y"})
    _problem(await _put(api, name, body, **{"If-Match": "*"}), 412)
    assert (await _put(api, name, body)).status_code == 201
    assert (await _put(api, name, body, **{"If-Match": "*"})).status_code == 200
