"""The gateway's relay without servers: every event is seen by the watch that lets GETs skip
the stream, and only the events someone follows are decoded and handed on."""

from __future__ import annotations

import asyncio
import json
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


async def test_a_feed_takes_what_queued_up_at_once_in_order_and_stops_at_the_relays_end():
    listener = Listener(job_id="a", user_id="u1")
    relayed = [feeds.Relayed(seq, feeds.parse_event(_msg(seq, "a").data)) for seq in (3, 4, 5)]
    for item in relayed:
        listener.offer([item], feeds.Frames())
    batches = feeds.live(listener, after_seq=3)
    assert [i.seq for i in await anext(batches)] == [4, 5], "all queued, none at or before 3"
    listener.offer([feeds.Relayed(6, relayed[0].event)], feeds.Frames())
    listener.queue.put_nowait(None)  # the relay stopping
    assert [[i.seq for i in batch] async for batch in batches] == [[6]]


def test_a_batch_is_the_events_own_messages_in_one():
    items = [feeds.Relayed(seq, feeds.parse_event(_msg(seq, "a").data)) for seq in (7, 8)]
    message = json.loads(feeds.batch_message(items))
    assert message["type"] == "events" and message["seq"] == 8
    assert message["events"] == [json.loads(item.message) for item in items]
