"""The deadline reminder sweep: each reminder once, by constraint, written a batch at a time."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import json
from collections.abc import Sequence
from typing import NamedTuple

from django.db import OperationalError, connection, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import Role, User
from liaison.regions import lineage
from suggestions.calendar import WorkCalendar
from suggestions.conf import reminder_offsets, setting
from suggestions.models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    Action,
    Assignment,
    AssignmentRole,
    Event,
    Notification,
    NotificationKind,
    Reminder,
    Unit,
)
from suggestions.notify import schedule_delivery

from .events import _link, _today

#: Reminders written (with their notices and events) per transaction.
BATCH_SIZE = 1000
#: How long a batch waits on a reminder row another transaction holds before going one by one.
BATCH_LOCK_WAIT = "1s"
# lock_not_available (lock_timeout), deadlock_detected: a batch that met another writer.
_CONTENDED = {"55P03", "40P01"}


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


def reminders_sweep(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """The urging ladder: remind units (and their staff) before deadlines, urge them formally
    (催办) the working day after, escalate to the leaders later: each rung once.

    For every unanswered assignment of a live suggestion whose deadline is within the largest
    offset or past, the reminder due today is INSERTed unless it was sent; the unique
    constraint (assignment, kind, deadline) lets exactly one sweep win, even two at once, and
    the notices and the event of each reminder are written in the same transaction as its row
    (one transaction per batch). A new deadline (re-handling) starts afresh.

    The queries do not grow with the number of reminders: one for the deadlines, one for what
    is due and not yet sent, then a handful per batch (see `_send`).
    """
    calendar = WorkCalendar()
    today = today or _today()
    offsets = reminder_offsets()
    horizon = calendar.add_working_days(today, offsets[0] if offsets else 0)
    open_work = Assignment.objects.filter(status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lte=horizon).order_by()
    # Many assignments share few deadlines: the rung is decided once per deadline (of any open
    # assignment: a deadline only a closed suggestion has costs a date computed, not a reminder).
    by_kind: dict[str, list[datetime.date]] = {}
    for deadline in open_work.values_list("deadline", flat=True).distinct():
        kind = reminder_kind(deadline, today, calendar)
        if kind is not None:
            by_kind.setdefault(kind, []).append(deadline)
    result = SweepResult(today=today)
    if not by_kind:
        return result
    sent = Reminder.objects.filter(assignment=OuterRef("pk"), kind=OuterRef("kind"), deadline=OuterRef("deadline"))
    candidates = (
        open_work.filter(
            deadline__in=[d for ds in by_kind.values() for d in ds], suggestion__status__in=LIVE_SUGGESTION_STATUSES
        )
        .annotate(
            kind=Case(*(When(deadline__in=ds, then=Value(k)) for k, ds in by_kind.items()), output_field=CharField()),
            sent=Exists(sent),
        )
        .order_by("deadline", "pk")
        .values_list("pk", "kind", "deadline", "sent")
    )
    pending = []
    for pk, kind, deadline, already in candidates:
        if already:
            result.skipped += 1
        else:
            pending.append((pk, kind, deadline))
    people = _People()
    wording = _Wording(today, calendar)
    for start in range(0, len(pending), batch_size):
        _send(pending[start:start + batch_size], wording, people, result)
    if result.notifications:
        schedule_delivery()
    return result


def _send(batch: Sequence[tuple], wording: _Wording, people: _People, result: SweepResult) -> None:
    """One transaction: INSERT the batch's reminders (ON CONFLICT DO NOTHING RETURNING), then the
    notices and events of exactly the rows this sweep won. If another transaction holds one of
    the rows (a concurrent sweep's batch, a crash being rolled back), the batch gives up after
    BATCH_LOCK_WAIT and goes one reminder at a time, so all before the held one are committed."""
    try:
        with transaction.atomic():
            with _lock_wait_limited(len(batch) > 1):
                won = _insert_reminders(batch)
            notices = _write_notices(won, wording, people)
    except OperationalError as error:
        if len(batch) == 1 or getattr(error.__cause__, "sqlstate", None) not in _CONTENDED:
            raise
        for row in batch:
            _send([row], wording, people, result)
        return
    result.reminders += won
    result.notifications += notices
    result.skipped += len(batch) - len(won)  # another sweep got there first


@contextlib.contextmanager
def _lock_wait_limited(enabled: bool):
    """Within the current transaction on PostgreSQL, make lock waits give up after
    BATCH_LOCK_WAIT, then put the previous limit back (after an error, the rollback does)."""
    if not (enabled and connection.vendor == "postgresql"):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH o AS MATERIALIZED (SELECT current_setting('lock_timeout') AS old) "
            "SELECT old, set_config('lock_timeout', %s, true) FROM o",
            [BATCH_LOCK_WAIT],
        )
        previous = cursor.fetchone()[0]
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def _insert_reminders(batch: Sequence[tuple]) -> list[Reminder]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: the reminders of the batch that nobody had sent."""
    now = timezone.now()
    ops = connection.ops
    table = ops.quote_name(Reminder._meta.db_table)
    if connection.vendor == "postgresql":  # three arrays bind and plan in a fifth of a VALUES list's time
        rows = "SELECT a, k, d, %s FROM unnest(%s::bigint[], %s::varchar[], %s::date[]) AS t(a, k, d)"
        params = [now, *map(list, zip(*batch, strict=True))]
    else:
        rows = "VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(batch))
        created_at = ops.adapt_datetimefield_value(now)
        params = [v for pk, kind, deadline in batch for v in (pk, kind, ops.adapt_datefield_value(deadline), created_at)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (assignment_id, kind, deadline, created_at) {rows} "
            "ON CONFLICT (assignment_id, kind, deadline) DO NOTHING RETURNING id, assignment_id",
            params,
        )
        won = dict((assignment_id, pk) for pk, assignment_id in cursor.fetchall())
    # In the sweep's order (deadline, assignment); one reminder per assignment per sweep.
    return [
        Reminder(pk=won[assignment_id], assignment_id=assignment_id, kind=kind, deadline=deadline, created_at=now)
        for assignment_id, kind, deadline in batch
        if assignment_id in won
    ]


def _load(reminders: list[Reminder]) -> list[_Due]:
    """What each reminder's notices and event are made of, in its order (one query, no models)."""
    if not reminders:
        return []
    rows = Assignment.objects.filter(pk__in=[r.assignment_id for r in reminders]).order_by().values_list(
        "pk", "role", "deadline", "unit_id", "unit__name", "suggestion_id", "suggestion__code", "suggestion__title",
        "suggestion__status", "suggestion__region_id", "suggestion__escalated_to_id", "suggestion__supervision_leader_id",
    )
    due = {}
    for pk, role, deadline, unit, unit_name, suggestion, code, title, status, region, escalated_to, leader in rows:
        # handling_region_id: the upper level after 转报上级
        due[pk] = _Due(pk, role, deadline, unit, unit_name, suggestion, code, title, status, escalated_to or region, leader)
    return [due[r.assignment_id] for r in reminders]


class _Due(NamedTuple):
    """An assignment reminded now, with what its notices say (`code` and `title` make it a link)."""

    assignment: int
    role: str
    deadline: datetime.date
    unit: int
    unit_name: str
    suggestion: int
    code: str
    title: str
    status: str
    region: str  # the handling region
    leader: int | None  # the supervising leader (领衔督办)


class _People:
    """Who is told, looked up once per sweep for all its reminders: the officers of each unit
    (unit_officers), the nearest staff and leaders of each handling region (nearest_users), the
    supervising leaders still active (responsible_leaders)."""

    def __init__(self):
        self.officers: dict[int, list[int]] = {}
        self.nearest: dict[tuple[str, str], list[int]] = {}
        self.active: dict[int, bool] = {}

    def load(self, dues: list[_Due], escalated: list[_Due]) -> None:
        units = {d.unit for d in dues} - self.officers.keys()
        if units:
            for unit in units:
                self.officers[unit] = []
            officers = Unit.officers.through.objects.filter(unit_id__in=units, user__is_active=True)
            for unit, user in officers.order_by("user_id").values_list("unit_id", "user_id"):
                self.officers[unit].append(user)
        regions = {d.region for d in dues} - {region for _role, region in self.nearest}
        if regions:
            # The users at or above every region at once; then, per region and role, those at
            # the deepest level that has any.
            codes = {code for region in regions for code in lineage(region)}
            users = list(
                User.objects.filter(role__in=[Role.STAFF, Role.LEADER], is_active=True, region_id__in=codes)
                .order_by("pk").values_list("pk", "role", "region_id")
            )
            for region in regions:
                above = set(lineage(region))
                for role in (Role.STAFF, Role.LEADER):
                    mine = [(pk, code) for pk, r, code in users if r == role and code in above]
                    deepest = max((len(code) for _pk, code in mine), default=0)
                    self.nearest[role, region] = [pk for pk, code in mine if len(code) == deepest]
        leaders = {d.leader for d in escalated} - {None} - self.active.keys()
        if leaders:
            active = set(User.objects.filter(pk__in=leaders, is_active=True).values_list("pk", flat=True))
            self.active.update({pk: pk in active for pk in leaders})

    def recipients(self, due: _Due, escalate: bool) -> list[int]:
        """The officers, then the staff (then, escalating, the leaders), each once, as `notify`."""
        people = [*self.officers[due.unit], *self.nearest[Role.STAFF, due.region]]
        if escalate:  # the supervising leader, else the nearest leaders
            if due.leader is not None and self.active[due.leader]:
                people.append(due.leader)
            else:
                people += self.nearest[Role.LEADER, due.region]
        return list(dict.fromkeys(people))


def _write_notices(reminders: list[Reminder], wording: _Wording, people: _People) -> int:
    """The notices (one per distinct recipient, as `notify`) and the timeline event of each reminder."""
    dues = _load(reminders)
    if not dues:
        return 0
    people.load(dues, [d for d, r in zip(dues, reminders, strict=True) if r.kind == "long_overdue"])
    now = timezone.now()
    notices, events = [], []
    for reminder, due in zip(reminders, dues, strict=True):
        kind = reminder.kind
        notice_kind, title, body = wording.notice(due, kind)
        for user in people.recipients(due, kind == "long_overdue"):
            notices.append((user, notice_kind, title, body, due.suggestion, due.assignment, now))
        # event_record's row; the formal 催办 is recorded on the timeline as one.
        action = Action.URGE if kind == "overdue" else Action.REMIND
        data = {"kind": kind, "deadline": due.deadline.isoformat(), "automatic": True}
        events.append((due.suggestion, due.assignment, None, "", action, due.status, due.status, "", data, now))
    _write(Notification, NOTICE_COLUMNS, notices)
    _write(Event, EVENT_COLUMNS, events)
    return len(notices)


NOTICE_COLUMNS = ("recipient_id", "kind", "title", "body", "suggestion_id", "assignment_id", "created_at")
EVENT_COLUMNS = ("suggestion_id", "assignment_id", "actor_id", "actor_name", "action", "from_status", "to_status",
                 "note", "data", "created_at")


def _write(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """Many new rows at once: COPY on PostgreSQL (a fifth of bulk_create's time for the
    sweep's tens of thousands), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows])
        return
    fields = [model._meta.get_field(name) for name in columns]
    json_at = [i for i, field in enumerate(fields) if field.get_internal_type() == "JSONField"]
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    ) as copy:
        for row in rows:
            if json_at:
                row = tuple(json.dumps(v) if i in json_at else v for i, v in enumerate(row))
            copy.write_row(row)


class _Wording:
    """The notices' words: the service's messages, translated and counted once per sweep."""

    def __init__(self, today: datetime.date, calendar: WorkCalendar):
        self.today = today
        self.between = functools.cache(calendar.working_days_between)
        self.roles = {role: str(label) for role, label in AssignmentRole.choices}
        tier = NotificationKind.LONG_OVERDUE.label
        self.templates = {
            "due": (NotificationKind.DUE, _("即将到期（剩 %(days)s 个工作日）：%(title)s"),
                    _("%(unit)s %(role)s的 %(link)s 将于 %(deadline)s 到期，请抓紧办理。")),
            # the formal 催办
            "overdue": (NotificationKind.OVERDUE, _("催办（已超期）：%(title)s"),
                        _("%(unit)s %(role)s的 %(link)s 已于 %(deadline)s 到期，超期 %(late)s 个工作日，现予催办，请抓紧办理并答复。")),
            "long_overdue": (NotificationKind.LONG_OVERDUE, _("%(tier)s，提请领导督办：%(title)s") % {"tier": tier, "title": "%(title)s"},
                             _("%(unit)s %(role)s的 %(link)s 已于 %(deadline)s 到期，超期 %(late)s 个工作日，请督促办理。")),
        }

    def notice(self, due: _Due, kind: str) -> tuple[str, str, str]:
        """(notice kind, title, body) of `kind`'s reminder for `due`."""
        values = {
            "unit": due.unit_name,
            "role": self.roles[due.role],
            "link": _link(due),
            "deadline": due.deadline,
            "title": due.title[:80],
        }
        if kind.startswith("due_"):
            values["days"] = self.between(self.today, due.deadline)
            kind = "due"
        else:
            values["late"] = self.between(due.deadline, self.today)
        notice_kind, title, body = self.templates[kind]
        return notice_kind, (title % values)[:200], body % values
