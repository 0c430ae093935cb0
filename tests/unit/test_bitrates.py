"""A lossy format's bitrate: checked against the format's range (naming the field), refused on
lossless formats, and honoured by the encoder as ffmpeg reads the file back."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.assembly import assembled
from tests.support.decoding import bitrate_kbps, decoded
from tests.support.jobs import dialogue
from ttsjobs.contracts.job_request import (
    MultiRoleRequest,
    OutputFormat,
    RequestLimits,
    request_problems,
)
from ttsjobs.contracts.single import SingleRequest, expand
from ttsjobs_synthesis.providers.base import Speech


def _problems(**fields: object) -> dict[str, str]:
    request = MultiRoleRequest.model_validate(dialogue() | fields)
    return {p.field: p.reason for p in request_problems(request, RequestLimits())}


@pytest.mark.parametrize(
    ("fmt", "kbps"),
    [("mp3", 32), ("mp3", 320), ("opus", 16), ("opus", 256), ("m4a", 32), ("m4a", 192)],
)
def test_a_bitrate_in_the_formats_range_is_taken(fmt, kbps):
    assert _problems(output_format=fmt, bitrate_kbps=kbps) == {}


@pytest.mark.parametrize(
    ("fmt", "kbps", "reason"),
    [
        ("mp3", 31, "mp3 codes 32 to 320 kb/s"),
        ("mp3", 321, "mp3 codes 32 to 320 kb/s"),
        ("opus", 8, "opus codes 16 to 256 kb/s"),
        ("m4a", 512, "m4a codes 32 to 192 kb/s"),
        ("wav", 128, "wav takes no bitrate"),
        ("flac", 128, "flac takes no bitrate"),
        ("ogg", 128, "ogg takes no bitrate"),
    ],
)
def test_a_bitrate_out_of_range_or_on_a_lossless_format_names_the_field(fmt, kbps, reason):
    assert reason in _problems(output_format=fmt, bitrate_kbps=kbps)["bitrate_kbps"]


def test_a_high_bitrate_at_a_low_rate_is_refused():
    assert "at most 160 kb/s" in _problems(
        output_format="mp3", bitrate_kbps=192, sample_rate=24000
    ).get("bitrate_kbps", "")
    assert _problems(output_format="mp3", bitrate_kbps=160, sample_rate=24000) == {}
    assert _problems(output_format="m4a", bitrate_kbps=128, sample_rate=48000) == {}


def test_a_bitrate_is_a_whole_number():
    for wrong in ("128", 128.5, True):
        with pytest.raises(ValueError, match="bitrate_kbps"):
            MultiRoleRequest.model_validate(dialogue() | {"bitrate_kbps": wrong})


def test_a_single_text_carries_its_mastering_and_bitrate_into_its_turns():
    single = SingleRequest.model_validate(
        {"text": "One. Two.", "voice": "af_heart", "output_format": "mp3", "bitrate_kbps": 96}
        | {"mastering": "podcast"}
    )
    request = expand(single, RequestLimits())
    assert request.bitrate_kbps == 96 and request.mastering.value == "podcast"


def _noise(seconds: float, rate: int) -> Speech:
    # Noise, so that a VBR encoder cannot spend less than asked on an easy signal.
    rng = np.random.default_rng(7)
    return Speech((rng.standard_normal(int(seconds * rate)) * 3000).astype(np.int16), rate)


@pytest.mark.parametrize(
    ("fmt", "kbps", "rate"),
    [
        (OutputFormat.mp3, 48, 24000),
        (OutputFormat.mp3, 320, 48000),
        (OutputFormat.opus, 24, 48000),
        (OutputFormat.opus, 128, 48000),
        (OutputFormat.m4a, 64, 24000),
        (OutputFormat.m4a, 160, 48000),
    ],
)
async def test_the_encoder_codes_at_the_asked_bitrate(fmt, kbps, rate):
    # A voice at 24 kHz: a bitrate that rate cannot carry is coded at 48 kHz.
    job = await assembled([_noise(6, 24000)], fmt=fmt, bitrate_kbps=kbps)
    measured = bitrate_kbps(job.data)
    # MP3 is constant; Opus and AAC vary around the target (Ogg's pages add a little).
    assert abs(measured - kbps) <= 0.15 * kbps, measured
    samples, decoded_rate = decoded(job.data)
    assert decoded_rate == rate and abs(len(samples) / rate - 6) < 0.1
