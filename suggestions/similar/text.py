"""Chinese text to terms for similarity: no segmenter, no model, nothing leaves the server.

Terms are character bigrams of every run of Chinese characters (and whole Latin/digit words),
after a small table of known paraphrases has been folded to one spelling (红绿灯/信号灯/交通灯
→ 信号灯, 斑马线/人行横道 → 斑马线, 不亮/坏了/失灵 → 损坏 …). A folded concept also gives one
whole-word term (`#信号灯`), so a paraphrase shares a strong term with its original, not just a
bigram or two. `stored_terms` is what the `similar_terms` column holds (space-joined, the
title's terms marked so they can weigh more).
"""

from __future__ import annotations

import re
from collections import Counter

# Paraphrases seen in 12345 and deputy work, folded to one spelling. Longer spellings first
# (the replacement runs in this order), so 交通信号灯 is not read as 交通 + 信号灯.
SYNONYMS: list[tuple[str, tuple[str, ...]]] = [
    ("信号灯", ("交通信号灯", "红绿灯", "交通灯", "红灯绿灯")),
    ("斑马线", ("人行横道线", "人行横道", "过街斑马线", "人行道线")),
    ("路灯", ("街灯", "照明灯", "路边灯")),
    ("损坏", ("不亮了", "不亮", "坏了", "失灵", "不工作", "损毁", "破损", "坏掉", "故障")),
    ("饭店", ("饭馆", "餐馆", "餐厅", "饭庄", "餐饮店")),
    ("噪音", ("噪声", "太吵", "吵闹", "吵得")),
    ("流浪狗", ("流浪犬", "野狗", "流浪猫狗")),
    ("违停", ("违章停车", "乱停车", "乱停乱放", "违法停车", "乱停")),
    ("供暖", ("供热", "暖气", "采暖")),
    ("消防通道", ("生命通道", "消防车通道")),
    ("候车亭", ("遮雨棚", "公交站棚", "候车棚")),
    ("公交站", ("公交车站", "公交站台", "公交站点")),
    ("公交", ("公交车", "公共汽车", "公交线路")),
    ("下水道", ("排水管道", "排水管", "污水管道", "下水管道")),
    ("水压低", ("水压不足", "水压太低", "压力太小", "水上不去", "水压小")),
    ("垃圾", ("生活垃圾", "垃圾堆")),
    ("清运", ("拉走", "清理运走")),
    ("道路", ("马路", "路面", "公路")),
    ("坑洼", ("坑坑洼洼", "坑洞", "路坑", "到处是坑")),
    ("硬化", ("水泥路", "柏油路", "铺油")),
    ("医生", ("大夫", "医护人员", "医务人员")),
    ("学位", ("入园难", "入学难", "报不上名")),
    ("电梯", ("加装电梯", "装电梯")),
    ("班车", ("客运班车", "客车", "城乡公交")),
    ("秸秆", ("麦秸", "玉米秆")),
    ("焚烧", ("烧秸秆", "燃烧")),
    ("校车", ("接送学生", "接送孩子")),
    ("养老金", ("退休金", "养老保险金")),
    ("低保", ("最低生活保障",)),
    ("油烟", ("油烟味",)),
    ("停水", ("没水", "用不上水")),
    ("黑臭", ("又黑又臭", "发黑发臭", "黑臭水体")),
]



# Words that say nothing about which matter it is: they never become terms.
STOP_BIGRAMS = frozenset(
    "希望 建议 请求 要求 有关 相关 部门 问题 情况 解决 处理 尽快 及时 一下 一个 现在 目前 我们 他们 "
    "居民 群众 百姓 反映 非常 特别 严重 影响 已经 好几 几天 很多 经常 没有 不能 不是 能够 可以 进行 "
    "加强 管理 这个 那个 这里 那里 时候 晚上 早上 每天 每年 一直 还是 就是 但是 而且 所以 因为 "
    "出行 不便 方便 安全 危险".split()
)

_FOLD: list[tuple[str, str]] = sorted(
    ((variant, canon) for canon, variants in SYNONYMS for variant in variants),
    key=lambda pair: -len(pair[0]),
)
_CANON = frozenset(canon for canon, _variants in SYNONYMS)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[0-9A-Za-z]{2,}")
TITLE_MARK = "^"  # a stored term from the title: "^信号" (the search strips it)
CONCEPT_MARK = "#"


def fold(text: str) -> str:
    """The text with every known paraphrase spelled one way."""
    for variant, canon in _FOLD:
        if variant in text:
            text = text.replace(variant, canon)
    return text


def terms(text: str) -> list[str]:
    """The terms of a piece of text, in order, repeated as often as they occur."""
    text = fold(text or "")
    found: list[str] = []
    for canon in _CANON:
        found += [CONCEPT_MARK + canon] * text.count(canon)
    for run in _CJK_RUN.findall(text):
        found += [b for b in (run[i : i + 2] for i in range(len(run) - 1)) if b not in STOP_BIGRAMS]
    found += [w.lower() for w in _WORD.findall(text)]
    return found


def stored_terms(title: str, content: str) -> str:
    """What `Suggestion.similar_terms` holds: the distinct terms, the title's marked `^`.

    Distinct (not counted) keeps the column short; the title mark lets the title count twice.
    """
    title_terms = list(dict.fromkeys(terms(title)))
    body_terms = [t for t in dict.fromkeys(terms(content)) if t not in set(title_terms)]
    return " ".join([TITLE_MARK + t for t in title_terms] + body_terms)


def parse_stored(value: str) -> Counter:
    """Term → weight (2 for a title term, 1 otherwise) from a stored `similar_terms` value."""
    bag: Counter = Counter()
    for token in (value or "").split():
        if token.startswith(TITLE_MARK):
            bag[token[1:]] += 2
        else:
            bag[token] += 1
    return bag


def plain(token: str) -> str:
    """A stored token without its title mark (what the index matches on)."""
    return token[1:] if token.startswith(TITLE_MARK) else token
