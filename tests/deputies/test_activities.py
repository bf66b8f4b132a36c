"""Duty activities a deputy registers (deputies/activities.py): pending until staff in scope
confirm or return them; only confirmed ones score."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from deputies.activities import NotPermitted, activity_confirm, activity_register, activity_return
from deputies.models import ActivityStatus, Deputy
from liaison.errors import Conflict
from suggestions import duty
from tests.deputies.activity_fixtures import png

D = datetime.date


def register(by, **overrides):
    data = {"kind": "research", "date": D(2026, 3, 2), "place": "太东街道老旧小区", "note": "形成调研报告一份。",
            "partners": "区住建局"}
    return activity_register(by=by, **{**data, **overrides})


def test_a_deputy_registers_their_own_activity_as_pending_with_photos(people):
    activity = register(people["deputy"].user, files=[png(), png("second.png")])
    assert activity.status == ActivityStatus.PENDING
    assert list(activity.deputies.all()) == [people["deputy"]]
    assert activity.region_id == people["deputy"].region_id
    assert [f.content_type for f in activity.files.all()] == ["image/png", "image/png"]


@pytest.mark.parametrize("role_user", ["staff", "leader"])
def test_only_a_deputy_registers_an_activity(people, role_user):
    with pytest.raises(NotPermitted):
        register(people[role_user])


@pytest.mark.parametrize(("field", "overrides"), [
    ("date", {"date": D(2999, 1, 1)}),
    ("place", {"place": "  "}),
    ("note", {"note": ""}),
    ("kind", {"kind": "reception"}),  # receptions count from their own records
])
def test_bad_input_is_refused_and_nothing_is_stored(people, field, overrides):
    with pytest.raises(ValidationError) as error:
        register(people["deputy"].user, **overrides)
    assert field in error.value.message_dict
    assert not people["deputy"].duty_activities.exists()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(people):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        register(people["deputy"].user, files=[fake])
    assert "files" in error.value.message_dict
    assert not people["deputy"].duty_activities.exists()


def test_staff_in_scope_confirm_and_only_confirmed_activities_score(people):
    deputy = people["deputy"]
    first, second = register(deputy.user), register(deputy.user, kind="inspection")
    counts = duty.duty_counts(deputies=Deputy.objects.filter(pk=deputy.pk), year=2026).get(deputy.pk, {})
    assert counts == {}  # pending: nothing yet
    activity_confirm(by=people["staff"], activity=first)
    activity_return(by=people["staff"], activity=second, note="照片与活动不符，请补充。")
    counts = duty.duty_counts(deputies=Deputy.objects.filter(pk=deputy.pk), year=2026)[deputy.pk]
    assert dict(counts) == {"research": 1}
    second.refresh_from_db()
    assert second.status == ActivityStatus.RETURNED and second.review_note == "照片与活动不符，请补充。"


def test_staff_of_another_county_and_leaders_may_not_confirm(people):
    activity = register(people["deputy"].user)
    for user in (people["stranger"], people["leader"], people["deputy"].user):
        with pytest.raises(NotPermitted):
            activity_confirm(by=user, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PENDING


def test_a_return_needs_a_reason(people):
    activity = register(people["deputy"].user)
    with pytest.raises(ValidationError) as error:
        activity_return(by=people["staff"], activity=activity, note=" ")
    assert "note" in error.value.message_dict
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PENDING


def test_a_decided_activity_cannot_be_decided_again(people):
    activity = register(people["deputy"].user)
    activity_confirm(by=people["staff"], activity=activity)
    with pytest.raises(Conflict):
        activity_return(by=people["staff"], activity=activity, note="重复")
    with pytest.raises(Conflict):
        activity_confirm(by=people["staff"], activity=activity)
