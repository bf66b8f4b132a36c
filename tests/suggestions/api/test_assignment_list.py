"""The assignments list (`assignments/`, the officers' inbox): who sees which tasks, one
index-friendly filter per capacity, the overdue filters as column conditions, and a constant
number of queries."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.models import Role
from liaison.regions import within
from suggestions.models import Assignment, AssignmentStatus, Status, SuggestionDeputy
from suggestions.selectors import OverdueTier, assignment_list, assignments_visible_to
from suggestions.workflow import user_deputy_id
from tests.factories import AssignmentFactory, SuggestionDeputyFactory, UserFactory
from tests.suggestions.lists import many_suggestions

API = "/api/v1"
S = Status


def _reference(user) -> set:
    """Who saw what before the branches: one filter with every capacity OR-ed together."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Assignment.objects.values_list("pk", flat=True))
    q = Q(unit__officers=user)
    if user.role in (Role.STAFF, Role.LEADER) and user.region_id:
        q |= within(user.region_id, "suggestion__region__code") | within(user.region_id, "suggestion__escalated_to__code")
    deputy_id = user_deputy_id(user)
    if deputy_id is not None:
        q |= Q(Exists(SuggestionDeputy.objects.filter(suggestion=OuterRef("suggestion_id"), deputy_id=deputy_id)))
    return set(Assignment.objects.filter(q).values_list("pk", flat=True))


