"""Masking personal data in free text before it is shown to the public (公示, the reply on the
tracking page): ID-card numbers, mobile and landline numbers, the door of an address
(…路12号 → …路**号, …小区3栋2单元501室 → …小区*栋*单元*室), a person's name where the text
introduces one (我叫…, 联系人：…, 张先生), e-mail and WeChat/QQ ids, and the submitter's own name
wherever it appears. One redaction for everything the public sees: 公示, the tracking page, the
"already being handled" list (similar/public.py) and Open311.

Detection is by pattern, so it errs both ways: staff see the masked preview and edit it before
it goes out (`GET suggestions/{id}/publish-preview/`, the web 公示 step).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from liaison.privacy import mask_name

MASK = "*"
_NOT_DIGIT_BEFORE, _NOT_DIGIT_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"

ID_NUMBER = re.compile(_NOT_DIGIT_BEFORE + r"(?:[1-9]\d{16}[\dXx]|[1-9]\d{14})" + _NOT_DIGIT_AFTER)
MOBILE = re.compile(_NOT_DIGIT_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}" + _NOT_DIGIT_AFTER)
LANDLINE = re.compile(_NOT_DIGIT_BEFORE + r"(?:\(?0\d{2,3}\)?[- ]?)?[2-8]\d{6,7}" + _NOT_DIGIT_AFTER)
_NUMBER = r"[0-9０-９一二三四五六七八九十百零〇]+"
# The door of an address: the numbers after a street or an estate, kept: the street's name.
ADDRESS = re.compile(
    r"(?P<place>[\u4e00-\u9fa5]{1,12}(?:路|街|巷|道|大道|胡同|村|小区|花园|家园|公寓|大厦|苑|院))"
    rf"(?P<door>(?:{_NUMBER}(?:号楼|号院|号|栋|幢|座|单元|楼|层|室|户|排|组)[-之]?)+)"
)
_CJK_NAME = r"[\u4e00-\u9fa5]{2,3}"
INTRODUCED_NAME = re.compile(rf"(?P<lead>我叫|我是|本人|姓名[:：]?|联系人[:：]?|反映人[:：]?)(?P<name>{_CJK_NAME})(?=[，,。.；;、\s（(]|$)")
# E-mail addresses and WeChat/QQ ids.
CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:微信|QQ|qq)[号:：]?\s*[\w-]{4,}")
HONORIFIC = re.compile(r"(?P<family>[\u4e00-\u9fa5])(?P<title>先生|女士|老师|师傅|阿姨|大爷|大妈|大娘|大哥|大姐)")
COMMON_FAMILY_NAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)


@dataclass
class Redacted:
    text: str
    #: what was masked, by kind ("contact", "id_number", "mobile", "landline", "address", "name")
    found: list[str] = field(default_factory=list)


def _digits_masked(value: str) -> str:
    return re.sub(r"[0-9０-９一二三四五六七八九十百零〇]", MASK, value)


# Full-width digits, plus and minus (１３９…, typed on a Chinese keyboard) read as ASCII, so a
# number written with them is found like any other. Chinese punctuation is left as it is.
_HALF_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "＋": "+", "－": "-"})


def redact(text: str, *, names: Iterable[str] = ()) -> Redacted:
    """`text` with the personal data it detects masked; `names` (the submitter's) wherever they appear."""
    found: list[str] = []
    text = (text or "").translate(_HALF_WIDTH)

    def count(kind, replacement):
        def replace(match):
            found.append(kind)
            return replacement(match)
        return replace

    text = CONTACT.sub(count("contact", lambda m: MASK * 3), text)
    text = ID_NUMBER.sub(count("id_number", lambda m: m.group(0)[:1] + MASK * (len(m.group(0)) - 1)), text)
    text = MOBILE.sub(count("mobile", lambda m: MASK * 11), text)
    text = LANDLINE.sub(count("landline", lambda m: MASK * 8), text)
    text = ADDRESS.sub(count("address", lambda m: m.group("place") + _digits_masked(m.group("door"))), text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        if name in text:
            found.extend(["name"] * text.count(name))
            text = text.replace(name, mask_name(name))
    text = INTRODUCED_NAME.sub(count("name", lambda m: m.group("lead") + mask_name(m.group("name"))), text)
    text = HONORIFIC.sub(
        lambda m: (found.append("name") or MASK + m.group("title")) if m.group("family") in COMMON_FAMILY_NAMES else m.group(0),
        text,
    )
    return Redacted(text=text, found=found)


@dataclass
class Preview:
    title: str
    content: str
    found: list[str]


def publish_preview(suggestion) -> Preview:
    """What 公示 will show unless staff edit it: the title and content with personal data masked."""
    names = [suggestion.submitter_name]
    title = redact(suggestion.title, names=names)
    content = redact(suggestion.content, names=names)
    return Preview(title=title.text, content=content.text, found=title.found + content.found)
