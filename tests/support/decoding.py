"""Any of the job's audio formats decoded by ffmpeg (PyAV), as a third party would read it:
libsndfile cannot read M4A."""

from __future__ import annotations

import io

import av
import numpy as np
from av.audio.resampler import AudioResampler


def decoded(data: bytes) -> tuple[np.ndarray, int]:
    """The file's first audio stream as float32 mono samples, and its rate. Encoder priming an
    MP4's edit list marks is dropped, as players drop it."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        to_float = AudioResampler(format="flt", layout="mono", rate=rate)
        parts = [
            out.to_ndarray().reshape(-1)
            for frame in container.decode(stream)
            for out in to_float.resample(frame)
        ]
        parts += [out.to_ndarray().reshape(-1) for out in to_float.resample(None)]
    return (np.concatenate(parts) if parts else np.zeros(0, np.float32)), rate


def bitrate_kbps(data: bytes) -> float:
    """The audio stream's bitrate as ffmpeg reports it (kb/s); the container's where the stream
    states none (Ogg)."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        return (stream.bit_rate or container.bit_rate) / 1000
