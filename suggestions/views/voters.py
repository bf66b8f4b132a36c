"""The voters' side as the people at work see it: staff find the items a voter rated 不满意 (to
check and send back, 退回重办) and how many messages to voters could not be sent; a deputy
finds the letters voters wrote to them through their code (一人一码)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from deputies.views import my_deputy
from liaison.models import Role
from liaison.regions import within
from liaison.scoping import region_scope
from suggestions import selectors
from suggestions.models import (
    Evaluation,
    MessageState,
    OutboundMessage,
    Rating,
    Source,
    SuggestionKind,
)
from suggestions.services.voters import voter_unsatisfied
from suggestions.views.helpers import PAGE_SIZE, role_required


@login_required
def voter_feedback(request):
    """群众评价: the items in my region whose voter rated the current reply 不满意, with the
    voter's reason; each item's page offers 退回重办. And the messages that failed."""
    role_required(request, Role.STAFF)
    items = voter_unsatisfied(selectors.suggestion_list(user=request.user)).order_by("-updated_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = {
        e.suggestion_id: e.comment
        for e in Evaluation.objects.filter(
            suggestion__in=[s.pk for s in page.object_list], deputy__isnull=True, rating=Rating.UNSATISFIED
        ).order_by("round", "id")
    }
    for suggestion in page.object_list:
        suggestion.voter_reason = reasons.get(suggestion.pk, "")
    scope = region_scope(request.user)
    failed = OutboundMessage.objects.filter(state=MessageState.FAILED)
    if scope is None:
        failed = failed.none()
    elif scope:
        failed = failed.filter(within(scope, "suggestion__region__code"))
    return render(
        request,
        "suggestions/voter_feedback.html",
        {"page": page, "failed_messages": failed.count()},
    )


@login_required
def letters(request):
    """群众来信: opinions voters wrote to me through my code (一人一码), newest first."""
    deputy = my_deputy(request)
    items = (
        selectors.suggestion_list(user=request.user)
        .filter(deputy_links__deputy=deputy, kind=SuggestionKind.OPINION, source=Source.PUBLIC)
        .distinct()
        .order_by("-created_at", "-id")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/letters.html", {"deputy": deputy, "page": page})