def _seen(user) -> set:
    return set(assignments_visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def tasks(world):
    """Ours (lead and co-unit, the deputy's), one of another county's unit, and one escalated
    from the other county up to the city."""
    mine = world.drive(world.submit(), S.ASSIGNED)
    foreign = AssignmentFactory(suggestion__region=world.other_township, unit=world.foreign_unit)
    escalated = AssignmentFactory(suggestion__region=world.other_township, suggestion__escalated_to=world.city,
                                  unit=world.foreign_unit)
    return mine, foreign, escalated


def test_each_capacity_sees_its_own_tasks(world, tasks):
    mine, foreign, escalated = tasks
    ours = set(mine.assignments.values_list("pk", flat=True))
    assert len(ours) == 2
    assert _seen(world.staff) == ours
    assert _seen(world.leader) == ours
    assert _seen(world.city_staff) == ours | {foreign.pk, escalated.pk}
    assert _seen(world.other_staff) == {foreign.pk, escalated.pk}
    assert _seen(world.officer) == {mine.assignments.get(role="lead").pk}
    assert _seen(world.foreign_officer) == {foreign.pk, escalated.pk}
    assert _seen(world.deputy_user) == ours
    assert _seen(world.other_deputy_user) == set()
    assert _seen(AnonymousUser()) == set()
    assert _seen(UserFactory(role=Role.STAFF, region=None)) == set()


def test_a_person_in_several_capacities_sees_the_union(world, tasks):
    mine, foreign, escalated = tasks
    # County staff who is also an officer of the other county's unit, and a deputy.
    world.foreign_unit.officers.add(world.staff)
    world.deputy.user = world.staff
    world.deputy.save(update_fields=["user"])
    lone = AssignmentFactory(suggestion__region=world.other_township)
    SuggestionDeputyFactory(suggestion=lone.suggestion, deputy=world.deputy)
    staff = type(world.staff).objects.get(pk=world.staff.pk)
    ours = set(mine.assignments.values_list("pk", flat=True))
    assert _seen(staff) == ours | {foreign.pk, escalated.pk, lone.pk}
    assert "OR" in str(assignments_visible_to(staff).query)


@pytest.mark.parametrize(
    "who", ["staff", "city_staff", "other_staff", "leader", "officer", "co_officer", "foreign_officer", "deputy_user",
            "other_deputy_user"],
)
def test_the_branches_see_what_the_single_filter_saw(world, tasks, who):
    user = getattr(world, who)
    assert _seen(user) == _reference(user)
    # The other capacities added to the same person still agree.
    world.foreign_unit.officers.add(user)
    user = type(user).objects.get(pk=user.pk)
    assert _seen(user) == _reference(user)


def test_one_capacity_is_one_filter_without_an_or_across_tables(world):
    officer_sql = str(assignments_visible_to(world.officer).query)
    assert " OR " not in officer_sql and "JOIN" not in officer_sql and "unit_officers" not in officer_sql
    deputy_sql = str(assignments_visible_to(world.deputy_user).query)
    assert " OR " not in deputy_sql and "JOIN" not in deputy_sql
    staff_sql = str(assignments_visible_to(world.staff).query)
    # The region the assignment copies from its suggestion, on its own table (escalation only
    # goes to an ancestor: no escalated_to branch).
    assert " OR " not in staff_sql and "JOIN" not in staff_sql and "escalated_to" not in staff_sql
    assert "unit_officers" not in staff_sql and "suggestiondeputy" not in staff_sql


def test_the_lists_count_and_page_ids_read_the_assignments_alone(world, api_for):
    """Each row's tier comes from its joined suggestion in Python: no CASE joins the
    suggestion into the count and the page's ids."""
    many_suggestions(world, 30)
    with CaptureQueriesContext(connection) as queries:
        body = api_for(world.staff).get(f"{API}/assignments/", {"page_size": 5}).json()
    assert body["count"] > 5 and len(body["results"]) == 5
    counts = [q["sql"] for q in queries.captured_queries
              if 'FROM "suggestions_assignment"' in q["sql"] and q["sql"].endswith("LIMIT 1001")]
    assert len(counts) == 1 and "JOIN" not in counts[0]


def test_the_inbox_lists_only_the_officers_own_units(world, tasks):
    mine, _foreign, _escalated = tasks
    world.unit.officers.add(world.staff)
    staff = type(world.staff).objects.get(pk=world.staff.pk)
    assert [a.pk for a in assignment_list(user=staff, as_officer=True)] == [mine.assignments.get(role="lead").pk]
    assert list(assignment_list(user=world.other_staff, as_officer=True)) == []


# --- filters ----------------------------------------------------------------------------------
def _ids(response) -> set:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_the_overdue_filters_agree_with_the_tier_shown(world, api_for):
    today = timezone.localdate()
    for days in (-60, -40, -5, -1, 0, 1, 3, 10, 90):
        AssignmentFactory(suggestion__region=world.township, unit=world.unit, deadline=today + datetime.timedelta(days=days))
    AssignmentFactory(suggestion__region=world.township, unit=world.unit, status=AssignmentStatus.SIGNED,
                      deadline=today - datetime.timedelta(days=3))
    AssignmentFactory(suggestion__region=world.township, suggestion__status=S.CLOSED, suggestion__closed_at=timezone.now(), unit=world.co_unit, role="co",
                      deadline=today - datetime.timedelta(days=3))  # a closed item's co-unit task: no tier
    client = api_for(world.staff)
    shown = {row["id"]: row["overdue_tier"] for row in client.get(f"{API}/assignments/", {"page_size": 200}).json()["results"]}
    assert len(set(shown.values())) == 5  # every tier is there
    for tier, _label in OverdueTier.choices:
        assert _ids(client.get(f"{API}/assignments/", {"overdue_tier": tier, "page_size": 200})) == {
            pk for pk, value in shown.items() if value == tier
        }, tier
    late = {pk for pk, value in shown.items() if value in OverdueTier.LATE}
    assert _ids(client.get(f"{API}/assignments/", {"overdue": "true", "page_size": 200})) == late
    assert _ids(client.get(f"{API}/assignments/", {"overdue": "false", "page_size": 200})) == set(shown) - late


def test_status_pending_lists_only_tasks_that_can_still_be_handled(world, api_for):
    live = AssignmentFactory(suggestion__region=world.township, unit=world.unit)
    stale = AssignmentFactory(suggestion__region=world.township, suggestion__status=S.CLOSED, suggestion__closed_at=timezone.now(), unit=world.co_unit, role="co")
    done = AssignmentFactory(suggestion__region=world.township, suggestion__status=S.CLOSED, suggestion__closed_at=timezone.now(), unit=world.unit,
                             status=AssignmentStatus.REPLIED, result="A", replied_at=timezone.now())
    client = api_for(world.staff)
    assert _ids(client.get(f"{API}/assignments/", {"status": "pending"})) == {live.pk}
    assert _ids(client.get(f"{API}/assignments/", {"status": "replied"})) == {done.pk}
    assert _ids(client.get(f"{API}/assignments/")) == {live.pk, stale.pk, done.pk}
    assert client.get(f"{API}/assignments/", {"status": "nonsense"}).status_code == 400


# --- constant queries -------------------------------------------------------------------------
# Token authentication (2), the capacities (units, deputy record), the count and the page, the
# contacts; a deputy's record is read once more by the permission's role check.
ASSIGNMENT_QUERIES = {"staff": 7, "officer": 7, "deputy_user": 7}


@pytest.mark.parametrize("who", list(ASSIGNMENT_QUERIES))
def test_the_assignment_list_runs_a_fixed_number_of_queries(world, api_for, django_assert_num_queries, who):
    client = api_for(getattr(world, who))
    many_suggestions(world, 5)
    with django_assert_num_queries(ASSIGNMENT_QUERIES[who]):
        few = client.get(f"{API}/assignments/", {"page_size": 200}).json()["count"]
    many_suggestions(world, 45)
    with django_assert_num_queries(ASSIGNMENT_QUERIES[who]):
        many = client.get(f"{API}/assignments/", {"page_size": 200}).json()["count"]
    assert many > few > 0


def test_the_inbox_page_runs_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    client.force_login(world.officer)
    many_suggestions(world, 5)
    with django_assert_num_queries(7):
        assert client.get(reverse("suggestions:inbox"), {"show": "all"}).status_code == 200
    many_suggestions(world, 45)
    with django_assert_num_queries(7):
        response = client.get(reverse("suggestions:inbox"), {"show": "all"})
    assert len(response.context["page"].object_list) == 20
