"""A ``<voice>`` of SSML as a role of the job: a voice name that is a catalogue id is that
voice; any other name (Azure's "zh-TW-HsiaoChenNeural", Polly's "Joanna", Google's
"en-US-Wavenet-D") is a speaker cast by the language and gender its name tells, from the small
tables here; SSML 1.1's own ``gender`` and ``xml:lang`` say the same where given.

Emits nothing; ``role_of`` gives the speaker's name and its voice assignment (as JSON fields).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ttsjobs.contracts.job_request import Gender

# Azure: "<locale>-<Name>[Multilingual]Neural"; the locale is the language.
_AZURE = re.compile(r"^(?P<lang>[a-z]{2,3}-[A-Z]{2})-(?P<name>[A-Za-z]+?)(?:Multilingual)?Neural$")
# Google: "<locale>-<family>-<letter>"; cmn-TW is Taiwan's Mandarin (our zh-TW).
_GOOGLE = re.compile(
    r"^(?P<lang>[a-z]{2,3}-[A-Z]{2})-(?:Standard|Wavenet|Neural2|News|Studio|Polyglot|Journey"
    r"|Casual)-(?P<letter>[A-Z])$"
)
_GOOGLE_LANGUAGES = {"cmn-TW": "zh-TW", "cmn-CN": "zh-CN", "yue-HK": "zh-HK"}
F, M = Gender.female, Gender.male
# Azure's given names (the part between locale and "Neural"), as its voice list genders them.
AZURE_GENDERS: dict[str, Gender] = {
    **dict.fromkeys(
        "Jenny Aria Ava Emma Sara Jane Nancy Michelle Ana Amber Ashley Cora Elizabeth Monica"
        " Libby Sonia Natasha Clara Xiaoxiao Xiaoyi Xiaochen Xiaohan Xiaomo Xiaoqiu Xiaorui"
        " Xiaoshuang Xiaoxuan Xiaoyan Xiaoyou Xiaozhen HsiaoChen HsiaoYu HiuMaan HiuGaai Nanami"
        " Aoi Mayu Shiori SunHi Katja Denise Elvira Isabella".split(), F
    ),
    **dict.fromkeys(
        "Guy Davis Andrew Brian Christopher Eric Jacob Jason Roger Steffan Tony Brandon Ryan"
        " Thomas William Yunxi Yunyang Yunjian Yunxia Yunze Yunhao YunJhe WanLung Keita Daichi"
        " Naoki InJoon Conrad Henri Alvaro Diego".split(), M
    ),
}  # fmt: skip
# Google's letters, for the locales whose list is stable across its families.
GOOGLE_GENDERS: dict[str, dict[str, Gender]] = {
    "en-US": {"A": M, "B": M, "C": F, "D": M, "E": F, "F": F, "G": F, "H": F, "I": M, "J": M},
    "cmn-TW": {"A": F, "B": M, "C": M},
    "cmn-CN": {"A": F, "B": M, "C": M, "D": F},
}
# Polly's voices by name: (language, gender).
POLLY: dict[str, tuple[str, Gender]] = {
    **{n: ("en-US", F) for n in "Joanna Ivy Kendra Kimberly Salli Ruth Danielle".split()},
    **{n: ("en-US", M) for n in "Matthew Justin Joey Kevin Stephen Gregory".split()},
    **{n: ("en-GB", F) for n in "Amy Emma".split()},
    **{n: ("en-GB", M) for n in "Brian Arthur".split()},
    **{n: ("en-AU", F) for n in "Nicole Olivia".split()},
    "Russell": ("en-AU", M),
    "Zhiyu": ("zh-CN", F),
    "Hiujin": ("zh-HK", F),
    **{n: ("ja-JP", F) for n in "Mizuki Kazuha Tomoko".split()},
    "Takumi": ("ja-JP", M),
    "Seoyeon": ("ko-KR", F),
    **{n: ("fr-FR", F) for n in "Celine Céline Lea Léa".split()},
    "Mathieu": ("fr-FR", M),
    **{n: ("de-DE", F) for n in "Marlene Vicki".split()},
    "Hans": ("de-DE", M),
}


@dataclass(frozen=True)
class Wish:
    language: str | None = None
    gender: Gender | None = None


def wish_of(name: str) -> Wish:
    """What a vendor's voice name tells of its language and gender (either may be None)."""
    if (azure := _AZURE.match(name)) is not None:
        return Wish(azure.group("lang"), AZURE_GENDERS.get(azure.group("name")))
    if (google := _GOOGLE.match(name)) is not None:
        locale = google.group("lang")
        gender = GOOGLE_GENDERS.get(locale, {}).get(google.group("letter"))
        return Wish(_GOOGLE_LANGUAGES.get(locale, locale), gender)
    if name in POLLY:
        language, gender = POLLY[name]
        return Wish(language, gender)
    return Wish()


@dataclass(frozen=True)
class Role:
    speaker: str
    assignment: dict[str, Any]  # VoiceAssignment's fields; empty: cast by the text
    language: str | None  # the role's language, for a phoneme's alphabet


SPEAKER_MAX = 64


def role_of(
    attrs: dict[str, str], voice_ids: Collection[str], default_language: str | None
) -> Role:
    """The role a ``<voice>`` element stands for."""
    name = attrs.get("name", "").strip()
    languages = attrs.get("languages", "").split()  # SSML 1.1's; xml:lang is 1.0's
    language: str | None = attrs.get("xml:lang") or (languages[0] if languages else None)
    gender = attrs.get("gender", "").strip().lower() or None
    if name and name in voice_ids:
        return Role(name[:SPEAKER_MAX], {"voice": name}, language or default_language)
    told = wish_of(name) if name else Wish()
    language = language or told.language or default_language
    wished = Gender(gender) if gender in ("female", "male") else told.gender
    speaker = name[:SPEAKER_MAX] or " ".join(filter(None, [wished, language])) or "voice"
    assignment: dict[str, Any] = {}
    if language is not None:
        assignment["language"] = language
    if wished is not None:
        assignment["gender"] = wished.value
    return Role(speaker, assignment, language)
