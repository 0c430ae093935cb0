"""Kokoro's word and character timing from the real model (no servers): the durations output
adds up to the audio and leaves it bit-identical, the install step builds that model, offsets
point at the user's text as written, and the times agree with what an independent ear hears:
Whisper's own word timestamps (tests/support/listening.py), never our durations themselves."""

from __future__ import annotations

import io
import re

import numpy as np
import onnxruntime
import pytest
import soundfile as sf

from tests.support import listening
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN
from ttsjobs_synthesis.providers import kokoro_assets
from ttsjobs_synthesis.providers.base import Speech, TimedSpan
from ttsjobs_synthesis.providers.kokoro import LANGUAGES, KokoroProvider, check_durations
from ttsjobs_synthesis.providers.kokoro_durations import DURATION_OUTPUT, FRAME_SAMPLES

ENGLISH = "The ferries were late again, it was 40–60°C, so we walked across the old stone bridge."
ENGLISH_WORDS = (
    "The ferries were late again it was 40–60°C so we walked across the old stone bridge"
)
MANDARIN = "今天早上渡輪又誤點了，溫度是40–60°C，我們只好走過那座古老的石橋。"
# The bound on the median distance between our word starts and Whisper's.
AGREEMENT_MS = 120


@pytest.fixture(scope="module")
def kokoro() -> KokoroProvider:
    return KokoroProvider(threads=2)


@pytest.fixture(scope="module")
def english(kokoro) -> Speech:
    return kokoro.synthesize(ENGLISH, "af_heart", speed=1.0)


@pytest.fixture(scope="module")
def mandarin(kokoro) -> Speech:
    return kokoro.synthesize(MANDARIN, "zf_xiaoxiao", speed=1.0)


def _wav(speech: Speech) -> bytes:
    out = io.BytesIO()
    sf.write(out, speech.samples, speech.sample_rate, format="WAV")
    return out.getvalue()


def _session(path) -> onnxruntime.InferenceSession:
    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def original() -> onnxruntime.InferenceSession:
    """The model as it ships, without the durations output."""
    return _session(kokoro_assets.check_model(kokoro_assets.default_dir()))


def test_the_durations_add_up_to_the_audio_which_stays_bit_identical(kokoro, original):
    folder = kokoro_assets.default_dir()
    engine = kokoro._kokoro()
    timed = engine.sess  # the provider's own: the model with durations
    plain = original
    voices = np.load(kokoro_assets.check_voices(folder))
    mandarin = kokoro._mandarin().phonemes("銀行行長在重慶長大。", PLAIN)
    for phonemes, voice in [("ðə fˈɛɹiz wɜː lˈeɪt.", "af_heart"), (mandarin, "zf_xiaoxiao")]:
        tokens = engine.tokenizer.tokenize(phonemes)
        inputs = {
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": voices[voice][len(tokens) - 1],
            "speed": np.array([1.0], dtype=np.float32),
        }
        audio, duration = timed.run(["audio", DURATION_OUTPUT], inputs)
        assert duration.shape == (1, len(tokens) + 2), "one count per token, pads included"
        assert int(duration.sum()) * FRAME_SAMPLES == audio.size
        [alone] = plain.run(["audio"], inputs)
        assert np.array_equal(audio, alone), "the second output changed the audio"
    check_durations(engine, voices["af_heart"])  # what warm-up checks


def test_a_timed_turn_sounds_as_it_did_before_timing(kokoro, english, original):
    """Same samples as kokoro-onnx's create() on the original model gave: timing a turn
    neither changes the model's audio nor tops up its pauses."""
    from kokoro_onnx import Kokoro

    folder = kokoro_assets.default_dir()
    before = Kokoro.from_session(original, str(folder / kokoro_assets.VOICES_FILE))
    phonemes = kokoro._phoneme_map(ENGLISH, LANGUAGES["a"], PLAIN).phonemes
    audio, _ = before.create(phonemes, voice=kokoro._styles["af_heart"], is_phonemes=True)
    samples = np.clip(np.asarray(audio) * 32767.0, -32768, 32767).astype(np.int16)
    assert np.array_equal(samples, english.samples)


def test_the_install_step_builds_the_durations_model_beside_the_original(tmp_path):
    installed = kokoro_assets.default_dir()
    for name in (kokoro_assets.MODEL_FILE, kokoro_assets.VOICES_FILE, kokoro_assets.JIEBA_CACHE):
        (tmp_path / name).symlink_to(installed / name)
    kokoro_assets.main(["install", "--dir", str(tmp_path)])
    built = kokoro_assets.check_timed_model(tmp_path)  # the pinned sha256
    assert built.parent == tmp_path and not built.is_symlink()
    outputs = [o.name for o in _session(built).get_outputs()]
    assert outputs == ["audio", DURATION_OUTPUT]


def _points_at(text: str, spans: tuple[TimedSpan, ...], speech: Speech) -> None:
    last = 0
    for span in spans:
        assert span.text == text[span.char_start : span.char_end], span
        assert last <= span.start_ms < span.end_ms <= speech.duration_ms, span
        last = span.start_ms


def test_offsets_point_at_traditional_text_and_a_number_as_written(english, mandarin):
    assert mandarin.timing is not None and english.timing is not None
    _points_at(MANDARIN, mandarin.timing.words, mandarin)
    _points_at(MANDARIN, mandarin.timing.characters, mandarin)
    assert [c.text for c in mandarin.timing.characters][10:12] == list("溫度")
    assert [c.text for c in mandarin.timing.characters][4:6] == list("渡輪"), "as written"
    [degrees] = [w for w in mandarin.timing.words if w.char_start == MANDARIN.index("40")]
    assert degrees.text == "40–60°C"

    _points_at(ENGLISH, english.timing.words, english)
    _points_at(ENGLISH, english.timing.characters, english)
    assert [w.text for w in english.timing.words] == ENGLISH_WORDS.split()


def test_english_word_times_agree_with_whisper(english):
    assert english.timing is not None
    ours = [(w.text.lower(), w.start_ms) for w in english.timing.words]
    heard = [
        (re.sub(r"[^a-z0-9']", "", w.text.lower()), w.start_ms)
        for w in listening.heard_words(_wav(english), "en")
    ]
    gap = listening.median_start_gap(ours, heard)
    assert gap <= AGREEMENT_MS, (gap, ours, heard)


def test_mandarin_character_times_agree_with_whisper(mandarin):
    assert mandarin.timing is not None
    ours = [(listening.simplified(c.text), c.start_ms) for c in mandarin.timing.characters]
    # Whisper's Mandarin words are one or two characters: its time is its first one's.
    heard = [
        (word.text[0], word.start_ms)
        for word in listening.heard_words(_wav(mandarin), "zh")
        if word.text and re.match(r"\w", word.text[0])
    ]
    gap = listening.median_start_gap(ours, heard)
    assert gap <= AGREEMENT_MS, (gap, ours, heard)
