"""履职: the deputies' duty scores and records (一人一档), the score weights and the activities
staff record, for staff and leaders of a region; and the signed-in deputy's own duty record.
Every duty figure on these pages is counted by `suggestions.duty`."""

from __future__ import annotations

import io
from decimal import InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from deputies.models import ActivityKind, Deputy, DutyActivity, DutyItem, Reception, ReceptionStatus
from deputies.views import my_deputy
from liaison.exports import export_row
from liaison.models import Role
from liaison.regions import within
from stations.models import Region, Station
from suggestions import duty
from suggestions.stats.views.params import (
    PAGE_SIZE,
    query_string,
    quote_filename,
    region_breadcrumb,
    region_param,
    stats_scope,
    year_param,
)
from suggestions.stats.workbook import XLSX


@login_required
def duty_list(request):
    """履职考评: the deputies of the region ranked by their yearly duty score."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    today = timezone.localdate()
    year = year_param(request, today)
    deputies = Deputy.objects.all().order_by("region_id", "name", "id")
    if region:
        deputies = deputies.filter(within(region))
    q = (request.GET.get("q") or "").strip()
    if q:
        deputies = deputies.filter(name__contains=q)
    scores = duty.duty_scores(deputies=deputies, year=year)
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stats/duty_list.html", {
        "scope": scope, "region": region, "year": year, "years": range(today.year, today.year - 5, -1),
        "breadcrumb": region_breadcrumb(scope, region), "page": page, "q": q, "items": list(DutyItem),
        "query": query_string(region=region, year=year, q=q),
    })


def _visible_deputy(request, pk: int) -> Deputy:
    deputy = get_object_or_404(Deputy.objects.select_related("region"), pk=pk)
    user = request.user
    if user.role == Role.DEPUTY and not user.is_superuser:
        if deputy.user_id != user.pk:
            raise Http404
        return deputy
    scope = stats_scope(request)
    if not deputy.region_id.startswith(scope):
        raise Http404
    return deputy


@login_required
def duty_detail(request, pk: int):
    """一人一档: a deputy's duty record for a year (the deputy may read their own)."""
    deputy = _visible_deputy(request, pk)
    today = timezone.localdate()
    year = year_param(request, today)
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
    scope = stats_scope(request)
    region = region_param(request, scope)
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
                return redirect(reverse("stats:duty_weights") + query_string(region=region))
    return render(request, "stats/duty_weights.html", {
        "scope": scope, "region": region, "target": target, "form": form, "may_edit": may_edit,
        "breadcrumb": region_breadcrumb(scope, region),
    })


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("活动类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=gettext_lazy("活动名称"), max_length=200)
    # An <input type="date"> takes ISO dates only: a localised value (2026年5月20日) shows empty.
    date = forms.DateField(label=gettext_lazy("活动日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    station = forms.ModelChoiceField(label=gettext_lazy("站点（可不填）"), queryset=Station.objects.none(), required=False)
    deputies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("参加代表"), queryset=Deputy.objects.none(), widget=forms.SelectMultiple(attrs={"size": 12}))
    note = forms.CharField(label=gettext_lazy("活动情况"), widget=forms.Textarea, required=False)

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(within(region), is_active=True).order_by("name")
        self.fields["deputies"].queryset = Deputy.objects.filter(within(region)).order_by("name", "id")


@login_required
def duty_activities(request):
    """履职活动: the activities recorded in the region this year, and the form to record one."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    today = timezone.localdate()
    year = year_param(request, today)
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
                return redirect(reverse("stats:duty_activities") + query_string(region=region, year=year))
    activities = (
        DutyActivity.objects.filter(within(region), date__year=year)
        .select_related("station").prefetch_related("deputies").order_by("-date", "-id")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stats/duty_activities.html", {
        "scope": scope, "region": region, "year": year, "breadcrumb": region_breadcrumb(scope, region),
        "form": form if may_edit and region else None, "page": page,
        "query": query_string(region=region, year=year),
    })


# --- the signed-in deputy's own record (/deputies/me/record/, in the `deputies:` namespace) ------
RECEPTIONS_PER_PAGE = 20


@login_required
def my_duty_record(request):
    """我的履职档案: the year's duty figures and score, counted by the same function as the staff's
    duty pages (`duty.duty_score`), and the receptions I attended, per year and listed."""
    deputy = my_deputy(request)
    today = timezone.localdate()
    year = year_param(request, today)
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
    page = Paginator(attended, RECEPTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "deputies/duty_record.html", {
        "deputy": deputy, "year": year, "year_choices": range(today.year, today.year - 5, -1),
        "score": duty.duty_score(deputy=deputy, year=year), "years": years, "page": page,
    })


@login_required
def duty_xlsx(request):
    """履职考评 as Excel: the same ranking (`duty.duty_scores`) as the page, every deputy of the region."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    year = year_param(request, timezone.localdate())
    deputies = Deputy.objects.all().order_by("region_id", "name", "id")
    if region:
        deputies = deputies.filter(within(region))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("履职考评")
    items = list(DutyItem)
    sheet.append(export_row([_("名次"), _("代表"), _("区划代码"), *[str(i.label) for i in items], _("得分")]))
    for rank, score in enumerate(duty.duty_scores(deputies=deputies, year=year), start=1):
        sheet.append(export_row([rank, score.deputy.name, score.deputy.region_id,
                                 *[score.counts.get(i, 0) for i in items], float(score.total)]))
    stream = io.BytesIO()
    workbook.save(stream)
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    name = quote_filename(f"履职考评-{region or 'all'}-{year}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
