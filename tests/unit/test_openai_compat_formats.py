"""The job's file as OpenAI's formats: pcm is raw 16-bit mono at 24 kHz, whatever the WAV's
rate; aac is the M4A's own AAC frames in ADTS, not encoded again."""

from __future__ import annotations

import io
import wave

import av
import numpy as np

from ttsjobs_gateway.openai_compat.formats import adts_of, pcm_of

RATE = 24_000


def _wav(samples: np.ndarray, rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def _m4a(seconds: float) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="ipod") as container:
        stream = container.add_stream("aac", rate=RATE)
        stream.layout = "mono"  # type: ignore[union-attr]
        tone = (np.sin(np.arange(int(seconds * RATE)) / 5) * 8000).astype(np.int16)
        for at in range(0, len(tone), 1024):
            frame = av.AudioFrame.from_ndarray(tone[None, at : at + 1024], format="s16",
                                               layout="mono")  # fmt: skip
            frame.sample_rate, frame.pts = RATE, at
            for packet in stream.encode(frame):  # type: ignore[union-attr]
                container.mux(packet)
        for packet in stream.encode(None):  # type: ignore[union-attr]
            container.mux(packet)
    return out.getvalue()


def test_pcm_is_the_wavs_samples_at_24_khz():
    tone = (np.sin(np.arange(RATE) / 7) * 10_000).astype(np.int16)
    assert pcm_of(_wav(tone, RATE)) == tone.astype("<i2").tobytes()
    resampled = pcm_of(_wav(np.repeat(tone, 2), 48_000))
    assert abs(len(resampled) // 2 - RATE) <= 64  # one second at 24 kHz, resampler's edges


def test_aac_is_adts_of_the_same_frames():
    m4a = _m4a(1.0)
    adts = adts_of(m4a)
    assert adts[:2] in (b"\xff\xf1", b"\xff\xf9")  # the ADTS sync word
    with av.open(io.BytesIO(m4a)) as source, av.open(io.BytesIO(adts)) as wrapped:
        assert wrapped.format.name == "aac"
        original = [bytes(p) for p in source.demux(audio=0) if p.size]
        # The ADTS demuxer hands each frame with its 7-byte header (no CRC: 0xfff1).
        rewrapped = [bytes(p)[7:] for p in wrapped.demux(audio=0) if p.size]
    assert rewrapped == original and len(original) > 20
