"""What a producer got, on the job page of a real job (espeak: quick, and it times words): the
loudness measured after podcast mastering, the chapters (a click plays from one, and marks it),
the stems zip and the word-level captions and alignment as downloads, in English and Traditional
Chinese, and at 390 px no download button on a line alone. The composer asks for stems in a
dialogue (a long text has one reader: no stems there)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import httpx
import pytest

from tests.browser.conftest import messages, screenshot, signed_in, ui_language, wait_until
from tests.browser.layout import controls_alone
from tests.support.jobs import dialogue

pytestmark = pytest.mark.e2e
LONG = 60_000

TURNS = {
    "en-US": [("Alice", "Good morning, Bob.", "Opening"), ("Bob", "Good morning to you.", None),
              ("Alice", "Now the news of the day.", "The news")],
    "zh-TW": [("小美", "早安，阿明。", "開場"), ("阿明", "早安，小美。", None),
              ("小美", "接下來是今天的新聞。", "今日新聞")],
}  # fmt: skip
VOICES = {"en-US": "en-us", "zh-TW": "cmn"}


def _producer_job(stack, user, locale: str) -> dict:
    body = dialogue("espeak", title="producer")
    body["turns"] = [{"speaker": who, "text": text, **({"chapter": c} if c else {})}
                     for who, text, c in TURNS[locale]]  # fmt: skip
    body["voice_assignments"] = {who: {"voice": VOICES[locale]} for who, _, _ in TURNS[locale]}
    body |= {"mastering": "podcast", "stems": True}
    response = httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts/multi-role", json=body, headers=user.headers
    )
    assert response.status_code == 202, response.text
    return response.json()


def _measured(page, name: str) -> float:
    text = page.inner_text(f"#job-loudness dd[data-loudness={name}]")
    return float(re.search(r"-?\d+(\.\d+)?", text.replace("−", "-")).group(0))


def _downloaded(page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.click(selector)
    path = download.value.path()
    return download.value.suggested_filename, open(path, "rb").read()


@pytest.mark.parametrize("locale", list(TURNS))
def test_the_job_page_shows_loudness_chapters_and_producer_downloads(page, stack, alice, locale):
    text = messages(ui_language(locale))
    job = _producer_job(stack, alice, locale)
    page.goto(f"{page.base}/#/jobs/{job['id']}")
    page.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    done = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job['id']}", headers=alice.headers).json()

    # Loudness, as measured after podcast mastering: about -16 LUFS, peaks at most -1 dBTP.
    assert page.is_visible("#job-loudness-box")
    assert text["compose.masteringPodcast"] in page.inner_text("#job-loudness")
    assert "LUFS" in page.inner_text("#job-loudness dd[data-loudness=integrated]")
    measured = done["result"]["loudness"]
    assert _measured(page, "integrated") == pytest.approx(measured["integrated_lufs"], abs=0.051)
    assert abs(_measured(page, "integrated") + 16) <= 1
    assert _measured(page, "peak") <= -0.95
    assert "LU" in page.inner_text("#job-loudness dd[data-loudness=range]")

    # Chapters: two, by title; a click on the second plays from its start and marks it.
    chapters = done["result"]["chapters"]
    assert [c["title"] for c in chapters] == [c for _, _, c in TURNS[locale] if c]
    assert page.locator("#job-chapters li").count() == 2
    assert chapters[1]["title"] in page.inner_text("#job-chapters li[data-chapter='1']")
    page.evaluate("() => { document.getElementById('audio').muted = true; }")
    page.click("#job-chapters li[data-chapter='1'] button")
    wait_until(
        page, "() => document.querySelector('#job-chapters li.now')?.dataset.chapter === '1'"
    )
    position = page.evaluate("document.getElementById('audio').currentTime")
    assert chapters[1]["start_ms"] / 1000 - 0.05 <= position <= chapters[1]["start_ms"] / 1000 + 2
    page.evaluate("() => document.getElementById('audio').pause()")
    screenshot(page, f"job-page-producer-{locale}")

    # Stems: a zip of one track per speaker.
    assert page.inner_text("#download-stems") == text["job.downloadStems"]
    name, data = _downloaded(page, "#download-stems")
    assert name.endswith(".zip")
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == 2
    # Word-level captions and the character alignment.
    _, vtt = _downloaded(page, "#download-words-vtt")
    assert vtt.startswith(b"WEBVTT") and re.search(rb"<\d\d:\d\d:\d\d\.\d{3}>", vtt)
    _, srt = _downloaded(page, "#download-words-srt")
    assert srt.count(b" --> ") > 3, "a cue per word"
    _, alignment = _downloaded(page, "#download-alignment")
    assert json.loads(alignment)["characters"]

    # At phone width, no download button sits on a line alone.
    page.set_viewport_size({"width": 390, "height": 844})
    assert controls_alone(page, "#job-downloads, #job-word-downloads") == []
    screenshot(page, f"job-page-producer-390-{locale}")


def test_the_composer_asks_for_stems_in_a_dialogue_only(browser, stack, alice):
    context = signed_in(browser.new_context(viewport={"width": 390, "height": 844}), alice.key)
    page = context.new_page()
    page.goto(f"{stack.gateway_url}/#/")
    page.wait_for_selector("#compose input[name=stems]")
    assert page.is_visible("#stems-choice")
    page.check("#compose input[name=stems]")
    screenshot(page, "compose-stems-390")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=alice.headers).json()
    assert job["input"]["stems"] is True
    page.goto(f"{stack.gateway_url}/#/")
    page.wait_for_selector("#compose input[name=stems]", state="attached")
    page.check("#compose input[name=mode][value=text]")
    assert not page.is_visible("#stems-choice"), "a long text has one reader"
    context.close()
