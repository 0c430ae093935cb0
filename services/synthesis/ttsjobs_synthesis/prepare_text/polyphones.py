"""Context rules for the common polyphones (多音字) that word segmentation gets wrong.

Consumes Mandarin text in Simplified script (script.to_simplified's output, so positions are the
user's); emits the positions whose reading a rule decides, each with its syllable. jieba joins
some words that the dictionary then reads wrongly (很长 is one word, and pypinyin says hěn
zhǎng); a rule looks at the characters around a polyphone instead, whatever the segmentation.
Each rule holds for both reading standards; where Taiwan differs, the Taiwan lexicon decides.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Read the character marked ``{x}`` in ``pattern`` as ``syllable``. ``pattern`` is a regex
    over Simplified text in which ``{x}`` stands for the polyphone itself. ``alone``: only where
    the polyphone is a word of its own or in a word jieba made up and no dictionary lists (考得),
    never inside a listed word (觉得, 彼得, 求得: the dictionary's reading stands); ``leading``:
    only where the polyphone begins its word (重说 yes, 严重 no)."""

    char: str
    pattern: str
    syllable: str
    why: str
    alone: bool = False
    leading: bool = False


_END = r"(?=[。！？，、；：…」』）!?,;:]|$)"  # the end of a clause
_SUBJECT = r"(?:你|我|他|她|它|们|咱|谁|大家|自己|就|总|还|也|都|又|必须|非|明天|今天|现在)"

