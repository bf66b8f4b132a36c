"""交 and 办: assigning units, and the units' signing, returning, meeting the deputy and replying."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import User
from liaison.scoping import in_scope
from liaison.text import clean_text
from suggestions import outbox, workflow
from suggestions.calendar import WorkCalendar
from suggestions.conf import route_deadline_days, setting
from suggestions.models import (
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Contact,
    ContactKind,
    FollowUp,
    NotificationKind,
    Result,
    Route,
    Status,
    Suggestion,
    Unit,
)
from suggestions.notify import notify
from suggestions.selectors import deputy_users, responsible_staff, unit_officers

from .attachments import _attach, attachment_sniff
from .closing import follow_ups_supersede
from .events import (
    _assignments,
    _link,
    _lock,
    _lock_assignment,
    _required_text,
    _set_status,
    _today,
    event_record,
)
from .routing import check_route_fits_unit


# --- 交: assign ------------------------------------------------------------------------------
@transaction.atomic
def suggestion_assign(
    *,
    suggestion: Suggestion,
    by: User,
    lead_unit: Unit,
    route: str = "",
    co_units: Sequence[Unit] = (),
    deadline: datetime.date | None = None,
    co_deadline: datetime.date | None = None,
    requirements: str = "",
) -> Suggestion:
    """交办: hand the suggestion to its lead unit (主办) and any co-units (协办).

    `deadline` defaults to the route's setting in working days from today; co-units get the
    co-unit setting, never later than the lead's deadline. A deadline lies between today and
    DEADLINE_MAX_DAYS ahead (a typo such as 9999-12-31 would keep it off every overdue list).
    `route` (五分类) defaults to the class proposed at intake or review, and must fit the lead
    unit's level (`routing.check_route_fits_unit`, setting ROUTE_UNIT_LEVELS).
    """
    co_units = list(dict.fromkeys(co_units))
    if any(u.pk == lead_unit.pk for u in co_units):
        raise ValidationError({"co_units": _("主办单位不能同时是协办单位。")})
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.ASSIGN, by)
    route = route or suggestion.route_proposal
    if not route:
        raise ValidationError({"route": _("请选择办理方式（五分类）。")})
    if route not in Route.values:
        raise ValidationError({"route": _("办理方式无效。")})
    check_route_fits_unit(route, lead_unit)
    for unit in [lead_unit, *co_units]:
        if not unit.is_active:
            raise ValidationError({"lead_unit": _("承办单位“%(unit)s”已停用。") % {"unit": unit}})
        if not (by.is_superuser or in_scope(by, unit.region_id)):
            raise ValidationError({"lead_unit": _("只能交办给本区划的承办单位：%(unit)s。") % {"unit": unit}})
    calendar = WorkCalendar()
    today = _today()
    deadline = deadline or calendar.add_working_days(today, route_deadline_days(route))
    latest = today + datetime.timedelta(days=int(setting("DEADLINE_MAX_DAYS")))
    if deadline < today:
        raise ValidationError({"deadline": _("办理期限不能早于今天。")})
    if deadline > latest:
        raise ValidationError({"deadline": _("办理期限不能晚于 %(latest)s。") % {"latest": latest.isoformat()}})
    co_deadline = co_deadline or min(
        calendar.add_working_days(today, int(setting("CO_UNIT_DEADLINE_WORKING_DAYS"))), deadline
    )
    if co_deadline < today or co_deadline > deadline:
        raise ValidationError({"co_deadline": _("协办期限应在今天与主办期限之间。")})
    held = set(
        Assignment.objects.active().filter(suggestion=suggestion, unit__in=[lead_unit, *co_units]).values_list("unit__name", flat=True)
    )
    if held:
        raise ValidationError({"co_units": _("这些单位已在办理此事项：%(units)s。") % {"units": "、".join(sorted(held))}})
    requirements = clean_text(requirements)
    new = [
        Assignment(suggestion=suggestion, unit=lead_unit, role=AssignmentRole.LEAD, deadline=deadline,
                   requirements=requirements, assigned_by=by),
        *[
            Assignment(suggestion=suggestion, unit=unit, role=AssignmentRole.CO, deadline=co_deadline,
                       requirements=requirements, assigned_by=by)
            for unit in co_units
        ],
    ]
    for assignment in new:
        assignment.save()
    from_status = suggestion.status
    suggestion.route = route
    suggestion.lead_deadline = deadline  # the stored lead deadline (models.handling.sync_lead_deadline)
    _set_status(
        suggestion, workflow.in_progress_status(assignments=_assignments(suggestion)), "route", "lead_deadline"
    )
    event_record(
        suggestion=suggestion, by=by, action=Action.ASSIGN, from_status=from_status, note=requirements,
        data={
            "route": route,
            "lead_unit": lead_unit.name,
            "co_units": [u.name for u in co_units],
            "deadline": deadline.isoformat(),
            "co_deadline": co_deadline.isoformat() if co_units else None,
        },
    )
    for assignment in new:
        notify(
            recipients=unit_officers([assignment.unit_id]),
            kind=NotificationKind.ASSIGNED,
            title=_("新交办（%(role)s）：%(title)s") % {"role": assignment.get_role_display(), "title": suggestion.title[:80]},
            body=_("%(link)s 已交办贵单位%(role)s，办理期限 %(deadline)s，请及时签收。")
            % {"link": _link(suggestion), "role": assignment.get_role_display(), "deadline": assignment.deadline},
            suggestion=suggestion,
            assignment=assignment,
        )
    return suggestion


# --- 办: handle ------------------------------------------------------------------------------
@transaction.atomic
def assignment_sign(*, assignment: Assignment, by: User) -> Assignment:
    """签收: the unit takes the assignment; the suggestion is being handled."""
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.SIGN, by)
    suggestion = assignment.suggestion
    assignment.status = AssignmentStatus.SIGNED
    assignment.signed_at = timezone.now()
    assignment.signed_by = by
    assignment.save(update_fields=["status", "signed_at", "signed_by", "updated_at"])
    from_status = suggestion.status
    to_status = workflow.in_progress_status(assignments=_assignments(suggestion))
    if to_status != from_status:
        _set_status(suggestion, to_status)
    event_record(suggestion=suggestion, by=by, action=Action.SIGN, from_status=from_status, to_status=to_status,
                 assignment=assignment, data={"unit": assignment.unit.name})
    return assignment


@transaction.atomic
def assignment_return(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """退回: not this unit's business, within the return window; staff reassign. A returned
    lead sends the suggestion back to `accepted`."""
    reason = _required_text(reason, "reason", _("请填写退回理由。"))
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.RETURN, by)
    window = int(setting("RETURN_WITHIN_WORKING_DAYS"))
    assigned_on = timezone.localtime(assignment.created_at).date()
    if WorkCalendar().working_days_between(assigned_on, _today()) > window:
        raise workflow.InvalidTransition(
            _("已超过退回期限（交办后 %(days)s 个工作日内），请按要求办理。") % {"days": window}
        )
    suggestion = assignment.suggestion
    assignment.status = AssignmentStatus.RETURNED
    assignment.returned_at = timezone.now()
    assignment.return_reason = reason
    assignment.save(update_fields=["status", "returned_at", "return_reason", "updated_at"])
    from_status = suggestion.status
    to_status = workflow.in_progress_status(assignments=_assignments(suggestion))
    lead_fields = ()
    if assignment.role == AssignmentRole.LEAD:  # the only active lead: none until staff reassign
        suggestion.lead_deadline = None
        lead_fields = ("lead_deadline",)
    if to_status != from_status:
        _set_status(suggestion, to_status, *lead_fields)
    elif lead_fields:
        suggestion.save(update_fields=lead_fields)
    event_record(suggestion=suggestion, by=by, action=Action.RETURN, from_status=from_status, to_status=to_status,
                 assignment=assignment, note=reason, data={"unit": assignment.unit.name, "role": assignment.role})
    notify(
        recipients=responsible_staff(suggestion),
        kind=NotificationKind.RETURNED,
        title=_("交办被退回：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(unit)s 退回了 %(link)s（%(role)s），理由：%(reason)s")
        % {"unit": assignment.unit.name, "link": _link(suggestion), "role": assignment.get_role_display(), "reason": reason},
        suggestion=suggestion,
        assignment=assignment,
    )
    return assignment


@transaction.atomic
def assignment_contact(*, assignment: Assignment, by: User, kind: str, note: str) -> Assignment:
    """三见面: log a meeting with the deputy before, during or after handling."""
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("见面环节无效。")})
    note = _required_text(note, "note", _("请填写见面情况。"))
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.CONTACT, by)
    Contact.objects.create(assignment=assignment, kind=kind, note=note, by=by)
    suggestion = assignment.suggestion
    event_record(suggestion=suggestion, by=by, action=Action.CONTACT, from_status=suggestion.status,
                 assignment=assignment, note=note, data={"kind": kind, "unit": assignment.unit.name})
    return assignment


@transaction.atomic
def assignment_reply(
    *, assignment: Assignment, by: User, result: str, content: str, attachments: Sequence = ()
) -> Assignment:
    """答复: the unit answers with a result class (A–D) and text, and may attach its reply
    documents (答复函), stored on the suggestion and the assignment. The lead unit's reply makes
    the suggestion `replied`; a result B puts it on the follow-up list (回头看)."""
    if result not in Result.values:
        raise ValidationError({"result": _("办理结果无效。")})
    content = _required_text(content, "content", _("请填写答复内容。"))
    # Every file is checked before anything is written: storage is not rolled back with the
    # transaction, so a refused file must not leave its companions behind.
    attachments = list(attachments)
    kinds = []
    for uploaded in attachments:
        try:
            kinds.append(attachment_sniff(uploaded))
        except ValidationError as error:
            name = (getattr(uploaded, "name", "") or "").rsplit("/", 1)[-1]
            raise ValidationError(
                {"attachments": [f"{name}：{message}" if name else message for message in error.messages]}
            ) from error
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.REPLY, by)
    suggestion = assignment.suggestion
    now = timezone.now()
    assignment.status = AssignmentStatus.REPLIED
    assignment.result = result
    assignment.reply = content
    assignment.replied_at = now
    assignment.replied_by = by
    assignment.save(update_fields=["status", "result", "reply", "replied_at", "replied_by", "updated_at"])
    from_status = suggestion.status
    to_status = workflow.in_progress_status(assignments=_assignments(suggestion))
    is_lead = assignment.role == AssignmentRole.LEAD
    if is_lead:
        suggestion.result = result
        suggestion.replied_at = now
        _set_status(suggestion, to_status, "result", "replied_at")
        if result == Result.A:
            # A later reply of A answers what the follow-up was waiting for (回头看 superseded).
            follow_ups_supersede(suggestion=suggestion, assignment=assignment)
        elif result == Result.B:
            FollowUp.objects.create(
                suggestion=suggestion,
                assignment=assignment,
                review_on=WorkCalendar().add_working_days(_today(), int(setting("FOLLOW_UP_WORKING_DAYS"))),
            )
    stored = [
        _attach(suggestion, uploaded, by, assignment=assignment, kind=kind)
        for uploaded, kind in zip(attachments, kinds, strict=True)
    ]
    data = {"result": result, "unit": assignment.unit.name, "role": assignment.role}
    if stored:
        data["attachments"] = [a.pk for a in stored]
    event_record(suggestion=suggestion, by=by, action=Action.REPLY, from_status=from_status, to_status=to_status,
                 assignment=assignment, note=content, data=data)
    if is_lead:
        recipients = responsible_staff(suggestion) + deputy_users(suggestion)
        body = _("%(unit)s 已答复 %(link)s，办理结果：%(result)s。") % {
            "unit": assignment.unit.name, "link": _link(suggestion), "result": Result(result).label}
    else:
        lead_ids = Assignment.objects.active().filter(suggestion=suggestion, role=AssignmentRole.LEAD).values_list("unit_id", flat=True)
        recipients = unit_officers(list(lead_ids))
        body = _("协办单位 %(unit)s 已提出 %(link)s 的协办意见。") % {"unit": assignment.unit.name, "link": _link(suggestion)}
    notify(recipients=recipients, kind=NotificationKind.REPLIED,
           title=_("已答复：%(title)s") % {"title": suggestion.title[:80]}, body=body,
           suggestion=suggestion, assignment=assignment)
    if is_lead and to_status == Status.REPLIED:
        outbox.voter_answered(suggestion)
    return assignment
