"""The Taiwan readings lexicon: words whose Taiwan standard reading differs from pypinyin's.

Consumes the Ministry of Education's revised Mandarin dictionary (教育部《重編國語辭典修訂本》,
"moedict") as the PyPI package ``hanzi2reading`` 0.1.1 installs it (``data/moedict.h2r``: each
headword in Traditional script with the readings of its first heteronym). Emits, per word, the
Taiwan reading (pinyin syllables, tone numbers, neutral 5) and the headword it came from.

Licences, as checked on 2026-12-06:
- hanzi2reading's code: BSD-2-Clause, Copyright (c) 2020 Brandon Liu
  (github.com/bdon/hanzi2reading).
- the dictionary's text: copyright of the Ministry of Education (Taiwan), published under CC BY-ND
  3.0 TW (github.com/g0v/moedict-data, README; 公眾授權網 language.moe.gov.tw). The same README
  records the Ministry's reading of the licence: the no-derivatives term covers the text itself
  and does not restrict format conversion or further use ("不限制格式轉換及後續應用").
  Attribution: 中華民國教育部《重編國語辭典修訂本》.
Therefore we ship neither a copy nor a derived data file. At run time, once per process and only
when asked, we read the installed package's data and compare a headword's reading with what
pypinyin says for the same word in Simplified script (pypinyin's phrase dictionary is keyed on
Simplified words: 148 of its 47,111 keys hold a Traditional character). Where they differ, the
dictionary's reading is the Taiwan reading, and the entry keeps its headword so it can be traced.

hanzi2reading keeps a multi-character headword only when its reading differs from the first
readings of its characters; the other words (星期, 研究) are read through the character readings
below (期 qí, 究 jiù).
"""

from __future__ import annotations

import functools
import importlib.resources

from pypinyin import Style, lazy_pinyin

from .script import to_simplified, to_traditional

Reading = tuple[str, ...]

# 一 and 不 change tone by their neighbour (yí ge, bú shì). The dictionary writes their citation
# tone, pypinyin sometimes the changed one; neither is a Taiwan-vs-mainland difference, so
# pypinyin's syllable stays and such a position alone never makes an entry.
_SANDHI_CHARS = frozenset("一不")

# Judgement calls: headwords whose dictionary reading (its first heteronym, as hanzi2reading
# keeps it) is not what Taiwan speech says. The common reading stays; each says why.
JUDGEMENT_CALLS: dict[str, str] = {
    "和": "hàn (the conjunction) is a dictionary reading; Taiwan speech mostly says hé.",
    "它們": "tuō is 它's archaic first heteronym; everyone reads 它們 tā men.",
    "看看": "kān (to guard) is a separate heteronym; 看看 is kàn kàn.",
    "看起來": "kān is the 'guard' heteronym; 看起來 is read kàn.",
    "那些": "nǎ is the dictionary's literary reading; Taiwan speech says nà xiē or nèi xiē.",
    "那裡": "nǎ lǐ is the dictionary's reading; Taiwan speech says nà lǐ for 'there'.",
    "那樣": "nǎ yàng is the dictionary's reading; Taiwan speech says nà yàng.",
    "那般": "nǎ bān as above; Taiwan speech says nà bān.",
    "發行": "fā háng (wholesale) is the first heteronym; the common sense, publish, is fā xíng.",
    "好處": "hǎo chǔ (a good place) is the first heteronym; 'benefit' is hǎo chù.",
    "暴露": "pù lù is the dictionary's literary reading; Taiwan speech says bào lù.",
    "騎士": "jì is the old noun reading of 騎; Taiwan speech says qí shì.",
    "坐騎": "jì as above; Taiwan speech says zuò qí.",
    "鐵騎": "jì as above; Taiwan speech says tiě qí.",
    "五百": "bó is a literary reading of 百; 五百 is wǔ bǎi.",
    "說服": "shuì fú is the dictionary's reading; Taiwan speech overwhelmingly says shuō fú.",
    "說服力": "as 說服.",
    "澄清": "dèng (let sediment settle) is the first heteronym; 'clarify' is chéng qīng.",
    "滑稽": "gǔ jī is the classical reading; Taiwan speech says huá jī.",
    "听听": "听 here is almost always the Simplified form of 聽, not the rare Traditional 听.",
    "甲魚": "jià is a dialect reading in the dictionary; Taiwan speech says jiǎ yú.",
    "五百萬": "as 五百.",
    "顯著": "xiǎn zhe is a heteronym of the data; 'significant' is xiǎn zhù.",
    "口號": "hào (to cry out) is the first heteronym; the slogan is kǒu hào.",
    "省會": "xǐng huì (to understand) is the first heteronym; the provincial capital is shěng huì.",
    "省得": "xǐng is the dictionary's first heteronym; 'so as to avoid' is shěng de.",
    "落地": "lào is a colloquial heteronym; Taiwan speech says luò dì.",
    "漆黑": "the data gives qù, an error of the conversion; 漆黑 is qī hēi.",
    "漆黑一團": "as 漆黑.",
    "失調": "diào (a lost tune) is the first heteronym; 'imbalance' is shī tiáo.",
    "分校": "jiào (to collate) is the first heteronym; the branch school is fēn xiào.",
    "骯髒": "kǎng zǎng (upright, literary) is the first heteronym; 'dirty' is āng zāng.",
    "融洽": "xiá is the dictionary's old reading; Taiwan speech says róng qià.",
    "接洽": "as 融洽: jiē qià.",
    "自力更生": "the data gives gèng; 更生 is gēng shēng in this idiom.",
    "黑豆": "the data gives hěi; 黑 is hēi.",
    "合著": "hé zhe is the first heteronym; 'co-authored' is hé zhù.",
    "臭味": "xiù wèi (an odour, literary) is the first heteronym; 'a stink' is chòu wèi.",
    "大廟": "tài miào is the classical reading; 大廟 is read dà miào.",
    "公車": "gōng jū (an official carriage) is the first heteronym; the bus is gōng chē.",
    "差事": "the data gives chà; the errand is chāi shì.",
    "縮手": "the data gives sù; 縮手 is suō shǒu.",
    "牛仔": "zǐ is the dictionary's reading; Taiwan speech says niú zǎi.",
    "牛仔褲": "as 牛仔.",
    "木刻": "the data gives kē; 木刻 is mù kè.",
}

