"""Dead letters: events a consumer gave up on, kept with the error until an operator acts.

Emits to the ``TTSJOBS_DEAD_LETTERS`` stream on ``ttsjobs.dead.<consumer>.<stream>.<seq>``.
One subject per (consumer, original event), and the stream keeps one message per subject, so
the same event dead-lettered again (a rebuild meets it too, or a process died between the
letter and its term) replaces its letter instead of adding a second one.

Read by ``ttsjobs projection dead-letters`` (list, replay, remove).
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import structlog
from nats.aio.msg import Msg
from nats.errors import ConnectionClosedError, NoRespondersError, StaleConnectionError
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError, ServiceUnavailableError
from pydantic import BaseModel

from ttsjobs.contracts.strings import shown
from ttsjobs.observability import metrics

log = structlog.get_logger()

DEAD_LETTERS_STREAM = "TTSJOBS_DEAD_LETTERS"
DEAD_PREFIX = "ttsjobs.dead"
ALL_DEAD_LETTERS = f"{DEAD_PREFIX}.>"
_ERROR_CHARS = 2000


def dead_letter_subject(consumer: str, stream: str, seq: int) -> str:
    return f"{DEAD_PREFIX}.{consumer}.{stream}.{seq}"


class DeadLetter(BaseModel):
    consumer: str
    stream: str
    stream_seq: int
    subject: str
    error: str
    attempts: int
    dead_lettered_at: datetime
    # What could be read of the event (nothing, if it did not even parse as JSON).
    event_id: str | None = None
    event_type: str | None = None
    job_id: str | None = None
    data_base64: str
    # The letter's own sequence in the dead-letter stream, set when it is read back.
    letter_seq: int | None = None

    @property
    def data(self) -> bytes:
        return base64.b64decode(self.data_base64)


def letter_for(msg: Msg, *, consumer: str, error: str, attempts: int) -> DeadLetter:
    meta = msg.metadata
    event: dict[str, Any] = {}
    try:
        parsed = json.loads(msg.data)
        event = parsed if isinstance(parsed, dict) else {}
    except ValueError:
        pass
    # Job events name their job in the subject (ttsjobs.job.<id>.<kind>).
    parts = msg.subject.split(".")
    job_id = parts[2] if len(parts) == 4 and parts[1] == "job" else None
    return DeadLetter(
        consumer=consumer,
        stream=meta.stream,
        stream_seq=meta.sequence.stream,
        subject=msg.subject,
        # An undecodable event's error quotes it, and what it says may not be encodable (a lone
        # surrogate): a letter the stream cannot take would stop its consumer for good.
        error=shown(error[:_ERROR_CHARS]),
        attempts=attempts,
        dead_lettered_at=datetime.now(UTC),
        event_id=_str_or_none(event.get("id")),
        event_type=_str_or_none(event.get("type")),
        job_id=job_id,
        data_base64=base64.b64encode(msg.data).decode(),
    )


def fitting(letter: DeadLetter, max_payload: int) -> bytes:
    """The letter as stored; without its copy of the event when that would make it larger than
    a message may be (the event, base64 in JSON, is a third larger than it was): a letter the
    stream refuses would stop its consumer for good. The event itself stays in its stream, at
    the sequence the letter names."""
    body = letter.model_dump_json().encode()
    if len(body) <= max_payload:
        return body
    note = f" (the event, {len(letter.data)} bytes, is too large to copy into its letter)"
    return (
        letter.model_copy(update={"data_base64": "", "error": letter.error + note})
        .model_dump_json()
        .encode()
    )


def _str_or_none(value: object) -> str | None:
    return shown(value) if isinstance(value, str) else None


# NATS away or JetStream electing a leader: "not now", like a network error.
_NATS_AWAY = (ConnectionClosedError, NoRespondersError, StaleConnectionError,
              ServiceUnavailableError)  # fmt: skip


def transient_by_default(err: BaseException) -> bool:
    """Network and timeout errors say "not now", not "never": never dead-lettered for them."""
    return isinstance(err, (OSError, TimeoutError, *_NATS_AWAY))


async def dead_letter(js: JetStreamContext, msg: Msg, *, consumer: str,
                      error: str) -> DeadLetter | None:  # fmt: skip
    """Store the letter, count it and log it at error with the job's id. None when the stream
    did not take it: then the caller must not term the message (it would vanish untraced)."""
    attempts = msg.metadata.num_delivered
    letter = letter_for(msg, consumer=consumer, error=error, attempts=attempts)
    subject = dead_letter_subject(consumer, letter.stream, letter.stream_seq)
    body = fitting(letter, js._nc.max_payload)
    try:
        await js.publish(subject, body, stream=DEAD_LETTERS_STREAM)
    except Exception:
        log.exception("event.dead_letter_failed", consumer=consumer, job_id=letter.job_id)
        return None
    metrics.DEAD_LETTERS.labels(consumer).inc()
    log.error(
        "event.dead_lettered",
        consumer=consumer,
        job_id=letter.job_id,
        event_type=letter.event_type,
        stream=letter.stream,
        stream_seq=letter.stream_seq,
        attempts=attempts,
        error=letter.error[:500],
    )
    return letter


async def read_letters(
    js: JetStreamContext, *, consumers: tuple[str, ...] | None = None
) -> AsyncIterator[DeadLetter]:
    """Every letter in stream order, of the given consumers only when named."""
    seq = 1
    while True:
        try:
            raw = await js.get_msg(DEAD_LETTERS_STREAM, seq=seq, subject=ALL_DEAD_LETTERS,
                                   next=True)  # fmt: skip
        except NotFoundError:
            return
        assert raw.seq is not None and raw.data is not None
        letter = DeadLetter.model_validate_json(raw.data).model_copy(update={"letter_seq": raw.seq})
        if consumers is None or letter.consumer in consumers:
            yield letter
        seq = raw.seq + 1


async def count_letters(js: JetStreamContext, consumers: tuple[str, ...]) -> int:
    """Letters waiting for the given consumers (one subject each, so subjects are letters)."""
    total = 0
    for consumer in consumers:
        info = await js.stream_info(
            DEAD_LETTERS_STREAM, subjects_filter=f"{DEAD_PREFIX}.{consumer}.>"
        )
        total += len(info.state.subjects or {})
    return total


async def remove_letter(js: JetStreamContext, letter: DeadLetter) -> None:
    assert letter.letter_seq is not None
    try:
        await js.delete_msg(DEAD_LETTERS_STREAM, letter.letter_seq)
    except NotFoundError:
        pass  # removed already (a replay that ran twice)
