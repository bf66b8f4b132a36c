"""交 and 办 through their services: assigning, and the units' signing, returning and replying."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suggestions.calendar import WorkCalendar
from suggestions.models import Assignment, AssignmentStatus, FollowUp, NotificationKind, Status
from suggestions.services.closing import follow_up_complete, suggestion_evaluate
from suggestions.services.handling import (
    assignment_contact,
    assignment_reply,
    assignment_return,
    assignment_sign,
    suggestion_assign,
)
from suggestions.workflow import InvalidTransition
from tests.factories import UnitFactory
from tests.suggestions.services.readback import notified, reload

S = Status


# --- 交 ---------------------------------------------------------------------------------------
def test_assign_defaults_the_deadlines_in_working_days(world, settings):
    settings.LIAISON = {**settings.LIAISON, "DEADLINE_WORKING_DAYS": {"district": 65}, "CO_UNIT_DEADLINE_WORKING_DAYS": 22}
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    suggestion = suggestion_assign(suggestion=suggestion, by=world.staff, route="district",
                                            lead_unit=world.unit, co_units=[world.co_unit])
    calendar, today = WorkCalendar(), timezone.localdate()
    lead = suggestion.assignments.get(role="lead")
    co = suggestion.assignments.get(role="co")
    assert lead.deadline == calendar.add_working_days(today, 65)
    assert co.deadline == calendar.add_working_days(today, 22)
    assert notified(NotificationKind.ASSIGNED, assignment=lead) == {world.officer.username}
    assert notified(NotificationKind.ASSIGNED, assignment=co) == {world.co_officer.username}


def test_a_co_unit_is_never_due_after_the_lead(world):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    soon = timezone.localdate() + datetime.timedelta(days=3)
    suggestion = suggestion_assign(suggestion=suggestion, by=world.staff, route="district",
                                            lead_unit=world.unit, co_units=[world.co_unit], deadline=soon)
    assert set(suggestion.assignments.values_list("deadline", flat=True)) == {soon}


@pytest.mark.parametrize("problem", ["past_deadline", "foreign_unit", "inactive_unit", "lead_is_co", "bad_route"])
def test_assign_refuses_bad_input_and_changes_nothing(world, problem):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    kwargs = {"route": "district", "lead_unit": world.unit, "co_units": [world.co_unit]}
    if problem == "past_deadline":
        kwargs["deadline"] = timezone.localdate() - datetime.timedelta(days=1)
    elif problem == "foreign_unit":
        kwargs["co_units"] = [world.foreign_unit]
    elif problem == "inactive_unit":
        kwargs["lead_unit"] = UnitFactory(region=world.county, is_active=False)
    elif problem == "lead_is_co":
        kwargs["co_units"] = [world.unit]
    else:
        kwargs["route"] = "teleport"
    with pytest.raises(ValidationError):
        suggestion_assign(suggestion=suggestion, by=world.staff, **kwargs)
    assert reload(suggestion).status == S.ACCEPTED
    assert not Assignment.objects.filter(suggestion=suggestion).exists()


# --- 办 ---------------------------------------------------------------------------------------
def test_a_returned_lead_sends_the_suggestion_back_for_reassignment(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    lead = suggestion.assignments.get(role="lead")
    assignment_return(assignment=lead, by=world.officer, reason="属于城管职责")
    suggestion = reload(suggestion)
    assert suggestion.status == S.ACCEPTED
    assert reload(lead).status == AssignmentStatus.RETURNED and reload(lead).return_reason == "属于城管职责"
    assert notified(NotificationKind.RETURNED, suggestion=suggestion) == {world.staff.username}
    # Reassigned to another lead; the co-unit keeps its part; the returning unit may be given it again later.
    new_lead = UnitFactory(region=world.county, name="潞州区市政公司")
    suggestion = suggestion_assign(suggestion=suggestion, by=world.staff, route="district", lead_unit=new_lead)
    assert suggestion.status == S.ASSIGNED
    assert set(suggestion.assignments.active().values_list("unit__name", "role")) == {
        ("潞州区市政公司", "lead"), ("潞州区城管局", "co"),
    }


def test_a_returned_co_unit_changes_nothing_else(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    assignment_return(assignment=suggestion.assignments.get(role="co"), by=world.co_officer, reason="无关")
    assert reload(suggestion).status == S.ASSIGNED


def test_reassigning_a_co_unit_that_signed_goes_straight_to_handling(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    assignment_sign(assignment=suggestion.assignments.get(role="co"), by=world.co_officer)
    assignment_return(assignment=suggestion.assignments.get(role="lead"), by=world.officer, reason="非本单位")
    suggestion = suggestion_assign(suggestion=reload(suggestion), by=world.staff, route="district",
                                            lead_unit=UnitFactory(region=world.county))
    assert suggestion.status == S.HANDLING


def test_a_unit_that_still_holds_it_cannot_be_assigned_it_twice(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    assignment_return(assignment=suggestion.assignments.get(role="lead"), by=world.officer, reason="非本单位")
    with pytest.raises(ValidationError):
        suggestion_assign(suggestion=reload(suggestion), by=world.staff, route="district", lead_unit=world.co_unit)


def test_return_is_refused_after_the_return_window(world, settings):
    settings.LIAISON = {**settings.LIAISON, "RETURN_WITHIN_WORKING_DAYS": 10}
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    lead = suggestion.assignments.get(role="lead")
    Assignment.objects.filter(pk=lead.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    with pytest.raises(InvalidTransition):
        assignment_return(assignment=lead, by=world.officer, reason="太晚了")
    assert reload(lead).status == AssignmentStatus.PENDING


def test_reply_and_contact_validate_their_input(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    with pytest.raises(ValidationError):
        assignment_reply(assignment=lead, by=world.officer, result="E", content="x")
    with pytest.raises(ValidationError):
        assignment_reply(assignment=lead, by=world.officer, result="A", content="")
    with pytest.raises(ValidationError):
        assignment_contact(assignment=lead, by=world.officer, kind="someday", note="x")
    assert reload(lead).status == AssignmentStatus.SIGNED


def test_a_result_b_reply_goes_on_the_follow_up_list(world, settings):
    settings.LIAISON = {**settings.LIAISON, "FOLLOW_UP_WORKING_DAYS": 40}
    suggestion = world.drive(world.submit(), S.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    assignment_reply(assignment=lead, by=world.officer, result="B", content="已列入明年计划")
    follow_up = FollowUp.objects.get(suggestion=suggestion)
    assert follow_up.review_on == WorkCalendar().add_working_days(timezone.localdate(), 40)
    suggestion = suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="basically_satisfied")
    assert suggestion.status == S.CLOSED
    follow_up_complete(follow_up=follow_up, by=world.staff, note="已完工")
    assert reload(follow_up).done_at is not None
    with pytest.raises(InvalidTransition):
        follow_up_complete(follow_up=follow_up, by=world.staff, note="再次")
