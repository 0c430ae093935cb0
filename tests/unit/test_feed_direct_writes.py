"""Feeds written to by the fan-out itself: frames built once and parsed back as sent, a round
of the fan-out reaching each feed once with exactly its events, the hand-over from the queue,
and how a live feed ends (its job's final event, a client too far behind, a connection gone)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from types import SimpleNamespace

import pytest
from starlette.websockets import WebSocketState
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from tests.conftest import eventually
from ttsjobs_gateway.entrypoints.ws_jobs import _DirectSends, _Ending, _Feed
from ttsjobs_gateway.feeds.fan_out import FanOut
from ttsjobs_gateway.feeds.frame_writes import FRAMES, text_frame
from ttsjobs_gateway.feeds.frames import Frames, Relayed, batch_message
from ttsjobs_gateway.feeds.listeners import Listener, SlowConsumer
from ttsjobs_synthesis import publishers as synth


def _frames(data: bytes) -> list[Frame]:
    """Parse as a client does: every frame, unmasked, up to the end of ``data``."""
    reader = StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    parsed = []
    while reader.buffer:
        parser = Frame.parse(reader.read_exact, mask=False)
        try:
            next(parser)
            raise AssertionError("a frame was cut short")
        except StopIteration as done:
            parsed.append(done.value)
    return parsed


@pytest.mark.parametrize("size", [3, 125, 126, 300, 65_535, 70_000])
def test_a_text_frame_parses_back_as_the_text(size):
    text = ("語音 ok " * size)[:size]
    (frame,) = _frames(text_frame(text))
    assert (frame.opcode, frame.fin, frame.data.decode()) == (Opcode.TEXT, True, text)


def _progressed(seq: int, job_id: str = "a", user_id: str = "u1") -> Relayed:
    event = synth.job_progressed(job_id, user_id=user_id, done=seq, total=99, turn_index=seq - 1)
    return Relayed(seq, event)


def _failed(seq: int, job_id: str = "a") -> Relayed:
    return Relayed(seq, synth.job_failed(job_id, "no", user_id="u1"))


def test_frames_are_one_per_event_or_one_for_a_batch_and_built_once():
    items = [_progressed(1), _progressed(2)]
    frames = Frames()
    apart = frames.of(items, batch=False)
    assert [f.data.decode() for f in _frames(apart)] == [i.message for i in items]
    together = frames.of(items, batch=True)
    assert [f.data.decode() for f in _frames(together)] == [batch_message(items)]
    assert frames.of(list(items), batch=True) is together, "the same events: the same bytes"
    assert frames.of(items[:1], batch=True) is items[0].frame


class _Recorder:
    def __init__(self, *, fails: bool = False) -> None:
        self.rounds: list[list[int]] = []
        self.fails = fails

    def deliver(self, items: list[Relayed], frames: Frames) -> None:
        if self.fails:
            raise RuntimeError("broken feed")
        self.rounds.append([item.seq for item in items])

    def stop(self) -> None:
        self.rounds.append([])


async def test_a_round_reaches_each_feed_once_with_its_own_events_and_a_broken_feed_stops_none():
    fan_out = FanOut()
    job_a, job_b, user_1, broken = _Recorder(), _Recorder(), _Recorder(), _Recorder(fails=True)
    listeners = [
        (Listener(job_id="b", user_id="u1"), broken),
        (Listener(job_id="a", user_id="u1"), job_a),
        (Listener(job_id="b", user_id="u1"), job_b),
        (Listener(job_id=None, user_id="u1"), user_1),
    ]
    with contextlib.ExitStack() as following:
        for listener, direct in listeners:
            listener.direct = direct
            following.enter_context(fan_out.listen(listener))
        await fan_out._hand_out([_progressed(1, "a"), _progressed(2, "b"), _progressed(3, "a"),
                               _progressed(4, "c", user_id="u2")])  # fmt: skip
    assert job_a.rounds == [[1, 3]] and job_b.rounds == [[2]] and user_1.rounds == [[1, 2, 3]]


async def test_a_feed_going_direct_is_handed_what_queued_first_then_what_comes_after():
    listener = Listener(job_id="a", user_id="u1")
    listener.offer([_progressed(1), _progressed(2)], Frames())
    direct = _Recorder()
    listener.go_direct(direct)
    listener.offer([_progressed(3)], Frames())
    assert direct.rounds == [[1, 2], [3]] and listener.queue.empty()
    listener.fan_out_stopped()
    assert direct.rounds[-1] == [], "the fan-out's end reaches the feed"


def test_a_feed_that_overflowed_while_queueing_is_slow_before_it_goes_direct():
    listener = Listener(job_id="a", user_id="u1", queue=asyncio.Queue(maxsize=1))
    listener.offer([_progressed(1), _progressed(2)], Frames())
    with pytest.raises(SlowConsumer):
        listener.go_direct(_Recorder())


def _direct(*, buffered: list[int | None], last_seq: int = 0, limit: int = 1000):
    written: list[bytes] = []

    def write(frames: bytes) -> int | None:
        written.append(frames)
        return buffered.pop(0)

    feed = _Feed(_AsgiOnly(), None, "key", keys=None, settings=None)  # type: ignore[arg-type]
    feed.last_seq = last_seq
    sends = _DirectSends(feed, write, until_terminal=True, buffer_limit=limit)  # type: ignore[arg-type]
    return sends, feed, written


def _sent(written: list[bytes]) -> list[int]:
    return [json.loads(f.data)["seq"] for chunk in written for f in _frames(chunk)]


async def test_a_live_feed_sends_what_is_new_and_ends_at_its_jobs_final_event():
    sends, feed, written = _direct(buffered=[0, 0], last_seq=1)
    sends.deliver([_progressed(1), _progressed(2)], Frames())
    sends.deliver([_progressed(3), _failed(4), _progressed(5)], Frames())
    sends.deliver([_progressed(6)], Frames())
    assert _sent(written) == [2, 3, 4] and feed.last_seq == 4
    assert len(written) == 2, "one write per round"
    assert sends.ended.result() is _Ending.FINISHED


async def test_a_live_feed_does_not_show_progress_going_back():
    sends, _, written = _direct(buffered=[0])
    sends.deliver([_progressed(2), _progressed(3)], Frames())
    repeat = _progressed(4).event.model_copy(update={"data": _progressed(1).event.data})
    sends.deliver([Relayed(4, repeat)], Frames())
    assert _sent(written) == [2, 3]


async def test_a_client_too_far_behind_or_gone_ends_its_live_feed():
    slow, _, _ = _direct(buffered=[2000], limit=1000)
    slow.deliver([_progressed(1)], Frames())
    assert slow.ended.result() is _Ending.SLOW
    gone, _, written = _direct(buffered=[None])
    gone.deliver([_progressed(1)], Frames())
    gone.deliver([_progressed(2)], Frames())
    assert gone.ended.result() is _Ending.GONE and len(written) == 1, "nothing written after"


class _AsgiOnly:
    """A connection whose server offers no frame writes (a test client, another server)."""

    def __init__(self) -> None:
        self.scope: dict = {"extensions": {}}
        self.client_state = WebSocketState.CONNECTED
        self.texts: list[str] = []
        self.closed: tuple[int, str] | None = None

    async def send_text(self, text: str) -> None:
        self.texts.append(text)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)
        self.client_state = WebSocketState.DISCONNECTED


async def test_without_frame_writes_a_feed_sends_through_asgi_to_the_jobs_end():
    ws = _AsgiOnly()
    feed = _Feed(ws, None, "key", keys=None, settings=None)  # type: ignore[arg-type]
    feed.last_seq = 1
    listener = Listener(job_id="a", user_id="u1")
    listener.offer([_progressed(1), _progressed(2), _failed(3), _progressed(4)], Frames())
    await asyncio.wait_for(feed.follow(listener, until_terminal=True), 5)
    assert [json.loads(text)["seq"] for text in ws.texts] == [2, 3]
    assert ws.closed == (1000, "job finished") and listener.direct is None


async def test_a_live_feed_closing_with_a_resume_point_names_the_last_event_written():
    written: list[bytes] = []

    def write(frames: bytes) -> int:
        written.append(frames)
        return 0

    ws = _AsgiOnly()
    ws.scope["extensions"][FRAMES] = {"write": write}
    settings = SimpleNamespace(ws_send_buffer_limit_bytes=1000)
    feed = _Feed(ws, None, "key", keys=None, settings=settings)  # type: ignore[arg-type]
    listener = Listener(job_id=None, user_id="u1")
    following = asyncio.create_task(feed.follow(listener, until_terminal=False))
    await eventually(lambda: _is_direct(listener), what="the feed live")
    listener.offer([_progressed(1), _progressed(2)], Frames())
    await feed.close(1001, "connection lifetime reached", resume=True)
    listener.offer([_progressed(3)], Frames())
    await asyncio.wait_for(following, 5)
    assert _sent(written) == [1, 2]
    assert ws.closed == (1001, "connection lifetime reached; resume with after=2")


async def _is_direct(listener: Listener) -> bool:
    return listener.direct is not None
