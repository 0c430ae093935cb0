"""The web app in English and Traditional Chinese: the browser's language picks one, the header
switches and remembers it; the zh-TW screens show no English the UI itself wrote; and at phone
width the Chinese layout never scrolls sideways."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import messages, screenshot, signed_in
from tests.conftest import create_user
from tests.support.jobs import UNSAYABLE, dialogue

pytestmark = pytest.mark.e2e
LONG = 60_000
ZH = messages("zh-TW")
EN = messages("en")
PHONE = {"width": 375, "height": 812}

# The visible text of the page, each attribute a person can read (placeholder, title,
# aria-label, an optgroup's label) and every option of a visible select. Text people typed and
# the server's own words are marked data-verbatim by the app, and ids are in <code>: skipped.
VISIBLE_TEXT = """() => {
  const texts = [document.title];
  const skipped = (node) => node.closest("[data-verbatim], code, script, style, template");
  const visible = (node) => node.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!n.textContent.trim() || parent.closest("select") || skipped(parent)) continue;
    if (visible(parent)) texts.push(n.textContent.trim());
  }
  for (const node of document.querySelectorAll("[placeholder], [title], [aria-label], optgroup")) {
    if (skipped(node) || !visible(node.closest("select") || node)) continue;
    for (const name of ["placeholder", "title", "aria-label", "label"]) {
      if (node.hasAttribute(name)) texts.push(node.getAttribute(name));
    }
  }
  for (const select of document.querySelectorAll("select")) {
    if (!visible(select)) continue;
    for (const option of select.options) {
      if (!skipped(option)) texts.push(option.textContent.trim());
    }
  }
  return texts;
}"""

LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Names that stay as they are in any language: formats, protocols, the product, the key's
# prefix, and the language switch's own name for English.
ALWAYS = {"API", "WAV", "FLAC", "MP3", "OGG", "Opus", "VTT", "SRT", "HTTP", "ID"}
ALWAYS |= {"ttsjobs", "tj_", "English"}
# Units, standards and a format written the same way in Taiwan (kb/s reads as "kb" and "s"),
# and "Podcast", which Taiwan writes in Latin letters (播客 is the mainland's word).
ALWAYS |= {"M4A", "LUFS", "LU", "dBTP", "ACX", "kb", "s", "Podcast"}


@pytest.fixture(scope="module")
def catalogue_names(stack, alice) -> set[str]:
    """Provider names, voice ids and names, and language tags: shown as the catalogue has them."""
    voices = httpx.get(f"{stack.gateway_url}/api/v1/voices", headers=alice.headers).json()
    names = set()
    for provider in voices["providers"]:
        names.add(provider["provider"])
        for voice in provider["voices"]:
            names |= {voice["id"], voice["language"], *LATIN.findall(voice["name"])}
            # A subtag Intl.DisplayNames cannot name it shows upper-cased: 英文（英國，SCOTLAND）.
            names |= {part.upper() for part in voice["language"].split("-")}
    return names | {"zh-TW"}


def english_left(page, allowed: set[str]) -> list[str]:
    """Each run of Latin letters on the page that is not an allowed name, with its text."""
    texts = page.evaluate(VISIBLE_TEXT)
    return sorted(
        {f"{word!r} in {text!r}" for text in texts for word in LATIN.findall(text)
         if word not in allowed}
    )  # fmt: skip


def optgroups(page) -> list[str]:
    return page.eval_on_selector_all("select[name=voice-0] optgroup", "gs => gs.map(g => g.label)")


@pytest.fixture(scope="module")
def finished_jobs(stack, alice) -> dict[str, str]:
    """One job that completes and one that fails (piper speaks nothing for UNSAYABLE), for
    alice."""
    failing = dialogue("piper")
    failing["turns"][1]["text"] = UNSAYABLE
    submit = f"{stack.gateway_url}/api/v1/jobs/tts/multi-role"
    return {
        status: httpx.post(submit, json=body, headers=alice.headers).json()["id"]
        for status, body in (("completed", dialogue("espeak")), ("failed", failing))
    }


@pytest.fixture(scope="module")
def newcomer(stack):
    """A user with no jobs yet: the jobs page's empty state."""
    return create_user(stack, "newcomer-i18n")


def zh_page(browser, stack, key: str, viewport=None, **options):
    context = browser.new_context(
        locale="zh-TW", viewport=viewport or {"width": 1100, "height": 900}, **options
    )
    page = signed_in(context, key).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.errors = errors  # type: ignore[attr-defined]
    page.base = stack.gateway_url  # type: ignore[attr-defined]
    return page


# ---------- which language ----------


