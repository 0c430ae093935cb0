"""A job's live segments: the written turns as pieces of one MP3 stream, uploaded in turn order,
each listed by the manifest only once it is in the bucket; decoded back to back they are the
job's audio (pauses included, before mastering) with no gap; a resumed job keeps what the attempt
before it listed."""

from __future__ import annotations

import asyncio
import io

import av
import numpy as np

from tests.support.assembly import assembled
from ttsjobs.contracts.job_request import OutputFormat
from ttsjobs.jobs.live_audio import TARGET_DURATION_S, LiveManifest, manifest_key, segment_key
from ttsjobs_synthesis.assembly import TurnPlan
from ttsjobs_synthesis.live_mp3 import Piece
from ttsjobs_synthesis.live_segments import LiveSegments
from ttsjobs_synthesis.providers.base import Speech

FOLDER = "audio/2026-12-07/u/live/j/"


class _Bucket:
    """The bucket's part the sink uses; records what was listed when each object arrived."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.puts: list[str] = []

    async def exists(self, key: str) -> bool:
        return key in self.objects

    async def get_with_metadata(self, key: str) -> tuple[bytes, dict[str, str]] | None:
        return (self.objects[key], {}) if key in self.objects else None

    async def put(self, key, data, content_type, *, metadata=None) -> None:
        await asyncio.sleep(0)  # as a real upload, other work runs meanwhile
        self.objects[key] = data
        self.puts.append(key)

    def manifest(self) -> LiveManifest:
        return LiveManifest.model_validate_json(self.objects[manifest_key(FOLDER)])


def _tone(ms: int, rate: int, hz: float) -> Speech:
    t = np.arange(rate * ms // 1000) / rate
    return Speech((np.sin(2 * np.pi * hz * t) * 8000).astype(np.int16), rate)


TURNS = [
    (_tone(1_200, 24_000, 220), TurnPlan(pause_after_ms=400)),
    (_tone(700, 24_000, 330), TurnPlan(pause_after_ms=0)),
    (_tone(1_500, 24_000, 440), TurnPlan(pause_after_ms=900)),
]


def _decoded(data: bytes) -> np.ndarray:
    with av.open(io.BytesIO(data), format="mp3") as container:
        frames = [f.to_ndarray()[0] for f in container.decode(audio=0)]
    return np.concatenate(frames) if frames else np.zeros(0, np.float32)


async def _live_job(bucket: _Bucket, *, rate: int | None = None, resumed: bool = False):
    live = LiveSegments(bucket, FOLDER, turns=len(TURNS), resumed=resumed)
    live.start()
    job = await assembled(TURNS, fmt=OutputFormat.flac, rate=rate, order=[2, 0, 1], sinks=[live])
    await live.drain()
    return job


async def test_the_segments_are_the_jobs_audio_in_order_and_gapless():
    bucket = _Bucket()
    job = await _live_job(bucket)
    manifest = bucket.manifest()
    assert manifest.complete and manifest.rate == 24_000 and len(manifest.frames) == 3
    stream = b"".join(bucket.objects[segment_key(FOLDER, i)] for i in range(3))
    decoded = _decoded(stream)
    assert len(decoded) == sum(manifest.frames)
    mix = job.samples()
    # The encoder's delay (1105 samples) leads; the last frame is padded to whole.
    assert 1105 <= len(decoded) - len(mix) <= 1105 + 576
    aligned = decoded[1105 : 1105 + len(mix)]
    assert np.corrcoef(aligned, mix)[0, 1] > 0.95, "the same audio, pauses where they are"
    for i in range(3):
        alone = _decoded(bucket.objects[segment_key(FOLDER, i)])
        assert len(alone) == manifest.frames[i], "each segment decodes on its own, as listed"


async def test_a_segment_is_listed_only_once_it_is_in_the_bucket():
    bucket = _Bucket()
    await _live_job(bucket)
    segments = [k for k in bucket.puts if k.endswith(".mp3")]
    assert segments == [segment_key(FOLDER, i) for i in range(3)]
    for i, key in enumerate(segments):
        assert (
            bucket.puts.index(key)
            < [n for n, k in enumerate(bucket.puts) if k == manifest_key(FOLDER)][i]
        )


async def test_a_48k_job_is_heard_at_24k_with_the_same_length():
    bucket = _Bucket()
    job = await _live_job(bucket, rate=48_000)
    manifest = bucket.manifest()
    assert manifest.rate == 24_000
    seconds = sum(manifest.frames) / manifest.rate
    assert 0 <= seconds - job.duration_ms / 1000 <= 0.1


async def test_a_resumed_job_keeps_what_was_listed_before():
    bucket = _Bucket()
    await _live_job(bucket)
    first = dict(bucket.objects)
    bucket.objects.pop(segment_key(FOLDER, 2))
    bucket.objects[manifest_key(FOLDER)] = (
        LiveManifest(rate=24_000, frames=bucket.manifest().frames[:2]).model_dump_json().encode()
    )
    bucket.puts.clear()
    await _live_job(bucket, resumed=True)
    assert bucket.puts == [segment_key(FOLDER, 2), manifest_key(FOLDER)]
    assert bucket.objects == first, "the same stream, made again"


async def test_a_failing_bucket_stops_the_live_audio_not_the_job():
    class _Broken(_Bucket):
        async def put(self, key, data, content_type, *, metadata=None) -> None:
            raise OSError("the bucket is gone")

    job = await _live_job(_Broken())
    assert job.duration_ms > 0


async def _held_job(bucket: _Bucket, *, hold_s: float, runs_s: float) -> None:
    """A job that takes ``runs_s`` to write its turns, its live segments held for ``hold_s``."""
    live = LiveSegments(bucket, FOLDER, turns=len(TURNS), resumed=False, hold_s=hold_s)
    live.start()
    await asyncio.sleep(runs_s)
    await assembled(TURNS, fmt=OutputFormat.flac, rate=None, order=[0, 1, 2], sinks=[live])
    await live.drain()


async def test_a_job_that_ends_within_the_hold_uploads_nothing_live():
    bucket = _Bucket()
    await _held_job(bucket, hold_s=5.0, runs_s=0.0)
    assert bucket.puts == [], "a job heard whole at its end pays no live uploads"


async def test_a_job_past_the_hold_lists_every_turn_it_wrote_meanwhile():
    bucket = _Bucket()
    await _held_job(bucket, hold_s=0.05, runs_s=0.1)
    assert bucket.manifest().complete and len(bucket.manifest().frames) == 3


async def test_a_long_turn_comes_in_segments_within_the_target_gapless():
    bucket = _Bucket()
    long_turns = [
        (_tone(1_000, 24_000, 220), TurnPlan(pause_after_ms=300)),
        (_tone(14_000, 24_000, 330), TurnPlan(pause_after_ms=0)),
    ]
    live = LiveSegments(bucket, FOLDER, turns=2, resumed=False)
    live.start()
    job = await assembled(long_turns, fmt=OutputFormat.flac, rate=None, order=[0, 1], sinks=[live])
    await live.drain()
    manifest = bucket.manifest()
    seconds = [manifest.seconds(i) for i in range(len(manifest.frames))]
    assert manifest.complete and len(seconds) == 4, f"1 s, then 14.3 s in three: {seconds}"
    assert all(s <= TARGET_DURATION_S for s in seconds)
    assert max(seconds[1:]) - min(seconds[1:]) < 0.1, "a long turn's parts about equal"
    stream = b"".join(bucket.objects[segment_key(FOLDER, i)] for i in range(4))
    decoded = _decoded(stream)
    assert len(decoded) == sum(manifest.frames)
    aligned = decoded[1105 : 1105 + len(job.samples())]
    assert np.corrcoef(aligned, job.samples())[0, 1] > 0.95, "cut between frames, no gap"


def test_a_piece_is_cut_between_frames_into_parts_within_the_limit():
    piece = Piece(tuple(bytes([i]) for i in range(10)), frame_size=576)
    parts = piece.cut(4 * 576)
    assert [len(p.packets) for p in parts] == [4, 3, 3]
    assert b"".join(p.data for p in parts) == piece.data
    assert piece.cut(10 * 576) == [piece]
    assert Piece((), 576).cut(576) == [Piece((), 576)]
