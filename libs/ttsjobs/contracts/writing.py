"""Which writing systems a voice's language can read.

A Han character sent to an English voice is not an engine failure to retry: the gateway refuses
it with a 422 naming the turn and the voice's language, and synthesis checks again.
"""

from __future__ import annotations

import re

_SCRIPTS = {
    "Han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"),
    "Japanese kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),
    "Hangul": re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"),
}
# Which of those scripts each language (BCP 47 primary subtag) reads; all others read none.
_READS = {
    "zh": {"Han"},
    "cmn": {"Han"},
    "yue": {"Han"},
    "ja": {"Han", "Japanese kana"},
    "ko": {"Hangul"},
}


def script_problem(text: str, language: str) -> str | None:
    """Why a voice of ``language`` cannot read ``text``, or None when it can."""
    primary = language.split("-", 1)[0].lower()
    readable = _READS.get(primary, set())
    for script, pattern in _SCRIPTS.items():
        if script not in readable and pattern.search(text):
            return f"the text has {script} characters, which a voice of {language} cannot read"
    return None
