"""suggestion_import_historical: a record book's row becomes the rows the workflow would have made."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suggestions.models import (
    Action,
    AssignmentStatus,
    Event,
    FollowUp,
    Rating,
    Source,
    Status,
    Suggestion,
)
from suggestions.selectors import OverdueTier, suggestion_list, track
from suggestions.services.handling import assignment_reply
from suggestions.services.history import imported_suggestion, suggestion_import_historical
from suggestions.workflow import ActionNotPermitted, in_progress_status
from tests.factories import UnitFactory

D = datetime.date


def closed_row(world, **overrides):
    row = {
        "title": "村口排水沟堵塞",
        "content": "雨季排水不畅，积水严重。",
        "region": world.township,
        "category": world.category,
        "submitter_name": "李大爷",
        "submitter_phone": "13900002222",
        "deputies": [world.deputy],
        "status": Status.CLOSED,
        "route": "township",
        "lead_unit": world.unit,
        "co_units": [world.co_unit],
        "submitted_on": D(2023, 3, 1),
        "accepted_on": D(2023, 3, 2),
        "assigned_on": D(2023, 3, 3),
        "deadline": D(2023, 5, 31),
        "replied_on": D(2023, 4, 20),
        "closed_on": D(2023, 4, 28),
        "fed_back_on": D(2023, 4, 29),
        "feedback_channel": "phone",
        "result": "A",
        "reply": "已清淤并加装盖板。",
        "rating": Rating.SATISFIED,
        "comment": "群众满意",
        "supervision": "normal",
        "is_public": True,
        "source_no": "2023-015",
    }
    row.update(overrides)
    return row


def local(dt):
    return timezone.localtime(dt)


def test_closed_record_gets_assignments_evaluation_feedback_and_dated_events(world):
    suggestion = suggestion_import_historical(by=world.staff, **closed_row(world))

    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED
    assert suggestion.source == Source.IMPORT
    assert suggestion.result == "A" and suggestion.route == "township" and suggestion.supervision == "normal"
    assert local(suggestion.created_at).date() == D(2023, 3, 1)
    assert local(suggestion.replied_at).date() == D(2023, 4, 20)
    assert local(suggestion.closed_at).date() == D(2023, 4, 28)
    assert local(suggestion.fed_back_at).date() == D(2023, 4, 29)
    assert suggestion.is_public and local(suggestion.published_at).date() == D(2023, 4, 28)

    assignments = {a.role: a for a in suggestion.assignments.select_related("unit")}
    assert assignments["lead"].unit == world.unit and assignments["co"].unit == world.co_unit
    assert {a.status for a in assignments.values()} == {AssignmentStatus.REPLIED}
    assert {a.region_id for a in assignments.values()} == {suggestion.region_id}  # staff lists filter on it
    assert assignments["lead"].reply == "已清淤并加装盖板。" and assignments["lead"].result == "A"
    assert assignments["lead"].deadline == D(2023, 5, 31)
    assert assignments["co"].deadline <= D(2023, 5, 31)
    assert local(assignments["lead"].created_at).date() == D(2023, 3, 3)
    # The invariant the workflow keeps holds for the imported rows too.
    assert in_progress_status(assignments=list(assignments.values())) == Status.REPLIED

    evaluation = suggestion.evaluations.get()
    assert evaluation.deputy == world.deputy and evaluation.rating == "satisfied"
    assert local(evaluation.created_at).date() == D(2023, 4, 28)
    feedback = suggestion.feedbacks.get()
    assert feedback.channel == "phone" and local(feedback.created_at).date() == D(2023, 4, 29)

    events = list(suggestion.events.order_by("created_at", "id"))
    assert [e.action for e in events] == [
        "submit", "accept", "assign", "supervise", "sign", "sign", "reply", "reply", "evaluate", "publish", "feedback",
    ]
    assert all(e.data["imported"] is True for e in events)
    assert events[0].data["source_no"] == "2023-015"
    assert [local(e.created_at).date() for e in events] == sorted(local(e.created_at).date() for e in events)
    assert local(events[1].created_at).date() == D(2023, 3, 2)
    assert events[-3].to_status == Status.CLOSED
    assert all(e.actor == world.staff for e in events)


def test_imported_timeline_is_public_by_tracking_code(world):
    suggestion = suggestion_import_historical(by=world.staff, **closed_row(world))
    view = track(suggestion.code)
    assert view.status == Status.CLOSED
    actions = [entry.action for entry in view.timeline]
    assert actions[0] == "submit" and "reply" in actions and "evaluate" in actions


def test_importing_twice_by_book_number_is_refused(world):
    first = suggestion_import_historical(by=world.staff, **closed_row(world))
    assert imported_suggestion(source_no="2023-015", scope_region=world.county.code) == first
    with pytest.raises(ValidationError) as exc:
        suggestion_import_historical(by=world.staff, **closed_row(world))
    assert "source_no" in exc.value.message_dict
    assert first.code in exc.value.message_dict["source_no"][0]
    assert Suggestion.objects.count() == 1


def test_open_record_is_handled_on_by_the_workflow(world):
    today = timezone.localdate()
    suggestion = suggestion_import_historical(
        by=world.staff,
        **closed_row(
            world,
            status=Status.HANDLING,
            submitted_on=today - datetime.timedelta(days=10),
            accepted_on=None,
            assigned_on=today - datetime.timedelta(days=9),
            deadline=today + datetime.timedelta(days=30),
            replied_on=None, closed_on=None, fed_back_on=None, feedback_channel="",
            result="", reply="", rating="", comment="", is_public=False, supervision="none",
        ),
    )
    lead = suggestion.assignments.get(role="lead")
    assert lead.status == AssignmentStatus.SIGNED
    assert [e.action for e in suggestion.events.order_by("created_at", "id")] == [
        "submit", "accept", "assign", "sign", "sign",
    ]
    row = suggestion_list(user=world.staff).get(pk=suggestion.pk)
    assert row.deadline == today + datetime.timedelta(days=30)
    assert row.overdue_tier == OverdueTier.ON_TRACK

    assignment_reply(assignment=lead, by=world.officer, result="A", content="已办结")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED


def test_deadline_defaults_from_the_route(world):
    suggestion = suggestion_import_historical(by=world.staff, **closed_row(world, deadline=None, source_no=""))
    lead = suggestion.assignments.get(role="lead")
    assert lead.deadline > D(2023, 3, 3)


def test_on_the_spot_record_has_no_units(world):
    suggestion = suggestion_import_historical(
        by=world.staff,
        **closed_row(world, route="on_spot", lead_unit=None, co_units=[], assigned_on=None, deadline=None,
                     accepted_on=None, supervision="none", rating="", is_public=False, fed_back_on=None),
    )
    assert suggestion.assignments.count() == 0
    assert [e.action for e in suggestion.events.order_by("created_at", "id")] == ["submit", "resolve_on_spot", "close"]


def test_declined_record(world):
    suggestion = suggestion_import_historical(
        by=world.staff,
        **closed_row(world, status=Status.DECLINED, decline_reason="属于诉讼程序", route="", lead_unit=None,
                     co_units=[], assigned_on=None, deadline=None, replied_on=None, closed_on=None,
                     fed_back_on=None, result="", reply="", rating="", supervision="none", is_public=False),
    )
    decline = suggestion.events.get(action=Action.DECLINE)
    assert decline.note == "属于诉讼程序" and local(decline.created_at).date() == D(2023, 3, 2)


def test_result_b_stays_on_the_follow_up_list_until_closed(world):
    suggestion = suggestion_import_historical(
        by=world.staff, **closed_row(world, status=Status.REPLIED, result="B", closed_on=None, rating="",
                                      is_public=False, fed_back_on=None),
    )
    follow_up = FollowUp.objects.get(suggestion=suggestion)
    assert follow_up.done_at is None and follow_up.review_on > D(2023, 4, 20)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"result": ""}, "result"),
        ({"reply": ""}, "reply"),
        ({"replied_on": None}, "replied_on"),
        ({"closed_on": None}, "closed_on"),
        ({"replied_on": D(2023, 2, 1)}, "replied_on"),
        ({"closed_on": D(2099, 1, 1)}, "closed_on"),
        ({"lead_unit": None}, "lead_unit"),
        ({"rating": Rating.UNSATISFIED}, "rating"),
        ({"status": "merged"}, "status"),
        ({"title": ""}, "title"),
        ({"submitted_on": None}, "submitted_on"),
        ({"status": Status.ACCEPTED}, "replied_on"),
        ({"route": ""}, "route"),
        ({"kind": "deputy_suggestion", "deputies": []}, "deputies"),
        ({"deadline": D(2023, 3, 1)}, "deadline"),
        ({"fed_back_on": D(2023, 4, 1)}, "fed_back_on"),
    ],
)
def test_inconsistent_history_is_refused_and_writes_nothing(world, overrides, field):
    with pytest.raises(ValidationError) as exc:
        suggestion_import_historical(by=world.staff, **closed_row(world, **overrides))
    assert field in exc.value.message_dict
    assert Suggestion.objects.count() == 0 and Event.objects.count() == 0


def test_units_and_regions_outside_the_importers_region_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        suggestion_import_historical(by=world.staff, **closed_row(world, co_units=[world.foreign_unit]))
    assert "上党区住建局" in exc.value.message_dict["co_units"][0]
    with pytest.raises(ValidationError) as exc:
        suggestion_import_historical(
            by=world.staff, **closed_row(world, region=world.other_township, lead_unit=UnitFactory(region=world.county))
        )
    assert "region" in exc.value.message_dict
    assert Suggestion.objects.count() == 0


@pytest.mark.parametrize("who", ["officer", "deputy_user", "leader"])
def test_only_staff_import(world, who):
    with pytest.raises(ActionNotPermitted):
        suggestion_import_historical(by=getattr(world, who), **closed_row(world))
