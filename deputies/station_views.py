"""A station's public pages that show its deputies and receptions: its page, its service card
(联络站服务卡) and its reception schedule (代表接待日公示表), each also as a PDF.

They sit in `deputies` because they read deputies' station groups and receptions; the root
URLconf serves them under `/stations/` beside the station finder (`stations/views.py`).
"""

import datetime

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from deputies.models import Mandate, Reception, ReceptionStatus, StationMembership
from liaison import pdf
from liaison.qr import qr_svg
from stations.forms import ScheduleMonthsForm
from stations.models import Station
from stations.views import public_station, station_opinion_url

UPCOMING_ON_STATION_PAGE = 6
LEVEL_ORDER = {"national": 0, "provincial": 1, "city": 2, "county": 3, "township": 4}


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


def station_detail(request, pk: int):
    station = public_station(pk)
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
    return render(request, "stations/card.html", _card_context(request, public_station(pk)))


def station_card_pdf(request, pk: int):
    context = _card_context(request, public_station(pk))
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
    return render(request, "stations/schedule.html", _schedule_context(request, public_station(pk)))


def station_schedule_pdf(request, pk: int) -> HttpResponse:
    context = _schedule_context(request, public_station(pk))
    body = pdf.reception_schedule(
        station=context["station"],
        region_name=context["region_name"],
        start=context["start"],
        last_day=context["last_day"],
        receptions=context["receptions"],
    )
    return pdf.response(body, filename=f"station-{pk}-schedule-{context['start']:%Y-%m}")
