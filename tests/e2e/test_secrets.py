"""Credentials never reach logs, events or error responses; settings hold them as secrets."""

from __future__ import annotations

import pytest
from nats.js.errors import NotFoundError

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


async def test_api_keys_are_in_no_log_or_event(api, stack, js, alice, bob_api):
    job = await submit(api, dialogue("espeak"))
    await wait_for_status(api, job["id"], {"completed"})
    # A refused read and a feed opened with the key as a subprotocol are logged too.
    assert (await bob_api.get(f"/api/v1/jobs/{job['id']}")).status_code == 404
    for log in (stack.data_dir / "logs").glob("*.log"):
        text = log.read_text(errors="replace")
        assert alice.key not in text and alice.key.split("_", 2)[2] not in text, log.name
    for stream in (subjects.STREAM, subjects.ACCOUNTS_STREAM):
        info = await js.stream_info(stream)
        checked = 0
        for seq in range(max(1, info.state.last_seq - 300), info.state.last_seq + 1):
            try:
                message = await js.get_msg(stream, seq=seq)
            except NotFoundError:
                continue  # removed by retention or an expired job
            assert alice.key.split("_", 2)[2].encode() not in (message.data or b"")
            checked += 1
        assert checked, stream
