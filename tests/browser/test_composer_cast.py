"""The composer before anything is rendered, in English and 繁體中文: a pasted script shows the
voice each role will get (from POST /api/v1/casting, named as the UI's language names it, and
what the job then uses), 試聽 plays it without making a job, and a long text shows its audio
length before it is sent."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.browser.conftest import messages, screenshot, ui_language, wait_until

pytestmark = pytest.mark.e2e
LONG = 60_000

SCRIPTS = {
    "en-US": "# Morning show\nHost: Good morning, and welcome to the show.\n"
    "Guest: Thank you, it is good to be here.\nHost: Let us talk about the weather.\n"
    "Guest: It has rained all week, so take an umbrella.\n",
    "zh-TW": "# 晨間節目\n主持人：各位聽眾早安，歡迎收聽晨間節目。\n來賓：早安，很高興來到這裡。\n"
    "主持人：今天我們來聊聊臺北的天氣。\n來賓：這幾天都在下雨，出門記得帶傘。\n",
}
TITLES = {"en-US": "Morning show", "zh-TW": "晨間節目"}
SPEAKERS = {"en-US": ["Host", "Guest"], "zh-TW": ["主持人", "來賓"]}
CAST_SHOWN = "n => document.querySelectorAll('#speakers output.cast:not([hidden])').length === n"


@pytest.fixture(scope="module")
def kokoro(stack, alice) -> dict[str, dict]:
    """Kokoro's voices by id, as the catalogue gives them (display names, accents)."""
    answer = httpx.get(f"{stack.gateway_url}/api/v1/voices", headers=alice.headers).json()
    (provider,) = [p for p in answer["providers"] if p["provider"] == "kokoro"]
    return {voice["id"]: voice for voice in provider["voices"]}


def _jobs(stack, user) -> list[str]:
    answer = httpx.get(f"{stack.gateway_url}/api/v1/jobs?limit=100", headers=user.headers)
    return [job["id"] for job in answer.json()["items"]]


def _paste(page, locale: str) -> None:
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "kokoro")
    page.click("#script-box summary")
    page.fill("#script-text", SCRIPTS[locale])
    page.click("#script-fill")
    page.wait_for_selector("select[name=turn-speaker-3]")
    wait_until(page, CAST_SHOWN, len(SPEAKERS[locale]), timeout_s=30)


def _named(voice: dict, ui: str, text: dict[str, str]) -> str:
    """A voice as the picker names it: 曉曉・女聲."""
    gender = text[f"gender.{voice['gender']}"]
    return text["voice.option"].format(name=voice["names"][ui], gender=gender)


def _estimate_shown(page, estimates: list[int], *, above: int = 0) -> int:
    """Until the page shows the latest /casting/tts answer's estimate, above ``above``."""
    deadline = time.monotonic() + 30
    while True:
        shown = page.get_attribute("#cast-estimate", "data-ms")
        if estimates and estimates[-1] > above and shown == str(estimates[-1]):
            return estimates[-1]
        assert time.monotonic() < deadline, (shown, estimates)
        page.wait_for_timeout(50)


def _shown(page) -> dict[str, tuple[str, str]]:
    """Each speaker's cast line: the voice id it names and its text."""
    return page.eval_on_selector_all(
        "#speakers .speaker",
        """rows => Object.fromEntries(rows.map(r => { const o = r.querySelector('output.cast');
             return [r.dataset.speaker, [o.dataset.voice, o.textContent]]; }))""",
    )


