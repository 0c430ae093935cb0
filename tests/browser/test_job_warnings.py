"""A job's casting warnings on its page, in English and Traditional Chinese: the server's words
as text, inside the app's own note."""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import messages, ui_language

pytestmark = pytest.mark.e2e
LONG = 60_000


@pytest.mark.parametrize("locale", ["en-US", "zh-TW"])
def test_speakers_sharing_a_voice_are_noted_on_the_job_page(page, stack, alice, locale):
    names = [f"Voice <b>{i}</b>" for i in range(3)]  # markup in a name stays text
    body = {
        "provider": "kokoro",
        "turns": [{"speaker": name, "text": "Bonjour."} for name in names],
        "voice_assignments": {name: {"language": "fr"} for name in names},
    }
    job = httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts/multi-role", json=body, headers=alice.headers
    ).json()
    [warning] = job["warnings"]
    page.goto(f"{page.base}/#/jobs/{job['id']}")
    item = page.wait_for_selector("#job-warnings li", timeout=LONG)
    note = messages(ui_language(locale))["job.warning"].split("{warning}")[0]
    assert item.text_content() == f"{note}{warning}"
    assert page.query_selector("#job-warnings b") is None
    httpx.delete(f"{stack.gateway_url}/api/v1/jobs/{job['id']}", headers=alice.headers)
