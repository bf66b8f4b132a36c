"""The statistics pages for staff and leaders: the dashboard with its drill-down (市 → 县 → 乡镇 →
站点), the handling units' league table, stations and deputies (receptions, coverage, leaders'
visits), duty records and scores, the Excel workbook and the record books (一表两卡三簿).

Everything is scoped to the user's region: another region's page is a 404. The dashboard and
the workbook read the nightly snapshots (a constant number of queries per page); the charts are
SVG drawn here, so no chart library is loaded and the page works without JavaScript.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.models import ActivityKind, Deputy, DutyActivity, DutyItem
from liaison.models import Role
from liaison.scoping import region_scope
from stations.models import Region, Station

from . import books, duty, stats
from .models import StatDimension, StatPeriod
from .stats_workbook import (
    XLSX,
    build_workbook,
    export_job,
    export_job_create,
    export_job_file,
    workbook_filename,
    workbook_rows,
)

REGION_CODE = re.compile(r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$")
PAGE_SIZE = 30


# --- scope and parameters ----------------------------------------------------------------------
def _scope(request) -> str:
    """The region the user may see statistics of: staff and leaders their region, superusers all."""
    user = request.user
    scope = region_scope(user)
    if scope is None or not (user.is_superuser or user.role in (Role.STAFF, Role.LEADER)):
        raise PermissionDenied(_("只有工作人员和领导可以查看统计。"))
    return scope


def _region(request, scope: str) -> str:
    code = (request.GET.get("region") or "").strip() or scope
    if code and (not REGION_CODE.match(code) or not code.startswith(scope)):
        raise Http404
    if code and not Region.objects.filter(code=code).exists():
        raise Http404
    return code


def _period(request) -> str:
    period = request.GET.get("period") or StatPeriod.YEAR
    return period if period in StatPeriod.values else StatPeriod.YEAR


def _date_param(request, name: str, default: datetime.date | None) -> datetime.date | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return default


def _snapshot_date(request, region: str) -> datetime.date | None:
    latest = stats.latest_date(region=region)
    wanted = _date_param(request, "date", None)
    return wanted if wanted is not None and latest is not None and wanted <= latest else latest


def _breadcrumb(scope: str, region: str) -> list[tuple[str, str]]:
    codes = [region[:n] for n in (2, 4, 6, 9, 12) if len(scope) <= n <= len(region)]
    found = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    crumbs = [("", _("全部区划"))] if scope == "" else []
    return crumbs + [(code, found.get(code, code)) for code in codes]


def _query(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- charts (server-rendered SVG) ---------------------------------------------------------------
@dataclass
class Bar:
    label: str
    values: list[int]
    href: str = ""


def bar_chart(bars: list[Bar], *, series: list[str], width: int = 720, label_width: int = 150,
              bar_height: int = 12, gap: int = 10) -> dict:
    """Horizontal grouped bars (one group per row, one bar per series), scaled to the largest value."""
    top = max((v for bar in bars for v in bar.values), default=0) or 1
    group = bar_height * len(series) + gap
    plot = width - label_width - 60
    rows = []
    for i, bar in enumerate(bars):
        y = 20 + i * group
        rects = [
            {"x": label_width, "y": y + j * bar_height, "w": round(plot * value / top, 1), "h": bar_height - 2,
             "value": value, "series": j, "tx": label_width + round(plot * value / top, 1) + 4,
             "ty": y + j * bar_height + bar_height - 3}
            for j, value in enumerate(bar.values)
        ]
        rows.append({"label": bar.label, "href": bar.href, "y": y + (bar_height * len(series)) / 2 + 4, "rects": rects})
    return {"width": width, "height": 30 + len(bars) * group, "rows": rows, "series": series,
            "label_width": label_width}


def trend_chart(points: list[tuple[datetime.date, object]], *, width: int = 720, height: int = 240) -> dict:
    """Monthly columns of suggestions collected, with the feedback rate as a line (0–100 %)."""
    left, right, top_pad, bottom = 50, 50, 20, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((f.collected for _d, f in points), default=0) or 1
    step = plot_w / max(len(points), 1)
    columns, line = [], []
    for i, (day, figures) in enumerate(points):
        h = plot_h * figures.collected / top
        x = left + i * step + step * 0.15
        columns.append({"x": round(x, 1), "y": round(top_pad + plot_h - h, 1), "w": round(step * 0.7, 1),
                        "h": round(h, 1), "label": f"{day:%Y-%m}", "value": figures.collected,
                        "lx": round(x + step * 0.35, 1)})
        rate = figures.feedback_rate
        if rate is not None:
            line.append((round(left + i * step + step / 2, 1), round(top_pad + plot_h * (1 - rate), 1), rate))
    return {"width": width, "height": height, "columns": columns, "top": top, "base": top_pad + plot_h,
            "left": left, "right_x": width - right, "top_pad": top_pad,
            "line": " ".join(f"{x},{y}" for x, y, _r in line), "dots": line}


# --- the dashboard -------------------------------------------------------------------------------
@login_required
def dashboard(request):
    """统计：the region's figures, its sub-regions (or stations) to drill into, the trend, results,
    categories and the leading units, from the snapshot of the chosen date and period."""
    scope = _scope(request)
    region = _region(request, scope)
    period = _period(request)
    date = _snapshot_date(request, region)
    breadcrumb = _breadcrumb(scope, region)
    context = {
        "scope": scope, "region": region, "period": period, "periods": StatPeriod.choices, "date": date,
        "breadcrumb": breadcrumb, "region_name": breadcrumb[-1][1],
    }
    if date is None:
        return render(request, "stats/dashboard.html", context)
    figures = stats.region_figures(date=date, period=period, region=region)
    child_dimension, children = stats.child_rows(date=date, period=period, region=region)
    child_names = stats.names(child_dimension, [c.key for c in children])
    bars = []
    for child in children[:40]:
        href = ""
        if child_dimension == StatDimension.REGION:
            href = reverse("stats:dashboard") + _query(region=child.key, period=period, date=date)
        bars.append(Bar(child_names.get(child.key, child.key), [child.collected, child.replied, child.fed_back], href))
    categories = stats.dimension_rows(date=date, period=period, dimension=StatDimension.CATEGORY, region=region)[:15]
    category_names = stats.names(StatDimension.CATEGORY, [c.key for c in categories])
    league, unranked = stats.unit_league(date=date, period=period, region=region)
    results = [("A", figures.result_a), ("B", figures.result_b), ("C", figures.result_c), ("D", figures.result_d)]
    context.update({
        "figures": figures,
        "built_at": getattr(figures, "built_at", None),
        "dates": stats.snapshot_dates(region=region),
        "child_dimension": child_dimension,
        "children": [(c, child_names.get(c.key, c.key)) for c in children],
        "children_chart": bar_chart(bars, series=[_("收集"), _("答复"), _("反馈")]) if bars else None,
        "trend_chart": trend_chart(stats.trend(region=region, date=date), width=480, height=220),
        "results_chart": bar_chart([Bar(f"{k} 类", [v]) for k, v in results], series=[_("件数")], width=480,
                                   label_width=50, bar_height=18),
        "categories": [(c, category_names.get(c.key, c.key)) for c in categories],
        "league": (league + unranked)[:10],
        "league_minimum": stats.setting("STATS_LEAGUE_MIN_DUE"),
        "period_start_end": stats.period_bounds(period, date),
        "query": _query(region=region, period=period, date=date),
    })
    return render(request, "stats/dashboard.html", context)


@login_required
def units(request):
    """承办单位排名: on-time and satisfaction rates of the lead units, with the minimum count."""
    scope = _scope(request)
    region = _region(request, scope)
    period = _period(request)
    date = _snapshot_date(request, region)
    league, unranked = stats.unit_league(date=date, period=period, region=region) if date else ([], [])
    return render(request, "stats/units.html", {
        "scope": scope, "region": region, "period": period, "periods": StatPeriod.choices, "date": date,
        "breadcrumb": _breadcrumb(scope, region), "league": league, "unranked": unranked,
        "minimum": stats.setting("STATS_LEAGUE_MIN_DUE"), "query": _query(region=region, period=period, date=date),
    })


@login_required
def workbook(request):
    """统计报表 (xlsx) of the region for the snapshot date, streamed. Built from the snapshot's
    grouped rows: about a second for a county or a city; the page links to `export_start`,
    which sends larger ones to the background with a progress page."""
    scope = _scope(request)
    region = _region(request, scope)
    period = _period(request)
    date = _snapshot_date(request, region)
    if date is None:
        raise Http404
    region_name = _breadcrumb(scope, region)[-1][1]
    response = HttpResponse(build_workbook(region=region, date=date, period=period), content_type=XLSX)
    filename = workbook_filename(region_name=region_name, date=date, period=period)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


@login_required
def export_start(request):
    """下载报表: a small workbook streams at once; a large one (a province, a big city) is built in
    the background and this redirects to its progress page."""
    scope = _scope(request)
    region = _region(request, scope)
    period = _period(request)
    date = _snapshot_date(request, region)
    if date is None:
        raise Http404
    direct = reverse("stats:workbook") + _query(region=region, period=period, date=date)
    if workbook_rows(region=region, date=date, period=period) <= int(stats.setting("STATS_WORKBOOK_STREAM_ROWS")):
        return redirect(direct)
    filename = workbook_filename(region_name=_breadcrumb(scope, region)[-1][1], date=date, period=period)
    job = export_job_create(user=request.user, region=region, date=date, period=period, filename=filename)
    return redirect("stats:export_progress", job=job)


@login_required
def export_progress(request, job: str):
    """The progress of a workbook being built: the page refreshes itself (no script) until it is ready."""
    state = export_job(job, user=request.user)
    if state is None:
        raise Http404
    created = datetime.datetime.fromisoformat(state["created"])
    stalled = state["status"] == "queued" and (timezone.now() - created).total_seconds() > 300
    return render(request, "stats/export_progress.html", {
        "job": job, "state": state, "stalled": stalled,
        "refresh": state["status"] in ("queued", "running") and not stalled,
    })


@login_required
def export_download(request, job: str):
    state = export_job(job, user=request.user)
    content = export_job_file(job, user=request.user)
    if state is None or content is None:
        raise Http404
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(state['filename'])}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)


# --- stations and deputies -------------------------------------------------------------------
@login_required
def stations_report(request):
    """站点与代表: receptions and voters per station and month, coverage of deputies grouped into
    stations per sub-region, the deputies not in any station, and the leading officials'
    quarterly visits with those who missed a quarter."""
    scope = _scope(request)
    region = _region(request, scope)
    today = timezone.localdate()
    year = _year(request, today)
    level = stats.next_level(region) or 12
    coverage = stats.coverage_by_region(day=today, region=region, level=min(level, 9)) if level <= 9 else {}
    coverage_names = stats.names(StatDimension.REGION, coverage)
    totals = stats.coverage_by_region(day=today, region=region, level=len(region)) if region else {}
    visits = duty.leader_visits(region=region, year=year, today=today)
    station_months = stats.station_receptions_by_month(region=region, year=year)
    page = Paginator(station_months, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(request, "stats/stations.html", {
        "scope": scope, "region": region, "year": year, "years": range(today.year, today.year - 5, -1),
        "breadcrumb": _breadcrumb(scope, region),
        "coverage": [(code, coverage_names.get(code, code), c) for code, c in sorted(coverage.items())],
        "total": totals.get(region),
        "not_in_stations": duty.deputies_not_in_stations(region=region, day=today, limit=50),
        "visits": visits,
        "missed": [v for v in visits if v.missed],
        "required": stats.setting("LEADER_VISITS_PER_QUARTER"),
        "page": page,
        "months": range(1, 13),
        "query": _query(region=region, year=year),
    })


def _year(request, today: datetime.date) -> int:
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
def duty_list(request):
    """履职考评: the deputies of the region ranked by their yearly duty score."""
    scope = _scope(request)
    region = _region(request, scope)
    today = timezone.localdate()
    year = _year(request, today)
    deputies = Deputy.objects.all().order_by("region_id", "name", "id")
    if region:
        deputies = deputies.filter(region__code__startswith=region)
    q = (request.GET.get("q") or "").strip()
    if q:
        deputies = deputies.filter(name__contains=q)
    scores = duty.duty_scores(deputies=deputies, year=year)
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stats/duty_list.html", {
        "scope": scope, "region": region, "year": year, "years": range(today.year, today.year - 5, -1),
        "breadcrumb": _breadcrumb(scope, region), "page": page, "q": q, "items": list(DutyItem),
        "query": _query(region=region, year=year, q=q),
    })


def _visible_deputy(request, pk: int) -> Deputy:
    deputy = get_object_or_404(Deputy.objects.select_related("region"), pk=pk)
    user = request.user
    if user.role == Role.DEPUTY and not user.is_superuser:
        if deputy.user_id != user.pk:
            raise Http404
        return deputy
    scope = _scope(request)
    if not deputy.region_id.startswith(scope):
        raise Http404
    return deputy


@login_required
def duty_detail(request, pk: int):
    """一人一档: a deputy's duty record for a year (the deputy may read their own)."""
    deputy = _visible_deputy(request, pk)
    today = timezone.localdate()
    year = _year(request, today)
    record = duty.duty_record(deputy=deputy, year=year)
    return render(request, "stats/duty_detail.html", {
        "deputy": deputy, "year": year, "years": range(today.year, today.year - 5, -1), "record": record,
    })


