"""When Kokoro speaks each word and character of the user's text.

Kokoro is given phonemes; the model with durations (kokoro_durations.py) says when each phoneme
is spoken. What is built here is the other half: the phoneme string together with which of its
stretches says which stretch of the user's text (a ``PhonemeMap``), made on the same path that
makes the phonemes, so the map cannot drift from what was synthesized. Offsets are code points
into the text ``synthesize()`` was given: "40–60°C" is timed as written, not as "forty to sixty".

English (and the other espeak languages) is phonemised a sentence run at a time, which keeps its
flow but lets espeak run words together ("of the" → ``ʌvðə``); each word is phonemised alone
too, and the two are aligned phoneme by phoneme to find where each word lies in the run. Mandarin
is read word by word already (prepare_text/mandarin.py: jieba's words), one pinyin syllable per
character, so its characters are timed by syllable. Elsewhere a word's time is shared evenly by
its characters: the model times phonemes, and letters are not phonemes.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from misaki.zh import ZHG2P

from ttsjobs_synthesis.prepare_text.engine_text import normaliser_for, planned
from ttsjobs_synthesis.prepare_text.mandarin import SpokenWord, joined
from ttsjobs_synthesis.prepare_text.plan import Normaliser, Piece, said_text
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.base import TimedSpan, Timing

# A said word, for lining words up with espeak's phonemes: letters and digits, joined by
# apostrophes, hyphens or dots inside ("we'll", "forty-two", "U.N").
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
# What espeak writes that is not a sound of a word: stress, spaces, punctuation.
_NOT_A_SOUND = set(" ˈˌ.,;:!?—…\"'()-“”")


@dataclass(frozen=True)
class Spoken:
    """A stretch of the phoneme string and the stretch of the user's text it says."""

    phoneme_start: int
    phoneme_end: int
    char_start: int
    char_end: int
    # The characters' own stretches of phonemes (Mandarin: one per syllable); empty: the
    # word's time is shared evenly by its characters.
    characters: tuple[Spoken, ...] = ()


@dataclass
class PhonemeMap:
    phonemes: str = ""
    words: list[Spoken] = field(default_factory=list)

    def append(self, phonemes: str, words: Sequence[Spoken]) -> None:
        """Add a part as ``" ".join`` would, its words' phoneme offsets moved along."""
        stripped = phonemes.strip()
        if not stripped:
            return
        lead = len(phonemes) - len(phonemes.lstrip())
        base = len(self.phonemes) + (1 if self.phonemes else 0) - lead
        self.phonemes += (" " if self.phonemes else "") + stripped
        self.words += [_shifted(word, base, len(self.phonemes)) for word in words]


def _shifted(word: Spoken, by: int, limit: int) -> Spoken:
    start = min(max(word.phoneme_start + by, 0), limit)
    end = min(max(word.phoneme_end + by, start), limit)
    inner = tuple(_shifted(c, by, limit) for c in word.characters)
    return Spoken(start, end, word.char_start, word.char_end, inner)


# --- English and the other languages espeak phonemises ----------------------------------------


def espeak_map(
    text: str,
    language: str,
    pronunciation: Pronunciation,
    *,
    phonemise: Callable[[str], str],
    reading: Callable[[Piece], str],
) -> PhonemeMap:
    """Kokoro's phonemes for a voice espeak phonemises, and where each word is in them; the
    phonemes are engine_text.phonemised()'s: said pieces phonemised together, lexicon readings
    spliced in between."""
    normalise = normaliser_for(language)
    out = PhonemeMap()
    run: list[Piece] = []

    def flush() -> None:
        if run:
            out.append(*_said_run(text, run, normalise, phonemise))
            run.clear()

    for piece in planned(text, language, pronunciation):
        if piece.said is not None:
            run.append(piece)
            continue
        flush()
        phonemes = reading(piece)
        out.append(phonemes, [Spoken(0, len(phonemes), piece.start, piece.end)])
    flush()
    return out


