"""Public station pages: find a station, and its QR code.

A station's own page, service card and schedule list its deputies and receptions, so they
live in `deputies/station_views.py`; the root URLconf puts both under `/stations/`.

Nothing here needs an account: these are the pages a voter reaches from a station's QR code
(一家一码). They show what the station publishes (address, hours, phone, its deputies and its
reception schedule) and nothing personal about anyone.
"""


from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from liaison.qr import public_url, qr_response
from liaison.regions import child_length, root_code, under_root, within
from stations.forms import StationSearchForm
from stations.models import Region, Station

PAGE_SIZE = 20


def _child_regions_with_counts(region: Region | None) -> list[tuple[Region, int]]:
    """The regions one level below `region` (or the provinces) that have active stations,
    with how many each has in its subtree: one grouped query plus one for the names."""
    parent_code = region.code if region else ""
    length = child_length(parent_code)
    if length is None:
        return []
    counts = (
        Station.objects.active()
        .filter(within(parent_code))
        .annotate(prefix=Substr("region_id", 1, length))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_code = {row["prefix"]: row["n"] for row in counts if len(row["prefix"]) == length}
    if not by_code:
        return []
    children = Region.objects.filter(code__in=by_code).order_by("code")
    return [(child, by_code[child.code]) for child in children]


def station_find(request):
    """找联络站: drill down county → township, or search by name, with pagination."""
    form = StationSearchForm(request.GET or None)
    query, code = "", ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        code = form.cleaned_data["region"] or ""
    code = under_root(code)  # LIAISON_ROOT_REGION: the finder starts at the deployment's region
    region = get_object_or_404(Region, code=code) if code else None
    stations = Station.objects.active().select_related("region").order_by("region_id", "kind", "name", "id")
    if region is not None:
        stations = stations.filter(within(region.code))
    if query:
        # By the station's name or its area's (如：太东街道 finds the stations of that township).
        stations = stations.filter(Q(name__icontains=query) | Q(region__name__icontains=query))
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    root = root_code()
    breadcrumb = [r for r in region.ancestors() + [region] if r.code.startswith(root)] if region else []
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


def public_station(pk: int) -> Station:
    return get_object_or_404(Station.objects.active().select_related("region", "parent"), pk=pk)


def station_opinion_url(request, station: Station) -> str:
    """Where the station's QR code (一家一码) leads: the form to write to this station."""
    return public_url(request, reverse("suggestions:opinion_station", args=[station.pk]))


def station_qr(request, pk: int, fmt: str):
    station = public_station(pk)
    return qr_response(station_opinion_url(request, station), fmt=fmt, filename=f"station-{station.pk}-qr")


