"""提 and 梳理 through their services: submission and the staff's review (accept, decline,
resolve on the spot, merge, convert, escalate)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from suggestions.models import (
    TRACKING_CODE_ALPHABET,
    NotificationKind,
    Source,
    Status,
    Suggestion,
    SuggestionKind,
)
from suggestions.selectors import track
from suggestions.services.closing import suggestion_feedback
from suggestions.services.intake import (
    suggestion_accept,
    suggestion_convert_to_deputy_suggestion,
    suggestion_decline,
    suggestion_escalate,
    suggestion_merge,
    suggestion_resolve_on_spot,
    suggestion_submit,
)
from suggestions.workflow import ActionNotPermitted, InvalidTransition
from tests.factories import CategoryFactory, DeputyFactory
from tests.suggestions.services.readback import actions_of, notified, reload

S = Status


# --- 提 ---------------------------------------------------------------------------------------
def test_each_submission_gets_its_own_unguessable_tracking_code(world):
    codes = {world.submit().code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert re.fullmatch(f"[{TRACKING_CODE_ALPHABET}]{{12}}", code)
        assert not set(code) & set("01IOL")


def test_the_public_cannot_submit_a_deputys_suggestion(world):
    with pytest.raises(ActionNotPermitted):
        suggestion_submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=None, title="t", content="c",
                                   region=world.township, deputies=[world.deputy])
    assert not Suggestion.objects.exists()


def test_staff_cannot_submit_for_another_county(world):
    with pytest.raises(ActionNotPermitted):
        world.submit(region=world.other_township)


def test_a_deputy_submits_their_own_suggestion_and_leads_it(world):
    co_signer = DeputyFactory(region=world.township)
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=world.deputy_user, deputies=[co_signer])
    links = list(suggestion.deputy_links.order_by("order"))
    assert [(link.deputy, link.role) for link in links] == [(world.deputy, "lead"), (co_signer, "co_signer")]
    assert suggestion.source == Source.DEPUTY and suggestion.session == "interim"


def test_a_deputys_suggestion_needs_a_lead_deputy(world):
    with pytest.raises(ValidationError) as excinfo:
        world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, deputies=[])
    assert "deputies" in excinfo.value.message_dict


@pytest.mark.parametrize("field", ["title", "content"])
def test_a_blank_title_or_content_is_refused(world, field):
    with pytest.raises(ValidationError) as excinfo:
        world.submit(**{field: "   "})
    assert field in excinfo.value.message_dict


def test_an_inactive_category_is_refused(world):
    with pytest.raises(ValidationError):
        world.submit(category=CategoryFactory(name="已停用类别", is_active=False))


def test_a_new_submission_is_announced_to_the_nearest_staff_only(world):
    suggestion = world.submit()
    assert notified(suggestion=suggestion) == {world.staff.username}


# --- 梳理 -------------------------------------------------------------------------------------
def test_decline_needs_a_reason(world):
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        suggestion_decline(suggestion=suggestion, by=world.staff, reason=" ")
    assert reload(suggestion).status == S.SUBMITTED


def test_resolve_on_spot_is_a_reply_awaiting_evaluation(world):
    suggestion = suggestion_resolve_on_spot(suggestion=world.submit(), by=world.staff, note="当场协调")
    assert (suggestion.status, suggestion.route, suggestion.result) == (S.REPLIED, "on_spot", "A")
    assert notified(NotificationKind.REPLIED, suggestion=suggestion) == {world.deputy_user.username}


def test_a_merged_suggestion_is_tracked_through_the_one_it_went_into(world):
    target = world.submit(title="主件")
    merged = suggestion_merge(suggestion=world.submit(), by=world.staff, into=target, note="同一路段")
    assert merged.status == S.MERGED and merged.merged_into == target
    world.drive(target, S.REPLIED)
    view = track(merged.code)
    assert view.suggestion == merged and view.current == target and view.status == S.REPLIED
    assert [e.code for e in view.timeline][:2] == [merged.code, merged.code]
    assert view.timeline[1].action == "merge"
    assert view.timeline[-1].action == "reply" and view.timeline[-1].code == target.code


def test_merge_refuses_itself_and_dead_ends(world):
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        suggestion_merge(suggestion=suggestion, by=world.staff, into=suggestion)
    declined = world.drive(world.submit(), S.DECLINED)
    with pytest.raises(ValidationError):
        suggestion_merge(suggestion=suggestion, by=world.staff, into=declined)
    assert reload(suggestion).status == S.SUBMITTED


def test_a_merged_suggestions_submitter_is_fed_back_once_the_target_is_answered(world):
    target = world.submit(title="主件")
    merged = suggestion_merge(suggestion=world.submit(), by=world.staff, into=target)
    with pytest.raises(InvalidTransition):
        suggestion_feedback(suggestion=merged, by=world.staff, channel="sms")
    world.drive(target, S.REPLIED)
    merged = suggestion_feedback(suggestion=merged, by=world.staff, channel="sms", note="短信告知")
    assert merged.fed_back_at is not None and merged.status == S.MERGED


def test_an_opinion_becomes_a_deputys_interim_suggestion(world):
    opinion = world.submit()
    suggestion = suggestion_convert_to_deputy_suggestion(suggestion=opinion, by=world.deputy_user)
    opinion = reload(opinion)
    assert suggestion.kind == SuggestionKind.DEPUTY_SUGGESTION and suggestion.session == "interim"
    assert suggestion.converted_from == opinion and suggestion.status == S.SUBMITTED
    assert list(suggestion.deputies.all()) == [world.deputy]
    assert suggestion.submitter_phone == ""  # the voter's details stay on the opinion
    assert opinion.status == S.MERGED and opinion.merged_into == suggestion
    assert actions_of(opinion)[-1] == "convert" and actions_of(suggestion) == ["submit"]
    assert track(opinion.code).current == suggestion
    with pytest.raises(InvalidTransition):
        suggestion_convert_to_deputy_suggestion(
            suggestion=world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION), by=world.staff
        )


def test_escalation_hands_the_suggestion_to_the_upper_level(world):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    # The county's staff pass a township's item to the city, one level above their own.
    suggestion = suggestion_escalate(suggestion=suggestion, by=world.staff, note="涉及市级事权")
    assert suggestion.escalated_to == world.city and suggestion.status == S.SUBMITTED
    assert notified(NotificationKind.NOTICE, suggestion=suggestion) >= {world.city_staff.username}
    # The county no longer handles it; the city does.
    with pytest.raises(ActionNotPermitted):
        suggestion_accept(suggestion=suggestion, by=world.staff)
    suggestion_accept(suggestion=suggestion, by=world.city_staff)


def test_escalation_only_goes_up(world):
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        suggestion_escalate(suggestion=suggestion, by=world.staff, to_region=world.other_county)
    with pytest.raises(ValidationError):
        suggestion_escalate(suggestion=suggestion, by=world.staff, to_region=world.township)
