"""Cell widgets: lenient on input, one canonical form on output, Chinese errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import widgets

from liaison.importing.cells import cell_text, parse_date, render_date, split_list

if TYPE_CHECKING:
    from liaison.importing.resources import LiaisonResource


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


# A reachable number: an 11-digit mobile (1…), or a landline with its area code (0 + 2–3
# digits, then 7–8 digits; an extension after "-" or "转" allowed), or a 400/800 service line.
_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}(?:(?:-|转)\d{1,6})?")
_SERVICE = re.compile(r"[48]00\d{7}")


def check_phone(text: str) -> str:
    """The number as typed (trimmed) when it can be dialled from anywhere; a ValueError with a
    Chinese message otherwise (a 7-digit number without its area code cannot be)."""
    if not text:
        return text
    digits = re.sub(r"[\s()（）]|-(?=\d{7,8}(?:$|-|转))", "", text)
    digits = re.sub(r"^(0\d{2,3})-", r"\1", digits)
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits) or _SERVICE.fullmatch(digits):
        return text
    international = re.match(r"^(?:\+86|0086)-?(.*)$", digits)  # +86 355 2020000: the area code without its 0
    if international and _LANDLINE.fullmatch("0" + international.group(1).lstrip("-")):
        return text
    raise ValueError(
        _("电话号码「%(value)s」不对：请填写 11 位手机号，或带区号的固定电话（如 0355-2020000）。") % {"value": text}
    )


class PhoneWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return check_phone(cell_text(value))


class IntWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(_("「%(value)s」不是整数。") % {"value": value})
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = cell_text(value)
        if not text:
            return None
        if not re.fullmatch(r"[+-]?\d{1,18}", text):
            raise ValueError(_("「%(value)s」不是整数。") % {"value": text})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


TRUE_WORDS = {"是", "1", "true", "yes", "y", "√", "✓", "✔", "有"}
FALSE_WORDS = {"否", "0", "false", "no", "n", "×", "✗", "无", ""}


class BoolWidget(widgets.Widget):
    """是/否. An empty cell means 否."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("「%(value)s」应填“是”或“否”。") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label (or its English value, or an alias)."""

    def __init__(self, choices, aliases: dict[str, str] | None = None, blank=""):
        self.choices = choices
        self.aliases = aliases or {}
        self.blank = blank
        super().__init__()

    def _lookup(self) -> dict[str, str]:
        # Every label in every language the site speaks, built once: a file written in
        # either language reads the same, and no row pays for a translation lookup.
        table = self.__dict__.get("_table")
        if table is None:
            table = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for value, label in self.choices.choices:
                        table[str(label)] = value
            for value, _label in self.choices.choices:
                table[str(value)] = value
            table.update(self.aliases)
            self._table = table
        return table

    def labels(self) -> dict[str, str]:
        """Value → label in the active language (the export's language), kept per widget:
        each resource instance has its own copy of its widgets."""
        language = get_language()
        cached = self.__dict__.get("_labels")
        if cached is None or cached[0] != language:
            cached = self._labels = (language, {value: str(label) for value, label in self.choices.choices})
        return cached[1]

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.blank
        table = self._lookup()
        if text in table:
            return table[text]
        labels = "、".join(str(label) for value, label in self.choices.choices if value)
        raise ValueError(_("「%(value)s」不是有效的选项，可选：%(labels)s。") % {"value": text, "labels": labels})

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        cached = self.__dict__.get("_labels")
        labels = cached[1] if cached is not None else self.labels()
        return labels.get(value, str(value))



class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return render_date(value)


class TimeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.time().replace(microsecond=0)
        if isinstance(value, dt.time):
            return value.replace(microsecond=0)
        text = cell_text(value).replace("：", ":")
        if not text:
            return None
        for fmt in ("%H:%M", "%H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt).time()
            except ValueError:
                continue
        raise ValueError(_("「%(value)s」不是有效的时间，请写成 09:30 这样的格式。") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


class RegionWidget(widgets.Widget):
    """A region by its code, which must lie in the importer's region. Bound to its resource
    (the resource preloads the codes of the file in one query)."""

    resource: LiaisonResource

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value)
        if not code:
            return None
        return self.resource.region_for(code)

    def render(self, value, obj=None, **kwargs):
        return value.code if value is not None else ""


class ListWidget(widgets.Widget):
    """A ";"-separated cell, each item cleaned by `item` (a function raising ValueError)."""

    def __init__(self, item, render_item=str):
        self.item = item
        self.render_item = render_item
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        items = split_list(value)
        cleaned, problems = [], []
        for number, text in enumerate(items, 1):
            try:
                cleaned.append(self.item(text))
            except ValueError as exc:
                problems.append(_("第 %(n)d 项：%(message)s") % {"n": number, "message": exc})
        if problems:
            raise ValueError("；".join(problems))
        return cleaned

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return ";".join(self.render_item(v) for v in value)
