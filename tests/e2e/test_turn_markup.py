"""A turn's own delivery and markup, sent as JSON to the multi-role route (what SSML becomes),
through the real stack: its speed, volume and language override its role's; an alias, a
phoneme and a say-as apply to their own place only, heard by Whisper; its marks are timed in
the job's word timing and the alignment JSON; a pitch the voice cannot do is a warning on the
job. espeak where the voice does not matter, one short Kokoro sentence where it is listened to.
"""

from __future__ import annotations

from typing import Any

import httpx
import numpy as np
import pytest

from tests.support import listening
from tests.support.decoding import decoded
from tests.support.jobs import stored_timing, submit, wait_for_status

pytestmark = pytest.mark.e2e

SAID = "The quick brown fox jumps over the lazy dog."


def _job(provider: str, voice: str, *turns: dict[str, Any]) -> dict[str, Any]:
    return {
        "provider": provider,
        "title": "turn markup",
        "output_format": "wav",
        "pause_ms": 300,
        "voice_assignments": {"A": {"voice": voice}},
        "turns": [{"speaker": "A", **turn} for turn in turns],
    }


def _span(text: str, part: str, nth: int = 0, **how: Any) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return {"char_start": start, "char_end": start + len(part), **how}


async def _finished(api: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]
    return job


async def _audio(api: httpx.AsyncClient, job: dict[str, Any]) -> bytes:
    response = await api.get(job["links"]["download"])
    assert response.status_code == 200, response.text
    return response.content


def _rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples.astype(np.float64) ** 2)) + 1e-12))


async def test_a_turns_speed_volume_and_language_override_its_roles(stack, api):
    job = await _finished(
        api,
        _job(
            "espeak",
            "en-us",
            {"text": SAID},
            {"text": SAID, "speed": 1.5},
            {"text": SAID, "volume": 0.5, "pitch": 1.4},
            {"text": "你好，世界。", "language": "zh"},
        ),
    )
    assert job["warnings"] == [], "espeak has pitch, and a Mandarin voice"
    timings = sorted(job["result"]["turn_timings"], key=lambda t: t["index"])
    lengths = [t["end_ms"] - t["start_ms"] for t in timings]
    assert lengths[1] < 0.8 * lengths[0], lengths
    samples, rate = decoded(await _audio(api, job))
    if samples.ndim > 1:
        samples = samples.mean(axis=1)

    def turn(i: int) -> np.ndarray:
        return samples[timings[i]["start_ms"] * rate // 1000 : timings[i]["end_ms"] * rate // 1000]

    # Both turns are levelled alike; the turn's own volume is the gain after that: half, -6 dB.
    quieter = _rms_db(turn(0)) - _rms_db(turn(2))
    assert 4.5 < quieter < 7.5, quieter
    # The English voice's turn in Mandarin, read by espeak's Mandarin voice: each Han character
    # is a timed syllable of its own.
    mandarin = {t["index"]: t for t in stored_timing(stack, job)["turns"]}[3]
    assert [c["text"] for c in mandarin["characters"]] == list("你好世界")


async def test_an_alias_and_a_phoneme_apply_to_their_own_place_and_pitch_is_a_warning(api):
    text = "WWW and WWW, and a Zorblax."
    turn = {
        "text": text,
        "pitch": 1.2,
        "spoken_as": [
            _span(text, "WWW", alias="World Wide Web"),
            _span(text, "Zorblax", phoneme="bənˈænə", alphabet="ipa"),
        ],
    }
    job = await _finished(api, _job("kokoro", "af_heart", turn))
    assert job["warnings"] == [
        "turn 1 asks for a pitch that kokoro voice af_heart cannot do: spoken at its own pitch"
    ]
    heard = listening.transcribe(await _audio(api, job), "en")
    words = listening.words(heard)
    assert " ".join(words).count("world wide web") == 1, heard
    assert "banana" in words, heard
    assert any(w.startswith("w") and w not in ("world", "wide", "web") for w in words), heard


async def test_say_as_is_heard_where_it_is_marked_only(api):
    english = "Call 5550123 or 5550123."
    mandarin = "號碼是123。"
    marked = {"text": english, "spoken_as": [_span(english, "5550123", interpret_as="telephone")]}
    job = await _finished(api, _job("kokoro", "af_heart", marked))
    heard = listening.transcribe(await _audio(api, job), "en")
    # Digit by digit is heard as the digits; the unmarked number as a cardinal (5,550,123, or
    # Whisper's guess at five million and its parts), never the same run of digits.
    marked_heard, _, unmarked_heard = heard.partition(" or ")
    assert "".join(filter(str.isdigit, marked_heard)) == "5550123", heard
    assert "," in unmarked_heard or "".join(filter(str.isdigit, unmarked_heard)) != "5550123", heard
    # Mandarin digits one by one, as Taiwan says them (一, not 幺). Alone in its turn: beside an
    # unmarked 123, Whisper writes both as numerals.
    job = await _finished(
        api,
        _job(
            "kokoro",
            "zf_xiaoxiao",
            {"text": mandarin, "spoken_as": [_span(mandarin, "123", interpret_as="digits")]},
        ),
    )
    heard = listening.transcribe(await _audio(api, job), "zh")
    assert "一二三" in heard, heard


async def test_a_marks_time_lies_between_its_neighbours_words(stack, api):
    text = "Red green blue."
    marks = [
        {"name": "before-green", "char_offset": text.index("green")},
        {"name": "at-end", "char_offset": len(text)},
    ]
    job = await _finished(
        api, _job("espeak", "en-us", {"text": "Hi."}, {"text": text, "marks": marks})
    )
    (turn,) = [t for t in stored_timing(stack, job)["turns"] if t["index"] == 1]
    red, green, blue = turn["words"]
    before_green, at_end = turn["marks"]
    assert before_green["name"] == "before-green"
    assert red["end_ms"] <= before_green["time_ms"] <= green["start_ms"] < blue["start_ms"]
    assert blue["end_ms"] <= at_end["time_ms"]
    end_of_turn = {t["index"]: t for t in job["result"]["turn_timings"]}[1]["end_ms"]
    assert at_end["time_ms"] == end_of_turn
    response = await api.get(f"/api/v1/jobs/{job['id']}/captions", params={"format": "alignment"})
    assert response.status_code == 200, response.text
    alignment = response.json()
    names = [m["name"] for m in alignment["marks"]]
    assert names == ["before-green", "at-end"]
    at = alignment["marks"][0]["character_index"]
    assert "".join(alignment["characters"][at : at + 5]) == "green"


async def test_what_the_voice_cannot_do_is_done_as_near_as_it_can_with_warnings(api):
    text = "A tomato, please."
    turn = {
        "text": text,
        "speed": 3.0,
        "spoken_as": [_span(text, "tomato", phoneme="təˈmɑːtəʊ", alphabet="ipa")],
    }
    job = await _finished(api, _job("piper", "en_US-joe-medium", turn))
    warnings = job["warnings"]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("turn 1 asks for a speed past piper voice"), warnings
    assert warnings[0].endswith("spoken at 2.0x"), warnings
    assert "piper takes no phonemes" in warnings[1] and "said as written" in warnings[1], warnings
