"""The set-based sweep against the per-item path it replaced: the same reminders, notices and
events on every rung of the ladder; queries that do not grow with the reminders; a batch that
meets another writer's reminder goes one by one, committing everything before it."""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from liaison.models import Role, User
from suggestions.calendar import WorkCalendar
from suggestions.models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    Action,
    Assignment,
    Event,
    Notification,
    NotificationKind,
    Reminder,
    Status,
    Suggestion,
)
from suggestions.notify import notify
from suggestions.selectors import responsible_leaders, responsible_staff, unit_officers
from suggestions.services import reminders
from suggestions.services.events import _link, event_record
from suggestions.services.oversight import suggestion_supervise
from suggestions.services.reminders import reminder_kind, reminders_sweep
from tests.factories import UserFactory

D = datetime.date
TODAY = D(2025, 11, 14)  # a Friday


@pytest.fixture(autouse=True)
def _reminder_settings(settings, monkeypatch):
    settings.LIAISON = {**settings.LIAISON, "REMINDER_OFFSETS_WORKING_DAYS": [7, 3, 1], "LONG_OVERDUE_WORKING_DAYS": 22}
    monkeypatch.setattr("suggestions.notify._enqueue_delivery", lambda: None)


def per_item_sweep(today: D) -> tuple[int, int, int]:
    """The sweep as it was before it became set-based: each candidate on its own, through
    `notify`, `event_record` and the selectors. The oracle the new one is held to."""
    calendar = WorkCalendar()
    horizon = calendar.add_working_days(today, 7)
    candidates = Assignment.objects.filter(
        status__in=OPEN_ASSIGNMENT_STATUSES, suggestion__status__in=LIVE_SUGGESTION_STATUSES, deadline__lte=horizon
    ).select_related("suggestion", "unit").order_by("deadline", "pk")
    sent = notices = skipped = 0
    for assignment in candidates:
        kind = reminder_kind(assignment.deadline, today, calendar)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(assignment=assignment, kind=kind, deadline=assignment.deadline)
        except IntegrityError:
            skipped += 1
            continue
        suggestion = assignment.suggestion
        recipients = unit_officers([assignment.unit_id]) + responsible_staff(suggestion)
        values = {"unit": assignment.unit.name, "role": assignment.get_role_display(), "link": _link(suggestion),
                  "deadline": assignment.deadline, "title": suggestion.title[:80]}
        if kind.startswith("due_"):
            values["days"] = calendar.working_days_between(today, assignment.deadline)
            notice_kind = NotificationKind.DUE
            title = "即将到期（剩 {days} 个工作日）：{title}".format(**values)
            body = "{unit} {role}的 {link} 将于 {deadline} 到期，请抓紧办理。".format(**values)
        else:
            if kind == "long_overdue":
                recipients += responsible_leaders(suggestion)
            values["late"] = calendar.working_days_between(assignment.deadline, today)
            notice_kind = NotificationKind.LONG_OVERDUE if kind == "long_overdue" else NotificationKind.OVERDUE
            values["tier"] = NotificationKind(notice_kind).label
            if kind == "overdue":
                title = "催办（已超期）：{title}".format(**values)
                body = ("{unit} {role}的 {link} 已于 {deadline} 到期，超期 {late} 个工作日，"
                        "现予催办，请抓紧办理并答复。").format(**values)
            else:
                title = "{tier}，提请领导督办：{title}".format(**values)
                body = "{unit} {role}的 {link} 已于 {deadline} 到期，超期 {late} 个工作日，请督促办理。".format(**values)
        notices += len(notify(recipients=recipients, kind=notice_kind, title=title, body=body,
                              suggestion=suggestion, assignment=assignment, deliver=False))
        event_record(suggestion=suggestion, by=None, action=Action.URGE if kind == "overdue" else Action.REMIND,
                     from_status=suggestion.status, assignment=assignment,
                     data={"kind": kind, "deadline": assignment.deadline.isoformat(), "automatic": True})
        sent += 1
    return sent, notices, skipped


