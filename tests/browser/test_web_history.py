"""The web app's history: the jobs page searches (on the server), a job's page renames it; each row
plays inline, downloads and deletes (cancels before the end), says when it expires, fits 390 px."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.browser.conftest import messages, screenshot, signed_in, ui_language, wait_until
from tests.browser.layout import controls_alone
from tests.browser.slow_jobs import slow_piper_dialogue
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


# ---------- the history as a library: play, download, delete; when each job expires ----------

EXPIRES = {"en-US": "in {n} days", "zh-TW": "{n} 天後"}


def _row(page, job_id: str) -> str:
    return f"#job-rows tr[data-job='{job_id}']"


def _expected_expiry(stack, user, job_id: str, locale: str) -> str:
    from datetime import UTC, datetime

    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}", headers=user.headers).json()
    left = datetime.fromisoformat(job["expires_at"]) - datetime.now(UTC)
    days = round(left.total_seconds() / 86400)
    return messages(ui_language(locale))["jobs.expires"].format(when=EXPIRES[locale].format(n=days))


def _server_file_name(stack, user, job_id: str) -> str:
    from urllib.parse import unquote

    response = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{job_id}/download", headers=user.headers)
    disposition = response.headers["content-disposition"]
    return unquote(disposition.split("filename*=UTF-8''")[1].split(";")[0])


PLAYING = """id => {
  const audio = document.querySelectorAll('audio');
  const row = document.querySelector(`#job-rows tr[data-job="${id}"]`);
  return audio.length === 1 && row?.nextElementSibling?.matches('.player-row')
    && row.nextElementSibling.contains(audio[0]) && !audio[0].paused && audio[0].currentTime > 0;
}"""


@pytest.mark.parametrize("locale", ["en-US", "zh-TW"])
def test_history_rows_play_download_and_delete(page, stack, alice, locale, tmp_path):
    text = messages(ui_language(locale))
    token = uuid.uuid4().hex[:8]
    first = _submit(stack, alice, dialogue("espeak", title=f"第一集 {token}"))
    second = _submit(stack, alice, dialogue("espeak", title=f"Second {token}"))
    page.goto(f"{page.base}/#/jobs")
    page.fill("#job-search", token)
    for job in (first, second):
        page.wait_for_selector(f"{_row(page, job['id'])} button[data-action=play]", timeout=LONG)
    row = _row(page, first["id"])
    assert page.inner_text(f"{row} .expiry") == _expected_expiry(stack, alice, first["id"], locale)
    assert page.get_attribute(f"{row} time[data-relative]", "title"), "the moment in full"

    # Play inline: one player, under the row it plays; another row's play moves it there.
    page.click(f"{row} button[data-action=play]")
    wait_until(page, PLAYING, first["id"], timeout_s=20)
    assert page.inner_text(f"{row} button[data-action=play]") == text["jobs.pause"]
    page.click(f"{_row(page, second['id'])} button[data-action=play]")
    wait_until(page, PLAYING, second["id"], timeout_s=20)
    assert page.inner_text(f"{row} button[data-action=play]") == text["jobs.play"]
    screenshot(page, f"history-playing{'-zh-TW' if locale == 'zh-TW' else ''}")

    # Download: the file under the server's own name.
    with page.expect_download() as info:
        page.click(f"{row} button[data-action=download]")
    assert info.value.suggested_filename == _server_file_name(stack, alice, first["id"])
    info.value.save_as(tmp_path / "saved")
    assert (tmp_path / "saved").stat().st_size > 1000

    # Delete asks once more, then the row goes, the job's page says it is not found.
    delete = f"{_row(page, second['id'])} button[data-action=delete]"
    page.click(delete)
    assert page.inner_text(delete) == text["jobs.deleteConfirm"]
    assert page.locator(_row(page, second["id"])).count() == 1
    page.click(delete)
    page.wait_for_selector(_row(page, second["id"]), state="detached")
    assert page.locator("audio").count() == 0, "its player went with it"
    gone = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{second['id']}", headers=alice.headers)
    assert gone.status_code == 404
    page.goto(f"{page.base}/#/jobs/{second['id']}")
    page.wait_for_selector("#view .error")
    assert page.inner_text("#view .error").startswith(text["problem.job-not-found"])


@pytest.mark.parametrize("locale", ["en-US", "zh-TW"])
def test_the_history_at_phone_width_offers_cancel_before_the_end(browser, stack, alice, locale):
    text = messages(ui_language(locale))
    token = uuid.uuid4().hex[:8]
    done = _submit(stack, alice, dialogue("espeak", title=f"早安 {token}"))
    eventually_sync(
        lambda: httpx.get(f"{stack.gateway_url}/api/v1/jobs/{done['id']}", headers=alice.headers)
        .json()["status"] == "completed",
        what="the first job completed",
    )  # fmt: skip
    waiting = _submit(stack, alice, slow_piper_dialogue(title=f"晚安 {token}"))
    phone = signed_in(
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale=locale),
        alice.key,
    ).new_page()
    phone.goto(f"{stack.gateway_url}/#/jobs")
    phone.fill("#job-search", token)
    phone.wait_for_selector(f"{_row(phone, waiting['id'])} button[data-action=cancel]")
    phone.wait_for_selector(f"{_row(phone, done['id'])} button[data-action=play]")
    actions = lambda job: phone.eval_on_selector_all(  # noqa: E731
        f"{_row(phone, job['id'])} button", "bs => bs.map(b => b.dataset.action)"
    )
    assert actions(waiting) == ["cancel"]
    assert actions(done) == ["play", "download", "delete"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert controls_alone(phone, "#job-rows .buttons") == []
    screenshot(phone, f"history-phone{'-zh-TW' if locale == 'zh-TW' else ''}")
    phone.click(f"{_row(phone, waiting['id'])} button[data-action=cancel]")
    phone.wait_for_selector(
        f"{_row(phone, waiting['id'])} button[data-action=delete]", timeout=LONG
    )
    status = phone.inner_text(f"{_row(phone, waiting['id'])} td[data-status]")
    assert status == text["status.cancelled"]
    phone.context.close()
