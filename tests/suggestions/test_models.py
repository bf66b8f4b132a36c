"""What the database itself guarantees about the workflow's rows."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from suggestions.models import (
    TRACKING_CODE_LENGTH,
    AssignmentStatus,
    Event,
    Holiday,
    ImmutableError,
    Reminder,
    Status,
    new_tracking_code,
)
from tests.factories import (
    AssignmentFactory,
    DeputyFactory,
    HolidayFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
    UnitFactory,
)


def test_tracking_codes_are_long_random_and_unambiguous():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == TRACKING_CODE_LENGTH and not set(c) & set("01ILO") for c in codes)


def test_a_tracking_code_is_unique(db):
    first = SuggestionFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        SuggestionFactory(code=first.code)


def test_an_event_can_be_written_but_never_changed_or_deleted(db):
    suggestion = SuggestionFactory()
    event = Event.objects.create(suggestion=suggestion, action="submit", to_status=Status.SUBMITTED)
    event.note = "改写历史"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        Event.objects.filter(pk=event.pk).update(note="改写历史")
    with pytest.raises(ImmutableError):
        Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(ProtectedError):
        suggestion.delete()  # the audit trail keeps its suggestion
    assert Event.objects.get(pk=event.pk).note == ""


def test_each_reminder_exists_once_per_assignment_kind_and_deadline(db):
    assignment = AssignmentFactory()
    Reminder.objects.create(assignment=assignment, kind="due_3", deadline=assignment.deadline)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Reminder.objects.create(assignment=assignment, kind="due_3", deadline=assignment.deadline)
    # A new deadline (re-handling) is a new reminder.
    Reminder.objects.create(assignment=assignment, kind="due_3", deadline=assignment.deadline + datetime.timedelta(days=9))


def test_a_unit_holds_a_suggestion_once_until_it_returns_it(db):
    lead = AssignmentFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        AssignmentFactory(suggestion=lead.suggestion, unit=lead.unit, role="co")
    lead.status = AssignmentStatus.RETURNED
    lead.save()
    AssignmentFactory(suggestion=lead.suggestion, unit=lead.unit)


def test_a_suggestion_has_one_active_lead_unit(db):
    lead = AssignmentFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        AssignmentFactory(suggestion=lead.suggestion, unit=UnitFactory(), role="lead")
    AssignmentFactory(suggestion=lead.suggestion, unit=UnitFactory(), role="co")


def test_a_reply_has_a_result_and_a_time(db):
    with transaction.atomic(), pytest.raises(IntegrityError):
        AssignmentFactory(status=AssignmentStatus.REPLIED, result="")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.MERGED},  # merged into nothing
        {"status": Status.CLOSED},  # closed without a date
        {"status": Status.REPLIED, "is_public": True},  # public before it is closed
    ],
)
def test_suggestion_states_the_database_refuses(db, fields):
    with transaction.atomic(), pytest.raises(IntegrityError):
        SuggestionFactory(**fields)


def test_a_suggestion_has_one_lead_deputy(db):
    link = SuggestionDeputyFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        SuggestionDeputyFactory(suggestion=link.suggestion, deputy=DeputyFactory(), role="lead")
    SuggestionDeputyFactory(suggestion=link.suggestion, deputy=DeputyFactory(), role="co_signer")


def test_a_holiday_date_is_entered_once(db):
    HolidayFactory(date=datetime.date(2030, 10, 1))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Holiday.objects.create(date=datetime.date(2030, 10, 1), is_workday=True)
