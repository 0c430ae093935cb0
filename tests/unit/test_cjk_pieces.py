"""Unpunctuated Chinese is cut into pieces Kokoro reads in one pass, where words end."""

from __future__ import annotations

import itertools

import jieba
import pytest

from ttsjobs.contracts.job_request import RequestLimits
from ttsjobs.contracts.sentences import PieceEnd, packed, split_sentences, spoken_length
from ttsjobs.contracts.single import SingleRequest, expand

# 300 Han characters without a mark: what a pasted transcript or a subtitle dump looks like.
RUN = (
    "今天早上渡轮又误点了桥上挤满了车我们在码头等了很久才坐上船大家都很着急因为要赶去上班"
    "老板说迟到就要扣工资可是天气不好风很大船开得很慢银行行长也在船上他说这种天气应该取消航班"
)
UNPUNCTUATED = (RUN * 4)[:300]
MAX_HAN = 75  # 300 spoken characters at four a Han character


def _cuts(pieces) -> list[int]:
    return list(itertools.accumulate(len(p.text) for p in pieces))[:-1]


def _word_ends(text: str) -> set[int]:
    return set(itertools.accumulate(len(w) for w in jieba.cut(text)))


def test_spoken_length_counts_a_syllable_character_as_four():
    assert spoken_length("abc, d") == 6
    assert spoken_length("银行") == 8
    assert spoken_length("かなカナ한국") == 24
    assert spoken_length("。！，（）") == 5  # CJK punctuation is not a syllable


def test_unpunctuated_chinese_is_cut_into_pieces_of_at_most_75_characters():
    pieces = split_sentences(UNPUNCTUATED, max_chars=300)
    assert "".join(p.text for p in pieces) == UNPUNCTUATED
    assert 4 <= len(pieces) <= 5  # five when the word ends do not fall on every 75th
    assert all(MAX_HAN // 2 <= len(p.text) <= MAX_HAN for p in pieces)  # no short remainder
    assert all(p.end is PieceEnd.cut for p in pieces[:-1])


@pytest.mark.parametrize("shift", range(0, 12))
def test_cuts_fall_where_jieba_ends_a_word(shift: int):
    # Shifted, so the bound falls inside some word (银行, 航班, 工资 ...) in one of them.
    text = (RUN * 3)[shift : shift + 280]
    pieces = split_sentences(text, max_chars=300)
    assert "".join(p.text for p in pieces) == text
    assert len(pieces) >= 4
    assert all(spoken_length(p.text) <= 300 for p in pieces)
    assert set(_cuts(pieces)) <= _word_ends(text)


def test_the_bound_inside_a_word_moves_the_cut_before_it():
    # "银行" straddles the 75th character: a cut at the bound would read 银 and 行 apart.
    text = "的" * 74 + "银行" + "的" * 74
    pieces = split_sentences(text, max_chars=300)
    assert _cuts(pieces)[0] == 74


def test_latin_text_keeps_its_bound():
    text = "word " * 59 + "end"
    assert [p.text for p in split_sentences(text, max_chars=300)] == [text]


def test_packing_keeps_pieces_within_the_spoken_bound():
    text = "是的。" * 40_000
    pieces = packed(split_sentences(text), max_pieces=4_000, max_chars=300)
    assert len(pieces) <= 4_000
    assert all(spoken_length(p.text) <= 300 for p in pieces)
    assert "".join(p.text for p in pieces) == text


def test_a_single_tts_job_of_unpunctuated_chinese_has_a_turn_per_piece():
    request = expand(SingleRequest(text=UNPUNCTUATED, voice="zf_xiaoxiao"), RequestLimits())
    assert "".join(t.text for t in request.turns) == UNPUNCTUATED
    assert len(request.turns) > 1 and all(len(t.text) <= MAX_HAN for t in request.turns)
    assert all(t.pause_after_ms == 0 for t in request.turns[:-1])  # cut mid-sentence: no pause


def test_jieba_reads_a_window_near_each_cut_never_the_whole_text(monkeypatch):
    # jieba's cost on one unbroken run grows faster than the run: a 100,000-character text
    # must be read a window at a time, so the gateway's split stays linear in the text.
    from ttsjobs.contracts import han_words

    read: list[int] = []
    segment = han_words.word_ends

    def counted(text: str) -> list[int]:
        read.append(len(text))
        return segment(text)

    monkeypatch.setattr(han_words, "word_ends", counted)
    text = (RUN * 40)[:3000]
    pieces = split_sentences(text, max_chars=300)
    assert "".join(p.text for p in pieces) == text
    assert len(read) >= len(pieces) - 1
    assert max(read) <= MAX_HAN + 16