def _said_run(
    text: str,
    run: list[Piece],
    normalise: Normaliser | None,
    phonemise: Callable[[str], str],
) -> tuple[str, list[Spoken]]:
    """A run of said pieces phonemised together, and its words: a word a normaliser or an alias
    said for written text is that written text, whole ("40–60°C" is one word)."""
    said = ""
    # Where each said character comes from in the user's text.
    origin: list[tuple[int, int]] = []
    for piece in run:
        piece_said = said_text(piece, normalise)
        if piece.source == "text":
            origin += [(piece.start + i, piece.start + i + 1) for i in range(len(piece_said))]
        else:
            origin += [(piece.start, piece.end)] * len(piece_said)
        said += piece_said
    phonemes = phonemise(said)
    said_words = list(_WORD.finditer(said))
    labels = _word_labels(phonemes, [phonemise(w.group()) for w in said_words])
    words: list[Spoken] = []
    for index, word in enumerate(said_words):
        placed = [i for i, label in enumerate(labels) if label == index]
        if not placed:
            continue
        char_start = min(origin[i][0] for i in range(word.start(), word.end()))
        char_end = max(origin[i][1] for i in range(word.start(), word.end()))
        spoken = Spoken(placed[0], placed[-1] + 1, char_start, char_end)
        if words and words[-1].char_start == char_start and words[-1].char_end == char_end:
            # Words said for one written stretch: one word, as long as all of them.
            spoken = Spoken(words[-1].phoneme_start, spoken.phoneme_end, char_start, char_end)
            words[-1] = spoken
        else:
            words.append(spoken)
    return phonemes, words


def _word_labels(phonemes: str, word_phonemes: list[str]) -> list[int | None]:
    """For each phoneme of a run, which word says it (None: a space, a mark, stress): the run
    is aligned with the words phonemised one by one, so words espeak ran together, or said
    a little differently in context, still find their phonemes."""
    reference = [
        (sound, index)
        for index, alone in enumerate(word_phonemes)
        for sound in alone
        if sound not in _NOT_A_SOUND
    ]
    sounds = [(i, sound) for i, sound in enumerate(phonemes) if sound not in _NOT_A_SOUND]
    matcher = difflib.SequenceMatcher(
        None, [s for _, s in sounds], [s for s, _ in reference], autojunk=False
    )
    found: list[int | None] = [None] * len(sounds)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[block.a + k] = reference[block.b + k][1]
    # A sound said differently in context belongs to the word around it.
    last: int | None = next((label for label in found if label is not None), None)
    for k, label in enumerate(found):
        if label is None:
            found[k] = last
        else:
            last = label
    labels: list[int | None] = [None] * len(phonemes)
    for (at, _), label in zip(sounds, found, strict=True):
        labels[at] = label
    # Stress marks lead their syllable: they belong to the word of the sound after them.
    for at in range(len(phonemes) - 2, -1, -1):
        if phonemes[at] in "ˈˌ" and labels[at + 1] is not None:
            labels[at] = labels[at + 1]
    return labels


# --- Mandarin ----------------------------------------------------------------------------------


def mandarin_map(words: list[SpokenWord]) -> PhonemeMap:
    """The phonemes mandarin.joined() makes of these words, and where each word is in them."""
    out = ""
    placed: list[tuple[int, int, SpokenWord]] = []
    for word in words:
        phonemes = word.phonemes.strip()
        if not phonemes:
            out += " "
        elif word.syllables or word.source == "latin" or phonemes[0].isalpha():
            out += " " if out and not out.endswith(" ") else ""
            placed.append((len(out), len(out) + len(phonemes), word))
            out += phonemes
        else:
            out = out.rstrip() + phonemes + " "
    collapsed, moved = _collapse_spaces(out)
    assert collapsed == joined(words)
    result = PhonemeMap(phonemes=collapsed)
    for start, end, word in placed:
        if not _is_spoken(word.text, word.source):
            continue
        spoken = [moved[i] for i in range(start, end) if moved[i] is not None]
        if spoken:
            first, last = spoken[0], spoken[-1]
            assert first is not None and last is not None
            span = Spoken(first, last + 1, word.start, word.end)
            result.words += _mandarin_word(word, span, collapsed)
    return result


