"""The composer's rows at phone width (390 px) and on a desktop, in English and 繁體中文: no
button of a speaker or a turn wraps onto a line of its own (移除 stays beside 試聽; ↑ ↓ 刪除
stay together), and the page never scrolls sideways. Measured from the boxes the browser laid
out, not from the CSS."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, signed_in

pytestmark = pytest.mark.e2e

SCRIPT = {
    "en-US": "Host: Good morning, and welcome.\nGuest: Thank you.\nHost: Rain today?\n"
    "Guest: All week, so take an umbrella.\n",
    "zh-TW": "主持人：各位聽眾早安。\n來賓：早安，很高興來到這裡。\n主持人：今天會下雨嗎？\n"
    "來賓：這幾天都在下雨，出門記得帶傘。\n",
}
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1100, "height": 900}}

# Every button in a speaker's row or a turn that has no other control beside it: a box on its
# line (vertical ranges overlapping) that is not the button itself. Returned as row: text.
ALONE = """() => {
  const rows = [...document.querySelectorAll('#speakers .speaker, #turns .turn')];
  const alone = [];
  for (const row of rows) {
    const boxes = [...row.querySelectorAll('button, select, input, textarea')]
      .filter(n => n.checkVisibility() && !n.closest('.pronunciation'))
      .map(n => ({ n, r: n.getBoundingClientRect() }));
    for (const { n, r } of boxes) {
      if (n.tagName !== 'BUTTON') continue;
      const beside = boxes.some(o => o.n !== n && o.r.top < r.bottom - 2 && r.top < o.r.bottom - 2);
      if (!beside) alone.push(`${row.className}: ${n.textContent}`);
    }
  }
  return alone;
}"""

# The tops of each turn's ↑ ↓ 刪除 (and 發音), and of each speaker's 試聽 移除.
GROUP_TOPS = """() => [...document.querySelectorAll('.turn-actions, .speaker-actions')].map(
  g => [...new Set([...g.children].filter(c => c.checkVisibility())
    .map(c => Math.round(c.getBoundingClientRect().top)))].length)"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("locale", list(SCRIPT))
def test_no_control_of_the_composer_wraps_alone(browser, stack, alice, locale, width):
    context = signed_in(browser.new_context(locale=locale, viewport=WIDTHS[width]), alice.key)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{stack.gateway_url}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "kokoro")
    page.click("#script-box summary")
    page.fill("#script-text", SCRIPT[locale])
    page.click("#script-fill")
    page.wait_for_selector("select[name=turn-speaker-3]")
    page.wait_for_selector("#speakers output.cast:not([hidden])")
    assert page.evaluate(ALONE) == []
    tops = page.evaluate(GROUP_TOPS)
    assert len(tops) == 4 + 2 and set(tops) == {1}, tops
    # One speaker a named voice, the other cast with a wish: both kinds of row.
    named = page.eval_on_selector("select[name=voice-0]", "s => s.options[1].value")
    page.select_option("select[name=voice-0]", named)
    page.wait_for_selector("select[name=gender-0]", state="hidden")
    assert page.evaluate(ALONE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    suffix = "" if locale == "en-US" else "-zh-TW"
    screenshot(page, f"composer-{width}{suffix}")
    context.close()
    assert not errors, errors
