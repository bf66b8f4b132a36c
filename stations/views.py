"""Public station pages: find a station, a station's page, its service card and schedule.

Nothing here needs an account: these are the pages a voter reaches from a station's QR code
(一家一码). They show what the station publishes (address, hours, phone, its deputies and its
reception schedule) and nothing personal about anyone.
"""

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from deputies.models import Mandate, Reception, ReceptionStatus, StationMembership
from liaison import pdf
from liaison.qr import public_url, qr_response, qr_svg
from stations.forms import ScheduleMonthsForm, StationSearchForm
from stations.models import Region, Station

PAGE_SIZE = 20
UPCOMING_ON_STATION_PAGE = 6
CODE_LENGTHS = (2, 4, 6, 9, 12)
LEVEL_ORDER = {"national": 0, "provincial": 1, "city": 2, "county": 3, "township": 4}


def _child_length(code: str) -> int | None:
    longer = [n for n in CODE_LENGTHS if n > len(code)]
    return longer[0] if longer else None


def _child_regions_with_counts(region: Region | None) -> list[tuple[Region, int]]:
    """The regions one level below `region` (or the provinces) that have active stations,
    with how many each has in its subtree: one grouped query plus one for the names."""
    parent_code = region.code if region else ""
    child_length = _child_length(parent_code)
    if child_length is None:
        return []
    counts = (
        Station.objects.active()
        .filter(region__code__startswith=parent_code)
        .annotate(prefix=Substr("region_id", 1, child_length))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_code = {row["prefix"]: row["n"] for row in counts if len(row["prefix"]) == child_length}
    if not by_code:
        return []
    children = Region.objects.filter(code__in=by_code).order_by("code")
    return [(child, by_code[child.code]) for child in children]


def station_find(request):
    """找联络站: drill down county → township, or search by name, with pagination."""
    form = StationSearchForm(request.GET or None)
    query, region = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        if form.cleaned_data["region"]:
            region = get_object_or_404(Region, code=form.cleaned_data["region"])
    stations = Station.objects.active().select_related("region").order_by("region_id", "kind", "name", "id")
    if region is not None:
        stations = stations.filter(region__code__startswith=region.code)
    if query:
        stations = stations.filter(name__icontains=query)
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    breadcrumb = (region.ancestors() + [region]) if region else []
    return render(
        request,
        "stations/find.html",
        {
            "form": form,
            "query": query,
            "region": region,
            "breadcrumb": breadcrumb,
            "children": _child_regions_with_counts(region),
            "page": page,
        },
    )


def _current_levels(mandates, today: datetime.date) -> list[str]:
    current = [m for m in mandates if m.started_on <= today and (m.ended_on is None or m.ended_on >= today)]
    current.sort(key=lambda m: LEVEL_ORDER.get(m.level, 9))
    return [m.get_level_display() for m in current]


def station_members(station: Station, today: datetime.date) -> list[dict]:
    """The station's deputies (编组进站) with their current levels: two queries."""
    memberships = (
        StationMembership.objects.filter(station=station)
        .select_related("deputy")
        .prefetch_related(Prefetch("deputy__mandates", queryset=Mandate.objects.order_by("started_on")))
        .order_by("role", "deputy__name", "deputy_id")
    )
    role_rank = {"head": 0, "deputy_head": 1, "member": 2}
    rows = [
        {
            "deputy": m.deputy,
            "role": m.get_role_display(),
            "is_head": m.role != "member",
            "levels": _current_levels(m.deputy.mandates.all(), today),
            "rank": role_rank.get(m.role, 3),
        }
        for m in memberships
    ]
    rows.sort(key=lambda r: (r["rank"], r["deputy"].name, r["deputy"].pk))
    return rows


def _public_station(pk: int) -> Station:
    return get_object_or_404(Station.objects.active().select_related("region", "parent"), pk=pk)


def station_opinion_url(request, station: Station) -> str:
    """Where the station's QR code (一家一码) leads: the form to write to this station."""
    return public_url(request, reverse("suggestions:opinion_station", args=[station.pk]))


def station_detail(request, pk: int):
    station = _public_station(pk)
    today = timezone.localdate()
    upcoming = (
        Reception.objects.filter(station=station, date__gte=today, status=ReceptionStatus.SCHEDULED)
        .prefetch_related("deputies")
        .order_by("date", "starts_at", "id")[:UPCOMING_ON_STATION_PAGE]
    )
    opinion_url = station_opinion_url(request, station)
    return render(
        request,
        "stations/detail.html",
        {
            "station": station,
            "region_name": station.region.full_name,
            "members": station_members(station, today),
            "upcoming": list(upcoming),
            "opinion_url": opinion_url,
            "qr": qr_svg(opinion_url, title=f"{station.name} 意见建议二维码"),
        },
    )


def station_qr(request, pk: int, fmt: str):
    station = _public_station(pk)
    return qr_response(station_opinion_url(request, station), fmt=fmt, filename=f"station-{station.pk}-qr")


def _card_context(request, station: Station) -> dict:
    opinion_url = station_opinion_url(request, station)
    today = timezone.localdate()
    return {
        "station": station,
        "region_name": station.region.full_name,
        "members": station_members(station, today),
        "opinion_url": opinion_url,
        "qr": qr_svg(opinion_url, title=f"{station.name} 意见建议二维码"),
    }


def station_card(request, pk: int):
    """联络站服务卡: a print-ready A6 card with the station's QR code."""
    return render(request, "stations/card.html", _card_context(request, _public_station(pk)))


def station_card_pdf(request, pk: int):
    context = _card_context(request, _public_station(pk))
    body = pdf.station_card(
        station=context["station"],
        region_name=context["region_name"],
        members=context["members"],
        qr_url=context["opinion_url"],
    )
    return pdf.response(body, filename=f"station-{pk}-card")


def _schedule_window(request) -> tuple[datetime.date, datetime.date, ScheduleMonthsForm]:
    form = ScheduleMonthsForm(request.GET or None)
    today = timezone.localdate()
    start = today.replace(day=1)
    months = 3
    if form.is_valid():
        if form.cleaned_data["month"]:
            start = form.cleaned_data["month"].replace(day=1)
        months = form.cleaned_data["months"] or months
    elif form.is_bound:
        raise Http404("bad schedule window")
    year, month = divmod(start.month - 1 + months, 12)
    end = datetime.date(start.year + year, month + 1, 1)
    return start, end, form


def _schedule_context(request, station: Station) -> dict:
    start, end, form = _schedule_window(request)
    receptions = (
        Reception.objects.filter(station=station, date__gte=start, date__lt=end)
        .exclude(status=ReceptionStatus.CANCELLED)
        .prefetch_related("deputies")
        .order_by("date", "starts_at", "id")
    )
    return {
        "station": station,
        "region_name": station.region.full_name,
        "start": start,
        "last_day": end - datetime.timedelta(days=1),
        "receptions": list(receptions),
        "query": request.GET.urlencode(),
    }


def station_schedule(request, pk: int):
    """代表接待日公示表: the station's reception days, print-ready on A4."""
    return render(request, "stations/schedule.html", _schedule_context(request, _public_station(pk)))


def station_schedule_pdf(request, pk: int) -> HttpResponse:
    context = _schedule_context(request, _public_station(pk))
    body = pdf.reception_schedule(
        station=context["station"],
        region_name=context["region_name"],
        start=context["start"],
        last_day=context["last_day"],
        receptions=context["receptions"],
    )
    return pdf.response(body, filename=f"station-{pk}-schedule-{context['start']:%Y-%m}")
