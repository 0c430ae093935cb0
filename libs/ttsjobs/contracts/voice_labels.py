"""What people read about a voice, per UI locale: its display name, its accent said honestly,
and one phrase per engine.

The catalogue's ids (``zf_xiaoxiao``) and espeak-ng's names ("Chinese (Mandarin, latin as
English)") are for machines and linguists. The web app shows ``names``, ``accent`` and
``summary`` in the UI's language instead, and falls back to ``name`` where a voice has none.
Kokoro's Mandarin voices get the characters their romanised ids stand for; English voices keep
their English names in every locale, as people know them. Every Mandarin voice here was trained
on Mainland speech, so its accent says so: nothing should let "中文（台灣）" pass for a Taiwan
accent.

Pure tables and lookups; synthesis applies them to each provider's catalogue (``labelled``).
"""

from __future__ import annotations

from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo, bcp47

LOCALES = ("en", "zh-TW")
Labels = dict[str, str]

# Kokoro's Mandarin voices: the characters their pinyin ids romanise.
KOKORO_MANDARIN = {
    "zf_xiaobei": "曉貝",
    "zf_xiaoni": "曉妮",
    "zf_xiaoxiao": "曉曉",
    "zf_xiaoyi": "曉伊",
    "zm_yunjian": "雲健",
    "zm_yunxi": "雲希",
    "zm_yunxia": "雲夏",
    "zm_yunyang": "雲揚",
}

# espeak-ng's Chinese and English voices, whose own names are English descriptions.
ESPEAK_NAMES: dict[str, Labels] = {
    "cmn": {"en": "Mandarin", "zh-TW": "普通話"},
    "cmn-latn-pinyin": {"en": "Mandarin (reads pinyin)", "zh-TW": "普通話（讀拼音）"},
    "yue": {"en": "Cantonese", "zh-TW": "粵語"},
    "yue-Latn-jyutping": {"en": "Cantonese (reads Jyutping)", "zh-TW": "粵語（讀粵拼）"},
    "en-us": {"en": "American English", "zh-TW": "美式英語"},
    "en-us-nyc": {"en": "New York English", "zh-TW": "紐約英語"},
    "en-gb": {"en": "British English", "zh-TW": "英式英語"},
    "en-gb-x-rp": {"en": "Received Pronunciation", "zh-TW": "英式標準發音"},
    "en-gb-scotland": {"en": "Scottish English", "zh-TW": "蘇格蘭英語"},
    "en-gb-x-gbclan": {"en": "Lancashire English", "zh-TW": "蘭開夏英語"},
    "en-gb-x-gbcwmd": {"en": "West Midlands English", "zh-TW": "西米德蘭英語"},
    "en-029": {"en": "Caribbean English", "zh-TW": "加勒比海英語"},
}

# By BCP 47 tag; a tag not listed takes its longest listed prefix (en-GB-x-RP: en-GB).
ACCENTS: dict[str, Labels] = {
    "zh-CN": {"en": "Mandarin (Mainland China accent)", "zh-TW": "普通話（中國大陸口音）"},
    # espeak-ng's Mandarin reads with Mainland standard pronunciations too.
    "cmn": {"en": "Mandarin (Mainland China accent)", "zh-TW": "普通話（中國大陸口音）"},
    "zh-TW": {"en": "Mandarin (Taiwan accent)", "zh-TW": "國語（台灣口音）"},
    "yue": {"en": "Cantonese", "zh-TW": "粵語"},
    "en-US": {"en": "American English", "zh-TW": "美式英語"},
    "en-GB": {"en": "British English", "zh-TW": "英式英語"},
    "en-GB-scotland": {"en": "Scottish English", "zh-TW": "蘇格蘭英語"},
    "en-029": {"en": "Caribbean English", "zh-TW": "加勒比海英語"},
    "es-ES": {"en": "Spanish (Spain)", "zh-TW": "西班牙語（西班牙）"},
    "es-419": {"en": "Spanish (Latin America)", "zh-TW": "西班牙語（拉丁美洲）"},
    "fr-FR": {"en": "French (France)", "zh-TW": "法語（法國）"},
    "hi-IN": {"en": "Hindi", "zh-TW": "印地語"},
    "it-IT": {"en": "Italian", "zh-TW": "義大利語"},
    "pt-BR": {"en": "Portuguese (Brazil)", "zh-TW": "葡萄牙語（巴西）"},
    "ja": {"en": "Japanese", "zh-TW": "日語"},
    "ko": {"en": "Korean", "zh-TW": "韓語"},
}

SUMMARIES: dict[str, Labels] = {
    "kokoro": {"en": "Neural voices, natural", "zh-TW": "神經網路語音，自然"},
    "piper": {"en": "Neural voices, quick and clear", "zh-TW": "神經網路語音，快速清晰"},
    "espeak": {"en": "Robotic, many languages", "zh-TW": "機械音，支援多種語言"},
    "tone": {"en": "Test tones, not speech", "zh-TW": "測試音，不是語音"},
}


def voice_names(provider: str, voice: VoiceInfo) -> Labels:
    """The voice's display name per locale; empty where there is none (show ``name``)."""
    if provider == "espeak":
        return dict(ESPEAK_NAMES.get(voice.id, {}))
    if voice.id in KOKORO_MANDARIN and provider == "kokoro":
        return {"en": voice.name, "zh-TW": KOKORO_MANDARIN[voice.id]}
    if bcp47(voice.language).startswith("en"):
        return dict.fromkeys(LOCALES, voice.name)
    return {}


def accent(language: str) -> Labels:
    """The accent a voice of ``language`` speaks with, per locale; empty if not known."""
    parts = bcp47(language).split("-")
    for end in range(len(parts), 0, -1):
        found = ACCENTS.get("-".join(parts[:end]))
        if found is not None:
            return dict(found)
    return {}


def labelled(catalogue: ProviderCatalogue) -> ProviderCatalogue:
    """The catalogue with its summary, and each voice's names and accent, filled in."""
    voices = [
        voice.model_copy(
            update={
                "names": voice_names(catalogue.provider, voice),
                "accent": accent(voice.language),
            }
        )
        for voice in catalogue.voices
    ]
    summary = dict(SUMMARIES.get(catalogue.provider, {}))
    return catalogue.model_copy(update={"voices": voices, "summary": summary})