@pytest.mark.parametrize(
    ("browser_language", "ui"),
    [("zh-TW", "zh-TW"), ("zh-HK", "zh-TW"), ("zh-CN", "zh-TW"), ("en-GB", "en"), ("fr-FR", "en")],
)
def test_the_browser_language_picks_the_ui_language(browser, stack, alice, browser_language, ui):
    context = signed_in(browser.new_context(locale=browser_language), alice.key)
    page = context.new_page()
    page.goto(f"{stack.gateway_url}/")
    page.wait_for_selector("#speakers .speaker")
    assert page.get_attribute("html", "lang") == ui
    assert page.inner_text("[data-nav=compose]") == messages(ui)["nav.compose"]
    assert page.input_value("#locale") == ui
    context.close()


def test_the_header_switch_changes_the_language_keeps_the_draft_and_is_remembered(
    browser, stack, alice
):
    page = zh_page(browser, stack, alice.key)
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    assert page.input_value("input[name=speaker-0]") == ZH["compose.firstSpeaker"]
    assert page.input_value("textarea[name=turn-text-1]") == ZH["compose.secondLine"]
    # Voice languages are named in the UI's language, the accent said as it is, Chinese first.
    groups = optgroups(page)
    assert "普通話（中國大陸口音）（zh-CN）" in groups and "美式英語（en-US）" in groups, groups
    assert groups[0].startswith("普通話"), groups
    page.fill("input[name=title]", "散步")
    page.fill("textarea[name=turn-text-0]", "今天去哪裡？")

    page.select_option("#locale", "en")
    page.wait_for_selector("html[lang=en]")
    expect(page.locator("#submit")).to_have_text(EN["compose.generate"])
    assert page.inner_text("[data-nav=jobs]") == EN["nav.jobs"]
    assert page.input_value("input[name=title]") == "散步", "the draft survives the switch"
    assert page.input_value("textarea[name=turn-text-0]") == "今天去哪裡？"
    assert page.input_value("input[name=speaker-0]") == ZH["compose.firstSpeaker"]
    groups = optgroups(page)
    assert "Mandarin (Mainland China accent) (zh-CN)" in groups, groups
    assert groups[0] == "American English (en-US)", groups

    page.reload()
    page.wait_for_selector("#speakers .speaker")
    assert page.get_attribute("html", "lang") == "en", "the choice outlives the page"
    assert page.inner_text("#submit") == EN["compose.generate"]
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()


# ---------- no English left in zh-TW ----------

NOTIFICATION_RECORDER = """
window.__notified = [];
window.Notification = class {
  static permission = "granted";
  static requestPermission() { return Promise.resolve("granted"); }
  constructor(title, options) {
    window.__notified.push(title);
    document.body.dataset.notified = `${document.body.dataset.notified || ""} ${options.body}`;
  }
};
"""


def test_no_english_is_left_in_the_chinese_ui(
    browser, stack, alice, bob, newcomer, finished_jobs, catalogue_names
):
    allowed = ALWAYS | catalogue_names
    page = zh_page(browser, stack, alice.key)
    page.add_init_script(NOTIFICATION_RECORDER)
    seen: dict[str, list[str]] = {}

    def check(screen: str, on=page) -> None:
        seen[screen] = english_left(on, allowed)

    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("select[name=voice-0]", "")  # the cast-a-voice wish: language, gender
    page.wait_for_selector("select[name=gender-0]")
    check("compose")
    page.click("#script-box summary")
    page.fill("#script-text", "小美：你好。\n\n還在嗎？")
    page.click("#script-fill")
    page.wait_for_selector("#script-error:not(:empty)")
    check("compose, a script refused")
    page.check("input[name=mode][value=text]")
    page.select_option("select[name=voice-text]", "")
    page.wait_for_selector("select[name=gender-text]")
    check("compose, long text")
    page.check("input[name=mode][value=dialogue]")
    page.fill("textarea[name=turn-text-0]", "   ")
    page.click("#submit")
    page.wait_for_selector("#compose-error:not(:empty)")
    assert page.inner_text("#compose-error").startswith(ZH["problem.validation"])
    assert "turns[0].text" in page.inner_text("#compose-error"), "the field, as the API names it"
    check("compose, refused")
    page.select_option("#provider", "espeak")
    page.fill("textarea[name=turn-text-0]", "早安。")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    check("compose, submitted")
    submitted = page.inner_text("#submitted-id")
    page.wait_for_selector(f"body[data-notified~='{submitted}']", state="attached", timeout=LONG)
    assert page.evaluate("window.__notified")[0] in (ZH["notify.completed"], ZH["notify.failed"])

    page.goto(f"{page.base}/#/jobs")
    page.wait_for_selector(f"tr[data-job='{finished_jobs['completed']}']")
    check("jobs")
    screenshot(page, "jobs-zh-TW")

    page.goto(f"{page.base}/#/jobs/{finished_jobs['completed']}")
    page.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    assert page.inner_text("#job-status") == ZH["status.completed"]
    check("completed job")

    page.goto(f"{page.base}/#/jobs/{finished_jobs['failed']}")
    page.wait_for_selector("#job-status[data-status=failed]", timeout=LONG)
    assert page.inner_text("#job-status") == ZH["status.failed"]
    assert page.inner_text("#job-error").startswith(ZH["job.failedReason"])
    check("failed job")
    screenshot(page, "job-failed-zh-TW")

    page.goto(f"{page.base}/#/jobs/00000000-0000-4000-8000-000000000000")
    page.wait_for_selector("#view .error")
    assert page.inner_text("#view .error").startswith(ZH["problem.job-not-found"])
    check("no such job")
    page.click("#change-key")  # last: the form stays open above every page after it
    page.wait_for_selector("#key-form:not([hidden])")
    assert page.inner_text("#key-reason") == ZH["key.reasonChange"]
    check("API key form")

    # A link differing only in its fragment would not reload the app; another page first.
    page.goto(f"{page.base}/assets/app.css")
    page.goto(f"{page.base}/#key={bob.key}")
    page.wait_for_selector("#key-swap:not([hidden])")
    check("another key's link")
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()

    empty = zh_page(browser, stack, newcomer.key)
    empty.goto(f"{empty.base}/#/jobs")
    empty.wait_for_selector("#jobs-empty:not([hidden])")
    assert empty.inner_text("#jobs-empty") == ZH["jobs.empty"]
    check("no jobs yet", on=empty)
    empty.context.close()

    assert seen and not any(seen.values()), {k: v for k, v in seen.items() if v}


