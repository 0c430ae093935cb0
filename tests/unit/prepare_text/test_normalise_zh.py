"""normalise_zh: a corpus of Taiwan readings (expected values written from Taiwan usage, not from
our output), and the promise that only the rewritten spans change."""

from __future__ import annotations

from itertools import pairwise

import pytest

from ttsjobs_synthesis.prepare_text.normalise_zh import normalise_zh
from ttsjobs_synthesis.prepare_text.spans import apply_rewrites

CORPUS = [
    # dates: a year is read digit by digit, month and day counted
    ("2026年12月6日", "二零二六年十二月六日"),
    ("2026/12/6", "二零二六年十二月六日"),
    ("2026-12-06出貨", "二零二六年十二月六日出貨"),
    ("2026.1.15", "二零二六年一月十五日"),
    ("12月6日星期日", "十二月六日星期日"),
    ("2月28日", "二月二十八日"),
    ("12月06日", "十二月六日"),
    ("民國115年", "民國一百一十五年"),
    ("1999年出生", "一九九九年出生"),
    ("12/25是聖誕節", "十二月二十五日是聖誕節"),
    ("2024-2026年", "二零二四到二零二六年"),
    # times: 點 and 分, 兩點
    ("10:30", "十點三十分"),
    ("14:05:09", "十四點零五分零九秒"),
    ("12:30:00", "十二點三十分"),
    ("09:00", "九點"),
    ("下午2:00見", "下午兩點見"),
    ("早上8:15", "早上八點十五分"),
    ("12:05", "十二點零五分"),
    ("10:00-12:00", "十點到十二點"),
    ("下午2點", "下午兩點"),
    # money
    ("NT$1,200", "新台幣一千兩百元"),
    ("1,200元", "一千兩百元"),
    ("$5", "五元"),
    ("NT$1,200.50", "新台幣一千兩百點五元"),
    ("US$5", "五美元"),
    ("只要$2", "只要兩元"),
    ("€30", "三十歐元"),
    ("£8", "八英鎊"),
    ("NT$5萬", "新台幣五萬元"),
    ("2元", "兩元"),
    ("月薪3萬2千元", "月薪三萬兩千元"),
    # percentages, decimals, negatives
    ("3.5%", "百分之三點五"),
    ("100%", "百分之百"),
    ("成長12％", "成長百分之十二"),
    ("-5%", "負百分之五"),
    ("3.14", "三點一四"),
    ("0.5", "零點五"),
    ("2.5公斤", "二點五公斤"),
    ("-3", "負三"),
    ("溫度是-5度", "溫度是負五度"),
    # ordinals: 第 never takes 兩
    ("第3名", "第三名"),
    ("第2個", "第二個"),
    ("第12屆", "第十二屆"),
    # phone numbers, digit by digit with 一
    ("0912-345-678", "零九一二 三四五 六七八"),
    ("02-2345-6789", "零二 二三四五 六七八九"),
    ("(02)2345-6789", "零二 二三四五 六七八九"),
    ("0912345678", "零九一二 三四五 六七八"),
    ("+886 912 345 678", "加八八六 九一二 三四五 六七八"),
    # units
    ("5kg", "五公斤"),
    ("3km", "三公里"),
    ("10cm", "十公分"),
    ("25°C", "攝氏二十五度"),
    ("25℃", "攝氏二十五度"),
    ("-5°C", "攝氏零下五度"),
    ("100GB", "一百GB"),
    ("2kg", "兩公斤"),
    ("60km/h", "每小時六十公里"),
    ("500ml", "五百毫升"),
    # versions: the Latin v stays
    ("v2.0.1", "v二點零點一"),
    ("版本2.10.3", "版本二點十點三"),
    # numbers in running text; 兩 only where Taiwan says it
    ("我有3個蘋果", "我有三個蘋果"),
    ("我有2個蘋果", "我有兩個蘋果"),
    ("1200", "一千兩百"),
    ("10000", "一萬"),
    ("2000人", "兩千人"),
    ("22人", "二十二人"),
    ("200", "兩百"),
    ("20200", "兩萬零兩百"),
    ("120000", "十二萬"),
    ("1020000", "一百零二萬"),
    ("200000000", "兩億"),
    ("1,234,567", "一百二十三萬四千五百六十七"),
    ("101大樓", "一百零一大樓"),
    ("2樓", "二樓"),
    ("2號", "二號"),
    ("2年級", "二年級"),
    ("2天", "兩天"),
    ("等了2小時", "等了兩小時"),
    ("007", "零零七"),
    ("１２３", "一百二十三"),
    # ranges and fractions
    ("3-5", "三到五"),
    ("3~5天", "三到五天"),
    ("1-2個", "一到兩個"),
    ("3-5kg", "三到五公斤"),
    ("3-5 kg", "三到五公斤"),
    ("2-3個", "兩到三個"),
    ("20%~30%", "百分之二十到百分之三十"),
    ("20-30%", "百分之二十到百分之三十"),
    ("1/2", "二分之一"),
    ("3/4杯", "四分之三杯"),
    # left alone
    ("7-11", "7-11"),
    ("去7-11買", "去7-11買"),
    ("iPhone 15", "iPhone 十五"),
    ("沒有數字的句子。", "沒有數字的句子。"),
]


@pytest.mark.parametrize(("written", "said"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_reads_the_taiwan_way(written: str, said: str) -> None:
    assert apply_rewrites(written, normalise_zh(written)) == said


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 60


def test_text_without_numbers_gets_no_rewrite() -> None:
    text = "我用滑鼠點開軟體，可是記憶體不夠。YouBike很方便！"
    assert normalise_zh(text) == []
    assert apply_rewrites(text, normalise_zh(text)) == text


def test_rewrites_point_into_the_original_and_leave_the_rest() -> None:
    text = "明天10:30在台北，票價NT$1,200，電話0912-345-678。"
    rewrites = normalise_zh(text)
    assert [text[r.start : r.end] for r in rewrites] == ["10:30", "NT$1,200", "0912-345-678"]
    assert [r.start for r in rewrites] == sorted(r.start for r in rewrites)
    assert all(a.end <= b.start for a, b in pairwise(rewrites))
    assert apply_rewrites(text, rewrites) == (
        "明天十點三十分在台北，票價新台幣一千兩百元，電話零九一二 三四五 六七八。"
    )


def test_said_text_is_traditional() -> None:
    said = apply_rewrites("2萬 3.5億 -2", normalise_zh("2萬 3.5億 -2"))
    assert said == "兩萬 三點五億 負二"
    assert not set(said) & set("万亿点负两")
