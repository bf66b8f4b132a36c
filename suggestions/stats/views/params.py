"""What every statistics page starts from: the user's region (another region is a 404), and the
region, period, date and year asked for in the query string."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from liaison.models import Role
from liaison.regions import is_code, lineage
from liaison.scoping import region_scope
from stations.models import Region
from suggestions.models import StatPeriod
from suggestions.stats.periods import root_term
from suggestions.stats.read import latest_date

PAGE_SIZE = 30


def stats_scope(request) -> str:
    """The region the user may see statistics of: staff and leaders their region, superusers all."""
    user = request.user
    scope = region_scope(user)
    if scope is None or not (user.is_superuser or user.role in (Role.STAFF, Role.LEADER)):
        raise PermissionDenied(_("只有工作人员和领导可以查看统计。"))
    return scope


def region_param(request, scope: str) -> str:
    code = (request.GET.get("region") or "").strip() or scope
    if code and (not is_code(code) or not code.startswith(scope)):
        raise Http404
    if code and not Region.objects.filter(code=code).exists():
        raise Http404
    return code


def period_choices() -> list[tuple[str, str]]:
    """The periods a snapshot has: 本届 only while a term is configured (admin: 届次)."""
    has_term = root_term(timezone.localdate()) is not None
    return [(value, label) for value, label in StatPeriod.choices if value != StatPeriod.TERM or has_term]


def period_param(request, choices: list[tuple[str, str]] | None = None) -> str:
    period = request.GET.get("period") or StatPeriod.YEAR
    return period if period in dict(choices if choices is not None else period_choices()) else StatPeriod.YEAR


def date_param(request, name: str, default: datetime.date | None) -> datetime.date | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return default


def snapshot_date(request, region: str) -> datetime.date | None:
    latest = latest_date(region=region)
    wanted = date_param(request, "date", None)
    return wanted if wanted is not None and latest is not None and wanted <= latest else latest


def region_breadcrumb(scope: str, region: str) -> list[tuple[str, str]]:
    codes = [code for code in lineage(region) if len(code) >= len(scope)]
    found = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    crumbs = [("", _("全部区划"))] if scope == "" else []
    return crumbs + [(code, found.get(code, code)) for code in codes]


def query_string(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def year_param(request, today: datetime.date) -> int:
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def quote_filename(filename: str) -> str:
    return quote(filename)
