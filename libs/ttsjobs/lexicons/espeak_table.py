"""English IPA and espeak-ng's phoneme mnemonics for it (what goes inside espeak's ``[[...]]``).

The common symbols of English dictionaries' IPA, both American and British, as espeak-ng's
``en`` and ``en-us`` phoneme tables name them. Read longest symbol first, so that "eɪ" is one
diphthong and "tʃ" one affricate. Anything not here is refused by name: a guess would speak
something the user never asked for.
"""

from __future__ import annotations

IPA_TO_ESPEAK: dict[str, str] = {
    # Stress, length, boundaries
    "ˈ": "'", "'": "'", "ˌ": ",", "ː": ":", ".": "", "‿": "", " ": " ",
    # Diphthongs and r-coloured vowels
    "eɪ": "eI", "aɪ": "aI", "ɔɪ": "OI", "aʊ": "aU", "oʊ": "oU", "əʊ": "oU", "ɪə": "i@",
    "ɪɚ": "i@", "eə": "e@", "ɛə": "e@", "ɛɚ": "e@", "ʊə": "U@", "ʊɚ": "U@", "ɑːɹ": "A@",
    "ɑɹ": "A@", "ɔːɹ": "O@", "ɔɹ": "O@",
    # Vowels
    "iː": "i:", "i": "i", "ɪ": "I", "e": "e", "ɛ": "E", "æ": "a", "a": "a", "ɑː": "A:",
    "ɑ": "A:", "ɒ": "0", "ɔː": "O:", "ɔ": "O:", "o": "oU", "ʊ": "U", "uː": "u:", "u": "u:",
    "ʌ": "V", "ə": "@", "ɐ": "a#", "ɜː": "3:", "ɜ": "3:", "ɝ": "3:", "ɚ": "3", "ᵻ": "I2",
    "ᵊ": "@",
    # Consonants
    "tʃ": "tS", "ʧ": "tS", "dʒ": "dZ", "ʤ": "dZ", "p": "p", "b": "b", "t": "t", "d": "d",
    "k": "k", "ɡ": "g", "g": "g", "f": "f", "v": "v", "θ": "T", "ð": "D", "s": "s", "z": "z",
    "ʃ": "S", "ʒ": "Z", "h": "h", "m": "m", "n": "n", "ŋ": "N", "l": "l", "ɫ": "l", "r": "r",
    "ɹ": "r", "ɾ": "*", "w": "w", "j": "j", "ʔ": "?", "x": "x", "ç": "C",
    "l̩": "@L", "n̩": "@n", "m̩": "@m", "ʍ": "w",
}  # fmt: skip
