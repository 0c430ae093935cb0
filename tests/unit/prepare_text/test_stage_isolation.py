"""One worker reads for many users and both standards: a lexicon entry or a reading standard
applies to the turn that carries it and to nothing after it, and the process-wide dictionaries
of jieba and pypinyin are never changed; what applied is in the segment's key."""

from __future__ import annotations

import jieba
import pypinyin.constants

from ttsjobs.contracts.lexicon import UsedEntry
from ttsjobs_synthesis.prepare_text.mandarin import MandarinStage
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.segments import segment_key

TEXT = "垃圾要分類，和我一起騎YouBike。"


def _stage() -> MandarinStage:
    return MandarinStage(english=lambda words: f"<{words}>")


def _readings(stage: MandarinStage, pronunciation: Pronunciation) -> dict[str, tuple]:
    return {w.text: (w.syllables, w.source) for w in stage.words(TEXT, pronunciation)}


def _dictionaries() -> tuple[int, int, int]:
    jieba.dt.check_initialized()
    return (
        len(jieba.dt.FREQ),
        len(pypinyin.constants.PHRASES_DICT),
        len(pypinyin.constants.PINYIN_DICT),
    )


def test_an_entry_applies_to_its_own_turn_only():
    stage = _stage()
    before = _readings(stage, Pronunciation("taiwan"))
    before_dictionaries = _dictionaries()
    mine = UsedEntry(lexicon="alice", grapheme="和", phoneme="han4", alphabet="pinyin")
    alias = UsedEntry(lexicon="alice", grapheme="分類", alias="分門別類")
    with_entries = _readings(stage, Pronunciation("taiwan", (mine, alias)))
    assert with_entries["和"] == (("han4",), "lexicon:alice")
    assert with_entries["分類"][1] == "lexicon:alice"
    assert len(with_entries["分類"][0]) == 4  # the alias's four syllables
    assert _readings(stage, Pronunciation("taiwan")) == before
    assert _dictionaries() == before_dictionaries


def test_one_standard_does_not_leak_into_the_other():
    stage = _stage()
    mainland = _readings(stage, Pronunciation("mainland"))
    taiwan = _readings(stage, Pronunciation("taiwan"))
    assert mainland["垃圾"] == (("la1", "ji1"), "g2p")
    assert taiwan["垃圾"] == (("le4", "se4"), "taiwan")
    assert _readings(stage, Pronunciation("mainland")) == mainland


def test_what_applied_is_part_of_the_segment_key():
    def key(pronunciation: Pronunciation) -> str:
        return segment_key(
            owner="u",
            provider="kokoro",
            voice="zf_xiaoxiao",
            speed=1.0,
            pitch=1.0,
            text=TEXT,
            sample_rate=24000,
            pronunciation=pronunciation.identity(),
        )

    entry = UsedEntry(lexicon="alice", grapheme="和", phoneme="han4", alphabet="pinyin")
    changed = entry.model_copy(update={"phoneme": "he2"})
    keys = {
        key(Pronunciation("taiwan")),
        key(Pronunciation("mainland")),
        key(Pronunciation("taiwan", (entry,))),
        key(Pronunciation("taiwan", (changed,))),
    }
    assert len(keys) == 4
    assert key(Pronunciation("taiwan", (entry,))) == key(Pronunciation("taiwan", (entry,)))


def test_the_engine_is_given_the_dictionarys_reading():
    """Whisper cannot hear a reading, so the reading is checked where Kokoro takes it: the
    phonemes of each word are those of the syllables the dictionary gives its headword."""
    from misaki.zh import ZHG2P

    from ttsjobs_synthesis.prepare_text.taiwan_readings import moedict_reading

    stage = _stage()
    for word in ("垃圾", "星期", "研究", "危險", "企業", "質量", "微笑", "頭髮"):
        expected = "".join(ZHG2P.py2ipa(s) for s in moedict_reading(word))
        assert stage.phonemes(word, Pronunciation("taiwan")) == expected, word
        assert stage.phonemes(word, Pronunciation("mainland")) != expected, word
