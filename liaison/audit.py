"""The audit trail of writes outside the suggestion workflow.

Workflow steps write their own immutable `Event` (who, when, from which state to which). Every
other write names its actor in Django's admin log (`django.contrib.admin.models.LogEntry`):
the admin does that itself for its forms; the API's writes (stations, deputies, receptions,
units, accounts) call `record_write` here, in the same transaction as the change, so staff see
them in the admin's history of the object next to the admin's own entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType


def record_write(*, by, obj, created: bool, fields: Iterable[str] = ()) -> LogEntry | None:
    """Log that `by` added (`created`) or changed `obj` (naming the changed `fields`).

    In the admin's change-message format, so the admin's history page shows it as its own.
    Anonymous writes (the public's) have no account to name: they are not logged here.
    """
    if by is None or not getattr(by, "pk", None):
        return None
    if created:
        message = [{"added": {}}]
    else:
        message = [{"changed": {"fields": sorted(str(field) for field in fields)}}]
    return LogEntry.objects.create(
        user_id=by.pk,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=ADDITION if created else CHANGE,
        change_message=json.dumps(message, ensure_ascii=False),
    )

