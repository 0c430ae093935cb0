"""The job page in English and Traditional Chinese: the caption line under the player follows
playback, the turn being spoken is highlighted and in the line the word being spoken, a click
on a turn seeks to it, the captions track carries the text's language; while a job runs, its
estimate (from before the first turn) and elapsed time tick, with no empty rows; and at 390 px
no control wraps onto a line alone."""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import messages, screenshot, signed_in, ui_language, wait_until
from tests.browser.layout import controls_alone
from tests.browser.slow_jobs import slow_piper_dialogue
from tests.support.jobs import dialogue

pytestmark = pytest.mark.e2e
LONG = 60_000

# Per browser language: a dialogue in the UI's language, read by espeak (quick), and the tag its
# captions track must carry.
DIALOGUES = {
    "en-US": {
        "turns": [
            ("Alice", "Good morning, Bob. Did you sleep well?"),
            ("Bob", "I did, thank you. The rain was soothing."),
            ("Alice", "Then let us go for a walk."),
        ],
        "voice": "en-us",
        "srclang": "en-US",
        "suffix": "",
    },
    "zh-TW": {
        "turns": [
            ("小美", "早安，阿明。昨晚睡得好嗎？"),
            ("阿明", "睡得很好，謝謝。雨聲讓人放鬆。"),
            ("小美", "那我們出去散步吧。"),
        ],
        "voice": "cmn",
        "srclang": "zh-Hant",
        "suffix": "-zh-TW",
    },
}


def _completed_job(stack, user, locale: str) -> dict:
    spoken = DIALOGUES[locale]
    body = dialogue("espeak", title=None)
    body["turns"] = [{"speaker": who, "text": text} for who, text in spoken["turns"]]
    speakers = dict.fromkeys(who for who, _ in spoken["turns"])
    body["voice_assignments"] = {who: {"voice": spoken["voice"]} for who in speakers}
    response = httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts/multi-role", json=body, headers=user.headers
    )
    assert response.status_code == 202, response.text
    return response.json()


CUES = """async () => {
  const t = document.querySelector('#audio track');
  if (t.readyState !== 2) await new Promise(r => t.addEventListener('load', r, {once: true}));
  return Array.from(t.track.cues, c => ({start: c.startTime, end: c.endTime}));
}"""

SHOWING = """n => document.getElementById('caption-line').dataset.turn === String(n)
  && document.querySelector('#job-turns li.current')?.dataset.turn === String(n)
  && document.querySelectorAll('#job-turns li.current').length === 1"""


@pytest.mark.parametrize("locale", list(DIALOGUES))
def test_the_caption_line_follows_playback_and_a_turn_click_seeks(page, stack, alice, locale):
    spoken = DIALOGUES[locale]
    job = _completed_job(stack, alice, locale)
    page.goto(f"{page.base}/#/jobs/{job['id']}")
    # The player shows while the job renders (its finished part); the captions come at the end.
    page.wait_for_selector("#audio track", state="attached", timeout=LONG)
    assert page.is_visible("#player")
    cues = page.evaluate(CUES)
    assert len(cues) == 3
    assert page.get_attribute("#audio track", "srclang") == spoken["srclang"]
    # The voices by their names in the UI's language, as the catalogue gives them, not by id.
    catalogue = httpx.get(f"{stack.gateway_url}/api/v1/voices", headers=alice.headers).json()
    espeak = next(p for p in catalogue["providers"] if p["provider"] == "espeak")
    voice = next(v for v in espeak["voices"] if v["id"] == spoken["voice"])
    params = page.inner_text("#job-params")
    assert voice["names"][ui_language(locale)] in params
    assert spoken["voice"] not in params
    assert page.get_attribute("#caption-line", "lang") is None, "no line before playback"

    # Playback, muted (autoplay allows it): the line and the highlight move from turn to turn.
    page.evaluate("() => { const a = document.getElementById('audio'); a.muted = true; a.play(); }")
    wait_until(page, SHOWING, 0, timeout_s=20)
    who, said = spoken["turns"][0]
    assert page.inner_text("#caption-line .who") == who
    assert page.inner_text("#caption-line .said") == said
    assert page.get_attribute("#caption-line", "lang") == spoken["srclang"]
    _the_word_spoken_is_highlighted(page)
    page.evaluate("() => document.getElementById('audio').play()")
    wait_until(page, SHOWING, 1, timeout_s=20)
    assert page.inner_text("#caption-line .said") == spoken["turns"][1][1]
    screenshot(page, f"job-page-caption{spoken['suffix']}")

    # A click on the last turn seeks to it: the audio jumps to its cue, line and highlight follow.
    page.click("#job-turns li[data-turn='2']")
    wait_until(page, SHOWING, 2, timeout_s=20)
    position = page.evaluate("document.getElementById('audio').currentTime")
    assert cues[2]["start"] - 0.01 <= position <= cues[2]["end"]
    assert page.inner_text("#caption-line .said") == spoken["turns"][2][1]

    # Back to the first turn, paused: a seek alone moves the line.
    page.evaluate("() => document.getElementById('audio').pause()")
    page.click("#job-turns li[data-turn='0']")
    wait_until(page, SHOWING, 0, timeout_s=20)


WORDS = """() => [...document.querySelectorAll('#caption-line .said .word')]
  .map(w => [w.textContent, Number(w.dataset.start)])"""
