"""Mastering and formats on the real stack, measured on the download by a meter of its own
(pyloudnorm, scipy's 4x resampler): espeak's speech mastered for a podcast (-16 LUFS, true
peak under -1 dBTP) and for ACX (RMS, peaks, noise floor), each reported in the result;
M4A with the asked bitrate served as audio/mp4; bad bitrates refused naming the field."""

from __future__ import annotations

import pytest

from tests.support import loudness
from tests.support.decoding import bitrate_kbps, decoded
from tests.support.jobs import SUBMIT, dialogue, submit, wait_for_status

pytestmark = pytest.mark.e2e


def _podcast_talk(**overrides: object) -> dict:
    """Two hosts 6 dB apart by their roles' volume, as a producer would mix them."""
    body = dialogue("espeak", title="mastered", **overrides)
    body["voice_assignments"]["Bob"] = {"voice": "en-gb-x-rp", "volume": 0.5}
    return body


async def _download(api, body: dict) -> tuple[dict, bytes]:
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]
    response = await api.get(job["links"]["download"])
    assert response.status_code == 200
    return job, response.content


async def test_a_podcast_is_mastered_to_minus_16_lufs_under_minus_1_dbtp(api):
    job, data = await _download(api, _podcast_talk(output_format="flac", mastering="podcast"))
    samples, rate = decoded(data)
    measured = loudness.integrated_lufs(samples, rate)
    assert abs(measured + 16) <= 1.0, measured
    assert loudness.true_peak_dbtp(samples) <= -1.0
    reported = job["result"]["loudness"]
    assert reported["preset"] == "podcast"
    assert abs(reported["integrated_lufs"] - measured) < 0.2
    assert reported["true_peak_dbtp"] <= -1.0 and reported["loudness_range_lu"] >= 0
    assert job["input"]["mastering"] == "podcast", "kept with the job, for a rerun"


async def test_an_audiobook_meets_acx_as_an_mp3(api):
    # A second between paragraphs: ACX measures its noise floor where nobody speaks.
    body = _podcast_talk(output_format="mp3", bitrate_kbps=192, mastering="audiobook")
    _, data = await _download(api, body | {"pause_ms": 1000})
    samples, rate = decoded(data)
    assert -23.0 <= loudness.rms_db(samples) <= -18.0
    assert loudness.sample_peak_db(samples) <= -3.0
    assert loudness.noise_floor_db(samples, rate) <= -60.0
    assert rate == 48000, "192 kb/s is more than MP3 codes at espeak's 22 kHz"
    assert bitrate_kbps(data) == pytest.approx(192, abs=1)


async def test_m4a_at_a_bitrate_is_served_as_audio_mp4(api):
    job, data = await _download(api, dialogue("espeak", output_format="m4a", bitrate_kbps=64))
    response = await api.get(job["links"]["download"])
    assert response.headers["content-type"] == "audio/mp4"
    assert response.headers["content-disposition"].endswith('.m4a"')
    assert data[4:12] == b"ftypM4A ", "an M4A file by its brand"
    samples, rate = decoded(data)
    assert rate == 22050 and abs(len(samples) / rate * 1000 - job["result"]["duration_ms"]) < 120
    assert bitrate_kbps(data) == pytest.approx(64, rel=0.2)
    assert job["result"]["loudness"]["preset"] == "none"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"output_format": "mp3", "bitrate_kbps": 400}, "mp3 codes 32 to 320 kb/s"),
        ({"output_format": "wav", "bitrate_kbps": 128}, "wav takes no bitrate"),
        ({"output_format": "mp3", "bitrate_kbps": 256, "sample_rate": 22050}, "at most 160"),
    ],
)
async def test_a_bad_bitrate_is_a_problem_naming_the_field(api, fields, reason):
    response = await api.post(SUBMIT, json=dialogue("espeak", **fields))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["bitrate_kbps"]
    assert reason in errors[0]["reason"]


async def test_an_unknown_mastering_preset_is_a_problem_naming_the_field(api):
    response = await api.post(SUBMIT, json=dialogue("espeak", mastering="loud"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["mastering"]
