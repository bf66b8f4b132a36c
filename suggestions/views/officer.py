"""The unit officers' pages: the inbox of my units' assignments, one assignment with its steps
(签收, 退回, 三见面, 答复) and the documents added after the reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.models import Role
from suggestions import selectors, services, workflow
from suggestions.forms import AttachForm, ContactForm, EmptyForm, ReasonForm, ReplyForm
from suggestions.models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
)
from suggestions.views.helpers import (
    PAGE_SIZE,
    WORKFLOW_ERRORS,
    apply_validation_error,
    role_required,
)


def _officer_assignments(request):
    return selectors.assignment_list(user=request.user).filter(unit__officers=request.user)


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


def _assignment_forms(data=None, action: str | None = None, files=None) -> dict:
    def bind(name):
        return data if name == action else None

    return {
        Action.SIGN: EmptyForm(bind(Action.SIGN), prefix="sign"),
        Action.RETURN: ReasonForm(bind(Action.RETURN), prefix="return"),
        Action.CONTACT: ContactForm(bind(Action.CONTACT), prefix="contact"),
        Action.REPLY: ReplyForm(bind(Action.REPLY), files if action == Action.REPLY else None, prefix="reply"),
    }


ASSIGNMENT_BUTTONS = {
    Action.SIGN: gettext_lazy("签收"),
    Action.RETURN: gettext_lazy("退回"),
    Action.CONTACT: gettext_lazy("保存见面记录"),
    Action.REPLY: gettext_lazy("提交答复"),
}


def _assignment_context(
    request, assignment: Assignment, forms: dict, failed_action: str | None = None, attach_form=None
) -> dict:
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
        "assignment": assignment,
        "suggestion": suggestion,
        "deputies": [link.deputy for link in suggestion.deputy_links.select_related("deputy").order_by("order", "id")],
        "siblings": siblings,
        "lead": next((a for a in siblings if a.role == AssignmentRole.LEAD and a.status != AssignmentStatus.RETURNED), None),
        "contacts": list(assignment.contacts.order_by("created_at", "id")),
        "attachments": list(suggestion.attachments.select_related("assignment__unit").order_by("id")),
        "attach_form": attach_form,
        "allowed": allowed,
        "action_forms": [
            {
                "name": name,
                "label": workflow.action_label(name),
                "form": forms[name],
                "url": reverse("suggestions:assignment_act", args=[assignment.pk, name]),
                "button": ASSIGNMENT_BUTTONS[name],
            }
            for name in forms
            if name in allowed or name == failed_action
        ],
        "failed_action": failed_action,
        "tier_labels": dict(selectors.OverdueTier.choices),
    }


def _load_assignment(request, pk) -> Assignment:
    return get_object_or_404(
        _officer_assignments(request).select_related("suggestion", "suggestion__region", "suggestion__category", "unit"), pk=pk
    )


@login_required
def assignment_detail(request, pk: int):
    role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    return render(request, "suggestions/assignment.html", _assignment_context(request, assignment, _assignment_forms()))


@login_required
@require_POST
def assignment_act(request, pk: int, action: str):
    """POST one step on my unit's assignment: 签收, 退回, 三见面, 答复."""
    role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    forms = _assignment_forms(request.POST, action, request.FILES)
    form = forms.get(action)
    if form is None:
        raise Http404("unknown action")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == Action.SIGN:
                services.assignment_sign(assignment=assignment, by=request.user)
            elif action == Action.RETURN:
                services.assignment_return(assignment=assignment, by=request.user, reason=data["reason"])
            elif action == Action.CONTACT:
                services.assignment_contact(assignment=assignment, by=request.user, kind=data["kind"], note=data["note"])
            else:
                services.assignment_reply(
                    assignment=assignment, by=request.user, result=data["result"], content=data["content"],
                    attachments=data["attachments"],
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect("suggestions:assignment", pk=pk)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": workflow.action_label(action)})
            return redirect("suggestions:assignment", pk=pk)
    assignment = _load_assignment(request, pk)
    context = _assignment_context(request, assignment, forms, failed_action=action)
    return render(request, "suggestions/assignment.html", context, status=400)


@login_required
@require_POST
def assignment_attach(request, pk: int):
    """补充答复材料: one more document from my unit after its reply (goes through attachment_add)."""
    role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    form = AttachForm(request.POST, request.FILES, prefix="attach")
    if form.is_valid():
        try:
            services.attachment_add(suggestion=assignment.suggestion, by=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect("suggestions:assignment", pk=pk)
        else:
            messages.success(request, _("已上传答复材料。"))
            return redirect("suggestions:assignment", pk=pk)
    context = _assignment_context(request, assignment, _assignment_forms(), attach_form=form)
    return render(request, "suggestions/assignment.html", context, status=400)
