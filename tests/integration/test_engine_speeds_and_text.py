"""The real engines (no servers): each voice's advertised speeds are what its audio shows, an
engine reads NFD text as it reads NFC, and unpunctuated Chinese reaches Kokoro in pieces it
reads in one pass. Lengths of audio are compared, never times."""

from __future__ import annotations

import functools
import unicodedata

import pytest
from kokoro_onnx.config import MAX_PHONEME_LENGTH

from ttsjobs.contracts.job_request import RequestLimits
from ttsjobs.contracts.single import SingleRequest, expand
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.espeak import EspeakProvider
from ttsjobs_synthesis.providers.kokoro import KokoroProvider
from ttsjobs_synthesis.providers.piper import PiperProvider
from ttsjobs_synthesis.providers.registry import entry

ENGLISH = "The ferries were late again this morning, and the bridge was packed."
MANDARIN = "今天早上渡轮又误点了，桥上挤满了车。"
# How far the audio's length may stray from what a speed asks for: a clamp (espeak's 80 words a
# minute served for 0.25, piper's one frame a phoneme for 4x) is off by half or more.
TOLERANCE = 0.7


@pytest.fixture(scope="module")
def providers():
    return {"espeak": EspeakProvider(), "piper": PiperProvider(), "kokoro": KokoroProvider()}


VOICES = [
    ("espeak", "en-us", ENGLISH),
    ("espeak", "cmn", MANDARIN),
    ("piper", "en_US-joe-medium", ENGLISH),
    ("kokoro", "af_heart", ENGLISH),  # speed is one input of the model, whatever the language
]


@pytest.mark.parametrize(("provider", "voice", "text"), VOICES, ids=[v[1] for v in VOICES])
def test_the_advertised_speed_range_is_what_the_audio_shows(providers, provider, voice, text):
    engine = providers[provider]
    low, high = engine.catalogue().voice(voice).speed_range

    @functools.cache
    def length(speed: float) -> int:
        return len(engine.synthesize(text, voice, speed=speed).samples)

    normal = length(1.0)
    for speed in (low, high):
        shown = normal / length(speed)  # the speed the audio's length shows
        assert TOLERANCE <= shown / speed <= 1 / TOLERANCE, (speed, round(shown, 2))
    # No clamp just inside either end: a little faster is still shorter.
    assert length(low) > 1.1 * length(low * 1.25)
    assert length(high * 0.8) > 1.05 * length(high)


async def test_decomposed_text_is_read_as_the_composed():
    # Kokoro, as its audio is the same every time (espeak-ng's and piper's vary a little).
    # Read as NFD, its phonemiser said "kˈeɪf ɹˈɛsuːmˌɛ" for "kæfˈeɪ ɹˈɛzuːmˌeɪ".
    composed = "Café résumé."
    decomposed = unicodedata.normalize("NFD", composed)
    engines = ProviderEngines({"kokoro": entry("kokoro").engine(processes=1)}, turn_timeout_s=60)
    try:
        nfd = await engines.synthesize("kokoro", decomposed, "af_heart", speed=1.0, pitch=1.0)
        nfc = await engines.synthesize("kokoro", composed, "af_heart", speed=1.0, pitch=1.0)
    finally:
        engines.close()
    assert nfd.samples.tobytes() == nfc.samples.tobytes()


def test_unpunctuated_chinese_reaches_kokoro_in_pieces_it_reads_in_one_pass(providers):
    kokoro = providers["kokoro"]
    run = (
        "今天早上渡轮又误点了桥上挤满了车我们在码头等了很久才坐上船大家都很着急因为要赶去上班"
        "老板说迟到就要扣工资可是天气不好风很大船开得很慢银行行长也在船上他说这种天气应该取消航班"
    )
    text = (run * 4)[:300]
    turns = expand(SingleRequest(text=text, voice="zf_xiaoxiao"), RequestLimits()).turns
    assert "".join(t.text for t in turns) == text
    assert len(turns) >= 4
    for turn in turns:
        # Within Kokoro's context: one model pass (300 characters were three).
        phonemes = kokoro._mandarin().phonemes(turn.text, Pronunciation("taiwan"))
        assert len(phonemes) <= MAX_PHONEME_LENGTH
    for turn in (turns[0], turns[-1]):  # all of them would be 50 s of audio
        speech = kokoro.synthesize(turn.text, "zf_xiaoxiao", speed=1.0)
        # About 0.17 s a character: the whole piece was read, none of it dropped.
        assert 0.1 < speech.duration_ms / 1000 / len(turn.text) < 0.3, turn.text
