"""The web app's history: the jobs page searches (on the server), a job's page renames it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.browser.conftest import messages, screenshot, wait_until
from tests.conftest import eventually_sync
from tests.support.jobs import dialogue

pytestmark = pytest.mark.e2e
LONG = 60_000


def _submit(stack, user, body) -> dict:
    response = httpx.post(
        f"{stack.gateway_url}/api/v1/jobs/tts/multi-role", json=body, headers=user.headers
    )
    assert response.status_code == 202, response.text
    return response.json()


def _shown_jobs(page) -> list[str]:
    return page.eval_on_selector_all("#job-rows tr", "rows => rows.map(r => r.dataset.job)")


def test_the_jobs_page_searches_titles_and_texts(page, stack, alice):
    token = uuid.uuid4().hex[:8]
    titled = _submit(stack, alice, dialogue("espeak", title=f"Budget {token}"))
    chinese = dialogue("espeak", title=None)
    chinese["turns"] = [{"speaker": "Alice", "text": f"今天的預算會議 {token}"}]
    chinese["voice_assignments"] = {"Alice": {"voice": "cmn"}}
    spoken = _submit(stack, alice, chinese)
    page.goto(f"{page.base}/#/jobs")
    page.wait_for_selector("#job-rows tr")

    page.fill("#job-search", token)
    wait_until(
        page,
        "ids => [...document.querySelectorAll('#job-rows tr')].map(r => r.dataset.job)"
        ".join() === ids",
        ",".join([spoken["id"], titled["id"]]),
    )
    page.fill("#job-search", f"預算會議 {token}")
    wait_until(
        page,
        "id => [...document.querySelectorAll('#job-rows tr')].map(r => r.dataset.job)"
        ".join() === id",
        spoken["id"],
    )
    screenshot(page, "jobs-searched")
    page.fill("#job-search", f"no such words {token}")
    page.wait_for_selector("#jobs-no-match:not([hidden])")
    assert _shown_jobs(page) == []
    assert page.inner_text("#jobs-no-match") == messages("en")["jobs.noMatch"]
    assert page.locator("#jobs-empty").is_hidden()


def test_a_job_is_renamed_from_its_page(page, stack, alice):
    job = _submit(stack, alice, dialogue("espeak", title="before the rename"))
    page.goto(f"{page.base}/#/jobs/{job['id']}")
    page.wait_for_selector("#job-status[data-status=completed]", timeout=LONG)
    page.click("#rename")
    assert page.input_value("#rename-form input[name=title]") == "before the rename"
    new_title = f"早安會議 {uuid.uuid4().hex[:6]}"
    page.fill("#rename-form input[name=title]", new_title)
    page.click("#rename-form button[type=submit]")
    wait_until(page, "t => document.getElementById('job-title').textContent === t", new_title)
    assert page.locator("#rename-form").is_hidden()
    screenshot(page, "job-renamed")
    # The jobs page finds it by its new name, once the projection has it in the table.
    eventually_sync(
        lambda: _title_in_table(stack, alice, job["id"]) == new_title,
        what="the rename in the table",
    )
    page.goto(f"{page.base}/#/jobs")
    page.fill("#job-search", new_title)
    wait_until(
        page,
        "id => [...document.querySelectorAll('#job-rows tr')].map(r => r.dataset.job)"
        ".join() === id",
        job["id"],
        timeout_s=LONG / 1000,
    )
    assert page.inner_text(f"#job-rows tr[data-job='{job['id']}'] a") == new_title


def _title_in_table(stack, user, job_id: str) -> str | None:
    listed = httpx.get(
        f"{stack.gateway_url}/api/v1/jobs", params={"limit": 100}, headers=user.headers
    ).json()["items"]
    return next((j["title"] for j in listed if j["id"] == job_id), None)
