"""Reads: who sees which suggestions, the deadline and overdue tier computed at read time, the
public tracking view and the people responsible."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from suggestions.calendar import WorkCalendar
from suggestions.models import Assignment, Status, SuggestionKind, sync_lead_deadline
from suggestions.selectors import (
    OverdueTier,
    TierBounds,
    assignment_list,
    follow_ups_due,
    nearest_users,
    responsible_leaders,
    responsible_staff,
    suggestion_detail,
    suggestion_list,
    suggestions_visible_to,
    tier_bounds,
    tier_of,
    tier_q,
    track,
)
from suggestions.services.handling import assignment_contact, assignment_reply, assignment_return
from suggestions.services.oversight import suggestion_supervise
from tests.factories import UserFactory

D = datetime.date
S = Status


def visible(user) -> set:
    return set(suggestions_visible_to(user).values_list("pk", flat=True))


def test_who_sees_which_suggestions(world):
    mine = world.drive(world.submit(), S.ASSIGNED)  # lead: unit, co: co_unit; deputy: world.deputy
    quiet = world.submit(deputies=[])
    elsewhere = world.submit(region=world.other_township, by=world.other_staff, deputies=[])
    everything = {mine.pk, quiet.pk, elsewhere.pk}
    assert visible(world.staff) == {mine.pk, quiet.pk}
    assert visible(world.city_staff) == everything
    assert visible(world.leader) == {mine.pk, quiet.pk}
    assert visible(world.other_staff) == {elsewhere.pk}
    assert visible(world.officer) == {mine.pk}
    assert visible(world.co_officer) == {mine.pk}
    assert visible(world.foreign_officer) == set()
    assert visible(world.deputy_user) == {mine.pk}
    assert visible(world.other_deputy_user) == set()
    assert visible(AnonymousUser()) == set()
    assert visible(UserFactory(role="staff", region=None)) == set()
    assert visible(UserFactory(role="staff", region=None, is_superuser=True)) == everything


def test_a_leader_sees_what_they_lead_and_the_upper_staff_see_what_was_escalated(world):
    leader = UserFactory(role="leader", region=world.other_county)
    suggestion = world.drive(world.submit(), S.HANDLING)
    assert suggestion.pk not in visible(leader)
    suggestion_supervise(suggestion=suggestion, by=world.staff, level="normal", leader=None)
    suggestion.supervision_leader = leader
    suggestion.save(update_fields=["supervision_leader"])
    assert suggestion.pk in visible(leader)


def test_a_co_signer_sees_the_suggestion(world):
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, deputies=[world.deputy, world.other_deputy_user.deputy])
    assert suggestion.pk in visible(world.other_deputy_user)


def _with_deadline(world, deadline: D, status=S.HANDLING):
    suggestion = world.drive(world.submit(), status, co_unit=False)
    Assignment.objects.filter(suggestion=suggestion).update(deadline=deadline)
    sync_lead_deadline(suggestion)
    return suggestion


def test_the_overdue_tier_is_computed_when_read(world, settings):
    settings.LIAISON = {**settings.LIAISON, "REMINDER_OFFSETS_WORKING_DAYS": [7, 3, 1], "LONG_OVERDUE_WORKING_DAYS": 22}
    today = D(2025, 10, 16)  # Thursday after 国庆
    bounds = tier_bounds(today=today)
    assert bounds.due_soon_until == D(2025, 10, 27)
    assert bounds.long_overdue_before == D(2025, 9, 11)
    cases = {
        D(2025, 12, 1): OverdueTier.ON_TRACK,
        D(2025, 10, 27): OverdueTier.DUE_SOON,
        D(2025, 10, 16): OverdueTier.DUE_SOON,
        D(2025, 10, 15): OverdueTier.OVERDUE,
        D(2025, 9, 11): OverdueTier.OVERDUE,  # late by 21 working days (国庆 not counted)
        D(2025, 9, 10): OverdueTier.LONG_OVERDUE,  # late by 22
    }
    made = {deadline: _with_deadline(world, deadline).pk for deadline in cases}
    replied = _with_deadline(world, D(2025, 9, 1), status=S.REPLIED)
    rows = {s.pk: s for s in suggestion_list(user=world.staff, bounds=bounds)}
    for deadline, tier in cases.items():
        row = rows[made[deadline]]
        assert (row.deadline, row.overdue_tier) == (deadline, tier), deadline
        assert tier_of(deadline, bounds) == tier
    assert rows[replied.pk].overdue_tier == OverdueTier.NONE  # answered: no longer late
    late = suggestion_list(user=world.staff, bounds=bounds).filter(overdue_tier__in=OverdueTier.LATE)
    assert set(late.values_list("deadline", flat=True)) == {D(2025, 10, 15), D(2025, 9, 11), D(2025, 9, 10)}
    # The column conditions the filters use select exactly the rows the CASE puts in each tier.
    listed = suggestion_list(user=world.staff, bounds=bounds)
    for tier, _label in OverdueTier.choices:
        by_case = set(listed.filter(overdue_tier=tier).values_list("pk", flat=True))
        assert set(listed.filter(tier_q([tier], bounds)).values_list("pk", flat=True)) == by_case, tier
    assert set(listed.filter(tier_q(OverdueTier.LATE, bounds)).values_list("pk", flat=True)) == set(
        late.values_list("pk", flat=True)
    )
    assert replied.pk in set(listed.filter(tier_q([OverdueTier.NONE], bounds)).values_list("pk", flat=True))


def test_assignments_have_their_own_tier_until_answered(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    Assignment.objects.filter(suggestion=suggestion).update(deadline=D(2025, 10, 10))
    bounds = TierBounds(today=D(2025, 10, 16), due_soon_until=D(2025, 10, 27), long_overdue_before=D(2025, 9, 15))
    rows = {a.role: a.overdue_tier for a in assignment_list(user=world.staff, bounds=bounds)}
    assert rows == {"lead": OverdueTier.OVERDUE, "co": OverdueTier.OVERDUE}
    assert [a.unit for a in assignment_list(user=world.co_officer, bounds=bounds)] == [world.co_unit]
    assert list(assignment_list(user=world.foreign_officer, bounds=bounds)) == []


def test_the_list_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    bounds = tier_bounds(today=D(2025, 10, 16), calendar=WorkCalendar(overrides={}))
    for _ in range(3):
        world.drive(world.submit(), S.ASSIGNED)

    def read():
        return [(s.category.name, s.region.name, [link.deputy.name for link in s.deputy_links.all()], s.overdue_tier)
                for s in suggestion_list(user=world.staff, bounds=bounds)]

    with django_assert_max_num_queries(2):
        few = read()
    for _ in range(6):
        world.drive(world.submit(), S.ASSIGNED)
    with django_assert_max_num_queries(2):
        many = read()
    assert len(few) == 3 and len(many) == 9


def test_the_detail_page_reads_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    suggestion = world.drive(world.submit(), S.CLOSED)
    with django_assert_max_num_queries(8):
        detail = suggestion_detail(user=world.staff, pk=suggestion.pk)
        assert [a.unit.name for a in detail.assignments.all()] == ["潞州区住建局", "潞州区城管局"]
        assert len(detail.events.all()) >= 6
    with pytest.raises(type(suggestion).DoesNotExist):
        suggestion_detail(user=world.other_staff, pk=suggestion.pk)


def test_track_finds_a_code_whatever_the_case_and_nothing_for_an_unknown_one(world):
    suggestion = world.submit()
    assert track(f"  {suggestion.code.lower()} ").suggestion == suggestion
    assert track("ABCDEFGHJKMN") is None
    assert track("") is None


def test_the_public_timeline_leaves_out_internal_steps(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    assignment_contact(assignment=lead, by=world.officer, kind="during", note="见面")
    assignment_return(assignment=suggestion.assignments.get(role="co"), by=world.co_officer, reason="无关")
    assert [e.action for e in track(suggestion.code).timeline] == ["submit", "accept", "assign", "sign"]


def test_follow_ups_due_lists_open_items_whose_date_has_come(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    assignment_reply(assignment=lead, by=world.officer, result="B", content="已列入计划")
    follow_up = suggestion.follow_ups.get()
    assert list(follow_ups_due(user=world.staff, today=follow_up.review_on - datetime.timedelta(days=1))) == []
    assert list(follow_ups_due(user=world.staff, today=follow_up.review_on)) == [follow_up]
    assert list(follow_ups_due(user=world.other_staff, today=follow_up.review_on)) == []


def test_the_nearest_level_with_staff_is_responsible(world):
    suggestion = world.submit()
    assert responsible_staff(suggestion) == [world.staff]
    township_staff = UserFactory(role="staff", region=world.township)
    assert responsible_staff(suggestion) == [township_staff]
    assert nearest_users(role="staff", region_code=world.other_township.code) == [world.other_staff]
    assert nearest_users(role="staff", region_code="65") == []
    assert responsible_leaders(suggestion) == [world.leader]
