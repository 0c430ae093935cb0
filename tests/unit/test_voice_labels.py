"""Voices people can read: names, accents and engine summaries per UI locale."""

from __future__ import annotations

from ttsjobs.contracts.voice_labels import KOKORO_MANDARIN, accent, labelled
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo


def _voice(voice_id: str, name: str, language: str) -> VoiceInfo:
    return VoiceInfo(id=voice_id, name=name, language=language, sample_rate=24_000)


def _kokoro() -> ProviderCatalogue:
    return ProviderCatalogue(
        provider="kokoro",
        description="Kokoro-82M",
        voices=[
            _voice("zf_xiaoxiao", "Xiaoxiao", "zh-CN"),
            _voice("zm_yunxi", "Yunxi", "zh-CN"),
            _voice("af_heart", "Heart", "en-US"),
            _voice("bm_george", "George", "en-GB"),
            _voice("ef_dora", "Dora", "es-ES"),
        ],
    )


def test_kokoro_mandarin_voices_get_their_characters_and_english_voices_keep_their_names():
    voices = {v.id: v for v in labelled(_kokoro()).voices}
    assert voices["zf_xiaoxiao"].names == {"en": "Xiaoxiao", "zh-TW": "曉曉"}
    assert voices["zm_yunxi"].names == {"en": "Yunxi", "zh-TW": "雲希"}
    assert voices["af_heart"].names == {"en": "Heart", "zh-TW": "Heart"}
    assert voices["bm_george"].names == {"en": "George", "zh-TW": "George"}
    assert voices["ef_dora"].names == {}, "others show their name"


def test_every_kokoro_mandarin_voice_has_a_traditional_name():
    assert sorted(KOKORO_MANDARIN) == [
        "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi",
        "zm_yunjian", "zm_yunxi", "zm_yunxia", "zm_yunyang",
    ]  # fmt: skip
    assert KOKORO_MANDARIN["zm_yunyang"] == "雲揚" and KOKORO_MANDARIN["zf_xiaobei"] == "曉貝"


def test_the_accent_is_said_honestly():
    voices = {v.id: v for v in labelled(_kokoro()).voices}
    assert voices["zf_xiaoxiao"].accent == {
        "en": "Mandarin (Mainland China accent)",
        "zh-TW": "普通話（中國大陸口音）",
    }
    assert voices["af_heart"].accent == {"en": "American English", "zh-TW": "美式英語"}
    assert voices["bm_george"].accent["zh-TW"] == "英式英語"
    # espeak-ng's Mandarin is Mainland too; a longer tag takes its longest known prefix.
    assert accent("cmn")["zh-TW"] == "普通話（中國大陸口音）"
    assert accent("cmn-Latn-pinyin")["en"] == "Mandarin (Mainland China accent)"
    assert accent("en-GB-x-RP")["en"] == "British English"
    assert accent("en_us")["zh-TW"] == "美式英語"
    assert accent("sw") == {}


def test_each_engine_is_summed_up_in_both_languages():
    summary = labelled(_kokoro()).summary
    assert summary == {"en": "Neural voices, natural", "zh-TW": "神經網路語音，自然"}
    espeak = ProviderCatalogue(
        provider="espeak",
        description="espeak-ng",
        voices=[_voice("cmn", "Chinese (Mandarin, latin as English)", "cmn")],
    )
    labelled_espeak = labelled(espeak)
    assert labelled_espeak.summary["zh-TW"] == "機械音，支援多種語言"
    assert labelled_espeak.voices[0].names == {"en": "Mandarin", "zh-TW": "普通話"}


def test_labels_survive_the_catalogue_bucket_round_trip():
    catalogue = labelled(_kokoro()).model_copy(update={"realtime_factor": 0.42})
    again = ProviderCatalogue.model_validate_json(catalogue.model_dump_json())
    assert again == catalogue
    assert again.voice("zf_xiaoxiao").names["zh-TW"] == "曉曉"  # type: ignore[union-attr]


def test_an_old_catalogue_without_labels_still_reads():
    old = '{"provider": "piper", "description": "Piper", "voices": []}'
    catalogue = ProviderCatalogue.model_validate_json(old)
    assert catalogue.summary == {} and catalogue.realtime_factor is None