class WeightsForm(forms.Form):
    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for item in DutyItem:
            points, cap = current[item]
            self.fields[f"{item.value}_points"] = forms.DecimalField(
                label=item.label, min_value=0, max_digits=5, decimal_places=1, initial=points)
            self.fields[f"{item.value}_cap"] = forms.DecimalField(
                label=gettext_lazy("年度上限"), min_value=0, max_digits=6, decimal_places=1, required=False, initial=cap)

    def rows(self):
        return [(item, self[f"{item.value}_points"], self[f"{item.value}_cap"]) for item in DutyItem]

    def weights(self) -> dict:
        return {item.value: (self.cleaned_data[f"{item.value}_points"], self.cleaned_data[f"{item.value}_cap"])
                for item in DutyItem}


@login_required
def duty_weights(request):
    """履职计分标准: staff set the points per item and the yearly caps for their region."""
    scope = _scope(request)
    region = _region(request, scope)
    if not region:
        raise Http404  # a superuser chooses a region first: weights belong to a region
    target = get_object_or_404(Region, code=region)
    may_edit = request.user.is_superuser or request.user.role == Role.STAFF
    form = WeightsForm(request.POST if request.method == "POST" and may_edit else None, current=duty.weights_for(region))
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有工作人员可以修改计分标准。"))
        if form.is_valid():
            try:
                duty.duty_weights_save(by=request.user, region=target, weights=form.weights())
            except (ValidationError, InvalidOperation) as exc:
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("计分标准已保存。"))
                return redirect(reverse("stats:duty_weights") + _query(region=region))
    return render(request, "stats/duty_weights.html", {
        "scope": scope, "region": region, "target": target, "form": form, "may_edit": may_edit,
        "breadcrumb": _breadcrumb(scope, region),
    })


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("活动类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=gettext_lazy("活动名称"), max_length=200)
    date = forms.DateField(label=gettext_lazy("活动日期"), widget=forms.DateInput(attrs={"type": "date"}))
    station = forms.ModelChoiceField(label=gettext_lazy("站点（可不填）"), queryset=Station.objects.none(), required=False)
    deputies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("参加代表"), queryset=Deputy.objects.none(), widget=forms.SelectMultiple(attrs={"size": 12}))
    note = forms.CharField(label=gettext_lazy("活动情况"), widget=forms.Textarea, required=False)

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(region__code__startswith=region, is_active=True).order_by("name")
        self.fields["deputies"].queryset = Deputy.objects.filter(region__code__startswith=region).order_by("name", "id")