# Characters read one way in Taiwan where the mainland reads another, so that a word the
# dictionary does not list on its own still gets the Taiwan reading (星期 → 期 qí). Each maps the
# Traditional (or shared) character to the mainland syllables it replaces; the Taiwan syllable is
# the dictionary's, read at run time. Only characters whose Taiwan reading replaces these
# syllables in every word are here: 血 (xuè/xiě), 頁 (the dictionary's first reading xié is
# literary), 玩 (wàn), 妳 (nǎi), 蝸 (guā) and 頃 (qīng in 頃刻 but qǐng in 公頃) are left out on
# purpose.
CHAR_REPLACEMENTS: dict[str, tuple[str, ...]] = {
    "期": ("qi1",),
    "究": ("jiu1",),
    "危": ("wei1",),
    "微": ("wei1",),
    "薇": ("wei1",),
    "巍": ("wei1",),
    "企": ("qi3",),
    "髮": ("fa1", "fa4"),
    "質": ("zhi4",),
    "息": ("xi1",),
    "熄": ("xi1",),
    "惜": ("xi1",),
    "錫": ("xi1",),
    "擊": ("ji1",),
    "突": ("tu1",),
    "凸": ("tu1",),
    "擁": ("yong1",),
    "儲": ("chu3",),
    "叔": ("shu1",),
    "暫": ("zan4",),
    "檔": ("dang4",),
    "伐": ("fa2",),
    "膜": ("mo2",),
    "艘": ("sou1",),
    "攜": ("xie2",),
    "辱": ("ru3",),
    "賜": ("ci4",),
    "偽": ("wei3",),
    "崖": ("ya2",),
    "寂": ("ji4",),
    "蹈": ("dao3",),
    "雌": ("ci2",),
    "濤": ("tao1",),
    "撈": ("lao1",),
    "驟": ("zhou4",),
    "縛": ("fu4",),
    "褐": ("he4",),
    "怯": ("qie4",),
    "閩": ("min3",),
    "斂": ("lian3",),
    "曙": ("shu3",),
    "眶": ("kuang4",),
    "拙": ("zhuo1",),
    "椰": ("ye1",),
    "綏": ("sui2",),
    "弛": ("chi2",),
    "酵": ("jiao4",),
    "轍": ("zhe2",),
    "誰": ("shui2",),
    "噸": ("dun1",),
    "跡": ("ji4",),
    "蹟": ("ji4",),
    "績": ("ji4",),
    "穴": ("xue2",),
    "菌": ("jun1",),
    "悄": ("qiao1",),
    "髒": ("zang4",),
    "識": ("shi2",),
}


# Words repeat across texts; pypinyin is the cost of reading one (~80 µs a word). Its process-wide
# dictionaries are never changed by us, so a cached reading stays what pypinyin would say.
@functools.lru_cache(maxsize=65536)
def pypinyin_reading(simplified_word: str) -> Reading:
    """pypinyin's default reading of a word in Simplified script: what the G2P would say."""
    return tuple(lazy_pinyin(simplified_word, style=Style.TONE3, neutral_tone_with_five=True))


