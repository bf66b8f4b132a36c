"""Writes for the 提-交-办-督-评 workflow: one function per step, in a module per stage.

Every step is keyword-only and atomic: it locks the suggestion row (and the assignment's),
asks `workflow.require` whether the user may take the step now (raising `InvalidTransition` or
`ActionNotPermitted` and changing nothing otherwise), changes the rows with
`save(update_fields=…)`, writes one immutable `Event`, and writes its notices (delivered by
e-mail/SMS after commit). The admin, the web pages, the API and the tasks all call these.

Use the object a service returns: the one passed in is not refreshed. Bad input raises
Django's `ValidationError` (with a field dict where it is about one field).

Import a service from the module that holds it (`suggestions.services.intake` …). The names
below are re-exported only until every caller does (issue #10).
"""

from .attachments import ATTACHMENT_TYPES, attachment_add, attachment_sniff
from .closing import (
    follow_up_complete,
    notification_mark_read,
    suggestion_close,
    suggestion_evaluate,
    suggestion_feedback,
    suggestion_publish,
)
from .events import event_record
from .handling import (
    assignment_contact,
    assignment_reply,
    assignment_return,
    assignment_sign,
    suggestion_assign,
)
from .intake import (
    suggestion_accept,
    suggestion_convert_to_deputy_suggestion,
    suggestion_decline,
    suggestion_escalate,
    suggestion_merge,
    suggestion_resolve_on_spot,
    suggestion_submit,
)
from .oversight import bundle_create, suggestion_supervise, suggestion_urge
from .reminders import SweepResult, reminder_kind, reminders_sweep
from .units import UNIT_FIELDS, unit_create, unit_update

__all__ = [
    "ATTACHMENT_TYPES",
    "UNIT_FIELDS",
    "SweepResult",
    "assignment_contact",
    "assignment_reply",
    "assignment_return",
    "assignment_sign",
    "attachment_add",
    "attachment_sniff",
    "bundle_create",
    "event_record",
    "follow_up_complete",
    "notification_mark_read",
    "reminder_kind",
    "reminders_sweep",
    "suggestion_accept",
    "suggestion_assign",
    "suggestion_close",
    "suggestion_convert_to_deputy_suggestion",
    "suggestion_decline",
    "suggestion_escalate",
    "suggestion_evaluate",
    "suggestion_feedback",
    "suggestion_merge",
    "suggestion_publish",
    "suggestion_resolve_on_spot",
    "suggestion_submit",
    "suggestion_supervise",
    "suggestion_urge",
    "unit_create",
    "unit_update",
]
