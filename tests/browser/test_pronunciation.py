"""The web app's pronunciation work in zh-TW, on the real servers: a turn's preview as ruby
(Bopomofo by default, pinyin on a switch) with Taiwan readings marked; a click on a word saves a
reading to a new lexicon and the preview reads it from there; the lexicons page lists, exports
(PLS and JSON), uploads, edits (refusing a stale save) and deletes; and a phone-width screen."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from tests.browser.conftest import messages, screenshot, signed_in, wait_until
from tests.browser.test_web_app_languages import ALWAYS, LATIN, english_left
from tests.conftest import User, create_user

pytestmark = pytest.mark.e2e
ZH = messages("zh-TW")
TEXT = "我每天騎YouBike去上班，垃圾要分類。"
PHONE = {"width": 390, "height": 844}
LONG_S = 60
# Latin the Chinese screens may show: the formats' and anchors' names, the alphabets', a size's
# unit, and the reading field's example (pinyin is Latin).
NAMES = ALWAYS | {"PLS", "JSON", "W3C", "Amazon", "Polly", "Azure", "ElevenLabs", "X-SAMPA"}
NAMES |= {"Kokoro", "espeak", "kB", "le4", "se4"}

# Each word of a turn's preview as the page shows it: its text, where its reading came from,
# both readings the answer gave, what the <rt>s say now, its title and whether it is marked.
WORDS = """i => [...document.querySelectorAll(`#turns li:nth-child(${i + 1}) .ruby-line .word`)]
  .map((w) => ({
    text: [...w.querySelector("ruby").childNodes].filter((n) => n.nodeType === 3)
      .map((n) => n.textContent).join(""),
    source: w.dataset.source, bopomofo: w.dataset.bopomofo, pinyin: w.dataset.pinyin,
    rt: [...w.querySelectorAll("rt")].map((r) => r.textContent).join(" "),
    title: w.title, marked: w.classList.contains("marked"),
  }))"""

# A lexicon as Amazon Polly's documentation writes one: an alias and an IPA phoneme.
POLLY_PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
      alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme>
  <lexeme><grapheme>tomato</grapheme><phoneme>təˈmɑːtoʊ</phoneme></lexeme>
</lexicon>
"""


@pytest.fixture(scope="module")
def writer(stack) -> User:
    """A user of this module's own: its lexicons count against no one else's cap of 20."""
    return create_user(stack, "pronunciation-browser")


def _allowed(stack, user) -> set[str]:
    """NAMES, and the catalogue's own (providers, voice ids and names, language tags)."""
    voices = _api(stack, user, "GET", "/voices").json()["providers"]
    names = {p["provider"] for p in voices} | {"zh-TW"}
    for voice in (v for p in voices for v in p["voices"]):
        names |= {voice["id"], voice["language"], *LATIN.findall(voice["name"])}
        names |= {part.upper() for part in voice["language"].split("-")}
    return NAMES | names


def _page(browser, stack, user, viewport=None, *, locale="zh-TW"):
    context = browser.new_context(
        locale=locale, viewport=viewport or {"width": 1100, "height": 900}, accept_downloads=True
    )
    page = signed_in(context, user.key).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.errors = errors  # type: ignore[attr-defined]
    page.base = stack.gateway_url  # type: ignore[attr-defined]
    return page


def _close(page) -> None:
    errors = page.errors
    page.context.close()
    assert not errors, f"the page raised: {errors}"


def _word(page, text: str, turn: int = 0) -> dict:
    words = page.evaluate(WORDS, turn)
    found = [w for w in words if w["text"] == text]
    assert found, f"{text} is not a word of the preview: {[w['text'] for w in words]}"
    return found[0]


def _compose_the_turn(page) -> None:
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "kokoro")
    page.select_option("select[name=voice-0]", "zf_xiaoxiao")
    page.select_option("select[name=turn-speaker-0]", page.input_value("input[name=speaker-0]"))
    page.fill("textarea[name=turn-text-0]", TEXT)


