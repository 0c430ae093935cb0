"""Put a job's turns together into one audio file: in order, a short pause between turns."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import soundfile as sf

from ttsjobs.contracts.job_request import OutputFormat
from ttsjobs_synthesis.providers.base import Speech

_SOUNDFILE_FORMATS: dict[OutputFormat, tuple[str, str | None]] = {
    OutputFormat.wav: ("WAV", "PCM_16"),
    OutputFormat.flac: ("FLAC", "PCM_16"),
    OutputFormat.mp3: ("MP3", "MPEG_LAYER_III"),
    OutputFormat.ogg: ("OGG", "VORBIS"),
}


@dataclass(frozen=True)
class Span:
    start_ms: int
    end_ms: int


def resample(speech: Speech, rate: int) -> np.ndarray:
    """Linear resampling: enough to join voices of different rates within one job."""
    if speech.sample_rate == rate or len(speech.samples) == 0:
        return speech.samples
    n_out = round(len(speech.samples) * rate / speech.sample_rate)
    positions = np.linspace(0, len(speech.samples) - 1, n_out)
    return np.interp(positions, np.arange(len(speech.samples)), speech.samples).astype(np.int16)


def join_turns(turns: list[Speech], *, pause_ms: int) -> tuple[np.ndarray, int, list[Span]]:
    """The samples, their rate (the first turn's) and where each turn sits, in milliseconds."""
    rate = turns[0].sample_rate
    pause = np.zeros(round(rate * pause_ms / 1000), dtype=np.int16)
    parts: list[np.ndarray] = []
    spans: list[Span] = []
    cursor = 0
    for i, speech in enumerate(turns):
        if i:
            parts.append(pause)
            cursor += len(pause)
        samples = resample(speech, rate)
        parts.append(samples)
        spans.append(Span(_ms(cursor, rate), _ms(cursor + len(samples), rate)))
        cursor += len(samples)
    return np.concatenate(parts), rate, spans


def encode(samples: np.ndarray, rate: int, output_format: OutputFormat) -> bytes:
    container, subtype = _SOUNDFILE_FORMATS[output_format]
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format=container, subtype=subtype)
    return buffer.getvalue()


def _ms(samples: int, rate: int) -> int:
    return round(samples * 1000 / rate)
