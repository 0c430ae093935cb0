"""Callback allowlist and signatures, and the notifier refusing a URL its allowlist lacks even
when the job got past (or around) the gateway."""

from __future__ import annotations

import httpx

from tests.support.fakes import MemoryBus
from tests.support.jobs import dialogue
from ttsjobs.callbacks import allowed, canonical, sign, verify
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_gateway.publishers import job_created
from ttsjobs_notifier.handlers import NotifierDeps, notify
from ttsjobs_synthesis.publishers import job_failed

ALLOW = ["https://hooks.example.com/ttsjobs/"]


def test_the_allowlist_matches_scheme_host_port_and_path_prefix():
    assert allowed("https://hooks.example.com/ttsjobs/a?b=1", ALLOW)
    assert allowed("https://HOOKS.example.com:443/ttsjobs/a", ALLOW)
    for url in (
        "http://hooks.example.com/ttsjobs/a",
        "https://hooks.example.com:8443/ttsjobs/a",
        "https://hooks.example.com.evil.net/ttsjobs/a",
        "https://evil.net/ttsjobs/a#https://hooks.example.com/ttsjobs/",
        "https://hooks.example.com/other",
        "https://hooks.example.com:notaport/ttsjobs/",
    ):
        assert not allowed(url, ALLOW), url
    assert not allowed("https://hooks.example.com/ttsjobs/a", [])


def test_dot_segments_and_escapes_cannot_climb_out_of_an_allowed_path():
    for url in (
        "https://hooks.example.com/ttsjobs/../admin",
        "https://hooks.example.com/ttsjobs/%2e%2E/admin",
        "https://hooks.example.com/ttsjobs/./../admin",
        "https://hooks.example.com/ttsjobs/..",
        "https://hooks.example.com/ttsjobs/a%2f..%2f..%2fadmin",
        "https://hooks.example.com/ttsjobs/a%5cb",
        "https://hooks.example.com\\@evil.net/ttsjobs/",
        "https://user:pw@hooks.example.com/ttsjobs/a",
        "https://hooks.example.com/ttsjobs/a b",
        "ftp://hooks.example.com/ttsjobs/a",
    ):
        assert not allowed(url, ALLOW), url
    assert allowed("https://hooks.example.com/ttsjobs/a/../b", ALLOW)
    assert canonical("HTTPS://Hooks.Example.com:443/ttsjobs/a/./b/../c?x=1#f") == (
        "https://hooks.example.com/ttsjobs/a/c?x=1"
    )


def test_an_entry_without_a_trailing_slash_matches_whole_segments():
    assert allowed("https://hooks.example.com/hooks", ["https://hooks.example.com/hooks"])
    assert allowed("https://hooks.example.com/hooks/a", ["https://hooks.example.com/hooks"])
    assert not allowed("https://hooks.example.com/hooksX", ["https://hooks.example.com/hooks"])


def test_a_signature_covers_time_and_body():
    header = sign("s3cret", b'{"a":1}')
    assert verify("s3cret", b'{"a":1}', header)
    assert not verify("s3cret", b'{"a":2}', header)
    assert not verify("s3cret", b'{"a":1}', sign("s3cret", b'{"a":1}', now=1_000_000))
    assert not verify("s3cret", b'{"a":1}', "garbage")


async def test_the_notifier_refuses_a_url_off_its_allowlist_without_calling_it():
    body = dialogue("espeak", callback_url="https://evil.net/collect")
    created = job_created(MultiRoleRequest.model_validate(body), user_id="u1")
    bus, calls = MemoryBus(created), []

    transport = httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(200))
    async with httpx.AsyncClient(transport=transport) as http:
        deps = NotifierDeps(bus.publish, bus, http, "s", ALLOW, 3, 0.1, 1.0)
        await notify(job_failed(created.job_id, "x", user_id="u1"), attempt=1, deps=deps)
    assert calls == []
    [record] = bus.history[1:]
    attempt = record.data.callback
    assert not attempt.delivered and attempt.final and "allowed" in attempt.error


async def test_the_notifier_calls_the_url_it_checked_not_the_raw_string():
    body = dialogue("espeak", callback_url="https://hooks.example.com/ttsjobs/x/%2e%2e/done")
    created = job_created(MultiRoleRequest.model_validate(body), user_id="u1")
    bus, calls = MemoryBus(created), []

    transport = httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(200))
    async with httpx.AsyncClient(transport=transport) as http:
        deps = NotifierDeps(bus.publish, bus, http, "s", ALLOW, 3, 0.1, 1.0)
        await notify(job_failed(created.job_id, "x", user_id="u1"), attempt=1, deps=deps)
    [call] = calls
    assert str(call.url) == "https://hooks.example.com/ttsjobs/done"