def _mandarin_word(word: SpokenWord, span: Spoken, phonemes: str) -> list[Spoken]:
    """A word with its characters by syllable where each Han character has its own; a Latin run
    of several words as those words, when espeak gave one group of phonemes for each."""
    said = phonemes[span.phoneme_start : span.phoneme_end]
    if word.source == "latin":
        written = list(re.finditer(r"\S+", word.text))
        groups = list(re.finditer(r"\S+", said))
        if len(written) > 1 and len(written) == len(groups):
            return [
                Spoken(
                    span.phoneme_start + g.start(),
                    span.phoneme_start + g.end(),
                    word.start + w.start(),
                    word.start + w.end(),
                )
                for w, g in zip(written, groups, strict=True)
            ]
        return [span]
    han = [i for i, ch in enumerate(word.text) if _is_han(ch)]
    syllables = [ZHG2P.py2ipa(s) for s in word.syllables]
    if word.source == "normalised" or len(han) != len(syllables) or "".join(syllables) != said:
        return [span]
    characters, at = [], span.phoneme_start
    for index, syllable in zip(han, syllables, strict=True):
        characters.append(
            Spoken(at, at + len(syllable), word.start + index, word.start + index + 1)
        )
        at += len(syllable)
    return [Spoken(span.phoneme_start, span.phoneme_end, word.start, word.end, tuple(characters))]


def _collapse_spaces(text: str) -> tuple[str, list[int | None]]:
    """``" ".join(text.split())`` and where each of ``text``'s characters went (None: a space
    that went)."""
    out: list[str] = []
    moved: list[int | None] = []
    for ch in text:
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            moved.append(None)
        else:
            moved.append(len(out))
            out.append(ch)
    if out and out[-1] == " ":
        out.pop()
    return "".join(out), moved


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK")


def _is_spoken(text: str, source: str) -> bool:
    """Whether a word says anything: not bare punctuation (a normalised or lexicon stretch
    always does, whatever it is written with)."""
    if source not in ("text", "g2p", "taiwan", "rule", "other"):
        return True
    return any(unicodedata.category(ch)[0] in "LNS" for ch in text)


# --- Times -------------------------------------------------------------------------------------


def timing_of(text: str, mapped: PhonemeMap, spoken: Sequence[tuple[str, float, float]]) -> Timing:
    """The words' and characters' times from each phoneme's (phoneme, start s, end s), as the
    model said them: kokoro-onnx drops the spaces where it cut the text into batches and any
    phoneme it has no token for, so the two are walked side by side rather than by index."""
    starts: list[float | None] = [None] * len(mapped.phonemes)
    ends: list[float | None] = [None] * len(mapped.phonemes)
    at = 0
    for phoneme, start, end in spoken:
        found = mapped.phonemes.find(phoneme, at)
        if found < 0:  # not ours (never seen): skip it rather than lose the rest
            continue
        starts[found], ends[found] = start, end
        at = found + 1

    def span_of(part: Spoken) -> TimedSpan | None:
        begun = [s for s in starts[part.phoneme_start : part.phoneme_end] if s is not None]
        ended = [e for e in ends[part.phoneme_start : part.phoneme_end] if e is not None]
        if not begun or not ended:
            return None
        start = min(begun)
        # The space token before a word is the model's onset of it: measured on the audio
        # after a full stop or a comma, where the onset is plain to see, a word's sound begins
        # within about 15 ms of that space's start, 50-75 ms before its own first phoneme
        # (between words said without a pause, about halfway through the space).
        before = part.phoneme_start - 1
        if before >= 0 and mapped.phonemes[before] == " ":
            space_start = starts[before]
            if space_start is not None:
                start = min(start, space_start)
        return _span(text, part.char_start, part.char_end, start, max(ended))

    words: list[TimedSpan] = []
    characters: list[TimedSpan] = []
    for word in mapped.words:
        timed = span_of(word)
        if timed is None:
            continue
        words.append(timed)
        if word.characters:
            characters += [c for c in map(span_of, word.characters) if c is not None]
        else:
            characters += _shared(text, timed)
    return Timing(words=tuple(words), characters=tuple(characters))


def _span(text: str, char_start: int, char_end: int, start: float, end: float) -> TimedSpan:
    return TimedSpan(
        text=text[char_start:char_end],
        start_ms=round(start * 1000),
        end_ms=round(end * 1000),
        char_start=char_start,
        char_end=char_end,
    )


def _shared(text: str, word: TimedSpan) -> list[TimedSpan]:
    """The word's time shared evenly by the code points it speaks (not its spaces)."""
    points = [i for i in range(word.char_start, word.char_end) if not text[i].isspace()]
    if not points:
        return []
    step = (word.end_ms - word.start_ms) / len(points)
    return [
        TimedSpan(
            text=text[i],
            start_ms=round(word.start_ms + k * step),
            end_ms=round(word.start_ms + (k + 1) * step),
            char_start=i,
            char_end=i + 1,
        )
        for k, i in enumerate(points)
    ]
