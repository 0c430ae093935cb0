"""The composer's other two ways in, in English and 繁體中文: a pasted script fills the turn
editor (read by the server's parser, errors named by line), and the long-text mode submits a
single_tts job that plays, and opens again in that mode from its page."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.browser.conftest import messages, screenshot, ui_language, wait_until

pytestmark = pytest.mark.e2e
LONG = 60_000

SCRIPTS = {
    "en-US": {
        "script": "# voice Narrator: en-us\r\nNarrator: It was a quiet morning.\r\n"
        "Carol: Good morning!\r\n  Is the kettle on?\r\n[pause 1s]\r\nNarrator: It was.\r\n",
        "turns": [
            ("Narrator", "It was a quiet morning.", None),
            ("Carol", "Good morning! Is the kettle on?", 1000),
            ("Narrator", "It was.", None),
        ],
        "voices": {"Narrator": "en-us"},
        "pause": "1.0 sec",
    },
    "zh-TW": {
        "script": "小明：早安，小華。\n小華：早！\n要喝咖啡嗎？\n[pause 1s]\n小明：好啊。\n",
        "turns": [
            ("小明", "早安，小華。", None),
            ("小華", "早！要喝咖啡嗎？", 1000),
            ("小明", "好啊。", None),
        ],
        "voices": {},
        "pause": "1.0 秒",
    },
}

TEXTS = {
    "en-US": ("en-us", "Dr. Lee arrived at 9.30 a.m. on the dot. The lecture began. "
              "It ran for an hour; nobody left early. Questions came after."),
    "zh-TW": ("cmn", "李醫師九點半準時到了。講座開始了！"
                     "一共講了一個小時；沒有人提早離開。最後是提問時間。"),
}  # fmt: skip


def _job(stack, user, job_id: str) -> dict:
    return httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=user.headers).json()


def _fill_script(page, script: str) -> None:
    page.click("#script-box summary")
    page.fill("#script-text", script)
    page.click("#script-fill")


@pytest.mark.parametrize("locale", list(SCRIPTS))
def test_a_pasted_script_fills_the_turns_and_runs(page, stack, alice, locale):
    case, text = SCRIPTS[locale], messages(ui_language(locale))
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "espeak")
    _fill_script(page, case["script"])
    page.wait_for_selector("select[name=turn-speaker-2]")
    assert page.locator("#script-box").get_attribute("open") is None, "closed once it is read"
    shown = [
        (page.input_value(f"[name=turn-speaker-{i}]"), page.input_value(f"[name=turn-text-{i}]"))
        for i in range(page.locator("#turns li").count())
    ]
    assert shown == [(who, said) for who, said, _ in case["turns"]]
    speakers = [page.input_value(f"input[name=speaker-{i}]") for i in range(2)]
    assert speakers == list(dict.fromkeys(who for who, _, _ in case["turns"]))
    assert page.locator("#speakers .speaker").count() == 2, "the sample's speakers are gone"
    pause = page.inner_text("#turns li:nth-child(2) .pause")
    assert pause == text["turn.pause"].format(duration=case["pause"])
    for i, name in enumerate(speakers):
        named = case["voices"].get(name, "")  # "" is the picker's "cast a voice for me"
        assert page.input_value(f"select[name=voice-{i}]") == named, name
    screenshot(page, f"compose-script{'' if locale == 'en-US' else '-zh-TW'}")

    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job = _job(stack, alice, page.inner_text("#submitted-id"))
    assert [
        (turn["speaker"], turn["text"], turn["pause_after_ms"]) for turn in job["input"]["turns"]
    ] == case["turns"]
    voices = {name: a["voice"] for name, a in job["input"]["voice_assignments"].items()}
    assert set(voices) == set(speakers) and all(voices.values()), "the rest were cast"
    for name, voice in case["voices"].items():
        assert voices[name] == voice
    if locale == "zh-TW":
        assert set(voices.values()) <= {"cmn", "cmn-latn-pinyin"}, "Mandarin cast for Han text"


@pytest.mark.parametrize("locale", list(SCRIPTS))
def test_a_bad_script_is_named_by_its_line_and_changes_nothing(page, locale):
    text = messages(ui_language(locale))
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    before = page.input_value("textarea[name=turn-text-0]")
    _fill_script(page, "Alice: One.\n\nTwo.\n")
    page.wait_for_selector("#script-error:not(:empty)")
    shown = page.inner_text("#script-error")
    assert shown.startswith(text["problem.validation"]), shown
    assert text["problem.scriptLine"].format(n=3) + "no speaker" in shown, shown
    assert page.input_value("textarea[name=turn-text-0]") == before
    assert page.locator("#script-box").get_attribute("open") is not None, "left open to mend"


@pytest.mark.parametrize("locale", list(TEXTS))
def test_a_long_text_is_composed_played_and_opened_again(page, stack, alice, locale, tmp_path):
    voice, words = TEXTS[locale]
    text = messages(ui_language(locale))
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    assert page.locator("#text-editor").is_hidden()
    page.check("input[name=mode][value=text]")
    assert page.locator("#dialogue-editor").is_hidden()
    assert page.inner_text("#compose-heading") == text["compose.headingText"]
    page.select_option("#provider", "espeak")
    page.select_option("select[name=voice-text]", voice)
    page.fill("input[name=title]", f"long text {locale}")
    page.fill("#long-text", words)
    assert page.inner_text("#text-count") == text["text.count"].format(n=len(words))
    screenshot(page, f"compose-long-text{'' if locale == 'en-US' else '-zh-TW'}")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job_id = page.inner_text("#submitted-id")
    job = _job(stack, alice, job_id)
    assert job["job_type"] == "single_tts"
    assert job["single"]["text"] == words and job["single"]["voice"] == voice
    assert job["progress"]["total"] == 5, "five sentences: 'Dr.' and '9.30 a.m.' end none"

    page.click("#submitted-link")
    page.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    assert page.inner_text("#job-status") == text["status.completed"]
    with page.expect_download() as info:
        page.click("#download-audio")
    assert re.search(rf"_long_text_{locale}\.wav$", info.value.suggested_filename)

    page.click("#edit")
    page.wait_for_selector("#text-editor:not([hidden])")
    assert page.is_checked("input[name=mode][value=text]")
    assert page.input_value("#long-text") == words
    assert page.input_value("select[name=voice-text]") == voice
    # The draft survives a change of language too.
    other = "en" if ui_language(locale) == "zh-TW" else "zh-TW"
    page.select_option("#locale", other)
    page.wait_for_selector(f"html[lang={other}]")
    wait_until(page, "t => document.getElementById('long-text')?.value === t", words)
    assert page.is_checked("input[name=mode][value=text]")


def test_a_dialogues_edit_keeps_each_turns_pause_chapter_delivery_and_markup(page, stack, alice):
    # What the editor shows or carries but does not edit rides along with its turn; a turn's
    # markup goes once its text is edited, as its places were in the old text.
    turns = [
        {"speaker": "A", "text": "One.", "pause_after_ms": 1500},
        {"speaker": "B", "text": "Part two, WWW.", "chapter": "Part two", "speed": 1.3,
         "spoken_as": [{"char_start": 10, "char_end": 13, "alias": "World Wide Web"}]},
        {"speaker": "A", "text": "Three.", "marks": [{"name": "end", "char_offset": 6}]},
    ]  # fmt: skip
    body = {"provider": "espeak", "title": "edit keeps", "turns": turns,
            "voice_assignments": {"A": {"voice": "en-us"}, "B": {"voice": "en-us"}}}  # fmt: skip
    sent = httpx.post(f"{stack.gateway_url}/api/v1/jobs/tts/multi-role", json=body,
                      headers=alice.headers)  # fmt: skip
    assert sent.status_code == 202, sent.text
    page.goto(f"{page.base}/#/jobs/{sent.json()['id']}")
    page.click("#edit")
    page.wait_for_selector("textarea[name=turn-text-2]")
    page.fill("textarea[name=turn-text-1]", "Part two, again.")
    page.fill("input[name=title]", "edited")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    again = _job(stack, alice, page.inner_text("#submitted-id"))
    second = {k: v for k, v in turns[1].items() if k != "spoken_as"} | {"text": "Part two, again."}
    given = [{k: v for k, v in turn.items() if v is not None} for turn in again["input"]["turns"]]
    assert given == [turns[0], second, turns[2]]
    assert again["title"] == "edited"
