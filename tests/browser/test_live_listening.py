"""Listening while a job renders: the job page plays the job's finished turns while it is still
processing (the audio's time advances before the job completes), then swaps in the final file at
the same place, with its downloads."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from tests.browser.conftest import wait_until
from tests.support.jobs import SUBMIT, dialogue

pytestmark = pytest.mark.e2e
SENTENCE = "The quick brown fox jumps over the lazy dog near the riverbank at dawn. "


def _short_turns_then_a_long_one() -> dict:
    """Three turns of a sentence, then one of some two minutes of speech (seconds to synthesize
    here, however quick the machine): the first turns are heard while the last one renders. New
    text each run: no turn comes from the segment cache."""
    take = uuid.uuid4().hex[:8]
    body = dialogue("piper", title=None)
    texts = [SENTENCE] * 3 + [SENTENCE * 24]
    body["turns"] = [
        {"speaker": "Alice" if i % 2 else "Bob", "text": f"Take {take}, part {i}. {text}"}
        for i, text in enumerate(texts)
    ]
    return body


PLAYING_WHILE_PROCESSING = """() => {
  const audio = document.getElementById('audio');
  const status = document.getElementById('job-status').dataset.status;
  if (status !== 'processing') return status === 'completed' ? 'too late' : false;
  if (audio.paused && audio.readyState >= 2) { audio.muted = true; audio.play(); }
  return audio.currentTime > 0.5 ? audio.currentTime : false;
}"""


def test_the_page_plays_the_finished_part_while_the_job_renders(page, stack, alice):
    response = httpx.post(
        f"{stack.gateway_url}{SUBMIT}", json=_short_turns_then_a_long_one(), headers=alice.headers
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    page.goto(f"{page.base}/#/jobs/{job_id}")
    page.wait_for_selector("#player:not([hidden]) #live-note:not([hidden])", timeout=60_000)
    assert page.is_hidden("#job-downloads"), "nothing to download before the job completes"

    deadline = time.monotonic() + 60
    while not (heard := page.evaluate(PLAYING_WHILE_PROCESSING)):
        assert time.monotonic() < deadline, "the live audio never played"
        page.wait_for_timeout(50)
    assert heard != "too late", "the audio played only after the job completed"

    # The final file takes over where the live audio was, and the downloads appear.
    page.wait_for_selector("#job-downloads:not([hidden])", timeout=60_000)
    assert page.is_hidden("#live-note")
    wait_until(
        page,
        "at => { const a = document.getElementById('audio');"
        " return a.duration > 60 && a.currentTime >= at; }",
        heard,
        timeout_s=20,
    )