NOW = """w => document.querySelector('#caption-line .word.now')?.textContent === w
  && document.querySelectorAll('#caption-line .word.now').length === 1"""


def _the_word_spoken_is_highlighted(page) -> None:
    """Paused inside the first turn, a seek to a word's time highlights that word (espeak
    times words, so the line is split at its karaoke timestamps); playback resumes after."""
    page.evaluate("() => document.getElementById('audio').pause()")
    words = page.evaluate(WORDS)
    assert len(words) >= 3, words
    for text, start in (words[2], words[1]):
        page.evaluate(f"() => {{ document.getElementById('audio').currentTime = {start + 0.03}; }}")
        wait_until(page, NOW, text, timeout_s=10)


@pytest.mark.parametrize("locale", ["en-US", "zh-TW"])
def test_the_job_page_fits_a_phone_and_no_control_wraps_alone(browser, stack, alice, locale):
    job = _completed_job(stack, alice, locale)
    phone = signed_in(
        browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale=locale
        ),
        alice.key,
    ).new_page()
    phone.goto(f"{stack.gateway_url}/#/jobs/{job['id']}")
    phone.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    phone.evaluate(CUES)
    phone.evaluate("() => { document.getElementById('audio').currentTime = 0.05; }")
    wait_until(phone, SHOWING, 0, timeout_s=20)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert controls_alone(phone, "#job-actions, #job-downloads") == []
    # The language switch shares the header's first line with the name, not a line of its own.
    middles = phone.evaluate(
        """() => ['.brand', '#locale'].map(s => {
             const box = document.querySelector(s).getBoundingClientRect();
             return box.top + box.height / 2;
           })"""
    )
    assert abs(middles[0] - middles[1]) < 8, middles
    # The tick after a finished turn stays on its turn's last line.
    ticks = phone.evaluate(
        """() => [...document.querySelectorAll('#job-turns li')].map(li => {
             const text = li.querySelector('span:not(.who):not(.state)').getBoundingClientRect();
             const tick = li.querySelector('.state').getBoundingClientRect();
             return Math.abs(tick.bottom - text.bottom) < 4;
           })"""
    )
    assert ticks == [True, True, True]
    phone.click("#rename")
    assert controls_alone(phone, "#rename-form") == []
    screenshot(phone, f"job-page-phone{DIALOGUES[locale]['suffix']}")
    phone.context.close()


@pytest.mark.parametrize("locale", ["en-US", "zh-TW"])
def test_while_a_job_runs_its_estimate_and_elapsed_time_tick_with_no_empty_rows(
    page, stack, alice, locale
):
    text = messages(ui_language(locale))
    body = slow_piper_dialogue()
    job = httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts/multi-role", json=body, headers=alice.headers
    ).json()
    page.goto(f"{page.base}/#/jobs/{job['id']}")
    page.wait_for_selector("#job-status[data-status=processing]", timeout=LONG)
    wait_until(page, "() => document.getElementById('job-eta').textContent !== ''", timeout_s=10)
    assert page.locator("#job-turns li.done").count() == 0, "shown before any turn was done"
    eta, elapsed = page.inner_text("#job-eta"), page.inner_text("#job-elapsed")
    wait_until(page, "t => document.getElementById('job-eta').textContent !== t", eta)
    wait_until(page, "t => document.getElementById('job-elapsed').textContent !== t", elapsed)
    labels = page.locator("#job-params dt").all_inner_texts()
    assert text["job.paramCompleted"] not in labels and text["job.paramExpires"] not in labels
    assert all(value.strip() for value in page.locator("#job-params dd").all_inner_texts())

    page.click("#cancel")  # the rest is not needed: one turn's work, not two
    page.wait_for_selector("#job-status[data-status=cancelled]", timeout=LONG)
    assert page.inner_text("#job-eta") == ""
    labels = page.locator("#job-params dt").all_inner_texts()
    assert text["job.paramCompleted"] in labels and text["job.paramExpires"] in labels
    # Ended, the time stands at the server's: a fresh load of the page says the same.
    stopped = page.inner_text("#job-elapsed")
    page.reload()
    page.wait_for_selector("#job-status[data-status=cancelled]")
    assert page.inner_text("#job-elapsed") == stopped


@pytest.mark.parametrize("locale", ["zh-TW"])
def test_a_long_text_is_one_reader_with_no_names(page, stack, alice, locale):
    text = messages(ui_language(locale))
    body = {"text": "第一句話。第二句話很短。第三句。", "voice": "cmn", "provider": "espeak"}
    job = httpx.post(f"{stack.gateway_url}/api/v1/jobs/tts", json=body, headers=alice.headers)
    assert job.status_code == 202, job.text
    page.goto(f"{page.base}/#/jobs/{job.json()['id']}")
    page.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    assert page.inner_text("#job-dialogue") == text["job.text"]
    assert page.locator("#job-turns li").count() == 3
    assert page.locator("#job-turns .who").count() == 0, "no reader's name before each sentence"
    page.evaluate(CUES)
    page.click("#job-turns li[data-turn='1']")
    wait_until(page, SHOWING, 1, timeout_s=20)
    assert page.locator("#caption-line .who").count() == 0
    assert page.inner_text("#caption-line .said") == "第二句話很短。"
    assert page.get_attribute("#audio track", "srclang") == "zh-Hant"
