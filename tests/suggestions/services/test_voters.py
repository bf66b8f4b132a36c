"""评 by the voter (suggestions/services/voters.py): the rating by tracking code, its checks, and
what 不满意 does; 退回重办 (the re-handling step) and 公示 once replied and fed back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from suggestions.models import (
    Action,
    AssignmentStatus,
    Evaluation,
    Event,
    Notification,
    NotificationKind,
    Status,
    Suggestion,
)
from suggestions.services.closing import (
    suggestion_evaluate,
    suggestion_feedback,
    suggestion_publish,
    suggestion_rehandle,
)
from suggestions.services.handling import assignment_reply
from suggestions.services.voters import (
    VoterCheckFailed,
    handling_for,
    voter_rate,
    voter_unsatisfied,
)
from suggestions.workflow import ActionNotPermitted, InvalidTransition, allowed_actions


def replied(world, **kwargs):
    return world.drive(world.submit(**kwargs), Status.REPLIED)


def test_the_voter_rates_the_reply_with_the_last_four_digits_and_nothing_changes_state(world):
    suggestion = replied(world)
    evaluation = voter_rate(suggestion=suggestion, rating="satisfied", comment="修好了", phone_last4="1111")
    assert (evaluation.deputy, evaluation.by, evaluation.round, evaluation.rating) == (None, None, 0, "satisfied")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED
    event = Event.objects.filter(suggestion=suggestion).order_by("-id").first()
    assert event.action == Action.VOTER_RATE and event.actor is None and event.data["rating"] == "satisfied"


@pytest.mark.parametrize("digits", ["", "   "])
def test_the_last_four_digits_are_required_when_a_phone_was_given(world, digits):
    suggestion = replied(world)
    with pytest.raises(ValidationError) as excinfo:
        voter_rate(suggestion=suggestion, rating="satisfied", phone_last4=digits)
    assert "phone_last4" in excinfo.value.message_dict
    assert not Evaluation.objects.filter(suggestion=suggestion, deputy__isnull=True).exists()


@pytest.mark.parametrize("digits", ["2222", "111", "0001111"])
def test_wrong_digits_are_refused_without_saying_which(world, digits):
    suggestion = replied(world)
    with pytest.raises(VoterCheckFailed) as excinfo:
        voter_rate(suggestion=suggestion, rating="satisfied", phone_last4=digits)
    assert isinstance(excinfo.value, ActionNotPermitted)  # 403
    assert "1111" not in str(excinfo.value) and "139" not in str(excinfo.value)
    assert not Evaluation.objects.filter(suggestion=suggestion, deputy__isnull=True).exists()


def test_without_a_phone_no_digits_are_asked(world):
    suggestion = replied(world, submitter_phone="")
    assert voter_rate(suggestion=suggestion, rating="basically_satisfied").rating == "basically_satisfied"


def test_a_reply_is_rated_once_and_a_new_reply_after_rehandling_again(world):
    suggestion = replied(world)
    voter_rate(suggestion=suggestion, rating="unsatisfied", comment="灯还是不亮", phone_last4="1111")
    with pytest.raises(InvalidTransition):  # 409
        voter_rate(suggestion=suggestion, rating="satisfied", phone_last4="1111")
    suggestion_rehandle(suggestion=suggestion, by=world.staff, reason="群众反映仍未修复")
    lead = suggestion.assignments.get(role="lead")
    assert lead.status == AssignmentStatus.SIGNED
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已更换灯具。")
    suggestion.refresh_from_db()
    second = voter_rate(suggestion=suggestion, rating="satisfied", phone_last4="1111")
    assert second.round == 1
    assert list(Evaluation.objects.filter(suggestion=suggestion, deputy__isnull=True).values_list("round", "rating")) == [
        (0, "unsatisfied"), (1, "satisfied")]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.MERGED])
def test_only_an_answered_item_can_be_rated(world, status):
    suggestion = world.drive(world.submit(), status)
    with pytest.raises(InvalidTransition):
        voter_rate(suggestion=suggestion, rating="satisfied", phone_last4="1111")


def test_a_closed_item_can_still_be_rated_by_its_voter(world):
    suggestion = world.drive(world.submit(), Status.CLOSED)
    assert voter_rate(suggestion=suggestion, rating="satisfied", phone_last4="1111").round == 0


def test_unsatisfied_needs_a_reason_and_bad_ratings_are_refused(world):
    suggestion = replied(world)
    with pytest.raises(ValidationError) as excinfo:
        voter_rate(suggestion=suggestion, rating="unsatisfied", comment=" ", phone_last4="1111")
    assert "comment" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        voter_rate(suggestion=suggestion, rating="great", phone_last4="1111")


def test_unsatisfied_puts_the_item_in_front_of_staff(world):
    suggestion = replied(world)
    other = replied(world, title="另一件")
    voter_rate(suggestion=suggestion, rating="unsatisfied", comment="灯还是不亮", phone_last4="1111")
    voter_rate(suggestion=other, rating="satisfied", phone_last4="1111")
    notices = Notification.objects.filter(suggestion=suggestion, kind=NotificationKind.VOTER_UNSATISFIED)
    assert world.staff.pk in set(notices.values_list("recipient_id", flat=True))
    assert "13900001111" not in notices.first().body and "王小明" not in notices.first().body
    assert list(voter_unsatisfied(Suggestion.objects.all())) == [suggestion]
    suggestion_rehandle(suggestion=suggestion, by=world.staff, reason="核实属实")
    assert list(voter_unsatisfied(Suggestion.objects.all())) == []  # re-handling: off the list


def test_staff_may_no_longer_record_the_voters_rating_once_the_voter_gave_it(world):
    suggestion = replied(world)
    voter_rate(suggestion=suggestion, rating="satisfied", phone_last4="1111")
    with pytest.raises(InvalidTransition):
        suggestion_evaluate(suggestion=suggestion, by=world.staff, rating="satisfied", deputy=None)


# --- 退回重办 ------------------------------------------------------------------------------------
def test_rehandle_reopens_a_closed_published_item_and_needs_a_reason(world):
    suggestion = world.drive(world.submit(), Status.CLOSED)
    suggestion_publish(suggestion=suggestion, by=world.staff)
    with pytest.raises(ValidationError):
        suggestion_rehandle(suggestion=suggestion, by=world.staff, reason="")
    suggestion = suggestion_rehandle(suggestion=suggestion, by=world.staff, reason="群众不满意，核实未解决")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.is_public, suggestion.closed_at, suggestion.rehandle_count) == (
        Status.HANDLING, False, None, 1)
    assert Notification.objects.filter(suggestion=suggestion, kind=NotificationKind.REHANDLE,
                                       recipient=world.officer).exists()


def test_rehandle_is_staffs_and_not_while_handling(world):
    suggestion = replied(world)
    for user in (world.officer, world.deputy_user, world.leader, world.other_staff):
        with pytest.raises(ActionNotPermitted):
            suggestion_rehandle(suggestion=suggestion, by=user, reason="不满意")
    handling = world.drive(world.submit(), Status.HANDLING)
    with pytest.raises(InvalidTransition):
        suggestion_rehandle(suggestion=handling, by=world.staff, reason="不满意")


def test_rehandle_after_an_on_the_spot_resolution_goes_back_to_staff(world):
    from suggestions.services.intake import suggestion_resolve_on_spot

    suggestion = suggestion_resolve_on_spot(suggestion=world.submit(), by=world.staff, note="当场协调解决")
    suggestion = suggestion_rehandle(suggestion=suggestion, by=world.staff, reason="群众反映仍未解决")
    assert suggestion.status == Status.ACCEPTED


# --- 公示 -----------------------------------------------------------------------------------------
def test_publish_a_replied_item_only_once_fed_back(world):
    suggestion = replied(world, content="我叫王小明，电话13900001111，幸福小区3栋2单元501室门口路灯不亮。")
    with pytest.raises(InvalidTransition):
        suggestion_publish(suggestion=suggestion, by=world.staff)
    suggestion_feedback(suggestion=suggestion, by=world.staff, channel="phone", note="已电话告知")
    suggestion = suggestion_publish(suggestion=suggestion, by=world.staff)
    suggestion.refresh_from_db()
    assert suggestion.is_public and suggestion.status == Status.REPLIED
    # Nothing given: the masked preview goes out.
    assert suggestion.public_content == "我叫王**，电话***********，幸福小区*栋*单元***室门口路灯不亮。"


def test_publish_takes_the_text_staff_checked(world):
    suggestion = world.drive(world.submit(), Status.CLOSED)
    suggestion = suggestion_publish(suggestion=suggestion, by=world.staff, public_title="路灯不亮",
                                    public_content="某小区门口路灯不亮，已修复。")
    assert (suggestion.public_title, suggestion.public_content) == ("路灯不亮", "某小区门口路灯不亮，已修复。")
    with pytest.raises(InvalidTransition):
        suggestion_publish(suggestion=suggestion, by=world.staff)


def test_personal_data_in_the_text_staff_send_is_masked_too(world):
    suggestion = world.drive(world.submit(), Status.CLOSED)
    suggestion = suggestion_publish(suggestion=suggestion, by=world.staff, public_title="积水问题",
                                    public_content="孙先生（１３６１２３４９８７６）反映积水，已解决")
    assert suggestion.public_content == "*先生（***********）反映积水，已解决"


def test_publish_is_not_offered_for_a_replied_item_not_yet_fed_back(world):
    suggestion = replied(world)
    assert Action.PUBLISH not in allowed_actions(suggestion, world.staff)
    suggestion_feedback(suggestion=suggestion, by=world.staff, channel="phone", note="已电话告知")
    suggestion.refresh_from_db()
    assert Action.PUBLISH in allowed_actions(suggestion, world.staff)


def test_publish_is_refused_to_others(world):
    suggestion = world.drive(world.submit(), Status.CLOSED)
    for user in (world.officer, world.deputy_user, world.leader, world.other_staff):
        with pytest.raises(ActionNotPermitted):
            suggestion_publish(suggestion=suggestion, by=user)


# --- what the tracking page shows ------------------------------------------------------------
def test_handling_shows_the_unit_the_deadline_and_the_masked_reply(world):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    shown = handling_for(suggestion, suggestion)
    lead = suggestion.assignments.get(role="lead")
    assert (shown.unit, shown.expected_on, shown.reply, shown.rateable) == (world.unit.name, lead.deadline, "", False)
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已联系王小明（13900001111），路灯已修复。")
    suggestion.refresh_from_db()
    shown = handling_for(suggestion, suggestion)
    assert shown.expected_on is None and shown.rateable and shown.needs_phone
    assert shown.reply == "已联系王**（***********），路灯已修复。"
