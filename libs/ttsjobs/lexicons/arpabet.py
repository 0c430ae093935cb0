"""CMU ARPAbet (ElevenLabs' second alphabet: "T AE1 L AH0 N") read into IPA, which we store.

ARPAbet is the CMU Pronouncing Dictionary's 39 phonemes for American English, space-separated,
each vowel with a stress digit (1 primary, 2 secondary, 0 none; ElevenLabs' examples also omit
it). IPA writes stress before the syllable; the mark goes here just before the vowel, as
espeak-ng and misaki write their own IPA, which both engines read the same way.
https://elevenlabs.io/docs/product/prompting/pronunciation
http://www.speech.cs.cmu.edu/cgi-bin/cmudict
"""

from __future__ import annotations

from ttsjobs.lexicons.problems import LexiconProblem

NAMES = frozenset({"cmu-arpabet", "arpabet", "x-arpabet"})

_CONSONANTS = {
    "B": "b", "CH": "tʃ", "D": "d", "DH": "ð", "F": "f", "G": "ɡ", "HH": "h", "JH": "dʒ",
    "K": "k", "L": "l", "M": "m", "N": "n", "NG": "ŋ", "P": "p", "R": "ɹ", "S": "s",
    "SH": "ʃ", "T": "t", "TH": "θ", "V": "v", "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ",
}  # fmt: skip
# Stressed and unstressed forms differ for a few: AH is ʌ under stress and ə without, ER is
# ɝ and ɚ, IY long iː and the short final i of "happy".
_VOWELS = {
    "AA": ("ɑ", "ɑ"), "AE": ("æ", "æ"), "AH": ("ʌ", "ə"), "AO": ("ɔ", "ɔ"), "AW": ("aʊ", "aʊ"),
    "AY": ("aɪ", "aɪ"), "EH": ("ɛ", "ɛ"), "ER": ("ɝ", "ɚ"), "EY": ("eɪ", "eɪ"),
    "IH": ("ɪ", "ɪ"), "IY": ("iː", "i"), "OW": ("oʊ", "oʊ"), "OY": ("ɔɪ", "ɔɪ"),
    "UH": ("ʊ", "ʊ"), "UW": ("uː", "uː"),
}  # fmt: skip
_STRESS = {"1": "ˈ", "2": "ˌ"}


def is_arpabet(name: str | None) -> bool:
    return name is not None and name.strip().lower() in NAMES


def arpabet_to_ipa(text: str) -> str:
    """ "T AE1 L AH0 N" -> "tˈælən". Raises LexiconProblem("phoneme", ...) naming a phoneme
    ARPAbet does not have."""
    spoken = []
    for symbol in text.upper().split():
        base, digit = (symbol[:-1], symbol[-1]) if symbol[-1:].isdigit() else (symbol, "")
        if base in _CONSONANTS and not digit:
            spoken.append(_CONSONANTS[base])
        elif base in _VOWELS and digit in ("", "0", "1", "2"):
            stressed, unstressed = _VOWELS[base]
            # No digit says nothing of stress; most vowels of longer words are unstressed.
            weak = digit in ("", "0")
            spoken.append(_STRESS.get(digit, "") + (unstressed if weak else stressed))
        else:
            raise LexiconProblem("phoneme", f"CMU ARPAbet has no phoneme {symbol!r}")
    if not spoken:
        raise LexiconProblem("phoneme", "CMU ARPAbet needs at least one phoneme")
    return "".join(spoken)