@pytest.mark.parametrize("locale", list(SCRIPTS))
def test_a_pasted_script_shows_the_cast_that_the_job_then_uses(page, stack, alice, kokoro, locale):
    ui = ui_language(locale)
    text = messages(ui)
    casting: list[dict] = []
    page.on(
        "response",
        lambda r: casting.append(r.json()) if r.url.endswith("/api/v1/casting") and r.ok else None,
    )
    _paste(page, locale)
    shown = _shown(page)
    assert list(shown) == SPEAKERS[locale]
    assert page.input_value("input[name=title]") == TITLES[locale], "the script's # line"
    answered = {name: a["voice"] for name, a in casting[-1]["voice_assignments"].items()}
    assert {name: voice for name, (voice, _) in shown.items()} == answered
    assert len(set(answered.values())) == 2, "two voices, told apart"
    for voice, line in shown.values():
        info = kokoro[voice]
        # The name in the UI's language (曉曉, not zf_xiaoxiao) and the accent said honestly.
        assert line.startswith(text["speaker.castAs"].split("{")[0]), line
        assert info["names"][ui] in line and info["accent"][ui] in line, (line, info)
        assert voice not in line, "a display name, not the raw id"
    # A reading standard is offered for the Mandarin voices only.
    assert page.is_visible("select[name=reading-0]") == (ui == "zh-TW")
    if ui == "zh-TW":
        assert all(v.startswith(("zf_", "zm_")) for v in answered.values()), answered
        assert kokoro[answered["主持人"]]["accent"]["zh-TW"] == "普通話（中國大陸口音）"
        screenshot(page, "composer-cast-zh-TW")
    else:
        screenshot(page, "composer-cast")

    # A wish for 中文（台灣）: the server's note about it, in the UI's language.
    page.select_option("select[name=language-0]", "zh-TW")
    page.wait_for_selector("#cast-warnings li")
    cast = page.get_attribute("output[name=cast-0]", "data-voice")
    note = text["compose.castTaiwanNote"].format(
        speaker=SPEAKERS[locale][0], voice=_named(kokoro[cast], ui, text)
    )
    assert page.inner_text("#cast-warnings li") == note

    # A changed wish asks again: the first speaker's gender turned, the cast follows.
    first = SPEAKERS[locale][0]
    other = "male" if kokoro[answered[first]]["gender"] == "female" else "female"
    page.select_option("select[name=gender-0]", other)
    wait_until(
        page,
        "([g, ids]) => { const v = document.querySelector('output[name=cast-0]').dataset.voice;"
        " return v && ids.includes(v); }",
        [other, [i for i, v in kokoro.items() if v["gender"] == other]],
    )
    shown = _shown(page)

    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=alice.headers).json()
    used = {name: a["voice"] for name, a in job["input"]["voice_assignments"].items()}
    assert used == {name: voice for name, (voice, _) in shown.items()}, "what was shown is used"


@pytest.mark.parametrize("locale", list(SCRIPTS))
def test_a_preview_plays_the_cast_voice_and_is_no_job(page, stack, alice, locale):
    _paste(page, locale)
    before = _jobs(stack, alice)
    asked: list[dict] = []
    page.on(
        "request",
        lambda r: asked.append(json.loads(r.post_data)) if "/voices/preview" in r.url else None,
    )
    answers: list[tuple[str, str]] = []
    page.on(
        "response",
        lambda r: (
            answers.append((r.url, r.headers.get("content-type", "")))
            if "/voices/preview" in r.url
            else None
        ),
    )
    voice = page.get_attribute("output[name=cast-1]", "data-voice")
    page.click("#speakers .speaker:nth-child(2) button.preview")
    page.wait_for_selector("body[data-previewed='1']", state="attached", timeout=LONG)
    page.click("#speakers .speaker:nth-child(2) button.preview")
    page.wait_for_selector("body[data-previewed='2']", state="attached", timeout=LONG)
    previews = asked
    assert len(previews) == 1, f"the second 試聽 plays what the page has: {asked}"
    assert previews[0]["voice"] == voice and previews[0]["provider"] == "kokoro"
    if locale == "zh-TW":
        assert previews[0]["reading"] == "taiwan", "Traditional text: read the Taiwan way"
    assert answers and answers[0][1].startswith("audio/wav"), answers
    assert page.inner_text("#compose-error") == ""
    assert _jobs(stack, alice) == before, "a preview is never a job, nor in the history"


@pytest.mark.parametrize("locale", list(SCRIPTS))
def test_a_long_text_shows_its_audio_length_before_it_is_sent(page, locale):
    text = messages(ui_language(locale))
    estimates: list[int] = []
    page.on(
        "response",
        lambda r: (
            estimates.append(r.json()["estimated_audio_ms"])
            if r.url.endswith("/api/v1/casting/tts") and r.ok
            else None
        ),
    )
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.check("input[name=mode][value=text]")
    assert page.inner_text("#text-editor h2") == text["text.reader"]
    assert page.inner_text("label.long-text > span") == text["text.label"]
    lead = text["compose.estimate"].split("{")[0]
    line = "".join(SCRIPTS[locale].splitlines()[1:3])
    page.fill("#long-text", line)
    short = _estimate_shown(page, estimates)
    assert page.inner_text("#cast-estimate").startswith(lead)
    page.fill("#long-text", line * 6)
    assert _estimate_shown(page, estimates, above=short) > 3 * short, estimates
    assert page.locator("output[name=cast-text]").is_visible() is False, "a named voice"
