"""The segment cache: each turn's raw engine output, stored in the bucket under a key derived
from everything that shapes it. An unchanged turn is never synthesized twice, an edited dialogue
pays only for the turns that changed, and a job redelivered after a crash resumes from the turns
already done."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Protocol

import soundfile as sf

from ttsjobs_synthesis.providers.base import Speech

FORMAT_VERSION = 1  # bump when the stored form of a segment changes


class ObjectStore(Protocol):
    async def exists(self, key: str) -> bool: ...

    async def get_with_metadata(self, key: str) -> tuple[bytes, dict[str, str]] | None: ...

    async def put(
        self, key: str, data: bytes, content_type: str, *, metadata: dict[str, str] | None = None
    ) -> None: ...


def segment_key(
    *, provider: str, voice: str, speed: float, pitch: float, text: str, sample_rate: int
) -> str:
    identity = [
        FORMAT_VERSION,
        provider,
        voice,
        round(speed, 4),
        round(pitch, 4),
        sample_rate,
        text,
    ]
    digest = hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()
    return f"segments/{provider}/{digest[:2]}/{digest}.flac"


def encode_segment(speech: Speech) -> tuple[bytes, dict[str, str]]:
    """FLAC (lossless, about half the size of WAV) and the loudness as object metadata."""
    buffer = io.BytesIO()
    sf.write(buffer, speech.samples, speech.sample_rate, format="FLAC", subtype="PCM_16")
    metadata = {} if speech.loudness_lufs is None else {"lufs": f"{speech.loudness_lufs:.3f}"}
    return buffer.getvalue(), metadata


def decode_segment(data: bytes, metadata: dict[str, str]) -> Speech:
    samples, rate = sf.read(io.BytesIO(data), dtype="int16")
    lufs = metadata.get("lufs")
    return Speech(samples, rate, loudness_lufs=float(lufs) if lufs else None)
