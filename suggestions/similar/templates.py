"""Answer templates: which a user may use or manage, and a template filled for an assignment."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.models import Role
from liaison.regions import lineage
from liaison.scoping import region_scope
from suggestions.models import AnswerTemplate, Assignment


def templates_for(assignment: Assignment) -> QuerySet:
    """What the assignment's unit may start a reply from: its own, and those shared by its
    region or any region above it."""
    return AnswerTemplate.objects.filter(
        Q(unit_id=assignment.unit_id) | Q(region_id__in=lineage(assignment.unit.region_id)), is_active=True
    )


def templates_managed_by(user) -> QuerySet:
    """Staff: the shared templates of their region's subtree and those of its units. A unit
    officer: their units' own templates."""
    if not getattr(user, "is_authenticated", False):
        return AnswerTemplate.objects.none()
    if user.is_superuser:
        return AnswerTemplate.objects.all()
    q = Q(pk__in=[])
    scope = region_scope(user)
    if scope is not None and user.role == Role.STAFF:
        q |= Q(region__code__startswith=scope) | Q(unit__region__code__startswith=scope)
    if user.role == Role.UNIT_OFFICER:
        q |= Q(unit__officers=user)
    return AnswerTemplate.objects.filter(q).distinct()


def fill(template: AnswerTemplate, assignment: Assignment) -> str:
    """The template's text with its placeholders replaced from the assignment and its item."""
    suggestion = assignment.suggestion
    values = {
        "{区划}": suggestion.region.name,
        "{期限}": assignment.deadline.isoformat() if assignment.deadline else "",
        "{标题}": suggestion.title,
        "{查询码}": suggestion.code,
        "{单位}": assignment.unit.name,
    }
    text = template.body
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text
