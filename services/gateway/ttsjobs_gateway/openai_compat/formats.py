"""The job's stored audio as the answer's format: the file as it is where the job made that
format; pcm decoded to OpenAI's raw 16-bit mono at 24 kHz; aac, stored as M4A, re-wrapped
as ADTS frames (the same AAC, not encoded again). Runs in a thread: PyAV holds no event loop."""

from __future__ import annotations

import io
from collections.abc import Generator

import av
import numpy as np
from minio import Minio

from ttsjobs.jobs.state import JobState
from ttsjobs_gateway.openai_compat.request import PCM_RATE, ResponseFormat

CHUNK = 64 * 1024


def stored_chunks(s3: Minio, state: JobState) -> Generator[bytes, None, None]:
    """The job's audio file, as the bucket streams it."""
    assert state.result is not None
    audio = state.result.audio
    response = s3.get_object(audio.bucket, audio.object_key)
    try:
        yield from response.stream(CHUNK)
    finally:
        response.close()
        response.release_conn()


def converted(data: bytes, fmt: ResponseFormat) -> bytes:
    """``data``, the job's file, as ``fmt`` needs it (see the module docstring)."""
    if fmt is ResponseFormat.pcm:
        return pcm_of(data)
    if fmt is ResponseFormat.aac:
        return adts_of(data)
    return data


def pcm_of(data: bytes) -> bytes:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=PCM_RATE)
    out: list[bytes] = []
    with av.open(io.BytesIO(data), "r") as container:
        for frame in container.decode(audio=0):
            out += [_samples(f) for f in resampler.resample(frame)]
    out += [_samples(f) for f in resampler.resample(None)]
    return b"".join(out)


def _samples(frame: av.AudioFrame) -> bytes:
    return np.ascontiguousarray(frame.to_ndarray()[0], dtype="<i2").tobytes()


def adts_of(data: bytes) -> bytes:
    out = io.BytesIO()
    with av.open(io.BytesIO(data), "r") as source, av.open(out, "w", format="adts") as target:
        audio = source.streams.audio[0]
        stream = target.add_stream_from_template(audio)
        for packet in source.demux(audio):
            if packet.dts is None:  # the demuxer's flush packet
                continue
            packet.stream = stream
            target.mux(packet)
    return out.getvalue()
