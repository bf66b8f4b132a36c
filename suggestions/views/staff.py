"""One suggestion for the people working on it (its page and the staff's steps on it), and the
staff's pages: 交办, the review queue, the supervision board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.models import Role
from liaison.regions import within
from liaison.scoping import region_scope
from suggestions import selectors, services, workflow
from suggestions.calendar import WorkCalendar
from suggestions.conf import route_deadline_days
from suggestions.forms import (
    AssignForm,
    EmptyForm,
    EvaluateForm,
    FeedbackForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    ResolveForm,
    SuperviseForm,
)
from suggestions.models import (
    OPEN_SUGGESTION_STATUSES,
    Action,
    Route,
    Status,
    Suggestion,
    Supervision,
    SupervisionBundle,
)
from suggestions.views.helpers import (
    PAGE_SIZE,
    WORKFLOW_ERRORS,
    apply_validation_error,
    role_required,
    safe_next,
)

# --- one suggestion: its page and the staff's actions on it ----------------------------------


def _suggestion_forms(suggestion: Suggestion, data=None, action: str | None = None) -> dict:
    """A fresh form per action (bound only for `action`, the one being posted)."""

    def bind(name):
        return data if name == action else None

    return {
        Action.ACCEPT: NoteForm(bind(Action.ACCEPT), prefix="accept"),
        Action.DECLINE: ReasonForm(bind(Action.DECLINE), prefix="decline"),
        Action.RESOLVE_ON_SPOT: ResolveForm(bind(Action.RESOLVE_ON_SPOT), prefix="resolve"),
        Action.MERGE: MergeForm(bind(Action.MERGE), prefix="merge"),
        Action.SUPERVISE: SuperviseForm(bind(Action.SUPERVISE), prefix="supervise", region_code=suggestion.handling_region_id),
        Action.URGE: NoteForm(bind(Action.URGE), prefix="urge"),
        Action.CLOSE: NoteForm(bind(Action.CLOSE), prefix="close"),
        Action.FEEDBACK: FeedbackForm(bind(Action.FEEDBACK), prefix="feedback"),
        Action.PUBLISH: EmptyForm(bind(Action.PUBLISH), prefix="publish"),
    }


def _run_suggestion_action(request, suggestion: Suggestion, action: str, data: dict) -> Suggestion:
    """Call the one service for `action`. Raises what the service raises."""
    user = request.user
    if action == Action.ACCEPT:
        return services.suggestion_accept(suggestion=suggestion, by=user, note=data["note"])
    if action == Action.DECLINE:
        return services.suggestion_decline(suggestion=suggestion, by=user, reason=data["reason"])
    if action == Action.RESOLVE_ON_SPOT:
        return services.suggestion_resolve_on_spot(suggestion=suggestion, by=user, note=data["note"], result=data["result"])
    if action == Action.MERGE:
        into = selectors.suggestions_visible_to(user).filter(code=data["into"]).first()
        if into is None:
            raise ValidationError({"into": _("找不到该查询码对应的事项，或您无权查看。")})
        return services.suggestion_merge(suggestion=suggestion, by=user, into=into, note=data["note"])
    if action == Action.SUPERVISE:
        return services.suggestion_supervise(
            suggestion=suggestion, by=user, level=data["level"], leader=data["leader"], note=data["note"]
        )
    if action == Action.URGE:
        return services.suggestion_urge(suggestion=suggestion, by=user, note=data["note"])
    if action == Action.CLOSE:
        return services.suggestion_close(suggestion=suggestion, by=user, note=data["note"])
    if action == Action.FEEDBACK:
        return services.suggestion_feedback(suggestion=suggestion, by=user, channel=data["channel"], note=data["note"])
    if action == Action.PUBLISH:
        return services.suggestion_publish(suggestion=suggestion, by=user)
    raise Http404("unknown action")


def _detail_context(request, suggestion: Suggestion, forms: dict, failed_action: str | None = None) -> dict:
    allowed = workflow.allowed_actions(suggestion, request.user)
    my_assignments = [a for a in suggestion.assignments.all() if a.unit_id in _officer_unit_ids(request.user)]
    shown = [name for name in forms if name in allowed or name == failed_action]
    return {
        "suggestion": suggestion,
        "allowed": allowed,
        "action_forms": [
            {
                "name": name,
                "label": workflow.action_label(name),
                "form": forms[name],
                "url": reverse("suggestions:act", args=[suggestion.pk, name]),
            }
            for name in shown
        ],
        "failed_action": failed_action,
        "can_assign": Action.ASSIGN in allowed,
        "can_evaluate": Action.EVALUATE in allowed,
        "evaluate_form": EvaluateForm(),
        "events": sorted(suggestion.events.all(), key=lambda e: (e.created_at, e.pk)),
        "my_assignments": my_assignments,
        "tier_labels": dict(selectors.OverdueTier.choices),
    }


def _officer_unit_ids(user) -> set[int]:
    if user.role != Role.UNIT_OFFICER:
        return set()
    return set(user.units.values_list("pk", flat=True))


def _load_detail(request, pk) -> Suggestion:
    try:
        return selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404("no such suggestion for this user") from None


@login_required
def suggestion_detail(request, pk: int):
    """One suggestion for the people working on it: content, units, timeline, and the steps the
    signed-in person may take now (from the workflow table)."""
    suggestion = _load_detail(request, pk)
    return render(request, "suggestions/detail.html", _detail_context(request, suggestion, _suggestion_forms(suggestion)))


@login_required
@require_POST
def suggestion_act(request, pk: int, action: str):
    """POST one workflow step on a suggestion (受理, 不予受理, 即办, 并案, 督办, 催办, 办结, 反馈, 公示)."""
    suggestion = _load_detail(request, pk)
    forms = _suggestion_forms(suggestion, request.POST, action)
    form = forms.get(action)
    if form is None:
        raise Http404("unknown action")
    if form.is_valid():
        try:
            _run_suggestion_action(request, suggestion, action, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect(safe_next(request, reverse("suggestions:detail", args=[pk])))
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": workflow.action_label(action)})
            return redirect(safe_next(request, reverse("suggestions:detail", args=[pk])))
    suggestion = _load_detail(request, pk)
    # the failed form is shown with its errors even if the step is no longer offered
    context = _detail_context(request, suggestion, forms, failed_action=action)
    return render(request, "suggestions/detail.html", context, status=400)


@login_required
def assign(request, pk: int):
    """交办: route, lead unit, co-units; the deadline defaults from the route (working days)."""
    role_required(request, Role.STAFF)
    suggestion = _load_detail(request, pk)
    units = selectors.unit_list(user=request.user).filter(is_active=True).order_by("region_id", "name")
    form = AssignForm(request.POST if request.method == "POST" else None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_assign(
                suggestion=suggestion,
                by=request.user,
                route=data["route"],
                lead_unit=data["lead_unit"],
                co_units=list(data["co_units"]),
                deadline=data["deadline"],
                requirements=data["requirements"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect("suggestions:detail", pk=pk)
        else:
            messages.success(request, _("已交办。"))
            return redirect("suggestions:detail", pk=pk)
    calendar = WorkCalendar()
    today = timezone.localdate()
    default_deadlines = [
        (label, route_deadline_days(value), calendar.add_working_days(today, route_deadline_days(value)))
        for value, label in Route.choices
    ]
    return render(
        request,
        "suggestions/assign.html",
        {"suggestion": suggestion, "form": form, "default_deadlines": default_deadlines},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- staff: the review queue and the supervision board ---------------------------------------


@login_required
def review_queue(request):
    """梳理: what was submitted in my region and waits for accept, merge, decline or 即办."""
    role_required(request, Role.STAFF)
    suggestions = selectors.suggestion_list(user=request.user).filter(status=Status.SUBMITTED).order_by("created_at", "id")
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/review_queue.html", {"page": page, "accept_form": NoteForm(prefix="accept")})


SUPERVISION_TABS = [
    ("overdue", gettext_lazy("已超期")),
    ("due_soon", gettext_lazy("即将到期")),
    ("key", gettext_lazy("重点督办")),
    ("all", gettext_lazy("全部在办")),
]


@login_required
def supervision(request):
    """督办看板: overdue and due-soon items, key supervision, bundles — with urging."""
    role_required(request, Role.STAFF, Role.LEADER)
    tab = request.GET.get("tab") or "overdue"
    if tab not in dict(SUPERVISION_TABS):
        raise Http404("unknown tab")
    base = selectors.suggestion_list(user=request.user).filter(status__in=OPEN_SUGGESTION_STATUSES)
    counts = base.aggregate(
        overdue=Count("pk", filter=Q(overdue_tier__in=selectors.OverdueTier.LATE)),
        due_soon=Count("pk", filter=Q(overdue_tier=selectors.OverdueTier.DUE_SOON)),
        key=Count("pk", filter=Q(supervision=Supervision.KEY)),
        all=Count("pk"),
    )
    listed = {
        "overdue": base.filter(overdue_tier__in=selectors.OverdueTier.LATE),
        "due_soon": base.filter(overdue_tier=selectors.OverdueTier.DUE_SOON),
        "key": base.filter(supervision=Supervision.KEY),
        "all": base,
    }[tab].order_by("deadline", "id")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = region_scope(request.user)
    bundles = (
        SupervisionBundle.objects.none()
        if scope is None
        else SupervisionBundle.objects.filter(within(scope))
    )
    bundles = (
        bundles.select_related("leader")
        .annotate(n=Count("suggestions"))
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "suggestions/supervision.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in SUPERVISION_TABS],
            "page": page,
            "bundles": bundles,
            "tier_labels": dict(selectors.OverdueTier.choices),
            "urge_form": NoteForm(prefix="urge"),
        },
    )
