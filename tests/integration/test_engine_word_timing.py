"""espeak's and piper's word timing, from the engines themselves (no servers): offsets point at
the user's text as written (a normalised "40–60°C", Traditional characters), and the times sit
on the audio's sound and where Whisper hears each word, never checked against the timing
itself."""

from __future__ import annotations

import difflib
import io
import statistics

import numpy as np
import pytest
import soundfile as sf

from tests.support import listening
from ttsjobs.contracts.lexicon import UsedEntry
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.base import Speech, TimedSpan
from ttsjobs_synthesis.providers.espeak import EspeakProvider
from ttsjobs_synthesis.providers.piper import PiperProvider

ENGLISH = "Yes.  Absolutely not; it's 40–60°C in here!"
ENGLISH_WORDS = ["Yes", "Absolutely", "not", "it's", "40–60°C", "in", "here"]


@pytest.fixture(scope="module")
def espeak() -> EspeakProvider:
    return EspeakProvider()


@pytest.fixture(scope="module")
def piper() -> PiperProvider:
    return PiperProvider()


def _rms(speech: Speech, start_ms: int, end_ms: int) -> float:
    rate = speech.sample_rate
    part = speech.samples[start_ms * rate // 1000 : end_ms * rate // 1000].astype(np.float64)
    return float(np.sqrt(np.mean(part**2))) if len(part) else 0.0


def _in_order_within(speech: Speech, spans: tuple[TimedSpan, ...]) -> None:
    ends = [0]
    for span in spans:
        assert ends[-1] <= span.start_ms < span.end_ms <= speech.duration_ms + 1, span
        ends.append(span.end_ms)


def _offsets_point_at_the_text(text: str, spans: tuple[TimedSpan, ...]) -> None:
    for span in spans:
        assert text[span.char_start : span.char_end] == span.text


@pytest.mark.parametrize("engine, voice", [("espeak", "en-us"), ("piper", "en_US-joe-medium")])
def test_english_words_are_timed_where_written(engine, voice, request):
    speech = request.getfixturevalue(engine).synthesize(ENGLISH, voice, speed=1.0)
    assert speech.timing is not None
    words = speech.timing.words
    assert [w.text for w in words] == ENGLISH_WORDS  # the number read as words, timed as written
    _offsets_point_at_the_text(ENGLISH, words)
    _in_order_within(speech, words)
    _offsets_point_at_the_text(ENGLISH, speech.timing.characters)
    _in_order_within(speech, speech.timing.characters)
    assert "".join(c.text for c in speech.timing.characters) == "".join(
        c for w in ENGLISH_WORDS for c in w
    )
    # Against the sound: each word is heard, and "Absolutely" starts after the full stop's pause.
    loud = max(_rms(speech, w.start_ms, w.end_ms) for w in words)
    assert all(_rms(speech, w.start_ms, w.end_ms) > loud / 10 for w in words)
    absolutely = words[1]
    assert _rms(speech, absolutely.start_ms - 80, absolutely.start_ms - 10) < loud / 20
    assert _rms(speech, absolutely.start_ms, absolutely.start_ms + 80) > loud / 5
    # The pause belongs to neither word: "Yes" ends where its sound does.
    assert _rms(speech, words[0].end_ms, absolutely.start_ms - 10) < loud / 20


def test_espeak_times_traditional_mandarin_per_word_and_character(espeak):
    text = "銀行行長在重慶長大。你好！"
    speech = espeak.synthesize(text, "cmn", speed=1.0)
    assert speech.timing is not None
    words, characters = speech.timing.words, speech.timing.characters
    _offsets_point_at_the_text(text, words)
    _offsets_point_at_the_text(text, characters)
    assert "".join(w.text for w in words) == "銀行行長在重慶長大你好"
    assert [c.text for c in characters] == list("銀行行長在重慶長大你好")
    _in_order_within(speech, words)
    _in_order_within(speech, characters)
    hello = words[-1]
    assert hello.text == "你好" and hello.start_ms > speech.duration_ms / 2


def test_espeak_lexicon_alias_times_the_written_word(espeak):
    entry = UsedEntry(lexicon="mine", grapheme="NATS", alias="the nats server")
    text = "Start NATS first."
    speech = espeak.synthesize(
        text, "en-us", speed=1.0, pronunciation=Pronunciation(entries=(entry,))
    )
    assert speech.timing is not None
    assert [w.text for w in speech.timing.words] == ["Start", "NATS", "first"]
    _offsets_point_at_the_text(text, speech.timing.words)


LISTENED = (
    "The old lighthouse keeper climbed the stairs every evening. He lit the lamp, watched the"
    " ships, and wrote a few lines in his notebook before sleeping."
)
AGREEMENT_MS = 120  # the bound on the median distance from Whisper's word starts


@pytest.mark.parametrize("engine, voice", [("espeak", "en-us"), ("piper", "en_US-joe-medium")])
def test_word_starts_agree_with_whisper(engine, voice, request):
    speech = request.getfixturevalue(engine).synthesize(LISTENED, voice, speed=1.0)
    assert speech.timing is not None
    wav = io.BytesIO()
    sf.write(wav, speech.samples, speech.sample_rate, format="WAV")
    ours = [(" ".join(listening.words(w.text)), w.start_ms) for w in speech.timing.words]
    heard = [
        (" ".join(listening.words(w.text)), w.start_ms)
        for w in listening.heard_words(wav.getvalue(), "en")
    ]
    matcher = difflib.SequenceMatcher(None, [u for u, _ in ours], [u for u, _ in heard])
    gaps = [
        abs(ours[block.a + k][1] - heard[block.b + k][1])
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]
    assert len(gaps) >= 0.8 * len(ours), (ours, heard)
    assert statistics.median(gaps) <= AGREEMENT_MS, (ours, heard)
