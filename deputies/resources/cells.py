"""The roster's cells (代表层级, 届次, 编组站点 …): one item of a ";"-separated list each, read
leniently and written back in one form."""

import re

from django.utils.translation import gettext as _

from deputies.models import Level, MembershipRole
from liaison.importing.cells import parse_date
from liaison.importing.widgets import ChoiceWidget

LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}
LEVEL_ALIASES = {
    "全国人大": Level.NATIONAL,
    "国家": Level.NATIONAL,
    "省级": Level.PROVINCIAL,
    "自治区": Level.PROVINCIAL,
    "市级": Level.CITY,
    "县级": Level.COUNTY,
    "区": Level.COUNTY,
    "区级": Level.COUNTY,
    "县区": Level.COUNTY,
    "乡级": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
    "乡镇": Level.TOWNSHIP,
}
ROLE_IN_BRACKETS = re.compile(r"^(?P<ref>.*?)\s*[\[【［](?P<role>[^\]】］]*)[\]】］]$")
MAX_TEXT = 100


_level_widget = ChoiceWidget(Level, aliases=LEVEL_ALIASES)
_role_widget = ChoiceWidget(MembershipRole)


def level_item(text: str) -> str:
    if not text:
        raise ValueError(_("不能为空。"))
    return _level_widget.clean(text)


def text_item(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ValueError(_("不能超过 %(n)d 个字。") % {"n": MAX_TEXT})
    return text


def date_item(text: str):
    return parse_date(text)


def membership_item(text: str) -> tuple[str, str]:
    match = ROLE_IN_BRACKETS.match(text)
    if match:
        ref, role_text = match.group("ref").strip(), match.group("role").strip()
        role = _role_widget.clean(role_text) if role_text else MembershipRole.MEMBER
    else:
        ref, role = text, MembershipRole.MEMBER
    if not ref:
        raise ValueError(_("缺少站点名称。"))
    return ref, role


def render_membership(item) -> str:
    ref, role = item
    return ref if role == MembershipRole.MEMBER else f"{ref}[{MembershipRole(role).label}]"


def ref_item(text: str) -> str:
    if not text:
        raise ValueError(_("不能为空。"))
    return text


def membership_ref_safe(text: str) -> str:
    try:
        return membership_item(text)[0]
    except ValueError:
        return text


def sorted_mandates(mandates) -> list:
    return sorted(mandates, key=lambda m: (LEVEL_RANK.get(m.level, 99), m.congress))