def written() -> dict:
    """Every reminder, notice and event there is, by content (ids and times aside)."""
    return {
        "reminders": Counter(Reminder.objects.values_list("assignment_id", "kind", "deadline")),
        "notices": Counter(Notification.objects.filter(kind__in=["due", "overdue", "long_overdue"]).values_list(
            "recipient__username", "kind", "title", "body", "suggestion_id", "assignment_id", "read_at", "emailed_at")),
        "events": Counter(
            (suggestion, assignment, actor, actor_name, action, from_status, to_status, note, tuple(sorted(data.items())))
            for suggestion, assignment, actor, actor_name, action, from_status, to_status, note, data in
            Event.objects.filter(action__in=[Action.REMIND, Action.URGE]).values_list(
                "suggestion_id", "assignment_id", "actor_id", "actor_name", "action", "from_status", "to_status",
                "note", "data")
        ),
    }


@pytest.fixture
def ladder(world):
    """Open work on every rung today, with every way of finding the people to tell."""
    calendar = WorkCalendar()
    deadlines = {
        "due_7": calendar.add_working_days(TODAY, 6),
        "due_3": calendar.add_working_days(TODAY, 3),
        "due_1": calendar.add_working_days(TODAY, 1),
        "overdue": calendar.subtract_working_days(TODAY, 2),
        "long_overdue": calendar.subtract_working_days(TODAY, 25),
    }
    assert {rung: reminder_kind(d, TODAY, calendar) for rung, d in deadlines.items()} == {r: r for r in deadlines}

    def due(rung, **kwargs):
        suggestion = world.drive(world.submit(**kwargs), Status.HANDLING)  # lead signed, co-unit pending
        Assignment.objects.filter(suggestion=suggestion).update(deadline=deadlines[rung])
        return suggestion

    for rung in deadlines:  # in the township: its staff and leaders live one level up, in the county
        due(rung, title=f"路灯不亮（{rung}）")
    city_leader = UserFactory(role=Role.LEADER, region=world.city)
    suggestion_supervise(suggestion=due("long_overdue", title="领衔督办的事"), by=world.staff, level="key",
                         leader=city_leader)
    gone = UserFactory(role=Role.LEADER, region=world.city)
    supervised = due("long_overdue", title="督办领导已离任")
    suggestion_supervise(suggestion=supervised, by=world.staff, level="key", leader=gone)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    # Another township that has staff of its own: they are told, not the county's.
    UserFactory(role=Role.STAFF, region=world.other_township)
    elsewhere = due("overdue", title="韩店镇的路灯")
    Suggestion.objects.filter(pk=elsewhere.pk).update(region=world.other_township)
    escalated = due("due_1", title="转报市里的事")
    Suggestion.objects.filter(pk=escalated.pk).update(escalated_to=world.city)
    closed = world.drive(world.submit(title="已办结，协办单位未答复"), Status.CLOSED)
    Assignment.objects.filter(suggestion=closed).update(deadline=deadlines["overdue"])
    already = Assignment.objects.filter(deadline=deadlines["due_3"], role="lead").get()
    Reminder.objects.create(assignment=already, kind="due_3", deadline=already.deadline)
    return world


@pytest.mark.parametrize("batch_size", [1000, 2], ids=["one-batch", "batches-of-two"])
def test_the_set_based_sweep_writes_what_the_per_item_path_wrote(ladder, batch_size):
    with transaction.atomic():
        expected_counts = per_item_sweep(TODAY)
        expected = written()
        transaction.set_rollback(True)
    result = reminders_sweep(today=TODAY, batch_size=batch_size)
    assert written() == expected
    assert (len(result.reminders), result.notifications, result.skipped) == expected_counts
    # The scenario did reach every rung and every kind of recipient.
    assert {kind for _a, kind, _d in expected["reminders"]} == {"due_7", "due_3", "due_1", "overdue", "long_overdue"}
    told = {(user, kind) for user, kind, *_rest in expected["notices"]}
    assert (ladder.leader.username, "long_overdue") in told
    assert expected_counts[2] == 1  # the reminder sent before