@login_required
def duty_activities(request):
    """履职活动: the activities recorded in the region this year, and the form to record one."""
    scope = _scope(request)
    region = _region(request, scope)
    today = timezone.localdate()
    year = _year(request, today)
    may_edit = request.user.is_superuser or request.user.role == Role.STAFF
    form = ActivityForm(request.POST if request.method == "POST" else None, region=region,
                        initial={"date": today})
    if request.method == "POST":
        if not may_edit or not region:
            raise PermissionDenied(_("只有工作人员可以记录履职活动。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                duty.duty_activity_record(
                    by=request.user, kind=data["kind"], title=data["title"], date=data["date"],
                    region=Region.objects.get(code=region), station=data["station"], deputies=data["deputies"],
                    note=data["note"],
                )
            except ValidationError as exc:
                for field_name, errors in exc.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, errors)
            else:
                messages.success(request, _("履职活动已记录。"))
                return redirect(reverse("stats:duty_activities") + _query(region=region, year=year))
    activities = (
        DutyActivity.objects.filter(region__code__startswith=region, date__year=year)
        .select_related("station").prefetch_related("deputies").order_by("-date", "-id")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stats/duty_activities.html", {
        "scope": scope, "region": region, "year": year, "breadcrumb": _breadcrumb(scope, region),
        "form": form if may_edit and region else None, "page": page,
        "query": _query(region=region, year=year),
    })


