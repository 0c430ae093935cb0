"""A job's opening turn said in pieces on two real Kokoro processes (turns.py, opening_turn.py):
cut at a sentence end, both pieces said, joined so that a listener hears the whole turn, and
its character times, moved across the join, agree with what Whisper hears."""

from __future__ import annotations

import difflib
import io
import re
from types import SimpleNamespace

import pytest
import pytest_asyncio
import soundfile as sf

from tests.support import listening
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs_synthesis.engines import ProviderEngines
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.registry import entry
from ttsjobs_synthesis.turn_order import TurnOrderGate
from ttsjobs_synthesis.turns import _opening_spans, _Saying

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPENING = (
    "歡迎收聽城市渡輪，我是今天的主持人小曉。今天我們要聊的是淡水到八里的渡輪，它已經開了很多年。"
)
AGREEMENT_MS = 120  # the bound, as for a turn said whole


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def engines():
    pool = ProviderEngines(
        {"kokoro": entry("kokoro").engine(processes=2)}, turn_timeout_s=120.0,
        timeout_per_char_s=0.0,
    )  # fmt: skip
    yield pool
    pool.close()


def _context(engines, text: str = OPENING, voice: str = "zf_xiaoxiao") -> SimpleNamespace:
    """What a turn's engine calls read of the job's context."""
    request = MultiRoleRequest.model_validate(
        {"turns": [{"speaker": "host", "text": text}], "provider": "kokoro",
         "voice_assignments": {"host": {"voice": voice}}}
    )  # fmt: skip

    async def never(job_id: str) -> bool:
        return False

    return SimpleNamespace(
        job_id="j", request=request, engines=engines, cancel_requested=never,
        draining=lambda: False,
    )  # fmt: skip


async def test_an_opening_said_in_two_pieces_is_heard_whole_and_timed_across_the_join(engines):
    ctx = _context(engines)
    pronunciation = Pronunciation(reading="taiwan")
    spans = _opening_spans(ctx, 0, "kokoro", OPENING, pronunciation)  # type: ignore[arg-type]
    assert len(spans) == 2 and OPENING[spans[0][1] - 1] == "。"
    saying = _Saying(ctx, 0, TurnOrderGate(2, 1), "kokoro", "zf_xiaoxiao", 1.0, 1.0)  # type: ignore[arg-type]
    speech, _ = await saying.say_in_pieces(OPENING, spans, pronunciation)
    assert speech.timing is not None
    characters = speech.timing.characters
    spoken = [c for c in OPENING if re.match(r"\w", c)]
    assert [c.text for c in characters] == spoken  # every character, in order, once
    assert all(OPENING[c.char_start : c.char_end] == c.text for c in characters)
    starts = [c.start_ms for c in characters]
    assert starts == sorted(starts)
    second = next(c for c in characters if c.char_start >= spans[1][0])
    assert second.start_ms >= speech.duration_ms * 0.3  # the second piece comes after the first

    wav = io.BytesIO()
    sf.write(wav, speech.samples, speech.sample_rate, format="WAV")
    heard = [
        (word.text[0], word.start_ms)
        for word in listening.heard_words(wav.getvalue(), "zh")
        if word.text and re.match(r"\w", word.text[0])
    ]
    ours = [(listening.simplified(c.text), c.start_ms) for c in characters]
    gap = listening.median_start_gap(ours, heard)
    assert gap <= AGREEMENT_MS, (gap, ours, heard)


ENGLISH = (
    "Welcome back to the morning show, where we talk about the boats across the river. "
    "Today we ride from the old market to the island, and it takes a little while."
)


async def test_an_english_opening_in_pieces_is_heard_word_for_word(engines):
    ctx = _context(engines, ENGLISH, "af_heart")
    pronunciation = Pronunciation()
    spans = _opening_spans(ctx, 0, "kokoro", ENGLISH, pronunciation)  # type: ignore[arg-type]
    assert len(spans) == 2
    saying = _Saying(ctx, 0, TurnOrderGate(2, 1), "kokoro", "af_heart", 1.0, 1.0)  # type: ignore[arg-type]
    speech, _ = await saying.say_in_pieces(ENGLISH, spans, pronunciation)
    assert speech.timing is not None
    words = speech.timing.words
    # Each word points at itself in the text, in order, the second piece's after the first's.
    assert all(ENGLISH[w.char_start : w.char_end] == w.text for w in words)
    assert [w.start_ms for w in words] == sorted(w.start_ms for w in words)
    assert any(w.char_start >= spans[1][0] for w in words)
    wav = io.BytesIO()
    sf.write(wav, speech.samples, speech.sample_rate, format="WAV")
    heard = listening.heard_words(wav.getvalue(), "en")
    said = listening.words(" ".join(w.text for w in heard))
    # Every word heard, the join included (a recogniser may still mishear one).
    likeness = difflib.SequenceMatcher(None, said, listening.words(ENGLISH)).ratio()
    assert likeness >= 0.95, " ".join(said)
    ours = [(w.text.lower(), w.start_ms) for w in words]
    theirs = [(re.sub(r"[^a-z0-9']", "", w.text.lower()), w.start_ms) for w in heard]
    gap = listening.median_start_gap(ours, theirs)
    assert gap <= AGREEMENT_MS, (gap, ours, theirs)
