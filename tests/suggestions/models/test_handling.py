"""What the database itself guarantees about assignments: one unit once, one active lead, a
reply's result; and the region each assignment copies from its suggestion."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from suggestions.models import Assignment, AssignmentStatus
from tests.factories import AssignmentFactory, RegionFactory, SuggestionFactory, UnitFactory


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


def test_an_assignment_copies_its_suggestions_region_when_made(db):
    township = RegionFactory(code="140403001", name="太东街道")
    suggestion = SuggestionFactory(region=township)
    assignment = Assignment(suggestion=suggestion, unit=UnitFactory(), deadline="2031-01-02")
    assignment.save()
    assert Assignment.objects.get(pk=assignment.pk).region_id == "140403001"


def test_an_assignment_made_with_its_region_keeps_it(db):
    assignment = AssignmentFactory()
    assignment.deadline = "2031-01-03"
    assignment.save()
    assert not Assignment.objects.exclude(region_id=F("suggestion__region_id")).exists()
