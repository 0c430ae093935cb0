"""The web app's submit rides through a lost answer: a POST that fails in the network, then one
answered 503, is sent again with the same Idempotency-Key, the form stays pending meanwhile,
and one job is made. The failures are staged by the browser's own request routing; the third
try goes to the live gateway."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_a_submit_is_sent_again_with_its_key_until_it_is_answered(page):
    keys: list[str | None] = []
    busy: list[bool] = []

    def staged(route):
        keys.append(route.request.headers.get("idempotency-key"))
        busy.append(page.evaluate("document.getElementById('submit').disabled"))
        if len(keys) == 1:
            route.abort("connectionreset")  # no answer at all: fetch fails
        elif len(keys) == 2:
            route.fulfill(status=503, headers={"Retry-After": "0"}, body="")
        else:
            route.continue_()

    page.route("**/api/v1/jobs/tts/multi-role", staged)
    page.goto(f"{page.base}/")
    page.wait_for_selector("#speakers .speaker")
    page.select_option("#provider", "espeak")
    page.click("#submit")
    page.wait_for_selector("#submitted:not([hidden])")

    assert len(keys) == 3 and keys[0] and len(set(keys)) == 1, keys
    assert all(busy), "the button stayed pending through the retries"
    assert page.inner_text("#compose-error") == ""
    assert not page.evaluate("document.getElementById('submit').disabled")
    job = page.evaluate(
        "async ([id, key]) => (await fetch(`/api/v1/jobs/${id}`, "
        "{headers: {Authorization: `Bearer ${key}`}})).status",
        [page.inner_text("#submitted-id"), page.evaluate("localStorage.getItem('ttsjobs.apiKey')")],
    )
    assert job == 200