def _preview_ready(page, turn: int = 0) -> None:
    wait_until(
        page,
        "i => document.querySelector(`#turns li:nth-child(${i + 1}) .pronunciation`)"
        "?.dataset.state === 'ready'",
        turn,
        timeout_s=LONG_S,
    )


def _wait_for_source(page, source: str, *, present: bool = True) -> None:
    """Until a word of the first turn's preview has (or no word has) its reading from ``source``."""
    wait_until(
        page,
        "([s, present]) => [...document.querySelectorAll('#turns li:nth-child(1) .word')]"
        ".some((w) => w.dataset.source === s) === present",
        [source, present],
        timeout_s=LONG_S,
    )


def _api(stack, user, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(
        method, f"{stack.gateway_url}/api/v1{path}", headers=user.headers, timeout=30, **kwargs
    )


def test_the_preview_shows_taiwan_readings_and_a_click_saves_a_fix(
    browser, stack, writer, tmp_path
):
    lexicon = f"my-words-{uuid.uuid4().hex[:6]}"
    page = _page(browser, stack, writer)
    _compose_the_turn(page)
    page.click("#turns li:nth-child(1) .pron-toggle")
    _preview_ready(page)

    # 垃圾 in Taiwan's reading, from the Taiwan lexicon: marked, and its title says so.
    trash = _word(page, "垃圾")
    assert trash["bopomofo"] == "ㄌㄜˋ ㄙㄜˋ", trash
    assert trash["pinyin"] == "lè sè", trash
    assert trash["rt"] == "ㄌㄜˋ ㄙㄜˋ", "Bopomofo by default in zh-TW, one syllable a character"
    assert trash["source"] == "taiwan" and trash["marked"], trash
    assert trash["title"] == ZH["pron.sourceTaiwan"]
    han = len("我每天騎去上班垃圾要分類")
    assert page.locator("#turns li:nth-child(1) .ruby-line rt").count() >= han
    # The preview shows the user's own text: the words and what lies between them, as written.
    shown = page.evaluate(
        "() => [...document.querySelector('#turns li:nth-child(1) .ruby-line').childNodes]"
        ".map((n) => n.nodeType === 3 ? n.textContent : [...n.querySelectorAll('ruby')]"
        ".map((r) => [...r.childNodes].filter((c) => c.nodeType === 3)"
        ".map((c) => c.textContent).join('')).join('') || n.textContent).join('')"
    )
    assert shown == TEXT
    screenshot(page, "pronunciation-zh-TW")

    # The speaker's reading standard set to the mainland's: the preview reads 垃圾 lā jī.
    page.select_option("select[name=reading-0]", "mainland")
    wait_until(
        page,
        "() => [...document.querySelectorAll('#turns li:nth-child(1) .word')]"
        ".some((w) => w.dataset.pinyin === 'lā jī')",
        timeout_s=LONG_S,
    )
    page.select_option("select[name=reading-0]", "")
    _wait_for_source(page, "taiwan")

    # Pinyin on the switch, remembered; Bopomofo again.
    page.click("#turns li:nth-child(1) .pron-bar .alphabet")
    assert _word(page, "垃圾")["rt"] == "lè sè"
    page.click("#turns li:nth-child(1) .pron-bar .alphabet")
    assert _word(page, "垃圾")["rt"] == "ㄌㄜˋ ㄙㄜˋ"

    # Click 垃圾: its Taiwan and mainland readings to pick from; a pick fills the field.
    form = page.locator("#turns li:nth-child(1) form.fix")
    page.click("#turns li:nth-child(1) .ruby-line .word:has-text('垃')")
    form.wait_for(state="visible")
    choices = form.locator(".choices button")
    choices.nth(1).wait_for()
    assert [choices.nth(i).get_attribute("data-reading") for i in range(2)] == [
        "ㄌㄜˋ ㄙㄜˋ",
        "ㄌㄚ ㄐㄧ",
    ]
    assert ZH["pron.choiceMainland"] in choices.nth(1).inner_text()
    screenshot(page, "pronunciation-choices-zh-TW")
    choices.nth(1).click()
    assert form.locator("input[name=reading]").input_value() == "ㄌㄚ ㄐㄧ"
    assert form.locator("select[name=kind]").input_value() == "bopomofo"
    form.locator("input[name=reading]").press("Escape")
    form.wait_for(state="hidden")

    # Click 分類 (both standards read it alike: nothing to pick), type a reading in pinyin
    # with tone numbers, save it to a new lexicon.
    before = _word(page, "分類")
    assert before["source"] != f"lexicon:{lexicon}"
    page.click("#turns li:nth-child(1) .ruby-line .word:has-text('分')")
    page.wait_for_selector("#turns li:nth-child(1) form.fix[data-ready]")
    assert choices.count() == 0
    assert "分類" in form.locator(".fix-word").inner_text()
    assert form.locator("input[name=reading]").input_value() == before["bopomofo"]
    form.locator("input[name=reading]").fill("fen4 lei4")
    assert form.locator("select[name=kind]").input_value() == "pinyin", "told from what is typed"
    form.locator("input[name=lexicon]").fill(lexicon)
    screenshot(page, "pronunciation-fix-zh-TW")
    assert not english_left(page, _allowed(stack, writer))
    form.locator("button[type=submit]").click()

    _wait_for_source(page, f"lexicon:{lexicon}")
    fixed = _word(page, "分類")
    assert fixed["source"] == f"lexicon:{lexicon}" and fixed["marked"], fixed
    assert fixed["bopomofo"] == "ㄈㄣˋ ㄌㄟˋ" and fixed["pinyin"] == "fèn lèi", fixed
    assert fixed["title"] == ZH["pron.sourceLexicon"].replace("{name}", lexicon)
    assert form.is_hidden()
    # The job uses the new lexicon, first.
    chosen = page.locator(f"#lexicon-options input[value='{lexicon}']")
    assert chosen.is_checked()
    assert page.inner_text(f"#lexicon-options label:has(input[value='{lexicon}']) .rank") == "1"
    # Unticked, the preview reads without it; ticked again, with it.
    chosen.uncheck()
    _wait_for_source(page, f"lexicon:{lexicon}", present=False)
    assert _word(page, "分類")["bopomofo"] == before["bopomofo"]
    chosen.check()
    _wait_for_source(page, f"lexicon:{lexicon}")
    stored = _api(stack, writer, "GET", f"/lexicons/{lexicon}").json()
    assert stored["entries"] == [{"grapheme": "分類", "phoneme": "fen4 lei4", "alphabet": "pinyin"}]
    assert stored["language"] == "zh-TW", "Taiwan's readings: a zh-TW lexicon"

    # The job names it and keeps the entry it used; its page says which lexicons it used.
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    job = _api(stack, writer, "GET", f"/jobs/{page.inner_text('#submitted-id')}").json()
    assert job["input"]["lexicons"] == [lexicon]
    assert [e["grapheme"] for e in job["input"]["lexicon_entries"]] == ["分類"]
    page.click("#submitted-link")
    page.wait_for_selector("#job-params dt")
    params = dict(
        zip(
            page.locator("#job-params dt").all_inner_texts(),
            page.locator("#job-params dd").all_inner_texts(),
            strict=True,
        )
    )
    assert params[ZH["job.paramLexicons"]] == lexicon

    # The lexicons page lists it; both exports hold the entry.
    page.click("[data-nav=lexicons]")
    row = page.locator(f"#lexicon-rows tr[data-lexicon='{lexicon}']")
    row.wait_for()
    assert row.locator("td").nth(2).inner_text() == "1"
    with page.expect_download() as info:
        row.locator(".export-pls").click()
    pls = tmp_path / "export.pls"
    info.value.save_as(pls)
    assert info.value.suggested_filename == f"{lexicon}.pls"
    assert "<grapheme>分類</grapheme>" in pls.read_text() and "fen4 lei4" in pls.read_text()
    with page.expect_download() as info:
        row.locator(".export-json").click()
    exported = tmp_path / "export.json"
    info.value.save_as(exported)
    assert json.loads(exported.read_text())["entries"] == stored["entries"]
    screenshot(page, "lexicons-zh-TW")
    assert not english_left(page, _allowed(stack, writer))
    _close(page)


def test_the_lexicons_page_uploads_edits_refuses_a_stale_save_and_deletes(
    browser, stack, writer, tmp_path
):
    name = f"polly-{uuid.uuid4().hex[:6]}"
    upload = tmp_path / "Polly example.pls"
    upload.write_text(POLLY_PLS)
    page = _page(browser, stack, writer)
    page.goto(f"{page.base}/#/lexicons")
    page.wait_for_selector("#lexicon-upload")
    page.set_input_files("#lexicon-upload input[name=file]", str(upload))
    assert page.input_value("#lexicon-upload input[name=name]") == "Polly-example"
    page.fill("#lexicon-upload input[name=name]", name)
    page.click("#lexicon-upload button[type=submit]")

    # The upload opens in the editor, its entries in the table.
    page.wait_for_selector("#lexicon-editor:not([hidden]) #entry-rows tr")
    assert page.inner_text("#lexicon-name") == name
    rows = page.locator("#entry-rows tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("input[name=alias]").input_value() == "World Wide Web Consortium"
    assert rows.nth(1).locator("input[name=phoneme]").input_value() == "təˈmɑːtoʊ"

    # Change one, add one, remove one; save; the server has exactly that.
    rows.nth(0).locator("input[name=alias]").fill("W three C")
    page.click("#add-entry")
    new = page.locator("#entry-rows tr").nth(2)
    new.locator("input[name=grapheme]").fill("悠遊卡")
    new.locator("input[name=phoneme]").fill("ㄧㄡ ㄧㄡˊ ㄎㄚˇ")
    new.locator("select[name=entry-alphabet]").select_option("bopomofo")
    page.locator("#entry-rows tr").nth(1).locator("button").click()
    page.click("#lexicon-save")
    page.wait_for_selector("#lexicon-saved:not([hidden])")
    entries = _api(stack, writer, "GET", f"/lexicons/{name}").json()["entries"]
    assert entries == [
        {"grapheme": "W3C", "alias": "W three C"},
        {"grapheme": "悠遊卡", "phoneme": "ㄧㄡ ㄧㄡˊ ㄎㄚˇ", "alphabet": "bopomofo"},
    ]

    # Changed elsewhere after the page read it: the save is refused in Chinese, nothing lost.
    elsewhere = {"alphabet": "ipa", "entries": [{"grapheme": "CLI", "alias": "command line"}]}
    assert _api(stack, writer, "PUT", f"/lexicons/{name}", json=elsewhere).status_code == 200
    page.locator("#entry-rows tr").nth(0).locator("input[name=alias]").fill("W3C again")
    page.click("#lexicon-save")
    page.wait_for_selector("#lexicon-error strong")
    assert page.inner_text("#lexicon-error strong") == ZH["problem.lexicon-changed"]
    kept = _api(stack, writer, "GET", f"/lexicons/{name}").json()["entries"]
    assert kept == elsewhere["entries"]

    # A bad entry: the server's problem, under a Chinese heading, and nothing stored.
    page.reload()
    page.wait_for_selector("#lexicon-editor:not([hidden]) #entry-rows tr")
    page.locator("#entry-rows tr").nth(0).locator("input[name=alias]").fill("")
    page.click("#lexicon-save")
    page.wait_for_selector("#lexicon-error strong")
    assert page.inner_text("#lexicon-error strong") == ZH["problem.validation"]
    assert "entries[0]" in page.inner_text("#lexicon-error")
    assert _api(stack, writer, "GET", f"/lexicons/{name}").json()["entries"] == kept

    # Delete takes a second click, then the row and the lexicon are gone.
    page.goto(f"{page.base}/#/lexicons")
    row = page.locator(f"#lexicon-rows tr[data-lexicon='{name}']")
    row.wait_for()
    row.locator(".delete").click()
    assert row.locator(".delete").inner_text() == ZH["lexicons.deleteConfirm"]
    assert _api(stack, writer, "GET", f"/lexicons/{name}").status_code == 200
    row.locator(".delete").click()
    row.wait_for(state="detached")
    assert _api(stack, writer, "GET", f"/lexicons/{name}").status_code == 404
    _close(page)


@pytest.mark.parametrize("ui", ["zh-TW", "en"])
def test_at_phone_width_nothing_scrolls_sideways(browser, stack, writer, ui):
    name = f"phone-{uuid.uuid4().hex[:6]}"
    body = {"alphabet": "pinyin", "entries": [{"grapheme": "分類", "phoneme": "fen1 lei4"}]}
    assert _api(stack, writer, "PUT", f"/lexicons/{name}", json=body).status_code == 201
    page = _page(
        browser, stack, writer, viewport=PHONE, locale="zh-TW" if ui == "zh-TW" else "en-US"
    )
    _compose_the_turn(page)
    page.click("#turns li:nth-child(1) .pron-toggle")
    _preview_ready(page)
    page.click("#turns li:nth-child(1) .ruby-line .word:has-text('垃')")
    page.locator("#turns li:nth-child(1) form.fix").wait_for(state="visible")
    wide = "() => document.documentElement.scrollWidth"
    assert page.evaluate(wide) <= PHONE["width"]
    screenshot(page, f"pronunciation-phone-{ui}")
    page.goto(f"{page.base}/#/lexicons/{name}")
    page.wait_for_selector("#lexicon-editor:not([hidden]) #entry-rows tr")
    assert page.evaluate(wide) <= PHONE["width"]
    screenshot(page, f"lexicons-phone-{ui}")
    _close(page)
    _api(stack, writer, "DELETE", f"/lexicons/{name}")


def test_an_english_word_is_fixed_in_ipa(browser, stack, writer):
    """Not Mandarin: the preview shows IPA, and the editor starts from it, as IPA."""
    lexicon = f"english-{uuid.uuid4().hex[:6]}"
    page = _page(browser, stack, writer, locale="en-US")
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "kokoro")
    page.select_option("select[name=voice-0]", "af_heart")
    page.select_option("select[name=turn-speaker-0]", page.input_value("input[name=speaker-0]"))
    page.fill("textarea[name=turn-text-0]", "Our GIF library.")
    page.click("#turns li:nth-child(1) .pron-toggle")
    _preview_ready(page)
    gif = _word(page, "GIF")
    assert gif["source"] == "g2p" and gif["rt"], gif
    page.click("#turns li:nth-child(1) .ruby-line .word:has-text('GIF')")
    form = page.locator("#turns li:nth-child(1) form.fix")
    page.wait_for_selector("#turns li:nth-child(1) form.fix[data-ready]")
    assert form.locator("select[name=kind]").input_value() == "ipa"
    assert form.locator("input[name=reading]").input_value() == gif["rt"]
    assert form.locator(".choices button").count() == 0, "no reading standards outside Mandarin"
    form.locator("input[name=reading]").fill("dʒˈɪf")
    form.locator("input[name=lexicon]").fill(lexicon)
    form.locator("button[type=submit]").click()
    _wait_for_source(page, f"lexicon:{lexicon}")
    assert _word(page, "GIF")["rt"] == "dʒˈɪf"
    stored = _api(stack, writer, "GET", f"/lexicons/{lexicon}").json()
    assert stored["entries"] == [{"grapheme": "GIF", "phoneme": "dʒˈɪf", "alphabet": "ipa"}]
    _close(page)
    _api(stack, writer, "DELETE", f"/lexicons/{lexicon}")