# --- the record books (一表两卡三簿) -------------------------------------------------------------
def _station(request, pk: int) -> Station:
    scope = _scope(request)
    station = get_object_or_404(Station.objects.select_related("region"), pk=pk)
    if not station.region_id.startswith(scope):
        raise Http404
    return station


def _book_period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = _date_param(request, "start", today.replace(day=1))
    end = _date_param(request, "end", today)
    if end < start:
        start, end = end, start
    if (end - start).days > 3 * 366:
        start = end - datetime.timedelta(days=3 * 366)
    return start, end


@login_required
def books_index(request):
    """台账: choose a station, a period and a book to print or export."""
    scope = _scope(request)
    region = _region(request, scope)
    start, end = _book_period(request)
    stations = Station.objects.filter(region__code__startswith=region).order_by("region_id", "name")
    page = Paginator(stations, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(request, "stats/books_index.html", {
        "scope": scope, "region": region, "breadcrumb": _breadcrumb(scope, region), "page": page,
        "start": start, "end": end, "books": list(books.BOOKS.items()),
        "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
    })


@login_required
def book_page(request, pk: int, kind: str):
    """A record book as a print-ready A4 page."""
    station = _station(request, pk)
    if kind not in books.BOOKS:
        raise Http404
    start, end = _book_period(request)
    book = books.build(kind, station=station, start=start, end=end)
    return render(request, "stats/book_print.html", {
        "book": book, "station": station,
        "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
    })


@login_required
def book_xlsx(request, pk: int, kind: str):
    station = _station(request, pk)
    if kind not in books.BOOKS:
        raise Http404
    start, end = _book_period(request)
    book = books.build(kind, station=station, start=start, end=end)
    response = HttpResponse(books.book_xlsx(book), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(book.filename)}"
    return response

