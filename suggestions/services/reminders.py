"""The deadline reminder sweep: each reminder once, by constraint."""

from __future__ import annotations

import dataclasses
import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suggestions.calendar import WorkCalendar
from suggestions.conf import reminder_offsets, setting
from suggestions.models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    Action,
    Assignment,
    NotificationKind,
    Reminder,
)
from suggestions.notify import notify, schedule_delivery
from suggestions.selectors import (
    responsible_leaders,
    responsible_staff,
    unit_officers,
)

from .events import _link, _today, event_record


# --- reminders --------------------------------------------------------------------------------
@dataclasses.dataclass
class SweepResult:
    today: datetime.date
    reminders: list[Reminder] = dataclasses.field(default_factory=list)
    notifications: int = 0
    skipped: int = 0  # candidates another sweep (or an earlier run) had already reminded


def reminder_kind(deadline: datetime.date, today: datetime.date, calendar: WorkCalendar) -> str | None:
    """Which rung of the urging ladder is due today for this deadline, if any: the reminder of
    the tightest offset reached (due_7, due_3, due_1 by default); `overdue`, the formal 催办, from
    the first working day after the deadline; `long_overdue`, the escalation to the leaders
    (the supervising leader first), once `LONG_OVERDUE_WORKING_DAYS` working days late."""
    if deadline >= today:
        remaining = calendar.working_days_between(today, deadline)
        reached = [n for n in reminder_offsets() if remaining <= n]
        return f"due_{min(reached)}" if reached else None
    late = calendar.working_days_between(deadline, today)
    if late < 1:
        return None  # a weekend or holiday right after the deadline: 催办 on the next working day
    return "long_overdue" if late >= int(setting("LONG_OVERDUE_WORKING_DAYS")) else "overdue"


def reminders_sweep(*, today: datetime.date | None = None) -> SweepResult:
    """The urging ladder: remind units (and their staff) before deadlines, urge them formally
    (催办) the working day after, escalate to the leaders later: each rung once.

    For every unanswered assignment of a live suggestion whose deadline is within the largest
    offset or past, the reminder due today is INSERTed; the unique constraint (assignment,
    kind, deadline) lets exactly one sweep win, even two at once, and its notices are written
    in the same transaction as the reminder row. A new deadline (re-handling) starts afresh.
    """
    calendar = WorkCalendar()
    today = today or _today()
    offsets = reminder_offsets()
    horizon = calendar.add_working_days(today, offsets[0] if offsets else 0)
    candidates = list(
        Assignment.objects.filter(
            status__in=OPEN_ASSIGNMENT_STATUSES,
            suggestion__status__in=LIVE_SUGGESTION_STATUSES,
            deadline__lte=horizon,
        )
        .select_related("suggestion", "unit")
        .order_by("deadline", "pk")
    )
    already = set(
        Reminder.objects.filter(assignment__in=[a.pk for a in candidates]).values_list("assignment_id", "kind", "deadline")
    )
    result = SweepResult(today=today)
    kinds: dict[datetime.date, str | None] = {}  # many assignments share few deadlines
    for assignment in candidates:
        if assignment.deadline not in kinds:
            kinds[assignment.deadline] = reminder_kind(assignment.deadline, today, calendar)
        kind = kinds[assignment.deadline]
        if kind is None:
            continue
        if (assignment.pk, kind, assignment.deadline) in already:
            result.skipped += 1
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(assignment=assignment, kind=kind, deadline=assignment.deadline)
                result.notifications += _reminder_notices(assignment, kind, today, calendar)
        except IntegrityError:
            result.skipped += 1  # another sweep got there first
            continue
        result.reminders.append(reminder)
    if result.notifications:
        schedule_delivery()
    return result


def _reminder_notices(assignment: Assignment, kind: str, today: datetime.date, calendar: WorkCalendar) -> int:
    suggestion = assignment.suggestion
    recipients = unit_officers([assignment.unit_id]) + responsible_staff(suggestion)
    role = assignment.get_role_display()
    values = {
        "unit": assignment.unit.name,
        "role": role,
        "link": _link(suggestion),
        "deadline": assignment.deadline,
        "title": suggestion.title[:80],
    }
    if kind.startswith("due_"):
        values["days"] = calendar.working_days_between(today, assignment.deadline)
        notice_kind = NotificationKind.DUE
        title = _("即将到期（剩 %(days)s 个工作日）：%(title)s") % values
        body = _("%(unit)s %(role)s的 %(link)s 将于 %(deadline)s 到期，请抓紧办理。") % values
    else:
        if kind == "long_overdue":  # escalation: the supervising leader, else the nearest leaders
            recipients += responsible_leaders(suggestion)
        values["late"] = calendar.working_days_between(assignment.deadline, today)
        notice_kind = NotificationKind.LONG_OVERDUE if kind == "long_overdue" else NotificationKind.OVERDUE
        values["tier"] = NotificationKind(notice_kind).label
        if kind == "overdue":  # the formal 催办, recorded on the timeline as one
            title = _("催办（已超期）：%(title)s") % values
            body = _("%(unit)s %(role)s的 %(link)s 已于 %(deadline)s 到期，超期 %(late)s 个工作日，现予催办，请抓紧办理并答复。") % values
        else:
            title = _("%(tier)s，提请领导督办：%(title)s") % values
            body = _("%(unit)s %(role)s的 %(link)s 已于 %(deadline)s 到期，超期 %(late)s 个工作日，请督促办理。") % values
    created = notify(recipients=recipients, kind=notice_kind, title=title, body=body,
                     suggestion=suggestion, assignment=assignment, deliver=False)
    action = Action.URGE if kind == "overdue" else Action.REMIND
    event_record(suggestion=suggestion, by=None, action=action, from_status=suggestion.status, assignment=assignment,
                 data={"kind": kind, "deadline": assignment.deadline.isoformat(), "automatic": True})
    return len(created)
