"""The dashboard with its drill-down (市 → 县 → 乡镇 → 站点), the handling units' league table, and
stations and deputies (receptions, coverage, leaders' visits): read from the nightly snapshots,
a constant number of queries per page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suggestions import duty
from suggestions.conf import setting
from suggestions.models import StatDimension
from suggestions.stats.periods import period_bounds
from suggestions.stats.read import (
    child_rows,
    dimension_rows,
    names,
    next_level,
    region_figures,
    snapshot_dates,
    trend,
    unit_league,
)
from suggestions.stats.stations import coverage_by_region, station_receptions_by_month
from suggestions.stats.views.charts import Bar, bar_chart, trend_chart
from suggestions.stats.views.params import (
    PAGE_SIZE,
    period_choices,
    period_param,
    query_string,
    region_breadcrumb,
    region_param,
    snapshot_date,
    stats_scope,
    year_param,
)


@login_required
def dashboard(request):
    """统计：the region's figures, its sub-regions (or stations) to drill into, the trend, results,
    categories and the leading units, from the snapshot of the chosen date and period."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    periods = period_choices()
    period = period_param(request, periods)
    date = snapshot_date(request, region)
    breadcrumb = region_breadcrumb(scope, region)
    context = {
        "scope": scope, "region": region, "period": period, "periods": periods, "date": date,
        "breadcrumb": breadcrumb, "region_name": breadcrumb[-1][1],
        "alerts": duty.attendance_alerts(region=region, limit=20),
    }
    if date is None:
        return render(request, "stats/dashboard.html", context)
    figures = region_figures(date=date, period=period, region=region)
    child_dimension, children = child_rows(date=date, period=period, region=region)
    child_names = names(child_dimension, [c.key for c in children])
    bars = []
    for child in children[:40]:
        href = ""
        if child_dimension == StatDimension.REGION:
            href = reverse("stats:dashboard") + query_string(region=child.key, period=period, date=date)
        bars.append(Bar(child_names.get(child.key, child.key), [child.collected, child.replied, child.fed_back], href))
    categories = dimension_rows(date=date, period=period, dimension=StatDimension.CATEGORY, region=region)[:15]
    category_names = names(StatDimension.CATEGORY, [c.key for c in categories])
    league, unranked = unit_league(date=date, period=period, region=region)
    results = [("A", figures.result_a), ("B", figures.result_b), ("C", figures.result_c), ("D", figures.result_d)]
    context.update({
        "figures": figures,
        "built_at": getattr(figures, "built_at", None),
        "dates": snapshot_dates(region=region),
        "child_dimension": child_dimension,
        "children": [(c, child_names.get(c.key, c.key)) for c in children],
        "children_chart": bar_chart(bars, series=[_("收集"), _("答复"), _("反馈")]) if bars else None,
        "trend_chart": trend_chart(trend(region=region, date=date), width=480, height=220),
        "results_chart": bar_chart([Bar(f"{k} 类", [v]) for k, v in results], series=[_("件数")], width=480,
                                   label_width=50, bar_height=18),
        "categories": [(c, category_names.get(c.key, c.key)) for c in categories],
        "league": (league + unranked)[:10],
        "league_minimum": setting("STATS_LEAGUE_MIN_DUE"),
        "period_start_end": period_bounds(period, date),
        "query": query_string(region=region, period=period, date=date),
    })
    return render(request, "stats/dashboard.html", context)


@login_required
def units(request):
    """承办单位排名: on-time and satisfaction rates of the lead units, with the minimum count."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    periods = period_choices()
    period = period_param(request, periods)
    date = snapshot_date(request, region)
    league, unranked = unit_league(date=date, period=period, region=region) if date else ([], [])
    return render(request, "stats/units.html", {
        "scope": scope, "region": region, "period": period, "periods": periods, "date": date,
        "breadcrumb": region_breadcrumb(scope, region), "league": league, "unranked": unranked,
        "minimum": setting("STATS_LEAGUE_MIN_DUE"), "query": query_string(region=region, period=period, date=date),
    })


@login_required
def stations_report(request):
    """站点与代表: receptions and voters per station and month, coverage of deputies grouped into
    stations per sub-region, the deputies not in any station, and the leading officials'
    quarterly visits with those who missed a quarter."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    today = timezone.localdate()
    year = year_param(request, today)
    level = next_level(region) or 12
    coverage = coverage_by_region(day=today, region=region, level=min(level, 9)) if level <= 9 else {}
    coverage_names = names(StatDimension.REGION, coverage)
    totals = coverage_by_region(day=today, region=region, level=len(region)) if region else {}
    visits = duty.leader_visits(region=region, year=year, today=today)
    station_months = station_receptions_by_month(region=region, year=year)
    page = Paginator(station_months, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(request, "stats/stations.html", {
        "scope": scope, "region": region, "year": year, "years": range(today.year, today.year - 5, -1),
        "breadcrumb": region_breadcrumb(scope, region),
        "coverage": [(code, coverage_names.get(code, code), c) for code, c in sorted(coverage.items())],
        "total": totals.get(region),
        "not_in_stations": duty.deputies_not_in_stations(region=region, day=today, limit=50),
        "visits": visits,
        "missed": [v for v in visits if v.missed],
        "required": setting("LEADER_VISITS_PER_QUARTER"),
        "page": page,
        "months": range(1, 13),
        "query": query_string(region=region, year=year),
    })
