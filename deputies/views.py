"""Deputy pages: the public contact card (代表连心卡) and the signed-in deputy's own pages.

The public card shows what a voter needs to reach a deputy and nothing personal: name,
levels, stations, occupation and expertise. Never the phone, the birth date or the employer.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.forms import ReceptionRecordForm
from deputies.models import Deputy, Mandate, Reception, ReceptionStatus, StationMembership
from deputies.selectors import reception_list
from liaison import pdf
from liaison.models import Role
from liaison.qr import public_url, qr_response, qr_svg

LEVEL_ORDER = {"national": 0, "provincial": 1, "city": 2, "county": 3, "township": 4}
PAGE_SIZE = 20


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
    """Where the deputy's QR code (一人一码) leads: the deputy's page and its letter form."""
    return public_url(request, reverse("deputies:detail", args=[deputy.pk]))


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


@login_required
def reception_new(request):
    """记录一次接待: a reception that was not scheduled beforehand (走访, 流动接待…)."""
    deputy = my_deputy(request)
    if not deputy.memberships.exists():
        messages.error(request, _("您尚未编入任何联络站，暂不能记录接待。请联系工作人员。"))
        return redirect("deputies:dashboard")
    form = ReceptionRecordForm(request.POST if request.method == "POST" else None, deputy=deputy, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        reception = form.save(by=request.user)
        messages.success(request, _("接待记录已保存。"))
        return redirect("deputies:reception_detail", pk=reception.pk)
    return render(request, "deputies/reception_form.html", {"form": form, "deputy": deputy, "scheduled": None})


def _my_reception(request, deputy: Deputy, pk) -> Reception:
    return get_object_or_404(reception_list(user=request.user), pk=pk)


@login_required
def reception_record(request, pk: int):
    """Fill in the record of a scheduled reception day (公示表 → 接待记录)."""
    deputy = my_deputy(request)
    reception = _my_reception(request, deputy, pk)
    if reception.status != ReceptionStatus.SCHEDULED:
        messages.info(request, _("这次接待已经记录过了。"))
        return redirect("deputies:reception_detail", pk=reception.pk)
    form = ReceptionRecordForm(request.POST if request.method == "POST" else None, instance=reception, deputy=deputy)
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user)
        messages.success(request, _("接待记录已保存。"))
        return redirect("deputies:reception_detail", pk=reception.pk)
    return render(request, "deputies/reception_form.html", {"form": form, "deputy": deputy, "scheduled": reception})


@login_required
def reception_detail(request, pk: int):
    deputy = my_deputy(request)
    reception = _my_reception(request, deputy, pk)
    return render(request, "deputies/reception_detail.html", {"deputy": deputy, "reception": reception})


@login_required
def duty_record(request):
    """履职档案 so far: the receptions I attended, counted per year and listed."""
    deputy = my_deputy(request)
    attended = (
        Reception.objects.filter(deputies=deputy, status=ReceptionStatus.RECORDED)
        .select_related("station")
        .order_by("-date", "-id")
    )
    years = list(
        attended.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(receptions=Count("id"), visitors=Sum("visitor_count"))
        .order_by("-year")
    )
    page = Paginator(attended, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deputies/duty_record.html", {"deputy": deputy, "years": years, "page": page})
