"""What the database itself guarantees about assignments: one unit once, one active lead, a reply's result."""

import pytest
from django.db import IntegrityError, transaction

from suggestions.models import AssignmentStatus
from tests.factories import AssignmentFactory, UnitFactory


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
