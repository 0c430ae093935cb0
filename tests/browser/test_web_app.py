"""The web app in headless Chromium: compose and submit, watch to completion, play and download;
leave and come back; cancel; a failed job's reason; a phone-sized screen."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
import soundfile as sf

from tests.browser.conftest import messages, screenshot, signed_in, ui_language, wait_until
from tests.support.jobs import UNSAYABLE, dialogue

pytestmark = pytest.mark.e2e
LONG = 60_000


# The main flow in each UI language: what a person types, which provider reads it best, and
# how the locale writes a date and a duration on the job's page.
FLOWS = {
    "en-US": {
        "provider": "espeak",
        "title": "Browser morning",
        "first": "Good morning, Bob. The kettle is on.",
        "third": "Then let us have breakfast outside.",
        "file": r"\d{4}-\d\d-\d\d_\d{4}_Browser_morning\.wav",
        "date": r"[A-Z][a-z]{2} \d{1,2}, \d{4}",
        "seconds": r"\d+(\.\d)? sec",
        "screenshot": "",
    },
    "zh-TW": {
        "provider": "kokoro",
        "title": "瀏覽器早晨",
        "first": "早安，阿明。水已經燒開了。",
        "third": "那我們到外面吃早餐吧。",
        "file": r"\d{4}-\d\d-\d\d_\d{4}_瀏覽器早晨\.wav",  # from filename*, in UTF-8
        "date": r"\d{4}年\d{1,2}月\d{1,2}日",
        "seconds": r"\d+(\.\d)? 秒",
        "screenshot": "-zh-TW",
    },
}


@pytest.mark.parametrize("locale", list(FLOWS))
def test_compose_submit_watch_play_and_download(page, locale, tmp_path):
    flow, text = FLOWS[locale], messages(ui_language(locale))
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    assert page.inner_text("#submit") == text["compose.generate"]
    page.fill("input[name=title]", flow["title"])
    page.select_option("#provider", flow["provider"])
    page.fill("textarea[name=turn-text-0]", flow["first"])
    page.click("#add-turn")
    page.select_option("select[name=turn-speaker-2]", page.input_value("input[name=speaker-0]"))
    page.fill("textarea[name=turn-text-2]", flow["third"])
    screenshot(page, f"compose{flow['screenshot']}")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    page.click("#submitted-link")

    page.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    assert page.inner_text("#job-status") == text["status.completed"]
    assert page.locator("#job-turns li.done").count() == 3
    params = dict(
        zip(
            page.locator("#job-params dt").all_inner_texts(),
            page.locator("#job-params dd").all_inner_texts(),
            strict=True,
        )
    )
    # One time style: relative, the date and time in full in the title.
    completed = page.locator("#job-params time").nth(1)
    assert re.search(flow["date"], completed.get_attribute("title")), params
    assert not re.search(flow["date"], params[text["job.paramCompleted"]]), params
    assert re.fullmatch(flow["seconds"], params[text["job.paramElapsed"]]), params
    duration = page.evaluate(
        """async () => {
             const a = document.getElementById('audio');
             if (a.readyState < 1) {
               await new Promise(r => a.addEventListener('loadedmetadata', r, {once: true}));
             }
             return a.duration;
           }"""
    )
    assert duration > 2
    cues = page.evaluate(
        """async () => {
             const t = document.querySelector('#audio track');
             if (t.readyState !== 2) await new Promise(r => t.addEventListener('load', r));
             return Array.from(t.track.cues, c => c.text);
           }"""
    )
    # Word-timed cues carry a karaoke timestamp before each word: the words are the turn's.
    words = [re.sub(r"<[^>]*>", "", cue) for cue in cues]
    assert len(words) == 3 and flow["first"][:5] in words[0]
    screenshot(page, f"job-completed{flow['screenshot']}")

    with page.expect_download() as info:
        page.click("#download-audio")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert re.fullmatch(flow["file"], saved.name)
    samples, rate = sf.read(saved)
    assert abs(len(samples) / rate - duration) < 0.05
    assert job_id in page.url


def test_a_mandarin_dialogue_with_cast_voices_plays_and_downloads(page, stack, alice, tmp_path):
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    assert page.input_value("#provider") == "kokoro", "the best installed provider"
    first, second = (
        page.input_value("select[name=voice-0]"),
        page.input_value("select[name=voice-1]"),
    )
    assert first and second and first != second, "new speakers get voices of their own"
    groups = page.eval_on_selector_all(
        "select[name=voice-0] optgroup", "gs => gs.map(g => g.label)"
    )
    assert any("(zh-CN)" in g for g in groups) and any("(en-US)" in g for g in groups)
    assert "female" in page.inner_text("select[name=voice-0]")
    page.fill("input[name=title]", "早安對話")
    page.fill("input[name=speaker-0]", "媽媽")
    page.fill("input[name=speaker-1]", "爸爸")
    for i, gender in ((0, "female"), (1, "male")):
        page.select_option(f"select[name=voice-{i}]", "")
        page.select_option(f"select[name=language-{i}]", "zh-TW")
        page.select_option(f"select[name=gender-{i}]", gender)
    page.fill("textarea[name=turn-text-0]", "早安！今天我們去公園散步，好嗎？")
    page.select_option("select[name=turn-speaker-0]", "媽媽")
    page.fill("textarea[name=turn-text-1]", "好啊，下午三點出發。")
    page.select_option("select[name=turn-speaker-1]", "爸爸")
    screenshot(page, "compose-mandarin")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    page.click("#submitted-link")
    page.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    assert page.inner_text("#job-status") == "completed"
    playing = page.evaluate(
        """async () => {
             const a = document.getElementById('audio');
             await a.play();
             await new Promise(r => setTimeout(r, 300));
             return !a.paused && a.currentTime > 0;
           }"""
    )
    assert playing
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=alice.headers).json()
    cast = {s: a["voice"] for s, a in job["input"]["voice_assignments"].items()}
    assert cast["媽媽"].startswith("zf_") and cast["爸爸"].startswith("zm_"), cast
    with page.expect_download() as info:
        page.click("#download-audio")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    samples, rate = sf.read(saved)
    assert len(samples) / rate > 2


def test_a_voice_preview_is_fetched_once_and_is_no_job(page):
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("select[name=voice-0]", "zf_xiaoxiao")
    posted = []
    page.on(
        "request",
        lambda r: posted.append((r.url, r.post_data)) if r.method == "POST" else None,
    )
    page.click(".speaker:first-child button.preview")
    # A selector, not wait_for_function: the page's CSP refuses the eval that one needs.
    page.wait_for_selector("body[data-previewed='1']", state="attached", timeout=LONG)
    page.click(".speaker:first-child button.preview")
    page.wait_for_selector("body[data-previewed='2']", state="attached", timeout=LONG)
    previews = [json.loads(body) for url, body in posted if url.endswith("/voices/preview")]
    assert len(previews) == 1, "the second preview plays what the page already has"
    assert previews[0]["voice"] == "zf_xiaoxiao"
    assert not [url for url, _ in posted if "/jobs" in url], "a preview is no job"


def test_leaving_mid_synthesis_and_coming_back(page, browser, stack, alice):
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "piper")
    long_text = (
        "This turn is long enough that the job is still running when the tab is closed. " * 3
    )
    page.fill("textarea[name=turn-text-0]", long_text)
    page.fill("textarea[name=turn-text-1]", long_text)
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    page.context.close()  # the user closes the tab

    again = signed_in(browser.new_context(), alice.key).new_page()
    again.goto(f"{stack.gateway_url}/#/jobs")
    row = again.locator(f"tr[data-job='{job_id}']")
    row.wait_for(timeout=LONG)
    assert row.locator("td[data-status]").inner_text() in ("pending", "processing", "completed")
    screenshot(again, "jobs")
    row.locator("a").click()
    again.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    assert again.inner_text("#job-status") == "completed"
    again.context.close()


def test_cancelling_a_job_from_its_page(page, stack, alice):
    stack.stop_service("synthesis")  # the job stays pending until cancelled
    try:
        job = httpx.post(
            f"{stack.gateway_url}/api/v1/jobs/tts/multi-role",
            json=dialogue("espeak"),
            headers=alice.headers,
        ).json()
        page.goto(f"{page.base}/#/jobs/{job['id']}")
        page.wait_for_selector("#job-status[data-status=pending]")
        page.click("#cancel")
        page.wait_for_selector("#job-status[data-status=cancelled]")
        assert page.locator("#cancel").is_hidden()
        screenshot(page, "job-cancelled")
    finally:
        stack.start_service("synthesis")


def test_a_failed_job_shows_its_reason(page, stack, alice):
    body = dialogue("piper")
    body["turns"][1]["text"] = UNSAYABLE
    job = httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts/multi-role", json=body, headers=alice.headers
    ).json()
    page.goto(f"{page.base}/#/jobs/{job['id']}")
    page.wait_for_selector("#job-status[data-status=failed]", timeout=LONG)
    assert "turn 2 (Bob)" in page.inner_text("#job-error")
    screenshot(page, "job-failed")


def test_bad_input_shows_the_field_and_reason(page):
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.fill("textarea[name=turn-text-0]", "   ")
    page.click("#submit")
    page.wait_for_selector("#compose-error:not(:empty)")
    assert "turns[0].text" in page.inner_text("#compose-error")


def test_reads_on_a_phone_sized_screen(browser, stack, alice):
    phone = signed_in(
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True), alice.key
    ).new_page()
    phone.goto(f"{stack.gateway_url}/")
    phone.wait_for_selector("#speakers .speaker")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing forces sideways scrolling"
    screenshot(phone, "compose-phone")
    phone.context.close()


def test_the_page_is_served_with_its_assets(stack):
    with httpx.Client(base_url=stack.gateway_url) as client:
        index, script, style = (client.get(p) for p in ("/", "/assets/app.js", "/assets/app.css"))
    assert index.headers["content-type"].startswith("text/html")
    assert script.status_code == 200 and style.status_code == 200
    # The modules app.js imports and the dictionaries it fetches: same origin, so the CSP's
    # script-src and connect-src 'self' allow them.
    with httpx.Client(base_url=stack.gateway_url) as client:
        for module in ("i18n.js", "problems.js", "voices.js", "dom.js"):
            response = client.get(f"/assets/{module}")
            assert response.status_code == 200, module
            assert "javascript" in response.headers["content-type"], module
        for language in ("en", "zh-TW"):
            response = client.get(f"/assets/i18n/{language}.json")
            assert response.status_code == 200 and response.json()["nav.compose"]
    assert "connect-src 'self'" in index.headers["content-security-policy"]


NOTIFICATION_RECORDER = """
window.__notified = [];
window.Notification = class {
  static permission = "granted";
  static requestPermission() { return Promise.resolve("granted"); }
  constructor(title, options) {
    window.__notified.push({ title, body: options && options.body });
    // A mark in the DOM to wait for: the page's CSP refuses the eval that wait_for_function needs.
    const seen = document.body.dataset.notified || "";
    document.body.dataset.notified = `${seen} ${options && options.body}`;
  }
};
"""


def test_a_notification_when_my_job_completes(page, stack, alice):
    # Headless Chromium shows no notifications; record what the app asks the browser to show.
    page.add_init_script(NOTIFICATION_RECORDER)
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "espeak")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    page.wait_for_selector(f"body[data-notified~='{job_id}']", state="attached", timeout=LONG)
    assert page.evaluate("window.__notified")[0]["title"] == "ttsjobs: job completed"


def test_a_job_that_ends_before_its_submission_is_answered_still_notifies(page, stack, alice):
    """A quick job can end before the page has handled the answer to its POST; the ending
    that came first over the feed is kept until the page knows the job is its own."""
    page.add_init_script(NOTIFICATION_RECORDER)
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "espeak")

    def answer_late(route):
        # A slow network: the answer reaches the page only once the job has ended, and a
        # second after that, while the feed's message about the ending got there at once.
        response = route.fetch()
        job = f"{stack.gateway_url}/api/v1/jobs/{response.json()['id']}"
        deadline = time.monotonic() + 60
        while httpx.get(job, headers=alice.headers).json()["status"] != "completed":
            assert time.monotonic() < deadline, "the job did not complete"
            time.sleep(0.05)
        time.sleep(1.0)
        route.fulfill(response=response)

    page.route("**/api/v1/jobs/tts/multi-role", answer_late)
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])", timeout=LONG)
    job_id = page.inner_text("#submitted-id")
    page.wait_for_selector(f"body[data-notified~='{job_id}']", state="attached", timeout=LONG)
    assert page.evaluate("window.__notified")[0]["title"] == "ttsjobs: job completed"


def _bobs_job(stack, bob) -> str:
    return httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts/multi-role",
        json=dialogue("espeak", title="bob in the browser"),
        headers=bob.headers,
    ).json()["id"]


def test_the_link_ttsjobs_dev_prints_signs_the_browser_in(browser, stack, bob):
    job_id = _bobs_job(stack, bob)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{stack.gateway_url}/#key={bob.key}")
    page.wait_for_selector("#speakers .speaker")
    assert page.evaluate("localStorage.getItem('ttsjobs.apiKey')") == bob.key
    assert bob.key not in page.url, "the key leaves the address bar"
    page.goto(f"{stack.gateway_url}/#/jobs")
    page.wait_for_selector(f"tr[data-job='{job_id}']")
    assert page.locator("#key-form").is_hidden()
    context.close()


def test_a_link_with_another_key_asks_before_it_replaces_the_stored_one(browser, stack, alice, bob):
    context = signed_in(browser.new_context(), alice.key)
    page = context.new_page()
    stored = "localStorage.getItem('ttsjobs.apiKey')"
    page.goto(f"{stack.gateway_url}/#key={bob.key}")
    page.wait_for_selector("#key-swap:not([hidden])")
    assert page.evaluate(stored) == alice.key, "nothing is replaced before the person says so"
    assert bob.key not in page.content(), "only the key's id is shown, never its secret"
    page.click("#key-swap-keep")
    assert page.locator("#key-swap").is_hidden()
    assert page.evaluate(stored) == alice.key
    page.goto("about:blank")  # a link differing only in its fragment would not reload the app
    page.goto(f"{stack.gateway_url}/#key={bob.key}")
    page.wait_for_selector("#key-swap:not([hidden])")
    page.click("#key-swap-use")
    wait_until(page, f"() => {stored} === {json.dumps(bob.key)}")
    page.wait_for_selector("#key-swap", state="hidden")
    context.close()


def test_without_a_key_the_app_asks_for_one_and_takes_a_pasted_key(browser, stack, bob):
    job_id = _bobs_job(stack, bob)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{stack.gateway_url}/#/jobs")
    page.wait_for_selector("#key-form:not([hidden])")
    assert "API key" in page.inner_text("#key-reason")
    screenshot(page, "api-key")
    page.fill("#key-form input[name=key]", bob.key)
    page.click("#key-form button[type=submit]")
    page.wait_for_selector(f"tr[data-job='{job_id}']")
    assert page.locator("#key-form").is_hidden()
    context.close()


def test_a_long_text_job_runs_again_as_a_long_text(page, stack, alice):
    # 250 sentences: more turns than a dialogue may have, so "run again" must send the text.
    text = " ".join(f"Sentence number {i} of the browser text." for i in range(250))
    job = httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts",
        json={"text": text, "provider": "espeak", "voice": "en-us", "title": "Browser text"},
        headers=alice.headers,
    ).json()
    page.goto(f"{page.base}/#/jobs/{job['id']}")
    page.wait_for_selector("#job-status[data-status]")
    page.click("#rerun")
    wait_until(page, "id => !location.hash.includes(id)", job["id"])
    again_id = page.evaluate("location.hash").rsplit("/", 1)[-1]
    again = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{again_id}", headers=alice.headers).json()
    assert again["job_type"] == "single_tts" and again["single"]["text"] == text
    for job_id in (job["id"], again_id):  # not needed to the end: spare the shared cores
        httpx.delete(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=alice.headers)
