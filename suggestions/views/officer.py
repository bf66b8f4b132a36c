"""The unit officers' pages: the inbox of my units' assignments, one assignment with its steps
(its steps — 签收, 退回, 三见面, 答复 — come from `suggestions.views.steps`) and the documents
added after the reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.models import Role
from suggestions import selectors, workflow
from suggestions.forms import AttachForm
from suggestions.models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
)
from suggestions.services.attachments import attachment_add
from suggestions.steps import ASSIGNMENT
from suggestions.steps import allowed as step_allowed
from suggestions.steps.table import STEPS
from suggestions.views.helpers import (
    PAGE_SIZE,
    WORKFLOW_ERRORS,
    apply_validation_error,
    role_required,
)
from suggestions.views.similar import answer_templates_context
from suggestions.views.steps import step_forms


def _officer_assignments(request):
    return selectors.assignment_list(user=request.user, as_officer=True)


@login_required
def inbox(request):
    """承办单位收件箱: my units' assignments by deadline, the overdue tiers in colour."""
    role_required(request, Role.UNIT_OFFICER)
    show = request.GET.get("show") or "open"
    assignments = _officer_assignments(request).select_related("suggestion__region")
    if show == "open":
        assignments = assignments.filter(
            status__in=OPEN_ASSIGNMENT_STATUSES, suggestion__status__in=LIVE_SUGGESTION_STATUSES
        )
    elif show != "all":
        raise Http404("unknown filter")
    assignments = assignments.order_by("deadline", "id")
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/inbox.html",
        {"page": page, "show": show, "tier_labels": dict(selectors.OverdueTier.choices)},
    )


def _assignment_context(request, assignment: Assignment, attach_form=None) -> dict:
    suggestion = assignment.suggestion
    allowed = workflow.allowed_actions(assignment, request.user)
    # After the reply the unit may still add documents (the stamped letter often comes later).
    replied = assignment.status == AssignmentStatus.REPLIED
    if attach_form is None and replied and suggestion.status in LIVE_SUGGESTION_STATUSES:
        attach_form = AttachForm(prefix="attach")
    siblings = list(
        Assignment.objects.filter(suggestion=suggestion).select_related("unit").order_by("role", "id")
    )
    return {
        **(answer_templates_context(assignment) if Action.REPLY in allowed else {}),
        "assignment": assignment,
        "suggestion": suggestion,
        "deputies": [link.deputy for link in suggestion.deputy_links.select_related("deputy").order_by("order", "id")],
        "siblings": siblings,
        "lead": next((a for a in siblings if a.role == AssignmentRole.LEAD and a.status != AssignmentStatus.RETURNED), None),
        "contacts": list(assignment.contacts.order_by("created_at", "id")),
        "attachments": list(suggestion.attachments.select_related("assignment__unit").order_by("id")),
        "attach_form": attach_form,
        "allowed": allowed,
        "action_forms": step_forms(request, assignment, kind=ASSIGNMENT),
        "tier_labels": dict(selectors.OverdueTier.choices),
        # 反馈 to the voter is a step on the suggestion, open to its handling units too.
        "can_feed_back": step_allowed(STEPS[Action.FEEDBACK], suggestion, request.user),
    }


def _load_assignment(request, pk) -> Assignment:
    return get_object_or_404(
        _officer_assignments(request).select_related("suggestion", "suggestion__region", "suggestion__category", "unit"), pk=pk
    )


@login_required
def assignment_detail(request, pk: int):
    role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    return render(request, "suggestions/assignment.html", _assignment_context(request, assignment))


@login_required
@require_POST
def assignment_attach(request, pk: int):
    """补充答复材料: one more document from my unit after its reply (goes through attachment_add)."""
    role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    form = AttachForm(request.POST, request.FILES, prefix="attach")
    if form.is_valid():
        try:
            attachment_add(suggestion=assignment.suggestion, by=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect("suggestions:assignment", pk=pk)
        else:
            messages.success(request, _("已上传答复材料。"))
            return redirect("suggestions:assignment", pk=pk)
    context = _assignment_context(request, assignment, attach_form=form)
    return render(request, "suggestions/assignment.html", context, status=400)
