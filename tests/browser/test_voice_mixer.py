"""The voice mixer (#/voices) in the browser: two Kokoro voices by weight make a formula, which
is heard as a preview, saved under a name the user's list then shows, and deleted again."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.browser.conftest import messages, signed_in
from tests.conftest import create_user

pytestmark = pytest.mark.e2e
LONG = 60_000


def test_a_mix_is_previewed_saved_under_a_name_and_deleted(browser, stack):
    # A user of its own: saved voices lead the catalogue, and alice's pickers stay as they were.
    user = create_user(stack, f"mixer-{uuid.uuid4().hex[:8]}")
    context = signed_in(browser.new_context(locale="zh-TW"), user.key)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    words = messages("zh-TW")
    try:
        page.goto(f"{stack.gateway_url}/#/voices")
        page.wait_for_selector("#mix-formula", timeout=LONG)
        assert page.text_content("#voice-mixer h1") == words["mixer.heading"]
        page.select_option("select[name=voice-0]", "zf_xiaoyi")
        page.fill("input[name=weight-0]", "1")
        page.select_option("select[name=voice-1]", "zf_xiaoxiao")
        page.fill("input[name=weight-1]", "2")
        assert page.text_content("#mix-formula") == "zf_xiaoyi(1)+zf_xiaoxiao(2)"

        page.click("#mix-preview")
        page.wait_for_selector("body[data-previewed='1']", timeout=LONG)
        assert page.text_content("#mix-error") == ""

        page.fill("#mix-name", "暖聲")
        page.click("#mix-save")
        saved = page.wait_for_selector("#saved-voices li[data-name='暖聲']", timeout=LONG)
        assert "zf_xiaoxiao(2)+zf_xiaoyi(1)" in saved.text_content()  # in its one spelling
        mine = httpx.get(f"{stack.gateway_url}/api/v1/voices/mine", headers=user.headers).json()
        assert [(v["name"], v["voice"]) for v in mine["voices"]] == [
            ("暖聲", "zf_xiaoxiao(2)+zf_xiaoyi(1)")
        ]

        saved.query_selector(f"text={words['mixer.delete']}").click()
        page.wait_for_selector(f"text={words['mixer.empty']}", timeout=LONG)
        assert errors == []
    finally:
        context.close()
