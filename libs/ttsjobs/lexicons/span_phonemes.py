"""A turn's own phonemes (SSML ``<phoneme>``, a turn's ``spoken_as``) checked as a lexicon's are:
phonemes the voice cannot read (its engine takes no phonemes, or not in that alphabet, or a
symbol it has no sound for) are said as written instead, with a warning on the job, where a
lexicon entry's would have been refused at submit. The gateway warns with these at casting, and
synthesis leaves out the same spans."""

from __future__ import annotations

from ttsjobs.contracts.casting_warnings import by_turns, spoken_language
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.lexicon import UsedEntry
from ttsjobs.contracts.turn_markup import SpokenAs
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs.lexicons.alphabets import phoneme_problem


def phonemes_refused(span: SpokenAs, written: str, provider: str, language: str) -> str | None:
    """Why the engine cannot read a span's phonemes in ``language``, or None (also for a span
    that gives none)."""
    if span.phoneme is None or span.alphabet is None:
        return None
    # Built without validation: a span's text need not be a lexicon's grapheme.
    entry = UsedEntry.model_construct(
        lexicon="turn", grapheme=written, phoneme=span.phoneme, alphabet=span.alphabet
    )
    return phoneme_problem(
        entry, alphabet=span.alphabet, provider=provider, voice_language=language
    )


def refused_phoneme_warnings(cast: MultiRoleRequest, catalogue: ProviderCatalogue) -> list[str]:
    """A warning for each kind of phonemes turns give that their voice cannot read, naming the
    turns."""
    turns_of: dict[str, list[int]] = {}
    for i, turn in enumerate(cast.turns):
        voice = catalogue.voice(cast.voice_assignments[turn.speaker].voice or "")
        if voice is None or not turn.spoken_as:
            continue
        language = spoken_language(turn, voice)
        for span in turn.spoken_as:
            written = turn.text[span.char_start : span.char_end]
            refused = phonemes_refused(span, written, catalogue.provider, language)
            if refused is not None:
                what = f"phonemes that {voice.id} cannot read ({refused}): said as written"
                if i + 1 not in turns_of.setdefault(what, []):
                    turns_of[what].append(i + 1)
    return by_turns(turns_of)
