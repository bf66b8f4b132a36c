"""Deputy pages: the public contact card (代表连心卡) and the signed-in deputy's own pages.

The public card shows what a voter needs to reach a deputy and nothing personal: name,
levels, stations, occupation and expertise. Never the phone, the birth date or the employer.

The deputy's own duty record (`/deputies/me/record/`) is served by the suggestions app
(suggestions/stats/views/duty.py): duty counts suggestions, which this app cannot see.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy, Mandate, Reception, ReceptionStatus, StationMembership
from deputies.selectors import reception_list
from liaison import pdf
from liaison.models import Role
from liaison.qr import public_url, qr_response, qr_svg

LEVEL_ORDER = {"national": 0, "provincial": 1, "city": 2, "county": 3, "township": 4}


# --- public ------------------------------------------------------------------------------


def _public_deputy(pk) -> Deputy:
    # `only` keeps personal columns (phone, birth date, employer) out of the page's reach.
    deputies = Deputy.objects.only("id", "name", "occupation", "expertise").prefetch_related(
        Prefetch("mandates", queryset=Mandate.objects.order_by("started_on", "id")),
        Prefetch(
            "memberships",
            queryset=StationMembership.objects.filter(station__is_active=True).select_related("station").order_by("station__name"),
        ),
    )
    return get_object_or_404(deputies, pk=pk)


def current_levels(deputy: Deputy, today: datetime.date) -> list[str]:
    mandates = [
        m for m in deputy.mandates.all() if m.started_on <= today and (m.ended_on is None or m.ended_on >= today)
    ]
    mandates.sort(key=lambda m: LEVEL_ORDER.get(m.level, 9))
    return [m.get_level_display() for m in mandates]


def deputy_opinion_url(request, deputy: Deputy) -> str:
    """Where the deputy's QR code (一人一码) leads: the form to write to this deputy."""
    return public_url(request, reverse("suggestions:opinion_deputy", args=[deputy.pk]))


def _card_context(request, deputy: Deputy) -> dict:
    today = timezone.localdate()
    opinion_url = deputy_opinion_url(request, deputy)
    return {
        "deputy": deputy,
        "initial": deputy.name[:1],
        "levels": current_levels(deputy, today),
        "memberships": list(deputy.memberships.all()),
        "opinion_url": opinion_url,
        "qr": qr_svg(opinion_url, title=_("写信给%(name)s代表的二维码") % {"name": deputy.name}),
    }


def deputy_detail(request, pk: int):
    """代表连心卡 online: the page a voter reaches from a deputy's card or a station page."""
    return render(request, "deputies/detail.html", _card_context(request, _public_deputy(pk)))


def deputy_qr(request, pk, fmt: str):
    deputy = _public_deputy(pk)
    return qr_response(deputy_opinion_url(request, deputy), fmt=fmt, filename=f"deputy-{deputy.pk}-qr")


def deputy_photo(request, pk: int):
    """The photo on a deputy's contact card: public like the card itself, served through this
    view because uploads are never exposed as a folder."""
    deputy = _public_deputy(pk)
    if not deputy.photo:
        raise Http404
    try:
        handle = deputy.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def deputy_card(request, pk: int):
    """代表连心卡: a print-ready A6 card with the deputy's QR code."""
    return render(request, "deputies/card.html", _card_context(request, _public_deputy(pk)))


def deputy_card_pdf(request, pk: int):
    context = _card_context(request, _public_deputy(pk))
    body = pdf.deputy_card(
        deputy=context["deputy"],
        levels=context["levels"],
        station_names=[m.station.name for m in context["memberships"]],
        qr_url=context["opinion_url"],
    )
    return pdf.response(body, filename=f"deputy-{pk}-card")


# --- the signed-in deputy ------------------------------------------------------------------


def my_deputy(request) -> Deputy:
    """The deputy record of the signed-in account; other roles may not use these pages."""
    user = request.user
    if user.role != Role.DEPUTY:
        raise PermissionDenied(_("此页面仅供人大代表使用。"))
    deputy = Deputy.objects.filter(user=user).first()
    if deputy is None:
        raise PermissionDenied(_("您的账号尚未关联代表信息，请联系工作人员。"))
    return deputy


def _upcoming_receptions(deputy: Deputy, station_ids: list[int], today: datetime.date):
    return (
        Reception.objects.filter(Q(station_id__in=station_ids) | Q(deputies=deputy), date__gte=today)
        .filter(status=ReceptionStatus.SCHEDULED)
        .select_related("station")
        .prefetch_related("deputies")
        .distinct()
        .order_by("date", "starts_at", "id")
    )


@login_required
def dashboard(request):
    """我的工作台: my stations, the reception days coming up, what I recorded lately."""
    deputy = my_deputy(request)
    today = timezone.localdate()
    memberships = list(
        StationMembership.objects.filter(deputy=deputy).select_related("station", "station__region").order_by("station__name")
    )
    station_ids = [m.station_id for m in memberships]
    recent = (
        Reception.objects.filter(deputies=deputy, status=ReceptionStatus.RECORDED)
        .select_related("station")
        .order_by("-date", "-id")[:5]
    )
    return render(
        request,
        "deputies/dashboard.html",
        {
            "deputy": deputy,
            "memberships": memberships,
            "upcoming": list(_upcoming_receptions(deputy, station_ids, today)[:10]),
            "recent": list(recent),
        },
    )


def _my_reception(request, pk) -> Reception:
    return get_object_or_404(reception_list(user=request.user), pk=pk)


@login_required
def reception_detail(request, pk: int):
    deputy = my_deputy(request)
    reception = _my_reception(request, pk)
    return render(request, "deputies/reception_detail.html", {"deputy": deputy, "reception": reception})

