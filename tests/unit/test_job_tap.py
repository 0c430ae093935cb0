"""The gateway's tap and the feeds' fan-out without servers: every event reaches the live job
cache, then the fan-out, in stream order; an event is decoded at most once and only when a
consumer asks; and only the events someone follows are handed to feeds."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

from tests.conftest import eventually
from ttsjobs_gateway.feeds import frames as feed_frames
from ttsjobs_gateway.feeds.fan_out import FanOut
from ttsjobs_gateway.feeds.frames import Frames, Relayed, batch_message
from ttsjobs_gateway.feeds.listeners import Listener, live
from ttsjobs_gateway.live import job_tap
from ttsjobs_gateway.live.job_tap import JobTap, Tapped
from ttsjobs_gateway.live.live_jobs import LiveJobs
from ttsjobs_synthesis import publishers as synth


def _msg(seq: int, job_id: str, *, pending: int = 0):
    event = synth.job_started(job_id, user_id="u1", worker="w", attempt=1)
    return SimpleNamespace(
        subject=f"ttsjobs.job.{job_id}.started",
        data=event.model_dump_json().encode(),
        metadata=SimpleNamespace(sequence=SimpleNamespace(stream=seq), num_pending=pending),
    )


class Recorder:
    def __init__(self, name: str, log: list[tuple[str, int]], *, fails: bool = False) -> None:
        self.name, self.log, self.fails = name, log, fails

    def tapped(self, item: Tapped) -> None:
        self.log.append((self.name, item.seq))
        if self.fails:
            raise RuntimeError("a consumer's bug")


async def test_each_event_reaches_every_consumer_in_registration_order_once():
    seen: list[tuple[str, int]] = []
    tap = JobTap(js=None)  # type: ignore[arg-type]
    tap.register(Recorder("cache", seen, fails=True))
    tap.register(Recorder("feeds", seen))
    for seq in (1, 2, 2, 1, 3):  # a resubscription delivers 1 and 2 again
        await tap._on_msg(_msg(seq, "a"))
    assert seen == [("cache", 1), ("feeds", 1), ("cache", 2), ("feeds", 2), ("cache", 3),
                    ("feeds", 3)], "one consumer's failure kept nothing from the next"  # fmt: skip


async def test_an_event_nobody_follows_is_seen_but_not_decoded_and_a_followed_one_is_relayed(
    monkeypatch,
):
    decoded: list[str] = []
    parse = job_tap.parse_event

    def counting_parse(data: bytes):
        event = parse(data)
        decoded.append(event.subject)
        return event

    monkeypatch.setattr(job_tap, "parse_event", counting_parse)
    live_jobs, fan_out = LiveJobs(), FanOut()
    tap = JobTap(js=None)  # type: ignore[arg-type]
    tap.register(live_jobs)
    tap.register(fan_out)
    fan_out.start()
    try:
        await tap._on_msg(_msg(1, "a"))
        with fan_out.listen(Listener(job_id="b", user_id="u1")) as listener:
            await tap._on_msg(_msg(2, "b", pending=0))
            item = await eventually(lambda: _next(listener), what="b's event relayed")
        assert (item.seq, item.event.subject) == (2, "b")
        assert live_jobs.watch._last == {"a": 1, "b": 2}, "the watch sees every event"
        assert decoded == ["b"], "only the followed job's event was decoded, once"
    finally:
        await fan_out.stop()


async def test_a_stopping_fan_out_ends_its_feeds():
    fan_out = FanOut()
    fan_out.start()
    with fan_out.listen(Listener(job_id="a", user_id="u1")) as listener:
        await fan_out.stop()
        assert await asyncio.wait_for(listener.queue.get(), 1) is None


async def _next(listener: Listener):
    return None if listener.queue.empty() else listener.queue.get_nowait()


async def test_a_feed_takes_what_queued_up_at_once_in_order_and_stops_at_the_fan_outs_end():
    listener = Listener(job_id="a", user_id="u1")
    relayed = [Relayed(seq, Tapped(seq, _msg(seq, "a").subject, _msg(seq, "a").data).event)
               for seq in (3, 4, 5)]  # fmt: skip
    for item in relayed:
        listener.offer([item], Frames())
    batches = live(listener, after_seq=3)
    assert [i.seq for i in await anext(batches)] == [4, 5], "all queued, none at or before 3"
    listener.offer([Relayed(6, relayed[0].event)], Frames())
    listener.queue.put_nowait(None)  # the fan-out stopping
    assert [[i.seq for i in batch] async for batch in batches] == [[6]]


def test_a_batch_is_the_events_own_messages_in_one():
    items = [Relayed(seq, Tapped(seq, _msg(seq, "a").subject, _msg(seq, "a").data).event)
             for seq in (7, 8)]  # fmt: skip
    message = json.loads(batch_message(items))
    assert message["type"] == "events" and message["seq"] == 8
    assert message["events"] == [json.loads(item.message) for item in items]
    assert feed_frames.Frames().of(items, batch=True) == feed_frames.text_frame(
        batch_message(items)
    )