def test_the_english_check_finds_english(browser, stack, alice, catalogue_names):
    # The same walk over the English UI must find plenty: the check above can fail.
    context = signed_in(browser.new_context(locale="en-US"), alice.key)
    page = context.new_page()
    page.goto(f"{stack.gateway_url}/")
    page.wait_for_selector("#speakers .speaker")
    left = english_left(page, ALWAYS | catalogue_names)
    assert any("'Generate'" in finding for finding in left), left
    context.close()


# ---------- phone width ----------


def test_the_chinese_ui_fits_a_phone_screen(browser, stack, alice, bob, finished_jobs):
    page = zh_page(browser, stack, alice.key, viewport=PHONE, is_mobile=True, has_touch=True)
    widths: dict[str, int] = {}

    def measure(screen: str) -> None:
        widths[screen] = page.evaluate("document.documentElement.scrollWidth")

    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    measure("compose")
    screenshot(page, "compose-phone-zh-TW")
    page.select_option("select[name=voice-0]", "")
    page.wait_for_selector("select[name=gender-0]")
    measure("compose, cast-a-voice wish")
    page.click("#script-box summary")
    measure("compose, paste a script")
    page.check("input[name=mode][value=text]")
    page.select_option("select[name=voice-text]", "")
    page.wait_for_selector("select[name=gender-text]")
    measure("compose, long text")
    screenshot(page, "compose-long-text-phone-zh-TW")
    page.check("input[name=mode][value=dialogue]")
    page.select_option("#provider", "espeak")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")
    measure("compose, submitted")
    page.click("#change-key")
    page.wait_for_selector("#key-form:not([hidden])")
    measure("API key form")
    page.goto(f"{page.base}/#/jobs")
    page.wait_for_selector(f"tr[data-job='{finished_jobs['completed']}']")
    measure("jobs")
    page.goto(f"{page.base}/#/jobs/{finished_jobs['completed']}")
    page.wait_for_selector("#player[data-audio=final]", timeout=LONG)
    measure("completed job")
    screenshot(page, "job-completed-phone-zh-TW")
    page.goto(f"{page.base}/#/jobs/{finished_jobs['failed']}")
    page.wait_for_selector("#job-status[data-status=failed]", timeout=LONG)
    measure("failed job")
    page.goto(f"{page.base}/assets/app.css")
    page.goto(f"{page.base}/#key={bob.key}")
    page.wait_for_selector("#key-swap:not([hidden])")
    measure("another key's link")
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()
    assert len(widths) == 10
    assert all(w <= PHONE["width"] for w in widths.values()), widths


@pytest.mark.parametrize("ui", ["zh-TW", "en"])
def test_without_a_key_the_page_says_where_the_key_is_in_the_ui_language(
    browser, stack, catalogue_names, ui
):
    context = browser.new_context(locale=ui)
    page = context.new_page()
    page.goto(f"{stack.gateway_url}/")
    page.wait_for_selector("#key-form:not([hidden])")
    text = messages(ui)
    assert page.inner_text("#key-reason") == text["key.reasonMissing"]
    # The link `ttsjobs dev` printed, and the key file beside it; no operator's command.
    codes = page.eval_on_selector_all("#key-form .hint code", "cs => cs.map(c => c.textContent)")
    assert codes == ["ttsjobs dev", ".ttsjobs-data/local-api-key"], codes
    assert page.inner_text("#view") == "", "no English server message under the form"
    if ui == "zh-TW":
        assert english_left(page, ALWAYS | catalogue_names) == []
        screenshot(page, "no-key-zh-TW")
    context.close()
