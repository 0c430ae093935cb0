"""The gateway's relay without servers: every event is seen by the watch that lets GETs skip
the stream, and only the events someone follows are decoded and handed on."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from tests.conftest import eventually
from ttsjobs_gateway import feeds
from ttsjobs_gateway.feeds import EventRelay, Listener
from ttsjobs_synthesis import publishers as synth


def _msg(seq: int, job_id: str, *, pending: int = 0):
    event = synth.job_started(job_id, user_id="u1", worker="w", attempt=1)
    return SimpleNamespace(
        subject=f"ttsjobs.job.{job_id}.started",
        data=event.model_dump_json().encode(),
        metadata=SimpleNamespace(sequence=SimpleNamespace(stream=seq), num_pending=pending),
    )


async def test_an_event_nobody_follows_is_seen_but_not_decoded_and_a_followed_one_is_relayed(
    monkeypatch,
):
    decoded: list[str] = []
    parse = feeds.parse_event

    def counting_parse(data: bytes):
        event = parse(data)
        decoded.append(event.subject)
        return event

    monkeypatch.setattr(feeds, "parse_event", counting_parse)
    relay = EventRelay(js=None, link=lambda: (True, 0))  # type: ignore[arg-type]
    relay._task = asyncio.create_task(relay._fan_out())
    try:
        await relay._on_msg(_msg(1, "a"))
        with relay.listen(Listener(job_id="b", user_id="u1")) as listener:
            await relay._on_msg(_msg(2, "b", pending=0))
            item = await eventually(lambda: _next(listener), what="b's event relayed")
        assert (item.seq, item.event.subject) == (2, "b")
        assert relay.watch._last == {"a": 1, "b": 2}, "the watch sees every event"
        assert decoded == ["b"], "only the followed job's event was decoded"
    finally:
        await relay.stop()


async def _next(listener: Listener):
    return None if listener.queue.empty() else listener.queue.get_nowait()
