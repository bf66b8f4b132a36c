"""The lead deadline stored on the suggestion (`Suggestion.lead_deadline`) follows every step
that creates, returns or moves a lead assignment, so lists read a column, not a subquery; and
each assignment those steps make carries its suggestion's region."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Subquery

from suggestions.models import (
    Assignment,
    AssignmentStatus,
    Status,
    Suggestion,
    lead_assignment_of,
    sync_lead_deadline,
)
from suggestions.services.closing import suggestion_evaluate, suggestion_rehandle
from suggestions.services.extensions import (
    assignment_decide_extension,
    assignment_request_extension,
)
from suggestions.services.handling import (
    assignment_reply,
    assignment_return,
    assignment_sign,
    suggestion_assign,
)
from suggestions.services.routing import suggestion_escalate
from tests.factories import AssignmentFactory, RegionFactory, SuggestionFactory, UserFactory


def stored_and_computed(suggestion) -> tuple:
    """The stored column, and what the old correlated subquery computes from the assignments."""
    row = Suggestion.objects.annotate(computed=Subquery(lead_assignment_of().values("deadline")[:1])).get(
        pk=suggestion.pk
    )
    return row.lead_deadline, row.computed


def assert_in_step(suggestion):
    """The stored deadline agrees with the assignments, and every assignment carries the
    suggestion's region (the other copy the lists filter on)."""
    stored, computed = stored_and_computed(suggestion)
    assert stored == computed, (stored, computed)
    regions = set(Assignment.objects.filter(suggestion_id=suggestion.pk).values_list("region_id", flat=True))
    assert regions <= {Suggestion.objects.get(pk=suggestion.pk).region_id}, regions
    return stored


def test_every_step_on_lead_assignments_keeps_the_stored_deadline(world):
    suggestion = world.drive(world.submit(), Status.ACCEPTED)
    assert assert_in_step(suggestion) is None

    suggestion = suggestion_assign(suggestion=suggestion, by=world.staff, route="district", lead_unit=world.unit,
                                   co_units=[world.co_unit])
    first = assert_in_step(suggestion)
    assert first is not None and suggestion.lead_deadline == first

    lead = suggestion.assignments.get(role="lead", status=AssignmentStatus.PENDING)
    co = suggestion.assignments.get(role="co")
    assignment_return(assignment=co, by=world.co_officer, reason="不属于本单位职责")  # a co-unit: no change
    assert assert_in_step(suggestion) == first
    assignment_return(assignment=lead, by=world.officer, reason="不属于本单位职责")
    assert assert_in_step(suggestion) is None  # no active lead until staff reassign

    suggestion.refresh_from_db()
    later = first + datetime.timedelta(days=10)
    suggestion = suggestion_assign(suggestion=suggestion, by=world.staff, route="district", lead_unit=world.unit,
                                   deadline=later)
    assert assert_in_step(suggestion) == later  # reassigned with its own deadline

    lead = suggestion.assignments.get(role="lead", status=AssignmentStatus.PENDING)
    assignment_sign(assignment=lead, by=world.officer)
    assert assert_in_step(suggestion) == later
    lead.refresh_from_db()
    assignment_request_extension(assignment=lead, by=world.officer, deadline=later + datetime.timedelta(days=20),
                                 reason="需协调资金")
    assert assert_in_step(suggestion) == later  # asked, not yet approved
    lead.refresh_from_db()
    assignment_decide_extension(assignment=lead, by=world.staff, approve=True, note="同意")
    extended = assert_in_step(suggestion)
    assert extended == later + datetime.timedelta(days=20)

    lead.refresh_from_db()
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已修复。")
    assert assert_in_step(suggestion) == extended  # answered: the date stays, the tier is none
    suggestion.refresh_from_db()
    suggestion = suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="unsatisfied", comment="没修好")
    rehandled = assert_in_step(suggestion)
    assert rehandled == Assignment.objects.get(pk=lead.pk).deadline and rehandled != extended

    lead.refresh_from_db()
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已重新修复。")
    suggestion.refresh_from_db()
    suggestion = suggestion_rehandle(suggestion=suggestion, by=world.staff, reason="群众评价不满意")
    assert assert_in_step(suggestion) == Assignment.objects.get(pk=lead.pk).deadline


def test_a_refused_extension_leaves_the_deadline(world):
    suggestion = world.drive(world.submit(), Status.HANDLING, co_unit=False)
    lead = suggestion.assignments.get(role="lead")
    before = assert_in_step(suggestion)
    assignment_request_extension(assignment=lead, by=world.officer, deadline=before + datetime.timedelta(days=9),
                                 reason="需协调资金")
    lead.refresh_from_db()
    assignment_decide_extension(assignment=lead, by=world.staff, approve=False, note="不需要延期")
    assert assert_in_step(suggestion) == before


def test_sync_lead_deadline_repairs_rows_written_around_the_services(world):
    suggestion = world.drive(world.submit(), Status.HANDLING, co_unit=False)
    Assignment.objects.filter(suggestion=suggestion).update(deadline=datetime.date(2030, 1, 2))
    stored, computed = stored_and_computed(suggestion)
    assert stored != computed  # a raw UPDATE bypasses the services
    sync_lead_deadline(suggestion.pk)
    assert assert_in_step(suggestion) == datetime.date(2030, 1, 2)


def test_a_factory_lead_assignment_is_stored_like_a_services_one(db):
    assignment = AssignmentFactory(deadline=datetime.date(2031, 5, 6))
    assert Suggestion.objects.get(pk=assignment.suggestion_id).lead_deadline == datetime.date(2031, 5, 6)
    co = AssignmentFactory(suggestion=assignment.suggestion, role="co", deadline=datetime.date(2031, 5, 1))
    assert Suggestion.objects.get(pk=co.suggestion_id).lead_deadline == datetime.date(2031, 5, 6)


# --- 转报上级 always goes to an ancestor of the item's region -----------------------------------
def test_escalation_cannot_leave_the_items_own_lineage(world):
    """The staff of the region escalated to read the item by their subtree alone: a target
    outside the item's lineage (possible only for a superuser with another region) is refused."""
    suggestion = world.submit()
    elsewhere = RegionFactory(code="150000", name="内蒙古自治区", level="province")
    superuser = UserFactory(is_superuser=True, region=RegionFactory(code="150100", name="呼和浩特市", parent=elsewhere))
    with pytest.raises(ValidationError) as error:
        suggestion_escalate(suggestion=suggestion, by=superuser, to_region=elsewhere)
    assert "to_region" in error.value.message_dict
    assert Suggestion.objects.get(pk=suggestion.pk).escalated_to_id is None


def test_escalated_items_stay_inside_the_region_escalated_to(world):
    suggestion = suggestion_escalate(suggestion=world.submit(), by=world.staff)
    assert suggestion.region_id.startswith(suggestion.escalated_to_id)
    assert len(suggestion.escalated_to_id) < len(suggestion.region_id)


def test_sync_lead_deadline_with_nothing_does_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        sync_lead_deadline()
    suggestion = SuggestionFactory()
    sync_lead_deadline(suggestion)
    assert suggestion.lead_deadline is None
