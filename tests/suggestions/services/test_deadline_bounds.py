"""交办 deadlines are bounded in the service, so the API, the pages and the admin all refuse a
deadline of 9999-12-31 (issue #12: it used to be accepted and kept the item off every overdue
list for ever)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suggestions.models import Assignment, Status
from suggestions.services.handling import suggestion_assign

API = "/api/v1"


def _assign(world, suggestion, **kwargs):
    return suggestion_assign(
        suggestion=suggestion, by=world.staff, route="district", lead_unit=world.unit, requirements="", **kwargs
    )


def test_assign_refuses_a_deadline_in_the_year_9999(world):
    suggestion = world.drive(world.submit(), Status.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        _assign(world, suggestion, deadline=datetime.date(9999, 12, 31))
    assert "deadline" in error.value.message_dict
    assert not Assignment.objects.exists()


def test_assign_takes_a_deadline_up_to_the_setting_and_not_a_day_more(world, settings):
    settings.LIAISON = {**settings.LIAISON, "DEADLINE_MAX_DAYS": 30}
    today = timezone.localdate()
    refused = world.drive(world.submit(), Status.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        _assign(world, refused, deadline=today + datetime.timedelta(days=31))
    assert "deadline" in error.value.message_dict
    taken = _assign(world, world.drive(world.submit(), Status.ACCEPTED), deadline=today + datetime.timedelta(days=30))
    assert taken.assignments.get().deadline == today + datetime.timedelta(days=30)


def test_assign_still_refuses_a_deadline_before_today(world):
    suggestion = world.drive(world.submit(), Status.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        _assign(world, suggestion, deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert "deadline" in error.value.message_dict


def test_api_assign_answers_400_on_a_far_deadline_and_changes_nothing(world, api_for):
    suggestion = world.drive(world.submit(), Status.ACCEPTED)
    response = api_for(world.staff).post(
        f"{API}/suggestions/{suggestion.pk}/assign/",
        {"route": "district", "lead_unit": world.unit.pk, "deadline": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "deadline" in response.json()["errors"]
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED and not Assignment.objects.exists()
