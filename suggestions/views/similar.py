"""The similar items (并单) on an item's page, the suggested lead units on its assign step, and
the answer templates on the reply step: read-only context for the step pages; the merge
itself is the step table's `merge`, the reply the table's `reply`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.models import Role
from suggestions import selectors, workflow
from suggestions.models import Action, Suggestion, Supervision
from suggestions.services import oversight
from suggestions.similar.lead_units import suggested_units
from suggestions.similar.search import probe_of, similar, with_rows
from suggestions.similar.templates import fill, templates_for
from suggestions.views.helpers import WORKFLOW_ERRORS


def similar_context(user, suggestion: Suggestion) -> dict:
    """`similar_items` [(item, scored)] the user may see; `can_merge` when 并案 is on offer now."""
    if not (user.is_superuser or user.role in (Role.STAFF, Role.LEADER)):
        return {}
    visible = selectors.suggestions_visible_to(user)
    return {
        "similar_items": with_rows(similar(visible, probe_of(suggestion)), visible),
        "can_merge": Action.MERGE in (allowed := workflow.allowed_actions(suggestion, user)),
        "can_bundle": Action.BUNDLE in allowed,
    }


def suggested_units_context(user, suggestion: Suggestion) -> dict:
    eligible = selectors.unit_list(user=user).filter(is_active=True)
    return {"suggested_units": suggested_units(suggestion, eligible)}


def answer_templates_context(assignment) -> dict:
    """The reply step: the unit's templates (and its regions' shared ones), filled for this item."""
    return {"answer_templates": [(t, fill(t, assignment)) for t in templates_for(assignment)]}


@login_required
@require_POST
def bundle_similar(request, pk: int):
    """打捆 from an item's similar list: this item and the ones ticked, supervised together
    (一般督办; key supervision with a leader stays on the supervision pages and bundles/)."""
    visible = selectors.suggestions_visible_to(request.user)
    suggestion = get_object_or_404(visible, pk=pk)
    ids = [int(v) for v in request.POST.getlist("items") if v.isdigit()]
    others = list(visible.filter(pk__in=ids).exclude(pk=pk))
    try:
        bundle = oversight.bundle_create(
            by=request.user, title=request.POST.get("title", "") or suggestion.title, level=Supervision.NORMAL,
            suggestions=[suggestion, *others], note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except WORKFLOW_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已打捆督办：%(title)s（%(n)s 件）") % {"title": bundle.title, "n": len(others) + 1})
    return redirect("suggestions:detail", pk=pk)
