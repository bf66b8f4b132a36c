"""延期: a handling unit asks once, before its deadline, for a later one; staff in scope approve
(the deadline moves, and the reminder sweep follows the new deadline: reminders are keyed by
the deadline they were sent for) or refuse."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import User
from liaison.text import clean_text
from suggestions import workflow
from suggestions.conf import setting
from suggestions.models import Action, Assignment, AssignmentRole, NotificationKind
from suggestions.notify import notify
from suggestions.selectors import responsible_staff, unit_officers

from .events import _link, _lock_assignment, _required_text, _today, event_record


@transaction.atomic
def assignment_request_extension(
    *, assignment: Assignment, by: User, deadline: datetime.date, reason: str
) -> Assignment:
    """申请延期: the unit's officer asks for `deadline` instead of the current one, with a reason.
    Once per assignment, and only before the current deadline has passed."""
    reason = _required_text(reason, "reason", _("请写明延期理由。"))
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.REQUEST_EXTENSION, by)  # also: not asked before
    today = _today()
    if assignment.deadline < today:
        raise workflow.InvalidTransition(_("已超过办理期限，不能再申请延期。"))
    if deadline <= assignment.deadline:
        raise ValidationError({"deadline": _("申请延至的日期须晚于现在的办理期限（%(d)s）。") % {"d": assignment.deadline}})
    if deadline > today + datetime.timedelta(days=int(setting("DEADLINE_MAX_DAYS"))):
        raise ValidationError({"deadline": _("申请延至的日期太远。")})
    assignment.extension_deadline = deadline
    assignment.extension_reason = reason
    assignment.extension_requested_at = timezone.now()
    assignment.extension_requested_by = by
    assignment.save(update_fields=[
        "extension_deadline", "extension_reason", "extension_requested_at", "extension_requested_by", "updated_at",
    ])
    suggestion = assignment.suggestion
    event_record(suggestion=suggestion, by=by, action=Action.REQUEST_EXTENSION, from_status=suggestion.status,
                 assignment=assignment, note=reason,
                 data={"deadline": assignment.deadline.isoformat(), "requested": deadline.isoformat()})
    notify(
        recipients=responsible_staff(suggestion),
        kind=NotificationKind.EXTENSION,
        title=_("延期申请：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(unit)s 申请将 %(link)s 的办理期限由 %(old)s 延至 %(new)s。理由：%(reason)s")
        % {"unit": assignment.unit.name, "link": _link(suggestion), "old": assignment.deadline, "new": deadline,
           "reason": reason},
        suggestion=suggestion,
        assignment=assignment,
    )
    return assignment


@transaction.atomic
def assignment_decide_extension(*, assignment: Assignment, by: User, approve: bool, note: str = "") -> Assignment:
    """审批延期: staff in scope approve (the deadline becomes the one asked for) or refuse."""
    note = clean_text(note)
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.DECIDE_EXTENSION, by)  # also: a request waits
    if not approve and not note:
        raise ValidationError({"note": _("不同意延期时，请写明理由。")})
    old = assignment.deadline
    assignment.extension_approved = bool(approve)
    assignment.extension_decided_at = timezone.now()
    assignment.extension_decided_by = by
    assignment.extension_note = note
    fields = ["extension_approved", "extension_decided_at", "extension_decided_by", "extension_note", "updated_at"]
    if approve:
        assignment.original_deadline = old
        assignment.deadline = assignment.extension_deadline
        fields += ["original_deadline", "deadline"]
    assignment.save(update_fields=fields)
    suggestion = assignment.suggestion
    if approve and assignment.role == AssignmentRole.LEAD:
        suggestion.lead_deadline = assignment.deadline
        suggestion.save(update_fields=["lead_deadline"])
    event_record(suggestion=suggestion, by=by, action=Action.DECIDE_EXTENSION, from_status=suggestion.status,
                 assignment=assignment, note=note,
                 data={"approved": bool(approve), "deadline": assignment.deadline.isoformat(), "old": old.isoformat()})
    values = {"link": _link(suggestion), "deadline": assignment.deadline, "note": note}
    notify(
        recipients=unit_officers([assignment.unit_id]),
        kind=NotificationKind.EXTENSION,
        title=(_("同意延期：%(title)s") if approve else _("不同意延期：%(title)s")) % {"title": suggestion.title[:80]},
        body=(_("%(link)s 的办理期限延至 %(deadline)s。%(note)s") if approve
              else _("%(link)s 仍须于 %(deadline)s 前办理。%(note)s")) % values,
        suggestion=suggestion,
        assignment=assignment,
    )
    return assignment
