"""One suggestion for the people working on it (its page, with the steps each may take now:
`suggestions.views.steps`), and the staff's pages: the review queue, the supervision board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from liaison.models import Role, User
from liaison.regions import lineage
from suggestions import selectors, workflow
from suggestions.models import (
    OPEN_SUGGESTION_STATUSES,
    Action,
    Consent,
    Suggestion,
    Supervision,
)
from suggestions.steps import SUGGESTION
from suggestions.views.helpers import (
    PAGE_SIZE,
    role_required,
)
from suggestions.views.similar import similar_context
from suggestions.views.steps import step_forms

# --- one suggestion: its page and the staff's actions on it ----------------------------------


def _detail_context(request, suggestion: Suggestion) -> dict:
    allowed = workflow.allowed_actions(suggestion, request.user)
    my_assignments = [a for a in suggestion.assignments.all() if a.unit_id in _officer_unit_ids(request.user)]
    links = list(suggestion.deputy_links.all())
    return {
        "suggestion": suggestion,
        "confirmed_links": [link for link in links if link.consent == Consent.CONFIRMED],
        "cosign_requests": [link for link in links if link.consent != Consent.CONFIRMED],
        "allowed": allowed,
        "action_forms": step_forms(request, suggestion, kind=SUGGESTION),
        "can_evaluate": Action.EVALUATE in allowed,
        "events": sorted(suggestion.events.all(), key=lambda e: (e.created_at, e.pk)),
        "my_assignments": my_assignments,
        "tier_labels": dict(selectors.OverdueTier.choices),
        "follow_ups": list(suggestion.follow_ups.order_by("review_on", "id")),
        **similar_context(request.user, suggestion),
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
    return render(request, "suggestions/detail.html", _detail_context(request, suggestion))


# --- staff: the review queue and the supervision board ---------------------------------------


@login_required
def review_queue(request):
    """梳理: what was submitted in my region and waits for accept, merge, decline or 即办 — and
    what a lower level escalated to mine (转报上级); not what mine escalated further up (we
    still read it, the level above reviews it)."""
    role_required(request, Role.STAFF)
    suggestions = selectors.review_queue(user=request.user).order_by("created_at", "id")
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/review_queue.html", {"page": page})


SUPERVISION_TABS = [
    ("overdue", gettext_lazy("已超期")),
    ("due_soon", gettext_lazy("即将到期")),
    ("on_track", gettext_lazy("正常办理")),
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
    bounds = selectors.tier_bounds_for(request)
    base = selectors.suggestion_list(user=request.user, bounds=bounds).filter(status__in=OPEN_SUGGESTION_STATUSES)
    # The tiers as conditions on the stored lead deadline (selectors.tier_q), not on the CASE.
    late = selectors.tier_q(selectors.OverdueTier.LATE, bounds)
    due_soon = selectors.tier_q([selectors.OverdueTier.DUE_SOON], bounds)
    on_track = selectors.tier_q([selectors.OverdueTier.ON_TRACK], bounds)
    counts = base.aggregate(
        overdue=Count("pk", filter=late),
        due_soon=Count("pk", filter=due_soon),
        on_track=Count("pk", filter=on_track),
        key=Count("pk", filter=Q(supervision=Supervision.KEY)),
        all=Count("pk"),
    )
    listed = {
        "overdue": base.filter(late),
        "due_soon": base.filter(due_soon),
        "on_track": base.filter(on_track),
        "key": base.filter(supervision=Supervision.KEY),
        "all": base,
    }[tab].order_by("deadline", "id")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    # 打捆督办 with their progress, and the leaders a new bundle may be led by (at or above).
    bundles = selectors.bundle_list(user=request.user)[:20]
    leaders = User.objects.filter(
        role=Role.LEADER, is_active=True, region_id__in=lineage(request.user.region_id or "")
    ).order_by("region_id", "username")
    return render(
        request,
        "suggestions/supervision.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in SUPERVISION_TABS],
            "page": page,
            "bundles": bundles,
            "leaders": leaders,
            # 三色督办: green on time, yellow due soon, red overdue
            "colours": [("on_track", counts["on_track"]), ("due_soon", counts["due_soon"]), ("overdue", counts["overdue"])],
            "tier_labels": dict(selectors.OverdueTier.choices),
        },
    )
