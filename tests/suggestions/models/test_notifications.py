"""What the database itself guarantees about reminders and the calendar's adjustments."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from suggestions.models import Holiday, Reminder
from tests.factories import AssignmentFactory, HolidayFactory


def test_each_reminder_exists_once_per_assignment_kind_and_deadline(db):
    assignment = AssignmentFactory()
    Reminder.objects.create(assignment=assignment, kind="due_3", deadline=assignment.deadline)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Reminder.objects.create(assignment=assignment, kind="due_3", deadline=assignment.deadline)
    # A new deadline (re-handling) is a new reminder.
    Reminder.objects.create(assignment=assignment, kind="due_3", deadline=assignment.deadline + datetime.timedelta(days=9))


def test_a_holiday_date_is_entered_once(db):
    HolidayFactory(date=datetime.date(2030, 10, 1))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Holiday.objects.create(date=datetime.date(2030, 10, 1), is_workday=True)
