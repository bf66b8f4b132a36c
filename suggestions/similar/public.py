"""What a voter is shown of someone else's item: a redacted title, its status and date.

`public_title_redacted` is this module's own small redaction (issue 18); the publishing
redaction (公示, suggestions/redaction.py of issue 14) may take its place when both exist.
"""

from __future__ import annotations

import re

MASK = "*"

# Phone numbers, ID numbers, long digit runs (house and room numbers too).
_DIGITS = re.compile(r"\d[\d\- ]{3,}\d")
# Address details: 15号, 3号楼, 2单元, 301室, 5栋, 3层/楼.
_ADDRESS = re.compile(r"[0-9０-９一二三四五六七八九十百零〇]+(号楼|号院|号|栋|幢|单元|室|户|层|楼)")
# A surname with an address form: 王先生, 李女士, 张师傅, 刘大爷 …
_TITLED = re.compile(r"[\u4e00-\u9fff](先生|女士|师傅|大爷|大妈|阿姨|老师|大姐|大哥|奶奶|爷爷|同志)")
# A name introduced as one: 我叫王小明, 本人李四, 联系人：张三.
_INTRODUCED = re.compile(r"(我叫|本人|姓名[:：]?|联系人[:：]?|举报人[:：]?)[\u4e00-\u9fff]{2,3}")
# E-mail addresses and WeChat/QQ ids.
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(微信|QQ|qq)[号:：]?\s*[\w-]{4,}")


def public_title_redacted(title: str, *, names: tuple[str, ...] = ()) -> str:
    """The title with names, phone numbers, e-mail and house/room numbers masked.

    `names` are known personal names (the submitter's), masked wherever they appear.
    """
    text = title or ""
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            text = text.replace(name, MASK * len(name))
    text = _CONTACT.sub(lambda m: MASK * 3, text)
    text = _DIGITS.sub(lambda m: MASK * 3, text)
    text = _ADDRESS.sub(lambda m: MASK + m.group(1), text)
    text = _INTRODUCED.sub(lambda m: m.group(1) + MASK * 2, text)
    text = _TITLED.sub(lambda m: MASK + m.group(1), text)
    return text
