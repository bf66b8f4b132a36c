"""The staff's workbench: every item in one place, a list for each state that needs them, and
search by code, title, deputy or (for those allowed to see it) the voter's phone; the 回头看
worklist and its completion; 打捆督办 from the supervision board.

Writes go through the services (the same as the API's), so refusals read the same everywhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework import serializers

from liaison.models import Role
from liaison.regions import within
from liaison.scoping import region_scope
from suggestions import selectors
from suggestions.models import Status
from suggestions.services.closing import follow_up_complete
from suggestions.services.oversight import bundle_create, bundle_urge
from suggestions.steps.forms import StepForm, form_field
from suggestions.steps.inputs import (
    FOLLOW_UP_STATES,
    BundleCreateSerializer,
    FollowUpCompleteSerializer,
)
from suggestions.steps.table import STEPS
from suggestions.views.helpers import PAGE_SIZE, WORKFLOW_ERRORS, role_required

# tab → (label, filter, the steps a row offers: each opens the step's page, which asks to confirm)
WORKLIST_TABS = {
    "review": (gettext_lazy("待审核"), Q(status=Status.SUBMITTED), ("accept",)),
    "assign": (gettext_lazy("待交办"), Q(status=Status.ACCEPTED), ("assign",)),
    "handling": (gettext_lazy("办理中"), Q(status__in=(Status.ASSIGNED, Status.HANDLING)), ("urge", "supervise")),
    "replied": (gettext_lazy("已答复（待反馈、办结）"), Q(status=Status.REPLIED), ("feedback", "close", "sign_off")),
    "closed": (gettext_lazy("已办结（待公示）"), Q(status=Status.CLOSED, is_public=False), ("publish", "feedback")),
    "published": (gettext_lazy("已公示"), Q(status=Status.CLOSED, is_public=True), ()),
    "all": (gettext_lazy("全部"), Q(), ()),
}


def _search(queryset, user, q: str):
    """By tracking code, title or deputy's name; by the voter's phone only where the user may
    see it in full (staff and leaders in their region: `suggestions.privacy`)."""
    q = q.strip()
    if not q:
        return queryset
    found = Q(code__iexact=q) | Q(title__icontains=q) | Q(deputy_links__deputy__name__icontains=q)
    scope = region_scope(user)
    digits = "".join(ch for ch in q if ch.isdigit())
    if scope is not None and len(digits) >= 4 and len(digits) == len(q.replace("-", "").replace(" ", "")):
        found |= Q(submitter_phone__contains=digits) & within(scope)
    return queryset.filter(pk__in=queryset.filter(found).values("pk"))


@login_required
def worklist(request):
    """工作台: every item of my region, in the list of the step it waits for."""
    role_required(request, Role.STAFF, Role.LEADER)
    q = (request.GET.get("q") or "").strip()[:100]
    tab = request.GET.get("tab") or ("all" if q else "review")
    if tab not in WORKLIST_TABS:
        raise Http404("unknown tab")
    base = _search(selectors.suggestion_list(user=request.user), request.user, q)
    counts = base.aggregate(**{key: Count("pk", filter=flt) for key, (_label, flt, _steps) in WORKLIST_TABS.items()})
    label, flt, steps = WORKLIST_TABS[tab]
    listed = base.filter(flt).order_by("-updated_at", "-id")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/worklist.html", {
        "tab": tab,
        "q": q,
        "tabs": [(key, value[0], counts[key]) for key, value in WORKLIST_TABS.items()],
        "page": page,
        "row_steps": [(STEPS[name].action, STEPS[name].label) for name in steps],
        "tier_labels": dict(selectors.OverdueTier.choices),
        "follow_ups_due": selectors.follow_up_list(user=request.user, state="overdue").count(),
    })


# --- 回头看 -----------------------------------------------------------------------------------
@login_required
def follow_ups(request):
    """回头看 worklist: due, overdue, done."""
    role_required(request, Role.STAFF)
    state = request.GET.get("state") or "overdue"
    if state not in dict(FOLLOW_UP_STATES):
        raise Http404("unknown state")
    counts = {key: selectors.follow_up_list(user=request.user, state=key).count() for key, _label in FOLLOW_UP_STATES}
    listed = selectors.follow_up_list(user=request.user, state=state)
    if state == "done":
        listed = listed.order_by("-done_at", "-id")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/follow_ups.html", {
        "state": state,
        "states": [(key, label, counts[key]) for key, label in FOLLOW_UP_STATES],
        "page": page,
    })


def _follow_up_form(data=None):
    form = StepForm(data, step=None, prefix="follow_up")
    for name, field in FollowUpCompleteSerializer().fields.items():
        form.fields[name] = form_field(field, name)
    return form


@login_required
def follow_up_complete_page(request, pk: int):
    """完成回头看: what was found; not yet solved → the next review date."""
    role_required(request, Role.STAFF)
    follow_up = get_object_or_404(selectors.follow_up_list(user=request.user), pk=pk)
    form = _follow_up_form(request.POST or None)
    status = 200
    if request.method == "POST":
        body = FollowUpCompleteSerializer(data=form.posted(request.POST))
        try:
            body.is_valid(raise_exception=True)
            follow_up_complete(follow_up=follow_up, by=request.user, **body.validated_data)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect(reverse("suggestions:follow_ups"))
        except serializers.ValidationError as error:
            form.add_serializer_errors(error.detail)
            status = 400
        except ValidationError as error:
            form.add_serializer_errors(error.message_dict if hasattr(error, "error_dict") else error.messages)
            status = 400
        else:
            messages.success(request, _("已完成回头看。"))
            return redirect(reverse("suggestions:follow_ups") + "?state=done")
    return render(request, "suggestions/follow_up_complete.html", {
        "follow_up": follow_up, "form": form, "state": selectors.follow_up_state(follow_up),
    }, status=status)


# --- 打捆督办 from the board -----------------------------------------------------------------------
@login_required
@require_POST
def bundle_new(request):
    """打捆督办 from the supervision board: the ticked items, a title, a leader."""
    role_required(request, Role.STAFF, Role.LEADER)
    back = reverse("suggestions:supervision") + "?tab=" + (request.POST.get("tab") or "all")
    data = {
        "title": request.POST.get("title", ""),
        "suggestions": request.POST.getlist("suggestions"),
        "leader": request.POST.get("leader") or None,
        "note": request.POST.get("note", ""),
    }
    body = BundleCreateSerializer(data=data, context={"request": request})
    try:
        body.is_valid(raise_exception=True)
        bundle = bundle_create(by=request.user, **body.validated_data)
    except WORKFLOW_ERRORS as error:
        messages.error(request, str(error))
    except serializers.ValidationError as error:
        messages.error(request, _flatten(error.detail))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已打捆督办“%(title)s”（%(n)s 件）。") % {
            "title": bundle.title, "n": bundle.suggestions.count()})
    return redirect(back)


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "；".join(_flatten(v) for v in detail.values())
    if isinstance(detail, list | tuple):
        return "；".join(_flatten(v) for v in detail)
    return str(detail)


@login_required
@require_POST
def bundle_urge_view(request, pk: int):
    """打捆催办: urge every open item of the bundle."""
    role_required(request, Role.STAFF, Role.LEADER)
    bundle = get_object_or_404(selectors.bundle_list(user=request.user), pk=pk)
    try:
        urged = bundle_urge(bundle=bundle, by=request.user, note=request.POST.get("note", "")[:2000])
    except WORKFLOW_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已催办“%(title)s”的 %(n)s 件在办事项。") % {"title": bundle.title, "n": len(urged)})
    return redirect(reverse("suggestions:supervision") + "#bundles")
