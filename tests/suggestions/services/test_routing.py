"""Intake and routing as the stations practise it (issue 13): 五分类 at intake and the route/unit
level rule at 交办, 代表即办 by the receiving deputy, 撤销即办, 转报上级 one level above the
caller's own, and 附议 consent."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liaison.models import Role
from suggestions.models import (
    Action,
    Consent,
    DeputyRole,
    Route,
    Status,
    SuggestionKind,
)
from suggestions.selectors import review_queue, suggestions_visible_to
from suggestions.services.handling import suggestion_assign
from suggestions.services.intake import (
    suggestion_accept,
    suggestion_convert_to_deputy_suggestion,
    suggestion_resolve_on_spot,
)
from suggestions.services.routing import suggestion_cosign, suggestion_escalate, suggestion_reopen
from suggestions.workflow import ActionNotPermitted, InvalidTransition, allowed_actions
from tests.factories import DeputyFactory, RegionFactory, UnitFactory, UserFactory

S = Status


@pytest.fixture
def units(world):
    """One unit at each level: the township (乡镇), a village under it, the county department."""
    village = RegionFactory(code="140403001001", name="某社区", parent=world.township)
    return {
        "township": UnitFactory(name="太东街道办事处", region=world.township),
        "village": UnitFactory(name="某社区居委会", region=village),
        "county": world.unit,
        "city": UnitFactory(name="长治市住建局", region=world.city),
    }


# --- 五分类 --------------------------------------------------------------------------------
def test_the_class_proposed_at_intake_is_kept_and_can_be_changed_at_review(world):
    suggestion = world.submit(route_proposal=Route.TOWNSHIP)
    assert suggestion.route_proposal == Route.TOWNSHIP
    assert suggestion.events.get().data["route_proposal"] == Route.TOWNSHIP
    suggestion = suggestion_accept(suggestion=suggestion, by=world.staff, route_proposal=Route.DISTRICT)
    assert suggestion.route_proposal == Route.DISTRICT
    accepted = suggestion.events.get(action=Action.ACCEPT)
    assert accepted.data == {"route_proposal": Route.DISTRICT, "was": Route.TOWNSHIP}


def test_an_unknown_class_is_refused_at_intake(world):
    with pytest.raises(ValidationError) as excinfo:
        world.submit(route_proposal="city")
    assert "route_proposal" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("route", "unit", "fits"),
    [
        (Route.GRASSROOTS, "township", True),
        (Route.GRASSROOTS, "village", True),
        (Route.GRASSROOTS, "county", False),
        (Route.TOWNSHIP, "township", True),
        (Route.TOWNSHIP, "village", False),
        (Route.TOWNSHIP, "county", False),
        (Route.DISTRICT, "county", True),
        (Route.DISTRICT, "township", False),
        (Route.DISTRICT, "city", True),  # a city's own departments, for what the city handles
        (Route.GRASSROOTS, "city", False),
    ],
)
def test_the_route_must_fit_the_lead_units_level(world, units, route, unit, fits):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    if fits:
        suggestion = suggestion_assign(suggestion=suggestion, by=world.city_staff, route=route, lead_unit=units[unit])
        assert suggestion.status == S.ASSIGNED and suggestion.route == route
        return
    with pytest.raises(ValidationError) as excinfo:
        suggestion_assign(suggestion=suggestion, by=world.city_staff, route=route, lead_unit=units[unit])
    message = excinfo.value.message_dict["route"][0]
    assert "ROUTE_UNIT_LEVELS" in message and units[unit].name in message
    suggestion.refresh_from_db()
    assert suggestion.status == S.ACCEPTED and not suggestion.assignments.exists()


@pytest.mark.parametrize("route", [Route.ON_SPOT, Route.ESCALATE])
def test_on_spot_and_escalate_are_not_assignments(world, route):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    with pytest.raises(ValidationError) as excinfo:
        suggestion_assign(suggestion=suggestion, by=world.staff, route=route, lead_unit=world.unit)
    assert excinfo.value.error_dict["route"][0].code == "route_not_assignment"
    assert not suggestion.assignments.exists()


def test_assign_takes_the_class_when_no_route_is_given(world, units):
    suggestion = world.drive(world.submit(route_proposal=Route.TOWNSHIP), S.ACCEPTED)
    suggestion = suggestion_assign(suggestion=suggestion, by=world.staff, lead_unit=units["township"])
    assert suggestion.route == Route.TOWNSHIP
    unclassed = world.drive(world.submit(), S.ACCEPTED)
    with pytest.raises(ValidationError) as excinfo:
        suggestion_assign(suggestion=unclassed, by=world.staff, lead_unit=world.unit)
    assert "route" in excinfo.value.message_dict


def test_the_rule_is_a_setting(world, units, settings):
    settings.LIAISON = {"ROUTE_UNIT_LEVELS": {"district": ["city"]}}
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    suggestion = suggestion_assign(suggestion=suggestion, by=world.city_staff, route=Route.DISTRICT,
                                   lead_unit=units["city"])
    assert suggestion.status == S.ASSIGNED
    with pytest.raises(ValidationError):  # a route the setting no longer lists is no assignment
        suggestion_assign(suggestion=world.drive(world.submit(), S.ACCEPTED), by=world.staff,
                          route=Route.TOWNSHIP, lead_unit=units["township"])


# --- 代表即办 --------------------------------------------------------------------------------
def test_the_receiving_deputy_resolves_an_opinion_on_the_spot(world):
    opinion = world.submit(route_proposal=Route.ON_SPOT)  # world.deputy received it
    assert Action.RESOLVE_ON_SPOT in allowed_actions(opinion, world.deputy_user)
    opinion = suggestion_resolve_on_spot(suggestion=opinion, by=world.deputy_user, note="当场联系物业修好路灯")
    assert opinion.status == S.REPLIED and opinion.route == Route.ON_SPOT and opinion.result == "A"
    event = opinion.events.get(action=Action.RESOLVE_ON_SPOT)
    assert event.actor == world.deputy_user and event.data["by_deputy"] == world.deputy.pk
    assert "on_behalf_of" not in event.data


def test_another_deputy_may_not_resolve_it(world):
    opinion = world.submit()
    with pytest.raises(ActionNotPermitted):
        suggestion_resolve_on_spot(suggestion=opinion, by=world.other_deputy_user, note="不是我接待的")
    opinion.refresh_from_db()
    assert opinion.status == S.SUBMITTED


def test_the_lead_resolves_their_own_suggestion_but_a_co_signer_does_not(world):
    co = DeputyFactory(region=world.township, user=UserFactory(role=Role.DEPUTY))
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, deputies=[world.deputy, co])  # by staff: confirmed
    with pytest.raises(ActionNotPermitted):
        suggestion_resolve_on_spot(suggestion=suggestion, by=co.user, note="附议代表不能即办")
    suggestion = suggestion_resolve_on_spot(suggestion=suggestion, by=world.deputy_user, note="已协调解决")
    assert suggestion.status == S.REPLIED


def test_staff_resolving_a_deputys_suggestion_say_on_whose_behalf(world):
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, deputies=[world.deputy])
    suggestion = suggestion_resolve_on_spot(suggestion=suggestion, by=world.staff, note="已协调解决")
    event = suggestion.events.get(action=Action.RESOLVE_ON_SPOT)
    assert event.data["on_behalf_of"] == {"deputy": world.deputy.pk, "name": world.deputy.name}
    assert world.deputy.name in event.note and "代" in event.note


def test_staff_reopen_an_item_settled_on_the_spot(world):
    opinion = suggestion_resolve_on_spot(suggestion=world.submit(), by=world.deputy_user, note="当场解决")
    with pytest.raises(ActionNotPermitted):
        suggestion_reopen(suggestion=opinion, by=world.deputy_user)
    opinion = suggestion_reopen(suggestion=opinion, by=world.staff, note="需职能部门办理")
    assert opinion.status == S.ACCEPTED and opinion.route == "" and opinion.result == "" and opinion.replied_at is None
    assert opinion.events.order_by("-id").first().action == Action.REOPEN


def test_an_item_a_unit_answered_cannot_be_reopened(world):
    replied = world.drive(world.submit(), S.REPLIED)
    assert Action.REOPEN not in allowed_actions(replied, world.staff)
    with pytest.raises(InvalidTransition):
        suggestion_reopen(suggestion=replied, by=world.staff)


# --- 转报上级 --------------------------------------------------------------------------------
@pytest.fixture
def township_staff(world):
    return UserFactory(role=Role.STAFF, region=world.township)


@pytest.fixture
def province_staff(world):
    return UserFactory(role=Role.STAFF, region=world.city.parent)


def test_township_staff_escalate_to_the_county(world, township_staff):
    suggestion = suggestion_escalate(suggestion=world.submit(), by=township_staff)
    assert suggestion.escalated_to == world.county


def test_county_staff_escalate_to_the_city_never_their_own_county(world):
    suggestion = suggestion_escalate(suggestion=world.submit(), by=world.staff)
    assert suggestion.escalated_to == world.city and suggestion.route_proposal == Route.ESCALATE
    assert suggestion.events.get(action=Action.ESCALATE).data["to_region"] == world.city.code


def test_city_staff_escalate_to_the_province(world, province_staff):
    suggestion = suggestion_escalate(suggestion=world.submit(), by=world.city_staff)
    assert suggestion.escalated_to == world.city.parent
    assert suggestion in review_queue(user=province_staff)


def test_an_explicit_target_may_skip_a_level_but_never_be_own_or_below(world):
    with pytest.raises(ValidationError):
        suggestion_escalate(suggestion=world.submit(), by=world.staff, to_region=world.county)
    with pytest.raises(ValidationError):
        suggestion_escalate(suggestion=world.submit(), by=world.staff, to_region=world.township)
    with pytest.raises(ValidationError):
        suggestion_escalate(suggestion=world.submit(), by=world.staff, to_region=world.other_county)
    suggestion = suggestion_escalate(suggestion=world.submit(), by=world.staff, to_region=world.city.parent)
    assert suggestion.escalated_to == world.city.parent


def test_the_target_reviews_it_and_the_lower_level_keeps_reading_it(world):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    suggestion = suggestion_escalate(suggestion=suggestion, by=world.staff, note="涉及市级事权")
    assert suggestion.status == S.SUBMITTED
    assert suggestion in review_queue(user=world.city_staff)
    assert suggestion not in review_queue(user=world.staff)
    assert suggestion in suggestions_visible_to(world.staff)  # still read by the county
    with pytest.raises(ActionNotPermitted):
        suggestion_accept(suggestion=suggestion, by=world.staff)
    suggestion = suggestion_accept(suggestion=suggestion, by=world.city_staff)
    actions = list(suggestion.events.order_by("id").values_list("action", flat=True))
    assert actions == ["submit", "accept", "escalate", "accept"]  # the history came along


def test_a_province_has_no_level_above(world, province_staff):
    with pytest.raises(ValidationError) as excinfo:
        suggestion_escalate(suggestion=world.submit(), by=province_staff)
    assert "to_region" in excinfo.value.message_dict


# --- 附议 ------------------------------------------------------------------------------------
@pytest.fixture
def co_signer(world):
    return DeputyFactory(region=world.township, user=UserFactory(role=Role.DEPUTY))


def test_a_deputys_co_signers_are_asked_and_confirm(world, co_signer):
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=world.deputy_user, deputies=[co_signer])
    link = suggestion.deputy_links.get(deputy=co_signer)
    assert link.role == DeputyRole.CO_SIGNER and link.consent == Consent.ASKED
    assert suggestion.deputy_links.get(deputy=world.deputy).consent == Consent.CONFIRMED
    assert co_signer.user.notifications.filter(suggestion=suggestion).exists()
    # asked is not yet a co-signer: no step as one, no evaluation
    assert allowed_actions(suggestion, co_signer.user) == [Action.COSIGN]
    suggestion_cosign(suggestion=suggestion, by=co_signer.user, agree=True)
    link.refresh_from_db()
    assert link.consent == Consent.CONFIRMED
    assert world.deputy_user.notifications.filter(suggestion=suggestion, title__contains=co_signer.name).exists()
    with pytest.raises(ActionNotPermitted):  # answered once
        suggestion_cosign(suggestion=suggestion, by=co_signer.user, agree=False)


def test_a_co_signer_may_decline(world, co_signer):
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=world.deputy_user, deputies=[co_signer])
    suggestion_cosign(suggestion=suggestion, by=co_signer.user, agree=False)
    assert suggestion.deputy_links.get(deputy=co_signer).consent == Consent.DECLINED
    assert suggestion.events.get(action=Action.COSIGN).data == {"deputy": co_signer.pk, "agree": False}


def test_nobody_else_answers_for_the_co_signer(world, co_signer):
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=world.deputy_user, deputies=[co_signer])
    for user in (world.deputy_user, world.staff, world.other_deputy_user):
        with pytest.raises(ActionNotPermitted):
            suggestion_cosign(suggestion=suggestion, by=user, agree=True)
    assert suggestion.deputy_links.get(deputy=co_signer).consent == Consent.ASKED


def test_a_deputy_cannot_make_another_deputy_the_lead(world, co_signer):
    with pytest.raises(ValidationError) as excinfo:
        world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=world.deputy_user, deputies=[co_signer, world.deputy])
    assert "deputies" in excinfo.value.message_dict


def test_staff_entering_a_signed_paper_record_the_co_signers_as_confirmed(world, co_signer):
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=world.staff, deputies=[world.deputy, co_signer])
    assert set(suggestion.deputy_links.values_list("consent", flat=True)) == {Consent.CONFIRMED}


# --- 转为闭会建议 -----------------------------------------------------------------------------
def test_the_receiving_deputy_converts_an_opinion_and_leads_the_suggestion(world, co_signer):
    opinion = world.submit()
    converted = suggestion_convert_to_deputy_suggestion(suggestion=opinion, by=world.deputy_user,
                                                        deputies=[world.deputy, co_signer])
    assert converted.kind == SuggestionKind.DEPUTY_SUGGESTION and converted.session == "interim"
    assert converted.converted_from == opinion
    assert converted.deputy_links.get(deputy=co_signer).consent == Consent.ASKED
    with pytest.raises(ActionNotPermitted):  # not a deputy who received it
        suggestion_convert_to_deputy_suggestion(suggestion=world.submit(), by=co_signer.user)
