"""Reading a spreadsheet cell: text, lists, dates, and loading in chunks.

Lenient on input (numbers typed into Excel, 2024/1/31, 2024年1月31日, a date cell), one
canonical form on output, and a Chinese ValueError naming the cell's value otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from liaison.exports import unescape_cell
from liaison.text import UNPRINTABLE

LIST_SEPARATOR = re.compile(r"\s*[;；]\s*")
CHUNK = 500


def chunked(items: Iterable, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]



def cell_text(value) -> str:
    """A cell as trimmed text: numbers typed into Excel (phone numbers, codes) lose their
    `.0`, the quote our exports put before formula-like text goes (`liaison.exports`), NUL
    is refused (the database would refuse it later, far from the row) and other control
    characters are dropped, as every service drops them (`liaison.text`)."""
    if value is None:
        return ""
    if type(value) is str:  # the common case, kept fast: a roster has a hundred thousand cells
        text = value.strip()
        if "\x00" in text:
            raise ValueError(_("含有不可见的控制字符，请删除后重试。"))
        if text[:1] == "'":
            text = unescape_cell(text).strip()
        if UNPRINTABLE.search(text):
            text = UNPRINTABLE.sub("", text).strip()
        return text
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    text = str(value).strip()
    if "\x00" in text:
        raise ValueError(_("含有不可见的控制字符，请删除后重试。"))
    return text



def safe_cell(value) -> str:
    try:
        return cell_text(value)
    except ValueError:
        return ""



def split_list(value) -> list[str]:
    """`a;b；c` → ["a", "b", "c"]; an empty cell is an empty list; empty items are kept
    (so `2021-10-01;` is two items, the second empty)."""
    text = cell_text(value)
    if not text:
        return []
    return LIST_SEPARATOR.split(text)


def safe_split(value) -> list[str]:
    try:
        return split_list(value)
    except ValueError:
        return []


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)  # the export's own form: fast
        except ValueError:  # looks ISO but is no date (2024-02-30): the formats below decide
            pass
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} \d", text) else text
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("「%(value)s」不是有效的日期，请写成 2024-01-31 这样的格式。") % {"value": text})


def render_date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""
