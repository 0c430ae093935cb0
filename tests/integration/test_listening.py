"""The suite's ears (tests/support/listening.py): Whisper base, joined from its PyPI parts,
hears espeak's English as written, and a different sentence differently."""

from __future__ import annotations

import io

import pytest
import soundfile as sf

from tests.support import listening
from ttsjobs_synthesis.providers.espeak import EspeakProvider


@pytest.fixture(scope="module")
def espeak():
    return EspeakProvider()


def _wav(espeak: EspeakProvider, text: str) -> bytes:
    speech = espeak.synthesize(text, "en-us", speed=1.0)
    out = io.BytesIO()
    sf.write(out, speech.samples, speech.sample_rate, format="WAV")
    return out.getvalue()


def test_espeak_english_is_heard_as_written(espeak, tmp_path):
    greeting = listening.transcribe(_wav(espeak, "Good morning, how are you today?"), "en")
    assert listening.words(greeting) == ["good", "morning", "how", "are", "you", "today"]
    # From a file too, and a different sentence is heard differently: the ears are not stuck.
    window = tmp_path / "window.wav"
    window.write_bytes(_wav(espeak, "Please open the window."))
    heard = listening.transcribe(window, "en")
    assert listening.words(heard) == ["please", "open", "the", "window"]


def test_mandarin_comes_back_in_simplified_script_with_its_vocabulary():
    traditional = "我用滑鼠點開軟體，可是記憶體不夠"
    assert listening.simplified(traditional) == "我用滑鼠点开软体，可是记忆体不够"


def test_the_parts_join_into_the_pinned_model_once(tmp_path):
    folder = listening.install_model(tmp_path / "whisper")
    model = folder / "model.bin"
    assert listening._sha256_of(model) == listening.MODEL_SHA256
    assert {p.name for p in folder.iterdir()} == {"model.bin", *listening.BESIDE_THE_MODEL}
    inode = model.stat().st_ino
    listening.install_model(folder)
    assert model.stat().st_ino == inode, "a second install joined the parts again"
