"""Alphabet names as the anchors write them, mapped to ours (``Alphabet``), or refused clearly.

- Polly documents ``ipa`` and ``x-sampa`` (PLS is case-insensitive about neither, so we accept
  any case: "x-SAMPA" is what people type).
- Azure writes its own phone set as ``x-microsoft-sapi`` in a lexicon and ``sapi`` in SSML. For
  zh-TW that set *is* Bopomofo ("ㄏㄠˇ"), and for zh-CN it is pinyin with spaced tone numbers
  ("hao 3"), so those two are taken as ``bopomofo`` and ``pinyin``; its sets for other locales,
  and its Universal Phone Set (``x-microsoft-ups``), have no mapping here and are refused.
  https://learn.microsoft.com/azure/ai-services/speech-service/speech-ssml-phonetic-sets
- ElevenLabs' rules take ``ipa`` and ``cmu-arpabet``; ARPAbet is read into IPA (arpabet.py),
  so it names ``ipa`` here and the parsers convert its phonemes (``is_arpabet``).
"""

from __future__ import annotations

from ttsjobs.contracts.lexicon import Alphabet
from ttsjobs.lexicons.arpabet import NAMES as ARPABET_NAMES
from ttsjobs.lexicons.problems import LexiconProblem

_ALIASES = {
    "ipa": Alphabet.ipa,
    "x-sampa": Alphabet.x_sampa,
    "xsampa": Alphabet.x_sampa,
    "pinyin": Alphabet.pinyin,
    "bopomofo": Alphabet.bopomofo,
    "zhuyin": Alphabet.bopomofo,
    "kokoro": Alphabet.kokoro,
    "espeak": Alphabet.espeak,
    "espeak-ng": Alphabet.espeak,
}
_SAPI = {"sapi", "x-microsoft-sapi"}
_SAPI_BY_LANGUAGE = {"zh-tw": Alphabet.bopomofo, "zh-cn": Alphabet.pinyin}
_REFUSED = {
    "ups": "Azure's Universal Phone Set",
    "x-microsoft-ups": "Azure's Universal Phone Set",
}
KNOWN = ", ".join(a.value for a in Alphabet)


def alphabet_named(name: str, *, language: str | None, field: str = "alphabet") -> Alphabet:
    """Our alphabet for ``name`` as found in an upload; ``language`` (xml:lang) decides what
    Azure's "sapi" means. Raises LexiconProblem at ``field`` for anything else."""
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if key in ARPABET_NAMES:
        return Alphabet.ipa  # its phonemes are converted as they are read
    if key in _SAPI:
        tag = (language or "").strip().lower().replace("_", "-")
        if tag in _SAPI_BY_LANGUAGE:
            return _SAPI_BY_LANGUAGE[tag]
        raise LexiconProblem(
            field,
            f"alphabet {name!r} is Azure's phone set for {language or 'an unnamed language'}; "
            "only its zh-TW (Bopomofo) and zh-CN (pinyin) sets are understood here: "
            f"write the phonemes in ipa, or use one of {KNOWN}",
        )
    if key in _REFUSED:
        raise LexiconProblem(
            field, f"alphabet {name!r} ({_REFUSED[key]}) is not supported; use one of {KNOWN}"
        )
    raise LexiconProblem(field, f"unknown alphabet {name!r}; use one of {KNOWN}")
