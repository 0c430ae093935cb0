"""What every response says about itself: a truthful Allow on OPTIONS and 405, and the security
headers (CSP, no framing, nosniff, Referrer-Policy) on the API, the web app and the docs."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from tests.support.jobs import SUBMIT

pytestmark = pytest.mark.e2e

ROUTED = [
    (f"/api/v1/jobs/{uuid.uuid4()}", {"GET", "DELETE", "PATCH"}),
    ("/api/v1/jobs", {"GET"}),
    (SUBMIT, {"POST"}),
    (f"/api/v1/jobs/{uuid.uuid4()}/download", {"GET"}),
    (f"/api/v1/jobs/{uuid.uuid4()}/captions", {"GET"}),
    ("/api/v1/voices", {"GET"}),
    ("/healthz", {"GET"}),
    ("/", {"GET"}),
]


def _allow(response: httpx.Response) -> set[str]:
    return {m.strip() for m in response.headers["allow"].split(",")}


@pytest.mark.parametrize(("path", "methods"), ROUTED, ids=[p for p, _ in ROUTED])
async def test_options_and_405_name_every_routed_method(api, path, methods):
    options = await api.options(path)
    assert options.status_code == 204, options.text
    assert _allow(options) - {"HEAD", "OPTIONS"} == methods
    refused = await api.request("PUT", path)  # routed nowhere
    assert refused.status_code == 405
    assert _allow(refused) == _allow(options)


async def test_options_on_a_path_nothing_serves_is_404(api):
    assert (await api.options("/api/v1/nothing-here")).status_code == 404


def _csp(response: httpx.Response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d for d in (p.strip() for p in policy.split(";")) if d}


def _has_security_headers(response: httpx.Response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_every_kind_of_response_carries_the_security_headers(api):
    responses = [
        await api.get("/"),
        await api.get("/assets/app.js"),
        await api.get("/api/v1/voices"),
        await api.get(f"/api/v1/jobs/{uuid.uuid4()}"),  # a problem
        await api.post(SUBMIT, content=b" " * 2_000_000),  # refused by the body limit
        await api.get("/healthz"),
        await api.get("/openapi.json"),
        await api.options("/api/v1/jobs"),
    ]
    for response in responses:
        _has_security_headers(response)
        directives = _csp(response)
        assert directives["script-src"] == "script-src 'self'", response.url
        assert directives["style-src"] == "style-src 'self'", response.url


async def test_the_web_app_needs_nothing_inline(api):
    page = (await api.get("/")).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "an inline script"
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", page), "an inline style or handler"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_the_docs_have_a_policy_of_their_own(api, path):
    """The docs load their UI from a CDN; Swagger UI's one inline script is allowed by hash."""
    response = await api.get(path)
    assert response.status_code == 200
    _has_security_headers(response)
    script_src = _csp(response)["script-src"]
    assert "https://cdn.jsdelivr.net" in script_src and "'unsafe-inline'" not in script_src
    for src in re.findall(r'<script src="([^"]+)"', response.text):
        assert src.startswith("https://cdn.jsdelivr.net/"), src
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(re.findall(r"'sha256-", script_src)) == len(inline)
