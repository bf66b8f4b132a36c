"""Deadline reminders with time travel: each one once, to the right people, however often and
however concurrently the sweep runs."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from suggestions.models import (
    Action,
    Assignment,
    Event,
    Notification,
    NotificationKind,
    Reminder,
    Status,
)
from suggestions.selectors import track
from suggestions.services import reminders
from suggestions.services.oversight import suggestion_supervise
from suggestions.services.reminders import reminders_sweep
from tests.factories import UserFactory

D = datetime.date
DEADLINE = D(2025, 10, 15)  # a Wednesday one week after 国庆
# The first day each reminder is due for that deadline (offsets 7, 3, 1; long overdue at 22):
FIRST_FIRES = {
    "due_7": D(2025, 9, 29),  # 7 working days left: 1–8 October are off
    "due_3": D(2025, 10, 11),  # a Saturday, but a make-up workday (调休) — and 12 October is not
    "due_1": D(2025, 10, 14),
    "overdue": D(2025, 10, 16),
    "long_overdue": D(2025, 11, 14),  # 22 working days late
}


@pytest.fixture(autouse=True)
def _reminder_settings(settings):
    settings.LIAISON = {**settings.LIAISON, "REMINDER_OFFSETS_WORKING_DAYS": [7, 3, 1], "LONG_OVERDUE_WORKING_DAYS": 22}


def due_on(world, deadline: D, *, status=Status.HANDLING, co_unit=False):
    suggestion = world.drive(world.submit(), status, co_unit=co_unit)
    Assignment.objects.filter(suggestion=suggestion).update(deadline=deadline)
    return suggestion


def days(start: D, end: D):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def recipients(kind=None, **filters) -> set[str]:
    qs = Notification.objects.filter(**filters)
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__username", flat=True))


def test_each_reminder_fires_once_on_its_day_across_national_day(world):
    suggestion = due_on(world, DEADLINE)
    fired: dict[str, D] = {}
    for day in days(D(2025, 9, 15), D(2025, 12, 31)):
        first = reminders_sweep(today=day)
        second = reminders_sweep(today=day)
        assert second.reminders == [] and second.notifications == 0
        for reminder in first.reminders:
            assert reminder.kind not in fired
            fired[reminder.kind] = day
    assert fired == FIRST_FIRES
    assert Reminder.objects.count() == 5
    assert Notification.objects.filter(recipient=world.officer, kind__in=["due", "overdue", "long_overdue"]).count() == 5
    assert Event.objects.filter(suggestion=suggestion, action=Action.REMIND).count() == 4
    assert Event.objects.filter(suggestion=suggestion, action=Action.URGE).count() == 1  # the formal 催办
    assert "remind" not in [entry.action for entry in track(suggestion.code).timeline]


def test_a_late_first_sweep_sends_only_the_most_urgent_reminder(world):
    due_on(world, DEADLINE)
    result = reminders_sweep(today=D(2025, 10, 14))
    assert [r.kind for r in result.reminders] == ["due_1"]


def test_due_reminders_and_the_formal_urging_reach_the_unit_and_staff_and_escalation_the_leaders(world):
    suggestion = due_on(world, DEADLINE)
    reminders_sweep(today=D(2025, 10, 14))
    assert recipients(NotificationKind.DUE, suggestion=suggestion) == {world.officer.username, world.staff.username}
    reminders_sweep(today=D(2025, 10, 16))
    assert recipients(NotificationKind.OVERDUE, suggestion=suggestion) == {world.officer.username, world.staff.username}
    notice = Notification.objects.filter(kind=NotificationKind.OVERDUE, recipient=world.staff).get()
    assert suggestion.code in notice.body and "潞州区住建局" in notice.body and "催办" in notice.title
    reminders_sweep(today=D(2025, 11, 14))
    assert recipients(NotificationKind.LONG_OVERDUE, suggestion=suggestion) == {
        world.officer.username, world.staff.username, world.leader.username,
    }


def test_the_formal_urging_is_a_urge_on_the_timeline_by_nobody(world):
    suggestion = due_on(world, DEADLINE)
    reminders_sweep(today=D(2025, 10, 16))
    reminders_sweep(today=D(2025, 10, 17))
    event = Event.objects.get(suggestion=suggestion, action=Action.URGE)
    assert event.actor is None and event.data["kind"] == "overdue" and event.data["automatic"] is True


def test_a_deadline_before_a_weekend_is_urged_on_the_next_working_day_not_on_saturday(world):
    friday = D(2025, 10, 17)
    due_on(world, friday)
    assert reminders_sweep(today=D(2025, 10, 18)).reminders == []
    assert reminders_sweep(today=D(2025, 10, 19)).reminders == []
    assert [r.kind for r in reminders_sweep(today=D(2025, 10, 20)).reminders] == ["overdue"]


def test_escalation_after_a_configured_number_of_working_days(world, settings):
    settings.LIAISON = {**settings.LIAISON, "LONG_OVERDUE_WORKING_DAYS": 3}
    due_on(world, DEADLINE)
    assert [r.kind for r in reminders_sweep(today=D(2025, 10, 16)).reminders] == ["overdue"]
    assert reminders_sweep(today=D(2025, 10, 17)).reminders == []
    assert [r.kind for r in reminders_sweep(today=D(2025, 10, 20)).reminders] == ["long_overdue"]
    assert reminders_sweep(today=D(2025, 10, 21)).reminders == []


def test_escalation_goes_to_the_supervising_leader_when_there_is_one(world):
    city_leader = UserFactory(role="leader", region=world.city)
    suggestion = due_on(world, DEADLINE)
    suggestion_supervise(suggestion=suggestion, by=world.staff, level="key", leader=city_leader)
    reminders_sweep(today=D(2025, 11, 14))
    assert recipients(NotificationKind.LONG_OVERDUE, suggestion=suggestion) == {
        world.officer.username, world.staff.username, city_leader.username,
    }


def test_co_units_are_reminded_of_their_own_deadline(world):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    Assignment.objects.filter(suggestion=suggestion, role="lead").update(deadline=D(2025, 12, 31))
    Assignment.objects.filter(suggestion=suggestion, role="co").update(deadline=DEADLINE)
    result = reminders_sweep(today=D(2025, 10, 14))
    assert [(r.assignment.role, r.kind) for r in result.reminders] == [("co", "due_1")]
    assert recipients(suggestion=suggestion, kind=NotificationKind.DUE) == {world.co_officer.username, world.staff.username}


def test_answered_and_closed_work_is_not_reminded(world):
    replied = due_on(world, DEADLINE, status=Status.REPLIED)
    closed = world.drive(world.submit(), Status.CLOSED)  # its co-unit never answered
    Assignment.objects.filter(suggestion=closed).update(deadline=DEADLINE)
    result = reminders_sweep(today=D(2025, 10, 16))
    assert result.reminders == []
    assert not Reminder.objects.filter(assignment__suggestion__in=[replied, closed]).exists()


def test_a_new_deadline_after_re_handling_is_reminded_afresh(world):
    suggestion = due_on(world, DEADLINE)
    assert [r.kind for r in reminders_sweep(today=D(2025, 10, 14)).reminders] == ["due_1"]
    Assignment.objects.filter(suggestion=suggestion).update(deadline=D(2025, 11, 20))
    assert [r.kind for r in reminders_sweep(today=D(2025, 11, 19)).reminders] == ["due_1"]
    assert set(Reminder.objects.values_list("kind", "deadline")) == {("due_1", DEADLINE), ("due_1", D(2025, 11, 20))}


def test_send_reminders_run_twice_notifies_an_assignment_due_tomorrow_once(world, capsys):
    suggestion = due_on(world, D(2025, 10, 14))
    call_command("send_reminders", "--date", "2025-10-13")
    first = capsys.readouterr().out
    call_command("send_reminders", "--date", "2025-10-13")
    second = capsys.readouterr().out
    assert "due_1" in first and suggestion.code in first and "1 reminders" in first
    assert "0 reminders" in second and "1 already sent" in second
    assert Notification.objects.filter(recipient=world.officer, kind=NotificationKind.DUE).count() == 1


def test_send_reminders_can_deliver_at_once(world, capsys, mailoutbox):
    due_on(world, D(2025, 10, 14))
    call_command("send_reminders", "--date", "2025-10-13", "--deliver")
    assert "delivered:" in capsys.readouterr().out
    assert {m.to[0] for m in mailoutbox if "即将到期" in m.subject} == {"officer@example.cn", "staff@example.cn"}


def test_send_reminders_refuses_a_bad_date(db):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "13/10/2025")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("today", "kind"),
    [(D(2025, 10, 13), NotificationKind.DUE), (D(2025, 10, 15), NotificationKind.OVERDUE)],
    ids=["reminder", "formal-urging"],
)
def test_two_sweeps_at_once_send_each_reminder_once(transactional_db, world, monkeypatch, today, kind):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to lose")
    monkeypatch.setattr("suggestions.notify._enqueue_delivery", lambda: None)
    for _ in range(3):
        due_on(world, D(2025, 10, 14))
    # Both sweeps read "nothing sent yet" before either writes: the race the constraint must win.
    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()
    original = reminders.reminder_kind

    def racing_reminder_kind(*args, **kwargs):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(reminders, "reminder_kind", racing_reminder_kind)
    results, errors = [], []

    def sweep():
        try:
            results.append(reminders_sweep(today=today))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 2
    assert sum(len(r.reminders) for r in results) == 3
    assert sum(r.skipped for r in results) == 3  # the loser saw each one taken
    assert Reminder.objects.count() == 3
    assert Notification.objects.filter(recipient=world.officer, kind=kind).count() == 3
    assert Notification.objects.filter(recipient=world.staff, kind=kind).count() == 3