def pypinyin_knows(simplified_word: str) -> bool:
    """Whether pypinyin reads ``simplified_word`` as a phrase of its dictionary, not character by
    character (觉得 yes, 考得 no)."""
    from pypinyin.constants import PHRASES_DICT

    return len(simplified_word) > 1 and simplified_word in PHRASES_DICT


def taiwan_reading(word: str) -> tuple[Reading, str] | None:
    """The Taiwan reading of ``word`` (Traditional, or Simplified) and its moedict headword, when
    the dictionary lists the word and its reading differs from pypinyin's; else None."""
    headword = word if word in _moedict() else to_traditional(word)
    if headword not in _moedict():
        return None
    reading = _taiwan_word_reading(headword)
    return None if reading is None else (reading, headword)


def is_headword(word: str) -> bool:
    """Whether the dictionary data lists ``word`` (in either script) with a reading of its own."""
    table = _moedict()
    return word in table or to_traditional(word) in table


def taiwan_char_reading(char: str, mainland_syllable: str) -> str | None:
    """The Taiwan syllable for ``char`` where it replaces ``mainland_syllable``, else None."""
    if mainland_syllable not in CHAR_REPLACEMENTS.get(char, ()):
        return None
    taiwan = _moedict().get(char)
    return taiwan[0] if taiwan else None


def moedict_reading(headword: str) -> Reading | None:
    """The reading hanzi2reading's moedict data gives ``headword``: its own entry, or, for a
    headword it dropped because it reads as its characters do, their first readings."""
    table = _moedict()
    if headword in table:
        return table[headword]
    readings = [table.get(char) for char in headword]
    if any(reading is None or len(reading) != 1 for reading in readings):
        return None
    return tuple(reading[0] for reading in readings if reading)


def moedict_entry(headword: str) -> Reading | None:
    """The reading of ``headword`` only if the dictionary data lists it as a headword itself."""
    return _moedict().get(headword)


def taiwan_entries() -> dict[str, Reading]:
    """Every word entry of the lexicon, headword to reading (computed in full: ~1 s)."""
    entries = {}
    for headword in _moedict():
        if len(headword) > 1 and (reading := _taiwan_word_reading(headword)) is not None:
            entries[headword] = reading
    return entries


@functools.cache
def _taiwan_word_reading(headword: str) -> Reading | None:
    if headword in JUDGEMENT_CALLS or len(headword) < 2:
        return None
    dictionary = _moedict().get(headword)
    simplified = to_simplified(headword)
    if dictionary is None or len(dictionary) != len(headword):
        return None
    mainland = pypinyin_reading(simplified)
    if len(mainland) != len(headword):
        return None
    taiwan = tuple(
        ours
        if i and char == headword[i - 1] == headword[0] and len(headword) == 2
        else _taiwan_syllable(char, ours, theirs)
        for i, (char, ours, theirs) in enumerate(zip(headword, dictionary, mainland, strict=True))
    )  # a doubled word keeps the dictionary's neutral tone (媽媽 mā ma, 叔叔 shú shu)
    return taiwan if taiwan != mainland else None


def _taiwan_syllable(char: str, dictionary: str, mainland: str) -> str:
    if char in _SANDHI_CHARS:
        return mainland
    # The dictionary marks a neutral tone on many second syllables (回來 huí lai, 認識 rèn shi)
    # that Taiwan speech says with the full tone, more often than the mainland does: a judgement
    # call for the whole class, so a neutral tone alone never overrides a full one.
    if dictionary.endswith("5") and dictionary[:-1] == mainland[:-1]:
        return taiwan_char_reading(char, mainland) or mainland  # 認識 rèn shì, 消息 xiāo xí
    return dictionary


@functools.cache
def _moedict() -> dict[str, Reading]:
    """hanzi2reading's moedict data as headword → TONE3 syllables; read once, ~0.15 s."""
    from hanzi2reading import pinyin, serialize

    data = importlib.resources.files("hanzi2reading") / "data" / "moedict.h2r"
    table: dict[str, Reading] = {}
    with data.open("rb") as source:
        for headword, syllables in serialize.read(source):
            table[headword] = tuple(_tone3(pinyin, syllable) for syllable in syllables)
    return table


def _tone3(pinyin, syllable) -> str:
    # hanzi2reading spells ü as "ü" and writes "ou" with a stray space; pypinyin spells it "v".
    letters = pinyin.get(syllable, tones=False).strip().replace("ü", "v")
    return f"{letters}{syllable.tone}"
