"""Kokoro's word timing without the model: the phoneme string built with its map back to the
user's text (the same string the engine path gave before), espeak's run-together words found
in their run, Mandarin characters by pinyin syllable, a cached turn keeping its timing, and the
durations model built by the install step the Dockerfile and Makefile run."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ttsjobs_synthesis.prepare_text.engine_text import phonemised
from ttsjobs_synthesis.prepare_text.mandarin import MandarinStage
from ttsjobs_synthesis.prepare_text.plan import Piece
from ttsjobs_synthesis.prepare_text.pronunciation import PLAIN
from ttsjobs_synthesis.providers import kokoro_assets
from ttsjobs_synthesis.providers.base import Speech, TimedSpan, Timing
from ttsjobs_synthesis.providers.kokoro_timing import (
    _word_labels,
    espeak_map,
    mandarin_map,
    timing_of,
)
from ttsjobs_synthesis.segments import decode_segment, encode_segment

ROOT = Path(__file__).resolve().parents[2]


def _letters(said: str) -> str:
    """A stand-in phonemiser: one 'phoneme' a letter, words apart, marks kept."""
    return " ".join(re.findall(r"[a-z]+[,.!?;]?", said.lower()))


def _reading(piece: Piece) -> str:
    return piece.phoneme or ""


def _even(phonemes: str, step: float = 0.01) -> list[tuple[str, float, float]]:
    """Every phoneme lasting ``step`` seconds, the spaces dropped as kokoro-onnx drops those
    where it cut the text into batches."""
    out, at = [], 0.0
    for index, phoneme in enumerate(phonemes):
        if phoneme == " " and index % 3 == 0:
            continue
        out.append((phoneme, at, at + step))
        at += step
    return out


def _spans_point_at_the_text(text: str, spans: tuple[TimedSpan, ...]) -> None:
    last = 0
    for span in spans:
        assert span.text == text[span.char_start : span.char_end], span
        assert last <= span.start_ms < span.end_ms, span
        last = span.start_ms


def test_espeak_words_run_together_are_found_in_their_run():
    # espeak says "of the" as one group: ʌvðə; each word alone is ʌv and ðə.
    run = "ʌvðə pˈiːpəl, baɪ ðə pˈiːpəl"
    labels = _word_labels(run, ["ʌv", "ðə", "pˈiːpəl", "bˈaɪ", "ðə", "pˈiːpəl"])
    by_word: dict[int, str] = {}
    for sound, label in zip(run, labels, strict=True):
        if label is not None:
            by_word[label] = by_word.get(label, "") + sound
    assert by_word == {0: "ʌv", 1: "ðə", 2: "pˈiːpəl", 3: "baɪ", 4: "ðə", 5: "pˈiːpəl"}


def test_english_offsets_time_what_the_user_wrote_not_what_was_said():
    text = "It was 40–60°C, said Ann."
    mapped = espeak_map(text, "en-US", PLAIN, phonemise=_letters, reading=_reading)
    same = phonemised(text, "en-US", PLAIN, phonemise=_letters, reading=_reading)
    assert mapped.phonemes == same, "timing must not change what the engine is given"
    timing = timing_of(text, mapped, _even(mapped.phonemes))
    assert [w.text for w in timing.words] == ["It", "was", "40–60°C", "said", "Ann"]
    degrees = timing.words[2]
    assert (degrees.char_start, degrees.char_end) == (7, 14)
    # "forty to sixty degrees Celsius" is many phonemes: the written word lasts all of them.
    assert degrees.end_ms - degrees.start_ms > 5 * (
        timing.words[3].end_ms - timing.words[3].start_ms
    )
    _spans_point_at_the_text(text, timing.words)
    _spans_point_at_the_text(text, timing.characters)
    assert "".join(c.text for c in timing.characters) == "Itwas40–60°CsaidAnn"


def test_mandarin_characters_are_timed_by_syllable_in_traditional_script():
    text = "銀行行長在重慶長大，溫度是40–60°C。"
    stage = MandarinStage(english=lambda words: words.lower())
    words = stage.words(text, PLAIN)
    mapped = mandarin_map(words)
    assert mapped.phonemes == stage.phonemes(text, PLAIN)
    timing = timing_of(text, mapped, _even(mapped.phonemes))
    _spans_point_at_the_text(text, timing.words)
    _spans_point_at_the_text(text, timing.characters)
    assert "40–60°C" in [w.text for w in timing.words]
    assert [c.text for c in timing.characters[:9]] == list("銀行行長在重慶長大")
    # 行 read háng, then xíng: two syllables, two spans that follow each other.
    first, second = timing.characters[1], timing.characters[2]
    assert (first.char_start, second.char_start) == (1, 2)
    assert first.end_ms <= second.start_ms
    assert "，" not in [c.text for c in timing.characters], "punctuation is not spoken"


def test_a_cached_turn_keeps_its_timing():
    timing = Timing(
        words=(TimedSpan("銀行", 10, 250, 0, 2),),
        characters=(TimedSpan("銀", 10, 120, 0, 1), TimedSpan("行", 120, 250, 1, 2)),
    )
    speech = Speech(np.arange(-900, 900, dtype=np.int16), 24_000, -20.0, timing=timing)
    back = decode_segment(*encode_segment(speech))
    assert back.timing == timing
    assert np.array_equal(back.samples, speech.samples) and back.loudness_lufs == -20.0
    untimed = decode_segment(*encode_segment(Speech(speech.samples, 24_000)))
    assert untimed.timing is None


def test_the_durations_model_is_made_by_the_install_step_the_image_and_make_run():
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    command = "-m ttsjobs_synthesis.providers.kokoro_assets install"
    assert command in dockerfile and command in makefile
    # The step writes the timed model beside the original, and the engine loads that one.
    assert kokoro_assets.TIMED_MODEL_FILE != kokoro_assets.MODEL_FILE
    assert kokoro_assets.TIMED_MODEL_SHA256 != kokoro_assets.MODEL_SHA256
