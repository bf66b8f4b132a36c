"""督 through its services: supervision, bundled supervision and urging."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from suggestions.models import Notification, NotificationKind, Status, Supervision
from suggestions.services.handling import assignment_reply, assignment_sign
from suggestions.services.oversight import bundle_create, suggestion_supervise, suggestion_urge
from suggestions.workflow import InvalidTransition
from tests.suggestions.services.readback import actions_of, notified, reload

S = Status


# --- 督 ---------------------------------------------------------------------------------------
def test_key_supervision_needs_a_leader_and_tells_them_and_the_units(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    with pytest.raises(ValidationError):
        suggestion_supervise(suggestion=suggestion, by=world.staff, level="key")
    with pytest.raises(ValidationError):
        suggestion_supervise(suggestion=suggestion, by=world.staff, level="key", leader=world.other_leader)
    suggestion = suggestion_supervise(suggestion=suggestion, by=world.staff, level="key", leader=world.leader)
    assert (suggestion.supervision, suggestion.supervision_leader) == (Supervision.KEY, world.leader)
    assert notified(NotificationKind.SUPERVISED, suggestion=suggestion) == {
        world.leader.username, world.officer.username, world.co_officer.username,
    }


def test_a_leader_who_supervises_leads_it(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    suggestion = suggestion_supervise(suggestion=suggestion, by=world.leader, level="key")
    assert suggestion.supervision_leader == world.leader


def test_a_bundle_supervises_similar_suggestions_together(world):
    first = world.drive(world.submit(), S.ASSIGNED)
    second = world.drive(world.submit(), S.HANDLING)
    bundle = bundle_create(by=world.staff, title="路灯问题", suggestions=[first, second], leader=world.leader)
    assert bundle.region == world.township and bundle.leader == world.leader
    for suggestion in (first, second):
        suggestion = reload(suggestion)
        assert suggestion.bundle == bundle and suggestion.supervision == Supervision.KEY
        assert actions_of(suggestion)[-1] == "bundle"
    with pytest.raises(ValidationError):
        bundle_create(by=world.staff, title="单件", suggestions=[first], leader=world.leader)


def test_a_bundle_with_one_suggestion_in_the_wrong_state_changes_nothing(world):
    good = world.drive(world.submit(), S.ASSIGNED)
    closed = world.drive(world.submit(), S.CLOSED)
    with pytest.raises(InvalidTransition):
        bundle_create(by=world.staff, title="x", suggestions=[good, closed], leader=world.leader)
    assert reload(good).bundle is None and reload(good).supervision == Supervision.NONE


def test_urging_tells_only_the_units_still_working(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    suggestion_urge(suggestion=suggestion, by=world.leader, note="请本周答复")
    assert notified(NotificationKind.URGED, suggestion=suggestion) == {world.officer.username, world.co_officer.username}
    co = suggestion.assignments.get(role="co")
    assignment_sign(assignment=co, by=world.co_officer)
    assignment_reply(assignment=co, by=world.co_officer, result="A", content="协办意见")
    Notification.objects.all().delete()
    suggestion_urge(suggestion=suggestion, by=world.leader)
    assert notified(NotificationKind.URGED, suggestion=suggestion) == {world.officer.username}
