"""Credentials never reach logs, events or error responses; settings hold them as secrets."""

from __future__ import annotations

import pytest

from tests.support.jobs import SUBMIT, dialogue, submit, wait_for_status
from ttsjobs.contracts import subjects
from ttsjobs_synthesis.config import Settings as SynthesisSettings

pytestmark = pytest.mark.e2e


async def test_the_s3_secret_is_in_no_log_event_or_response(api, stack, js):
    secret = stack.env["TTSJOBS_S3_SECRET_KEY"]
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})
    refused = await api.post(SUBMIT, json={"provider": "nope"})
    assert secret not in refused.text

    for log in (stack.data_dir / "logs").glob("*.log"):
        assert secret not in log.read_text(errors="replace"), log.name
    info = await js.stream_info(subjects.STREAM)
    for seq in range(max(1, info.state.last_seq - 200), info.state.last_seq + 1):
        try:
            message = await js.get_msg(subjects.STREAM, seq=seq, direct=True)
        except Exception:
            continue
        assert secret.encode() not in (message.data or b"")


def test_settings_show_secrets_masked(stack):
    settings = SynthesisSettings(
        s3_secret_key=stack.env["TTSJOBS_S3_SECRET_KEY"],
        database_url="postgresql://app:hunter2@db.internal/ttsjobs",
    )
    shown = repr(settings) + str(settings.model_dump())
    assert stack.env["TTSJOBS_S3_SECRET_KEY"] not in shown and "hunter2" not in shown
