"""评 through its services: evaluation, publication, feedback, and marking a notice read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suggestions.calendar import WorkCalendar
from suggestions.models import (
    Action,
    AssignmentStatus,
    Event,
    Notification,
    NotificationKind,
    Status,
    SuggestionKind,
)
from suggestions.services.closing import (
    notification_mark_read,
    suggestion_evaluate,
    suggestion_feedback,
    suggestion_publish,
)
from suggestions.services.handling import assignment_reply
from suggestions.services.intake import suggestion_resolve_on_spot
from suggestions.workflow import ActionNotPermitted, InvalidTransition
from tests.factories import DeputyFactory
from tests.suggestions.services.readback import actions_of, notified, reload

S = Status


# --- 评 ---------------------------------------------------------------------------------------
def test_unsatisfied_sends_it_back_to_the_lead_unit_with_a_new_deadline(world, settings):
    settings.LIAISON = {**settings.LIAISON, "REHANDLE_WORKING_DAYS": 22}
    suggestion = world.drive(world.submit(), S.REPLIED)
    suggestion = suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="unsatisfied",
                                              comment="路灯仍不亮")
    lead = suggestion.assignments.get(role="lead")
    assert suggestion.status == S.HANDLING and suggestion.rehandle_count == 1 and suggestion.result == ""
    assert lead.status == AssignmentStatus.SIGNED and lead.reply == ""
    assert lead.deadline == WorkCalendar().add_working_days(timezone.localdate(), 22)
    assert notified(NotificationKind.REHANDLE, suggestion=suggestion) == {world.officer.username}
    # The second reply is evaluated afresh (round 1).
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已更换灯具")
    suggestion = suggestion_evaluate(suggestion=reload(suggestion), by=world.deputy_user, rating="satisfied")
    assert suggestion.status == S.CLOSED
    assert list(suggestion.evaluations.values_list("round", "rating")) == [(0, "unsatisfied"), (1, "satisfied")]
    reply_events = Event.objects.filter(suggestion=suggestion, action=Action.REPLY)
    assert [e.note for e in reply_events] == ["已修复全部路灯。", "已更换灯具"]  # the old reply stays on record


def test_unsatisfied_after_an_on_the_spot_resolution_goes_back_to_staff(world):
    suggestion = suggestion_resolve_on_spot(suggestion=world.submit(), by=world.staff, note="当场答复")
    suggestion = suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="unsatisfied", comment="没解决")
    assert suggestion.status == S.ACCEPTED and suggestion.rehandle_count == 1


def test_unsatisfied_without_a_reason_is_refused_and_changes_nothing(world):
    suggestion = world.drive(world.submit(), S.REPLIED)
    with pytest.raises(ValidationError) as refused:
        suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="unsatisfied", comment="  ")
    assert "comment" in refused.value.message_dict
    assert reload(suggestion).status == S.REPLIED and not suggestion.evaluations.exists()


def test_staff_record_a_voters_evaluation_but_not_for_a_deputys_suggestion(world):
    opinion = world.drive(world.submit(), S.REPLIED)
    suggestion_evaluate(suggestion=opinion, by=world.staff, rating="satisfied")
    assert opinion.evaluations.get().deputy is None
    suggestion = world.drive(world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION), S.REPLIED)
    with pytest.raises(ValidationError):
        suggestion_evaluate(suggestion=suggestion, by=world.staff, rating="satisfied")
    suggestion_evaluate(suggestion=suggestion, by=world.staff, rating="satisfied", deputy=world.deputy)
    assert suggestion.evaluations.get().deputy == world.deputy


def test_a_deputy_cannot_evaluate_in_someone_elses_name(world):
    suggestion = world.drive(world.submit(), S.REPLIED)
    someone = DeputyFactory(region=world.township)
    with pytest.raises(ActionNotPermitted):
        suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="satisfied", deputy=someone)
    with pytest.raises(ValidationError):
        suggestion_evaluate(suggestion=suggestion, by=world.staff, rating="satisfied", deputy=someone)
    with pytest.raises(ValidationError):
        suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="so-so")
    assert reload(suggestion).status == S.REPLIED


def test_publish_happens_once(world):
    suggestion = world.drive(world.submit(), S.CLOSED)
    suggestion_publish(suggestion=suggestion, by=world.staff)
    with pytest.raises(InvalidTransition):
        suggestion_publish(suggestion=suggestion, by=world.staff)
    assert actions_of(suggestion).count("publish") == 1


def test_feedback_counts_the_first_time_and_records_every_time(world):
    suggestion = world.drive(world.submit(), S.REPLIED)
    first = suggestion_feedback(suggestion=suggestion, by=world.staff, channel="phone").fed_back_at
    again = suggestion_feedback(suggestion=suggestion, by=world.staff, channel="in_person").fed_back_at
    assert first == again and suggestion.feedbacks.count() == 2
    with pytest.raises(ValidationError):
        suggestion_feedback(suggestion=suggestion, by=world.staff, channel="pigeon")


def test_mark_read_only_ones_own(world):
    suggestion = world.submit()
    notice = Notification.objects.get(suggestion=suggestion, recipient=world.staff)
    with pytest.raises(ActionNotPermitted):
        notification_mark_read(notification=notice, by=world.city_staff)
    read = notification_mark_read(notification=notice, by=world.staff)
    assert read.read_at is not None
    assert notification_mark_read(notification=notice, by=world.staff).read_at == read.read_at
