"""A letter can always be stored: what it quotes of an event it could not read is spelled so
that UTF-8 JSON can carry it."""

from __future__ import annotations

import json

from nats.aio.msg import Msg

from ttsjobs.messaging.dead_letters import DeadLetter, fitting, letter_for

_REPLY = "$JS.ACK.TTSJOBS.projection.1.42.42.1733100000000000000.0"


def _msg(data: bytes) -> Msg:
    subject = "ttsjobs.job.00000000-0000-4000-8000-000000000001.created"
    return Msg(_client=None, subject=subject, reply=_REPLY, data=data)  # type: ignore[arg-type]


def test_a_lone_surrogate_in_the_error_and_the_event_is_spelled_out() -> None:
    raw = b'{"id": "a\\ud800", "type": "\\udfff.created", "data": "\\u0000"}'
    letter = letter_for(_msg(raw), consumer="projection", error="bad: '\ud800'", attempts=1)

    stored = letter.model_dump_json().encode()  # raised before: surrogates not allowed

    back = DeadLetter.model_validate_json(stored)
    assert back.error == "bad: '\\ud800'"
    assert (back.event_id, back.event_type) == ("a\\ud800", "\\udfff.created")
    assert back.data == raw, "the event itself is kept byte for byte"
    assert back.stream_seq == 42 and back.job_id == "00000000-0000-4000-8000-000000000001"


def test_a_readable_letter_is_unchanged() -> None:
    raw = json.dumps({"id": "e1", "type": "ttsjobs.job.created.v1"}).encode()
    letter = letter_for(_msg(raw), consumer="projection", error="no rule", attempts=3)
    assert (letter.error, letter.event_id, letter.event_type) == (
        "no rule",
        "e1",
        "ttsjobs.job.created.v1",
    )


def test_an_event_too_large_to_copy_is_named_not_copied() -> None:
    raw = b"{" * 5000
    letter = letter_for(_msg(raw), consumer="projection", error="not JSON", attempts=1)
    assert DeadLetter.model_validate_json(fitting(letter, 100_000)).data == raw

    small = DeadLetter.model_validate_json(fitting(letter, 2000))

    assert small.data == b"" and small.stream_seq == 42
    assert small.error == "not JSON (the event, 5000 bytes, is too large to copy into its letter)"
