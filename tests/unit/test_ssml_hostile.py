"""Hostile SSML is refused before anything is made of it: a 422 naming ``body`` with what is
wrong, no entity expanded, no file read, and quickly."""

from __future__ import annotations

import time

import pytest

from ttsjobs.contracts.job_request import RequestLimits
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.ssml.jobs import ssml_job

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<speak>&lol9;</speak>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE speak [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<speak>&xxe;</speak>"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE speak [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]>
<speak>hello</speak>"""
DEEP = b"<speak>" + b"<prosody>" * 10_000 + b"deep" + b"</prosody>" * 10_000 + b"</speak>"
MANY = b"<speak>" + b"<mark name='m'/>" * 10_001 + b"many</speak>"

CASES = {
    "billion laughs": (BILLION_LAUGHS, "a DTD"),
    "external entity": (EXTERNAL, "a DTD"),
    "parameter entity": (PARAMETER, "a DTD"),
    "undeclared entity": (b"<speak>&xxe;</speak>", "undefined entity"),
    "depth 10,000": (DEEP, "nest deeper than 64"),
    "too many elements": (MANY, "more than 10000 elements"),
    "NUL byte": (b"<speak>a\x00b</speak>", "not well-formed"),
    "invalid UTF-8": (b"<speak>caf\xe9 \xff</speak>", "not well-formed"),
    "not XML": (b"Hello, world.", "not well-formed"),
    "unclosed": (b"<speak>Hello", "not well-formed"),
    "not a speak root": (b"<html><body>Hello</body></html>", "the root element is <html>"),
    "empty speak": (b"<speak>  <break time='1s'/> </speak>", "nothing to say"),
    "nothing at all": (b"   ", "empty"),
    "only punctuation": (b"<speak>... !</speak>", "nothing to say"),
    "huge attribute": (b"<speak><sub alias='" + b"a" * 100_000 + b"'>x</sub></speak>",
                       "100000 characters"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_hostile_ssml_is_a_422_naming_the_body(case):
    body, reason = CASES[case]
    started = time.monotonic()
    with pytest.raises(InvalidRequest) as refused:
        ssml_job(body, {}, RequestLimits(), set(), single_route=False)
    assert time.monotonic() - started < 2
    [problem] = refused.value.problems
    assert problem.field == "body"
    assert reason in problem.reason, problem.reason
    assert "root:" not in problem.reason  # nothing of /etc/passwd


def test_a_character_reference_is_not_an_entity_and_is_read():
    job = ssml_job(b"<speak>caf&#xe9; &amp; cr&#232;me</speak>", {}, RequestLimits(), set(),
                   single_route=False)  # fmt: skip
    assert job.request.turns[0].text == "café & crème"


def test_a_document_past_the_turn_limit_is_refused_by_its_count():
    body = b"<speak>" + b"<s>One.</s>" * 201 + b"</speak>"
    with pytest.raises(InvalidRequest) as refused:
        ssml_job(body, {}, RequestLimits(), set(), single_route=False)
    assert [p.field for p in refused.value.problems] == ["turns"]
    assert "201 turns" in refused.value.problems[0].reason


def test_a_turn_the_model_refuses_is_named_as_its_field():
    body = b"<speak><voice name='Joanna'>Hi.</voice><mark name='" + b"m" * 80 + b"'/></speak>"
    job = ssml_job(body, {}, RequestLimits(), set(), single_route=False)
    assert job.request.turns[0].marks[0].name == "m" * 64  # cut to the contract's length
    with pytest.raises(InvalidRequest) as refused:
        ssml_job(b"<speak>Hi.</speak>", {"output_format": "wma"}, RequestLimits(), set(),
                 single_route=False)  # fmt: skip
    assert [p.field for p in refused.value.problems] == ["output_format"]


def test_a_document_of_made_up_elements_carries_a_few_short_warnings():
    names = b"".join(b"<x%d>w</x%d>" % (i, i) for i in range(5_000))
    job = ssml_job(b"<speak>" + names + b"</speak>", {}, RequestLimits(), set(),
                   single_route=False)  # fmt: skip
    assert (
        len(job.warnings) == 20
        and job.warnings[0] == "<x0> is not read; its text is read as written"
    )
    assert job.warnings[-1] == "and 4981 more things SSML asked, not read"
    rate = b"<speak><prosody rate='" + b"9" * 900 + b"'>fast</prosody></speak>"
    [warning] = ssml_job(rate, {}, RequestLimits(), set(), single_route=False).warnings
    assert len(warning) == 200 and warning.startswith('<prosody rate="999') and warning[-1] == "…"