RULES: tuple[Rule, ...] = (
    Rule(
        "长",
        r"(?:很|太|真|好|挺|更|最|多|那么|这么|不|较|非常|特别|越来越|变|拉|留|又|这样|那样)"
        r"{x}(?![大成辈官老者子])",
        "chang2",
        "after a degree word or 变/拉/留, 长 is the adjective long: 很长, 太长, 变长",
    ),
    Rule("长", r"的{x}" + _END, "chang2", "比我的长: the adjective, ending the clause"),
    Rule(
        "长",
        r"(?:不够|够|一样|多|这么|那么|有点|有些|比较){x}",
        "chang2",
        "how long: 不够长, 一样长, 多长",
    ),
    Rule(
        "行",
        r"(?:服装|电器|五金|车|琴|米|布|药|珠宝|商|粮|花|鱼|家具|眼镜|钟表|汽车|玩具|乐器){x}",
        "hang2",
        "a trade's shop: 服装行, 车行, 琴行",
        alone=True,
    ),
    Rule(
        "行",
        r"(?:[一二两三四五六七八九十几每]|这一|那一|哪一){x}(?=[字诗泪树]|的|文字|代码|业)",
        "hang2",
        "a line or a trade, after a number: 两行字, 这一行的专家 (一行人 is xíng: not matched)",
    ),
    Rule("重", r"(?:有|没有|有点|这么|那么)多{x}" + _END, "zhong4", "有多重: how heavy"),
    Rule("着", r"[得不]{x}(?![想手陆装落实重力眼色])", "zhao2", "找得着, 用不着: to reach"),
    Rule(
        "为",
        r"{x}(?=人(?:很|非常|十分|正直|诚|老实|和善|厚道|处世|师|谦和))",
        "wei2",
        "为人: how one conducts oneself (为人民 is wèi: not matched)",
    ),
    Rule(
        "传",
        r"(?:名人|人物|伟人|英雄|列|自|评|小){x}" + _END,
        "zhuan4",
        "a biography ending the clause: 名人传, 自传",
    ),
    Rule(
        "差",
        r"(?:温|时|偏|误|落|价|色|视|逆|顺|反|均|方|级|位|电|压|高|年){x}"
        r"(?!不多|不离|点|一点|劲|得|远|不了)",
        "cha1",
        "a difference: 温差, 时差, 误差 (相差, 公差 differ between standards or senses: left)",
    ),
    Rule(
        "好",
        r"{x}(?=面子|管闲事|打抱不平|高骛远|逸恶劳|为人师)",
        "hao4",
        "to be fond of: 好面子, 好管闲事",
    ),
    Rule(
        "看",
        r"(?:在家|帮[我你他她]?|负责|替[我你他她]?){x}(?=孩子|小孩|店|门|摊|着)",
        "kan1",
        "to look after: 在家看孩子, 帮我看店, 帮你看着",
    ),
    Rule(
        "调",
        r"{x}(?=[小大高低快慢亮暗松紧]|一下|一调)",
        "tiao2",
        "to adjust: 调小, 调高, 调一下 (调到 can be a transfer, diào)",
    ),
    Rule(
        "种",
        r"(?:这|那|哪|一|各|某|每|多|几|两|三|四|五|六|七|八|九|十|百|此|该|另|任何|有){x}",
        "zhong3",
        "after a demonstrative or a number, 种 is the measure word kind: 这种, 各种",
    ),
    Rule(
        "种",
        r"{x}(?=[了下过在着花树菜田地稻瓜豆麦果竹草茶]|玉米|蔬菜|水稻|花生|葡萄)",
        "zhong4",
        "to plant: 种了, 种花, 种树 (after 这/一/各 the rule above has decided kind)",
    ),
    Rule(
        "种",
        r"(?:他|她|我|你|们|在|去|来|会|要|想|能|不|已|正|也|都|还|就|适合|可以|开始|喜欢|准备"
        r"|打算){x}(?![类子族群种])",
        "zhong4",
        "to plant, after a subject or an auxiliary: 他种的菜, 在山上种茶",
    ),
    Rule(
        "数",
        r"{x}(?=一数|也数|一下|到|了|不[清完过尽]|得|着|钱|星星)",
        "shu3",
        "to count: 数一数, 数一下, 数到十",
    ),
    Rule("数", r"数一{x}", "shu3", "the second 数 of 数一数"),
    Rule(
        "重",
        r"{x}(?=[说做写来播考画唱算发开启印拍选填排提组建])",
        "chong2",
        "again, before a verb: 重说, 重做, 重写 (重看 to value, 重读 stressed, 重装 heavy: left)",
        leading=True,
    ),
    Rule("还", r"把[^，。！？]{1,8}?{x}", "huan2", "把 … 还: to give back"),
    Rule("觉", r"睡[^，。！？]{0,5}?{x}(?!得)", "jiao4", "a sleep: 睡了一个好觉, 睡个午觉"),
    Rule("觉", r"一{x}(?=醒|睡|到天亮)", "jiao4", "一觉醒来: one sleep"),
    Rule("还", r"{x}(?=[钱书债款给清贷])", "huan2", "还钱, 还书, 还给: to give back"),
    Rule("还", r"{x}(?=了(?!得))", "huan2", "还了 (but 还了得): gave back"),
    Rule("还", r"{x}" + _END, "huan2", "a clause that ends in 还: 下周还 (give back)", alone=True),
    Rule(
        "得",
        _SUBJECT + r"{x}(?![了到奖分知以意出罪病胜逞失益救体当力很])",
        "dei3",
        "after a subject or 就/总/也 and before a verb, 得 is must: 你得早点回家",
        alone=True,
    ),
    Rule(
        "得",
        r"[\u4e00-\u9fff](?<![了不]){x}(?![了到奖分知以意出罪病胜逞失益救体当力])",
        "de5",
        "after a verb, a lone 得 is the complement particle: 跑得很快, 整理得干干净净 (after a"
        " subject the rule above has decided first)",
        alone=True,
    ),
    Rule(
        "了",
        r"[得不]{x}(?=[吗呢？?。，！!]|$)",
        "liao3",
        "a potential complement ending the clause: 来得了吗, 走不了",
    ),
    Rule(
        "为",
        r"(?:选|称|视|当作|看作|作|拜|尊|封|奉|评|列|改|变|化|分|转|立|推|誉|定)[^，。！？]{0,3}?{x}",
        "wei2",
        "to make into, to count as: 选为, 称他为, 视为",
    ),
    Rule("乐", r"者{x}(?=[山水])", "yao4", "仁者乐山，智者乐水: to delight in"),
    Rule("种", r"接{x}", "zhong4", "接种: to inoculate (pypinyin says zhǒng)"),
    Rule(
        "量",
        r"{x}(?=一下|一量|身高|体温|体重|血压|尺寸|长度|温度|腰围)",
        "liang2",
        "to measure: 量一下, 量身高, 量体温",
    ),
)


@functools.cache
def _compiled() -> tuple[tuple[re.Pattern[str], Rule], ...]:
    return tuple(
        (re.compile(rule.pattern.replace("{x}", f"(?P<x>{rule.char})")), rule) for rule in RULES
    )


def rule_readings(simplified: str) -> Iterator[tuple[int, str, Rule]]:
    """Each position in ``simplified`` a rule decides, with its syllable and the rule; where two
    rules match one position, the one listed first comes first."""
    for pattern, rule in _compiled():
        for match in pattern.finditer(simplified):
            yield match.start("x"), rule.syllable, rule
