"""The similar items (并单) on an item's page, the suggested lead units on its assign step, and
the answer templates on the reply step: read-only context for the step pages; the merge
itself is the step table's `merge`, the reply the table's `reply`."""

from __future__ import annotations

from liaison.models import Role
from suggestions import selectors, workflow
from suggestions.models import Action, Suggestion
from suggestions.similar.lead_units import suggested_units
from suggestions.similar.search import probe_of, similar, with_rows
from suggestions.similar.templates import fill, templates_for


def similar_context(user, suggestion: Suggestion) -> dict:
    """`similar_items` [(item, scored)] the user may see; `can_merge` when 并案 is on offer now."""
    if not (user.is_superuser or user.role in (Role.STAFF, Role.LEADER)):
        return {}
    visible = selectors.suggestions_visible_to(user)
    return {
        "similar_items": with_rows(similar(visible, probe_of(suggestion)), visible),
        "can_merge": Action.MERGE in workflow.allowed_actions(suggestion, user),
    }


def suggested_units_context(user, suggestion: Suggestion) -> dict:
    eligible = selectors.unit_list(user=user).filter(is_active=True)
    return {"suggested_units": suggested_units(suggestion, eligible)}


def answer_templates_context(assignment) -> dict:
    """The reply step: the unit's templates (and its regions' shared ones), filled for this item."""
    return {"answer_templates": [(t, fill(t, assignment)) for t in templates_for(assignment)]}
