"""The record books (台账: 长治's 一表两卡三簿, 禹州's 两簿两卡) of a station or a deputy for a period,
printed on A4 or exported to Excel. A deputy opens their own books; staff and leaders open every
station's and deputy's in their region."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from deputies.views import my_deputy
from liaison.regions import within
from stations.models import Station
from suggestions import books
from suggestions.stats.views.duty import _visible_deputy
from suggestions.stats.views.params import (
    PAGE_SIZE,
    date_param,
    quote_filename,
    region_breadcrumb,
    region_param,
    stats_scope,
)
from suggestions.stats.workbook import XLSX


def _station(request, pk: int) -> Station:
    scope = stats_scope(request)
    station = get_object_or_404(Station.objects.select_related("region"), pk=pk)
    if not station.region_id.startswith(scope):
        raise Http404
    return station


def _book_period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = date_param(request, "start", today.replace(day=1))
    end = date_param(request, "end", today)
    if end < start:
        start, end = end, start
    if (end - start).days > 3 * 366:
        start = end - datetime.timedelta(days=3 * 366)
    return start, end


@login_required
def books_index(request):
    """台账: choose a station, a period and a book to print or export."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    start, end = _book_period(request)
    stations = Station.objects.filter(within(region)).order_by("region_id", "name")
    page = Paginator(stations, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(request, "stats/books_index.html", {
        "scope": scope, "region": region, "breadcrumb": region_breadcrumb(scope, region), "page": page,
        "start": start, "end": end, "books": list(books.BOOKS.items()), "yuzhou": books.YUZHOU,
        "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
    })


@login_required
def book_page(request, pk: int, kind: str):
    """A record book as a print-ready A4 page."""
    station = _station(request, pk)
    if kind not in books.BOOKS:
        raise Http404
    start, end = _book_period(request)
    book = books.build(kind, station=station, start=start, end=end, viewer=request.user)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    return render(request, "stats/book_print.html", {
        "book": book, "region_name": station.region.name,
        "xlsx_url": reverse("stats:book_xlsx", args=[station.pk, kind]) + f"?{query}",
        "back_url": reverse("stats:books") + f"?region={station.region_id}&{query}",
    })


@login_required
def book_xlsx(request, pk: int, kind: str):
    station = _station(request, pk)
    if kind not in books.BOOKS:
        raise Http404
    start, end = _book_period(request)
    book = books.build(kind, station=station, start=start, end=end, viewer=request.user)
    return _xlsx_response(book)


def _xlsx_response(book) -> HttpResponse:
    response = HttpResponse(books.book_xlsx(book), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote_filename(book.filename)}"
    return response


# --- a deputy's own three books (长治: kept per deputy) ----------------------------------------
def _deputy_book(request, pk: int, kind: str):
    deputy = _visible_deputy(request, pk)  # the deputy themself, or staff and leaders in scope
    if kind not in books.DEPUTY_BOOKS:
        raise Http404
    start, end = _book_period(request)
    return deputy, start, end, books.build_for_deputy(kind, deputy=deputy, start=start, end=end, viewer=request.user)


@login_required
def deputy_books(request, pk: int):
    """A deputy's three books: choose a period, print or export each."""
    deputy = _visible_deputy(request, pk)
    start, end = _book_period(request)
    return render(request, "stats/deputy_books.html", {
        "deputy": deputy, "start": start, "end": end, "books": list(books.DEPUTY_BOOKS.items()),
        "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
    })


@login_required
def my_books(request):
    """我的记录簿 (/deputies/me/books/): the signed-in deputy's own three books."""
    return deputy_books(request, my_deputy(request).pk)


@login_required
def deputy_book_page(request, pk: int, kind: str):
    deputy, start, end, book = _deputy_book(request, pk, kind)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    return render(request, "stats/book_print.html", {
        "book": book, "region_name": deputy.region.name,
        "xlsx_url": reverse("stats:deputy_book_xlsx", args=[deputy.pk, kind]) + f"?{query}",
        "back_url": reverse("stats:deputy_books", args=[deputy.pk]) + f"?{query}",
    })


@login_required
def deputy_book_xlsx(request, pk: int, kind: str):
    return _xlsx_response(_deputy_book(request, pk, kind)[3])
