"""The building blocks of every write: the event record, row locks, status changes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison.models import User
from liaison.text import clean_text
from suggestions.models import Assignment, Event, Suggestion


# --- building blocks ------------------------------------------------------------------------
def event_record(
    *,
    suggestion: Suggestion,
    by: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    assignment: Assignment | None = None,
    data: dict | None = None,
) -> Event:
    """Write one immutable event on the suggestion's timeline."""
    return Event.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        actor=by if by is not None and by.pk else None,
        actor_name=by.display_name if by is not None and by.pk else "",
        action=action,
        from_status=from_status,
        to_status=to_status or suggestion.status,
        note=clean_text(note),
        data=data or {},
    )


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _lock_assignment(assignment: Assignment) -> Assignment:
    # Always the suggestion first, then the assignment: one lock order, no deadlocks.
    suggestion = Suggestion.objects.select_for_update().get(pk=assignment.suggestion_id)
    locked = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    locked.suggestion = suggestion
    return locked


def _required_text(value: str, field_name: str, message: str) -> str:
    value = clean_text(value)  # people's text: control characters dropped (liaison.text)
    if not value:
        raise ValidationError({field_name: message})
    return value


def _today() -> datetime.date:
    return timezone.localdate()


def _set_status(suggestion: Suggestion, status: str, *fields: str) -> None:
    suggestion.status = status
    suggestion.save(update_fields=["status", "updated_at", *fields])


def _assignments(suggestion: Suggestion) -> list[Assignment]:
    return list(Assignment.objects.filter(suggestion=suggestion).order_by("pk"))


def _link(suggestion: Suggestion) -> str:
    return f"{suggestion.code}《{suggestion.title}》"
