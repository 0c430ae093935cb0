"""A turn's language and markup on the engines that read them, in this process (espeak is
milliseconds a sentence): a turn in another language is read by that language's voice with its
variant kept; a phoneme span goes to espeak as phonemes for its place only; a turn's words for a
span are timed over the span as written."""

from __future__ import annotations

import numpy as np
import pytest

from ttsjobs.contracts.turn_markup import SpokenAs
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.espeak import EspeakProvider
from ttsjobs_synthesis.providers.kokoro import LANGUAGES, speaking


@pytest.fixture(scope="module")
def espeak() -> EspeakProvider:
    return EspeakProvider()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """The same speech: espeak's runs differ by a few samples at their ends, not more."""
    if abs(len(a) - len(b)) > 0.01 * max(len(a), len(b)):
        return False
    frame = 441  # 20 ms: the loudness envelope, which a shift of a few samples leaves alone
    n = min(len(a), len(b)) // frame * frame

    def envelope(x: np.ndarray) -> np.ndarray:
        return np.sqrt((x[:n].astype(np.float64) ** 2).reshape(-1, frame).mean(axis=1))

    return float(np.corrcoef(envelope(a), envelope(b))[0, 1]) > 0.95


def test_a_turn_in_another_language_is_read_by_that_languages_voice(espeak: EspeakProvider):
    text = "你好，世界。"
    as_mandarin = espeak.synthesize(text, "cmn", speed=1.0).samples
    switched = espeak.synthesize(
        text, "en-us", speed=1.0, pronunciation=Pronunciation(language="zh")
    ).samples
    english = espeak.synthesize(text, "en-us", speed=1.0).samples
    assert _same(switched, as_mandarin)
    assert not _same(english, as_mandarin)
    # The voice's variant stays: a different sound from the plain Mandarin voice.
    variant = espeak.synthesize(
        text, "en-us+f3", speed=1.0, pronunciation=Pronunciation(language="zh")
    ).samples
    assert not _same(variant, as_mandarin)


def test_a_language_espeak_lacks_leaves_the_voice_its_own(espeak: EspeakProvider):
    plain = espeak.synthesize("Hello.", "en-us", speed=1.0).samples
    unknown = Pronunciation(language="qaa")  # private use: no voice speaks it
    assert _same(
        espeak.synthesize("Hello.", "en-us", speed=1.0, pronunciation=unknown).samples, plain
    )


def test_a_phoneme_span_is_said_as_its_phonemes_for_its_place_only(espeak: EspeakProvider):
    text = "tomato tomato"
    banana = SpokenAs(char_start=7, char_end=13, phoneme="bənˈænə", alphabet="ipa")
    marked = espeak.synthesize(
        text, "en-us", speed=1.0, pronunciation=Pronunciation(spoken_as=(banana,))
    )
    said = espeak.synthesize("tomato banana", "en-us", speed=1.0)
    plain = espeak.synthesize(text, "en-us", speed=1.0)
    assert not _same(marked.samples, plain.samples)
    assert abs(len(marked.samples) - len(said.samples)) < 0.15 * len(said.samples)
    assert marked.timing is not None
    assert [(w.text, w.char_start, w.char_end) for w in marked.timing.words] == [
        ("tomato", 0, 6),
        ("tomato", 7, 13),
    ]


def test_kokoro_reads_a_turn_in_the_nearest_language_it_has():
    english = LANGUAGES["a"]
    assert speaking(english, None) is english
    assert speaking(english, "zh-TW").tag == "zh-CN"
    assert speaking(english, "en-GB").tag == "en-GB"
    assert speaking(english, "en-AU") is english, "en-US reads English as well as en-GB would"
    assert speaking(english, "de-DE") is english, "no German: the voice's own"


def test_espeak_picks_the_languages_plainest_voice(espeak: EspeakProvider):
    def picked(wanted: str) -> str | None:
        voice = espeak._speaking("en-US", wanted)
        return voice.id if voice else None

    assert picked("fr") == "fr-fr", "France's French, not the first listed (Belgium's)"
    assert picked("fr-BE") == "fr-be"
    assert picked("zh-TW") == "cmn"
    assert picked("pt-BR") == "pt-br"
    assert picked("en") is None, "the voice's own language"
