"""One continuous MP3 stream, handed out in pieces: each call encodes more samples and returns the
whole frames ready so far. Pieces played back to back are the stream itself, so they join with
no gap, unlike files encoded one by one (each has its encoder's delay and padding).

Speech is encoded at 24 kHz at most (the rate Kokoro speaks at; a 48 kHz job is resampled), mono,
48 kb/s, with LAME's faster settings: it is listened to once while the job runs, and costs about
a hundredth of its length in CPU. Without the bit reservoir each frame carries its own data, so
any piece decodes on its own.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import av
import numpy as np
import soxr

MAX_RATE = 24_000
BIT_RATE = 48_000
_LAME_QUALITY = "7"  # 0 best … 9 fastest; 7 is 1.5× as fast as the default and clean for speech


@dataclass(frozen=True)
class Piece:
    """Whole MP3 frames of the stream, each ``frame_size`` samples as a decoder plays it."""

    packets: tuple[bytes, ...]
    frame_size: int

    @property
    def data(self) -> bytes:
        return b"".join(self.packets)

    @property
    def frames(self) -> int:  # samples a decoder gives for it, at the stream's rate
        return len(self.packets) * self.frame_size

    def __add__(self, other: Piece) -> Piece:
        return Piece(self.packets + other.packets, self.frame_size)

    def cut(self, max_frames: int) -> list[Piece]:
        """The piece in as few parts as keep each within ``max_frames`` samples, of about equal
        length (a 7 s turn in two of 3.5 s, not 6 s and 1 s), cut between MP3 frames."""
        per_part = max(1, max_frames // self.frame_size)
        parts = max(1, math.ceil(len(self.packets) / per_part))
        size, longer = divmod(len(self.packets), parts)  # the first ``longer`` get one more
        bounds = [i * size + min(i, longer) for i in range(parts + 1)]
        return [
            Piece(self.packets[start:end], self.frame_size)
            for start, end in itertools.pairwise(bounds)
        ]


# What MP3 codes up to MAX_RATE (MPEG-2 and 2.5 Layer III).
_MP3_RATES = (8_000, 11_025, 12_000, 16_000, 22_050, 24_000)


def stream_rate(rate: int) -> int:
    """The stream's rate for a job at ``rate``: the same where MP3 codes it, else the nearest
    above (every rate a job may ask for is one MP3 codes; an engine's own may not be)."""
    return next((r for r in _MP3_RATES if r >= rate), MAX_RATE)


class Mp3Stream:
    """Float mono samples in at ``rate``; not thread-safe (one writer at a time)."""

    def __init__(self, rate: int) -> None:
        self.rate = stream_rate(rate)
        self._resampler = soxr.ResampleStream(rate, self.rate, 1) if rate != self.rate else None
        codec = av.CodecContext.create("libmp3lame", "w")
        assert isinstance(codec, av.AudioCodecContext)
        codec.sample_rate = self.rate
        codec.layout = "mono"
        codec.format = "fltp"
        codec.bit_rate = BIT_RATE
        codec.options = {"reservoir": "0", "compression_level": _LAME_QUALITY}
        codec.open()
        self._codec = codec

    def encode(self, samples: np.ndarray, *, silence_before: int = 0) -> Piece:
        """``silence_before`` zeros (counted at the input rate), then ``samples``."""
        block = np.concatenate([np.zeros(silence_before, np.float32), samples.astype(np.float32)])
        if self._resampler is not None:
            block = self._resampler.resample_chunk(block)
        if not len(block):
            return Piece((), self._codec.frame_size)
        return self._piece(self._codec.encode(self._frame(block)))

    def flush(self) -> Piece:
        """The stream's last frames: what the resampler and the encoder still hold."""
        tail: list[av.Packet] = []
        if self._resampler is not None:
            rest = self._resampler.resample_chunk(np.zeros(0, np.float32), last=True)
            if len(rest):
                tail += self._codec.encode(self._frame(rest))
        tail += self._codec.encode(None)
        return self._piece(tail)

    def _frame(self, block: np.ndarray) -> av.AudioFrame:
        frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="fltp", layout="mono")
        frame.sample_rate = self.rate
        return frame

    def _piece(self, packets: list[av.Packet]) -> Piece:
        # A decoder plays every frame whole (no gapless header in a raw stream): frame_size each.
        return Piece(tuple(bytes(p) for p in packets), self._codec.frame_size)