def test_escalation_reaches_the_supervising_leader_or_else_the_nearest_and_the_staff_who_hold_it(ladder):
    reminders_sweep(today=TODAY)
    by_title = {}
    for title, user in Notification.objects.filter(kind__in=["due", "overdue", "long_overdue"]).values_list(
        "suggestion__title", "recipient"
    ):
        by_title.setdefault(title, set()).add(user)
    world = ladder
    city_leader = User.objects.get(role=Role.LEADER, region=world.city, is_active=True)
    assert by_title["路灯不亮（long_overdue）"] == {world.officer.pk, world.co_officer.pk, world.staff.pk, world.leader.pk}
    assert by_title["领衔督办的事"] == {world.officer.pk, world.co_officer.pk, world.staff.pk, city_leader.pk}
    assert world.leader.pk in by_title["督办领导已离任"]  # the supervising leader has left: the nearest instead
    assert world.other_staff.pk not in by_title["韩店镇的路灯"] and world.staff.pk not in by_title["韩店镇的路灯"]
    assert world.city_staff.pk in by_title["转报市里的事"] and world.staff.pk not in by_title["转报市里的事"]


def queries_of_a_sweep(world, suggestions: int) -> int:
    deadline = WorkCalendar().add_working_days(TODAY, 1)
    for n in range(suggestions):
        world.drive(world.submit(title=f"到期事项 {n}"), Status.HANDLING)
    Assignment.objects.update(deadline=deadline)
    with CaptureQueriesContext(connection) as queries:
        result = reminders_sweep(today=TODAY)
    assert len(result.reminders) == 2 * suggestions
    return len(queries)


@pytest.mark.parametrize("suggestions", [1, 6])
def test_the_sweep_runs_the_same_queries_for_one_reminder_or_many(world, suggestions, django_assert_num_queries):
    baseline = queries_of_a_sweep(world, suggestions)
    with transaction.atomic():  # the same sweep on a larger day, rolled back
        more = queries_of_a_sweep(world, suggestions * 3)
        transaction.set_rollback(True)
    assert more == baseline <= 16
    with django_assert_num_queries(3):  # the rerun: deadlines, holidays of the year, candidates
        assert reminders_sweep(today=TODAY).reminders == []


def test_a_sweep_with_nothing_due_reads_only_the_calendar_and_the_deadlines(world, django_assert_num_queries):
    world.drive(world.submit(), Status.HANDLING)
    Assignment.objects.update(deadline=D(2026, 6, 30))
    with django_assert_num_queries(2):  # the holidays of the year, the deadlines
        result = reminders_sweep(today=TODAY)
    assert result.reminders == [] and result.skipped == 0


@pytest.mark.postgres
def test_a_batch_meeting_a_held_reminder_commits_the_ones_before_it_then_waits(transactional_db, world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    monkeypatch.setattr(reminders, "BATCH_LOCK_WAIT", "200ms")
    deadline = WorkCalendar().add_working_days(TODAY, 1)
    for n in range(3):
        world.drive(world.submit(title=f"到期事项 {n}"), Status.HANDLING, co_unit=False)
    Assignment.objects.update(deadline=deadline)
    held = Assignment.objects.order_by("pk")[2]
    settings = connection.settings_dict
    blocker = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                              user=settings["USER"], password=settings["PASSWORD"] or None, dbname=settings["NAME"])
    blocker.execute(f"INSERT INTO {Reminder._meta.db_table} (assignment_id, kind, deadline, created_at) "
                    "VALUES (%s, 'due_1', %s, now())", (held.pk, deadline))
    results, errors = [], []

    def sweep():
        try:
            results.append(reminders_sweep(today=TODAY))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=sweep)
    thread.start()
    try:
        waited = time.monotonic() + 20
        while Reminder.objects.count() < 2 and time.monotonic() < waited:
            time.sleep(0.05)
        # The two before the held one are committed with their notices; the sweep waits on it.
        assert Reminder.objects.count() == 2
        assert Notification.objects.filter(kind="due", recipient=world.officer).count() == 2
        assert thread.is_alive()
    finally:
        blocker.rollback()
        blocker.close()
        thread.join(timeout=30)
    assert not errors and len(results[0].reminders) == 3
    assert Notification.objects.filter(kind="due", recipient=world.officer).count() == 3
    assert Event.objects.filter(action=Action.REMIND).count() == 3
