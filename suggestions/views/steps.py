"""The workflow steps on the web pages, for every role: one view takes any step of
`suggestions.steps.table.STEPS` on a suggestion or on an assignment.

GET shows the step's page (its form, derived from the step's input, and its confirmation);
POST hands what was posted to `suggestions.steps.perform`, the function the API and the admin
call too. A step not for this person or not in this state is refused with the workflow's
message and changes nothing; bad input shows the serializer's errors on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from suggestions import selectors, workflow
from suggestions.calendar import WorkCalendar
from suggestions.conf import route_deadline_days, route_unit_levels
from suggestions.models import Action, Assignment, Route, Suggestion
from suggestions.redaction import publish_preview
from suggestions.steps import ASSIGNMENT, SUGGESTION, Step, allowed, perform
from suggestions.steps.forms import step_form
from suggestions.steps.table import STEPS, steps_on
from suggestions.views.helpers import WORKFLOW_ERRORS, apply_validation_error, safe_next
from suggestions.views.similar import answer_templates_context, suggested_units_context


def _load(request, kind: str, pk: int):
    if kind == SUGGESTION:
        try:
            return selectors.suggestion_detail(user=request.user, pk=pk)
        except Suggestion.DoesNotExist:
            raise Http404("no such suggestion for this user") from None
    assignments = selectors.assignment_list(user=request.user).select_related(
        "suggestion", "suggestion__region", "suggestion__category", "unit"
    )
    return get_object_or_404(assignments, pk=pk)


def page_of(obj) -> str:
    """Where a person goes back to after a step: the suggestion's page, or the unit's task page."""
    if isinstance(obj, Assignment):
        return reverse("suggestions:assignment", args=[obj.pk])
    return reverse("suggestions:detail", args=[obj.pk])


def step_url(step: Step, obj) -> str:
    name = "suggestions:act" if step.on == SUGGESTION else "suggestions:assignment_act"
    return reverse(name, args=[obj.pk, step.action])


def step_forms(request, obj, *, kind: str, posted: Step | None = None, form=None) -> list[dict]:
    """The steps `request.user` may take on `obj` now, each with its form (for the object's
    page); a step just posted with errors is shown too, with those errors."""
    items = []
    for step in steps_on(kind):
        if step is posted:
            items.append(_item(step, obj, form))
        elif allowed(step, obj, request.user):
            items.append(_item(step, obj, step_form(step, obj=obj, request=request, prefix=step.action)))
    return items


def _item(step: Step, obj, form) -> dict:
    return {"name": step.action, "label": step.label, "confirm": step.confirm, "form": form, "url": step_url(step, obj)}


def _extra_context(step: Step, obj=None, user=None) -> dict:
    if step.action == Action.EVALUATE and isinstance(obj, Suggestion):
        # Evaluating with the reply in view: the units' answers and their documents.
        on_spot = obj.events.filter(action=Action.RESOLVE_ON_SPOT).order_by("-created_at", "-id").first()
        return {
            "replies": obj.assignments.filter(status="replied").select_related("unit").order_by("-role", "id"),
            "on_spot": on_spot,  # 代表即办: the answer is the note of that step
            "files": obj.attachments.select_related("assignment__unit").order_by("id"),
        }
    if step.action == Action.PUBLISH and isinstance(obj, Suggestion):
        # The form starts with the masked preview (the step's `initial`); say what was masked.
        return {"publish_masked": len(publish_preview(obj).found)}
    if step.action == Action.REPLY and isinstance(obj, Assignment):
        return answer_templates_context(obj)
    if step.action != Action.ASSIGN:
        return {}
    calendar, today = WorkCalendar(), timezone.localdate()
    return {
        **(suggested_units_context(user, obj) if isinstance(obj, Suggestion) and user is not None else {}),
        "default_deadlines": [
            (label, route_deadline_days(value), calendar.add_working_days(today, route_deadline_days(value)))
            for value, label in Route.choices
            if route_unit_levels(value) is not None  # 代表即办 and 上报处办 are not assignments
        ]
    }


def _take(request, pk: int, action: str, kind: str):
    step = STEPS.get(action)
    if step is None or step.on != kind:
        raise Http404("no such step")
    obj = _load(request, kind, pk)
    back = page_of(obj)
    form = step_form(step, obj=obj, request=request, data=request.POST or None, files=request.FILES or None, prefix=step.action)
    if request.method == "POST":
        try:
            result = perform(step, obj=obj, user=request.user, data=form.posted(request.POST, request.FILES), request=request)
        except WORKFLOW_ERRORS as error:  # not for this person, or not now: nothing changed
            messages.error(request, str(error))
            return redirect(back)
        except serializers.ValidationError as error:
            form.add_serializer_errors(error.detail)
        except ValidationError as error:  # the service's own checks
            apply_validation_error(form, error)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": step.label})
            target = page_of(result) if step.creates else back
            return redirect(safe_next(request, target))
    else:
        try:  # a step that is not on offer: say why, in the workflow's words
            workflow.require(obj, step.action, request.user)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect(back)
    context = {
        "step": step,
        "object": obj,
        "suggestion": obj.suggestion if isinstance(obj, Assignment) else obj,
        "form": form,
        "back": back,
        "next": safe_next(request, ""),
        **_extra_context(step, obj, request.user),
    }
    return render(request, "suggestions/step.html", context, status=400 if request.method == "POST" else 200)


@login_required
def suggestion_step(request, pk: int, action: str):
    """One step on a suggestion: 受理, 交办, 督办, 评价, 反馈, 公示, 转为闭会建议 … (the table's)."""
    return _take(request, pk, action, SUGGESTION)


@login_required
def assignment_step(request, pk: int, action: str):
    """One step on a unit's assignment: 签收, 退回, 三见面, 答复."""
    return _take(request, pk, action, ASSIGNMENT)
