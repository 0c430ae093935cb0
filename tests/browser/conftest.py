"""Headless Chromium from Debian's package, driven by playwright; never a browser download."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ttsjobs_gateway.main import WEB

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
# Each run's screenshots go to test-artifacts/ (untracked); `make screenshots` points this at
# docs/screenshots/ to refresh the README's.
SCREENSHOTS = Path(
    os.environ.get("TTSJOBS_SCREENSHOTS") or ROOT / "test-artifacts" / "screenshots"
).resolve()
DICTIONARIES = WEB / "i18n"


def messages(ui: str) -> dict[str, str]:
    """The web app's dictionary for a UI language ("en", "zh-TW"), to assert what it shows."""
    return json.loads((DICTIONARIES / f"{ui}.json").read_text())


def ui_language(locale: str) -> str:
    """The UI language the app picks for a browser language: any Chinese reads zh-TW."""
    return "zh-TW" if locale.lower().startswith("zh") else "en"


@pytest.fixture(scope="module")
def browser(stack):
    # After the stack, and only for this module: sync playwright runs an event loop in this
    # thread while it is open, which the asyncio tests elsewhere must not find running.
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip("browser tests need Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def signed_in(context, key: str):
    """A browser context that already holds the key, as after following `ttsjobs dev`'s link."""
    context.add_init_script(
        f"localStorage.getItem('ttsjobs.apiKey') || localStorage.setItem('ttsjobs.apiKey', "
        f"{json.dumps(key)})"
    )
    return context


@pytest.fixture
def locale() -> str:
    """The browser's language (navigator.languages); a test parametrizes it to run in another."""
    return "en-US"


@pytest.fixture
def page(browser, stack, alice, locale):
    context = signed_in(
        browser.new_context(
            viewport={"width": 1100, "height": 900}, accept_downloads=True, locale=locale
        ),
        alice.key,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.base = stack.gateway_url  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"the page raised: {errors}"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def wait_until(page, expression: str, arg=None, *, timeout_s: float = 30.0) -> None:
    """Wait until a JS function of ``arg`` is truthy in the page.

    Not playwright's wait_for_function: that evaluates its predicate with eval inside the page,
    which the app's Content-Security-Policy refuses. ``page.evaluate`` runs through the devtools
    protocol, outside the policy.
    """
    import time

    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout_s} s: {expression} ({arg!r})")
        page.wait_for_timeout(50)
