"""The composer's format choices: M4A, a bitrate (offered only where the format codes at one)
and mastering, sent with the job and kept in its input; labelled in both languages."""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import messages, ui_language

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("locale", ["en-US", "zh-TW"])
def test_m4a_a_bitrate_and_mastering_go_with_the_job(page, stack, alice, locale):
    text = messages(ui_language(locale))
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "espeak")
    assert (
        page.locator("select[name=mastering] option[value=podcast]").inner_text()
        == text["compose.masteringPodcast"]
    )
    page.select_option("select[name=output_format]", "wav")
    assert page.locator("select[name=bitrate_kbps]").is_disabled(), "WAV takes no bitrate"
    page.select_option("select[name=output_format]", "m4a")
    assert page.locator("select[name=bitrate_kbps]").is_enabled()
    page.select_option("select[name=bitrate_kbps]", "96")
    page.select_option("select[name=mastering]", "podcast")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=alice.headers).json()
    sent = job["input"]
    assert (sent["output_format"], sent["bitrate_kbps"], sent["mastering"]) == (
        "m4a",
        96,
        "podcast",
    )
