"""Staff pages for 两个联系 (who was not contacted this quarter) and the stations' standards
(checklist, derived and hand-set star rating). The counting is deputies/contacts.py's and
deputies/standards.py's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.activities import NotPermitted
from deputies.contacts import contact_frequency, quarter_bounds
from deputies.standards import ACTIVITY_CAPS, standings, star_override
from liaison.regions import within
from stations.models import Station, checklist_for
from suggestions.stats.views.params import (
    PAGE_SIZE,
    date_param,
    query_string,
    region_breadcrumb,
    region_param,
    stats_scope,
)


@login_required
def contacts_report(request):
    """两个联系: per deputy, contacts by standing-committee members and with voters in the quarter
    of `date`; those with none listed first."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    day = date_param(request, "date", timezone.localdate())
    start, end = quarter_bounds(day)
    rows = contact_frequency(region=region, start=start, end=end)
    not_by_committee = [r for r in rows if not r.by_committee]
    not_with_voters = [r for r in rows if not r.contacted_voters]
    return render(request, "stats/contacts.html", {
        "scope": scope, "region": region, "breadcrumb": region_breadcrumb(scope, region),
        "start": start, "end": end, "date": day,
        "not_by_committee": not_by_committee[:200], "not_with_voters": not_with_voters[:200],
        "counts": {"total": len(rows), "by_committee": len(not_by_committee), "with_voters": len(not_with_voters)},
        "page": Paginator(rows, PAGE_SIZE * 2).get_page(request.GET.get("page")),
    })


class StarForm(forms.Form):
    station = forms.IntegerField(widget=forms.HiddenInput)
    stars = forms.TypedChoiceField(label=gettext_lazy("星级"), coerce=int, empty_value=None, required=False,
                                   choices=[("", gettext_lazy("按规则计算"))] + [(n, n) for n in range(6)])
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=200, required=False)


@login_required
def standards(request):
    """站点建设标准: each station's checklist (八有/十有 as its region chose), receptions in the last
    12 months, the rule's rating and the rating in force; staff set a rating by hand with a reason."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    if request.method == "POST":
        form = StarForm(request.POST)
        if form.is_valid():
            station = get_object_or_404(Station.objects.filter(within(scope)), pk=form.cleaned_data["station"])
            try:
                star_override(by=request.user, station=station, stars=form.cleaned_data["stars"],
                              reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            except NotPermitted as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("星级已保存。"))
        else:
            messages.error(request, _("输入有误。"))
        return redirect(reverse("stats:standards") + query_string(region=region))
    rows = standings(region=region)
    checklist, _items = checklist_for(region or "00")
    return render(request, "stats/standards.html", {
        "scope": scope, "region": region, "breadcrumb": region_breadcrumb(scope, region),
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "checklist": checklist,
        "caps": ACTIVITY_CAPS, "may_edit": request.user.is_superuser or request.user.role == "staff",
        "stars": range(6),
    })
