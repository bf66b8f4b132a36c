"""suggestions/ as a list at scale: summary rows, a count that stays cheap above 1,000 rows
(`count_is_estimate`), and `next` as a keyset cursor so deep pages skip no rows with OFFSET."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.pagination import Paginator
from suggestions.models import Suggestion
from tests.factories import SuggestionFactory
from tests.suggestions.lists import many_suggestions

API = "/api/v1"
DETAIL_ONLY = {"assignments", "events", "evaluation", "evaluations", "feedbacks", "attachments", "allowed_actions"}


def _cursor(link: str | None) -> str | None:
    return parse_qs(urlsplit(link).query).get("cursor", [None])[0] if link else None


def _walk(client, params: dict) -> list[int]:
    """Every id, following `next` from the first page."""
    seen, body = [], client.get(f"{API}/suggestions/", params).json()
    while True:
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            return seen
        response = client.get(body["next"])
        assert response.status_code == 200, response.content
        body = response.json()


# --- summary rows ---------------------------------------------------------------------------------
def test_list_rows_are_summaries_and_the_detail_carries_the_history(world, api_for):
    (suggestion,) = many_suggestions(world, 1)
    client = api_for(world.staff)
    row = client.get(f"{API}/suggestions/").json()["results"][0]
    assert row["id"] == suggestion.pk and not DETAIL_ONLY & row.keys()
    assert {"deadline", "overdue_tier", "is_overdue", "deputies", "status", "region_name"} <= row.keys()
    detail = client.get(f"{API}/suggestions/{suggestion.pk}/").json()
    assert DETAIL_ONLY <= detail.keys()
    assert len(detail["events"]) == 2 and len(detail["assignments"]) == 2 and detail["evaluation"] is not None


@pytest.mark.parametrize(("who", "queries"), [("staff", 6), ("officer", 6), ("deputy_user", 6), ("leader", 6)])
def test_the_list_costs_the_same_queries_whatever_the_rows_and_their_history(
    world, api_for, django_assert_num_queries, who, queries
):
    """Token, user (and deputy), holidays, count, page, deputies: the timeline is not read."""
    client = api_for(getattr(world, who))
    many_suggestions(world, 3)
    with django_assert_num_queries(queries):
        assert client.get(f"{API}/suggestions/", {"page_size": 200}).json()["count"] == 3
    many_suggestions(world, 30)
    with django_assert_num_queries(queries):
        assert client.get(f"{API}/suggestions/", {"page_size": 200}).json()["count"] == 33


# --- the count ------------------------------------------------------------------------------------
def test_the_count_is_exact_up_to_the_cap_and_says_so(world, api_for):
    many_suggestions(world, 3)
    body = api_for(world.staff).get(f"{API}/suggestions/").json()
    assert body["count"] == 3 and body["count_is_estimate"] is False


def test_above_the_cap_the_count_may_be_an_estimate_flagged_as_such(world, api_for, monkeypatch):
    monkeypatch.setattr(Paginator, "count_cap", 4)
    for _i in range(7):
        SuggestionFactory(region=world.township)
    body = api_for(world.staff).get(f"{API}/suggestions/", {"page_size": 2}).json()
    if connection.vendor == "postgresql":  # the planner's estimate, never below the cap
        assert body["count_is_estimate"] is True and body["count"] >= 5
    else:  # elsewhere the exact count
        assert (body["count"], body["count_is_estimate"]) == (7, False)
    assert len(body["results"]) == 2


def test_with_an_estimated_count_pages_end_where_the_rows_end(world, api_for, monkeypatch):
    monkeypatch.setattr(Paginator, "count_cap", 2)
    made = {SuggestionFactory(region=world.township).pk for _i in range(5)}
    client = api_for(world.staff)
    last = client.get(f"{API}/suggestions/", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get(f"{API}/suggestions/", {"page_size": 2, "page": 4}).status_code == 404
    pages = [client.get(f"{API}/suggestions/", {"page_size": 2, "page": n}).json()["results"] for n in (1, 2, 3)]
    assert {row["id"] for page in pages for row in page} == made


def test_a_short_lists_page_reads_only_its_own_rows(world, api_for):
    """More rows than a page: the page is cut from the (id, created_at) the count fetched, and
    only its rows are read (no query sends every id back to be sorted)."""
    for _i in range(12):
        SuggestionFactory(region=world.township)
    client = api_for(world.staff)
    whole = [row["id"] for row in client.get(f"{API}/suggestions/", {"page_size": 200}).json()["results"]]
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"{API}/suggestions/", {"page_size": 4, "page": 2}).json()
    assert [row["id"] for row in page["results"]] == whole[4:8]
    by_id = 'WHERE "suggestions_suggestion"."id" IN ('
    listed = [q["sql"].split(by_id, 1)[1].split(")")[0] for q in queries.captured_queries if by_id in q["sql"]]
    assert listed and max(ids.count(",") + 1 for ids in listed) == 4


# --- the cursor -----------------------------------------------------------------------------------
def test_following_next_reads_every_row_once_in_the_order_of_the_numbered_pages(world, api_for):
    made = [SuggestionFactory(region=world.township) for _i in range(7)]
    Suggestion.objects.filter(pk__in=[made[2].pk, made[3].pk]).update(created_at=made[2].created_at)  # a tie
    client = api_for(world.staff)
    first = client.get(f"{API}/suggestions/", {"page_size": 3}).json()
    assert _cursor(first["next"]) is not None  # default ordering: a keyset link, not page=2
    numbered = []
    for n in (1, 2, 3):
        numbered += [row["id"] for row in client.get(f"{API}/suggestions/", {"page_size": 3, "page": n}).json()["results"]]
    walked = _walk(client, {"page_size": 3})
    assert walked == numbered and sorted(walked) == sorted(s.pk for s in made)


def test_previous_from_a_cursor_page_goes_back_one_page(world, api_for):
    for _i in range(7):
        SuggestionFactory(region=world.township)
    client = api_for(world.staff)
    first = client.get(f"{API}/suggestions/", {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert len(third["results"]) == 1 and third["next"] is None
    back = client.get(third["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in second["results"]]
    again = client.get(back["previous"]).json()
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]
    assert again["previous"] is None
    assert second["count"] == 7 and second["count_is_estimate"] is False


def test_the_cursor_keeps_the_filters(world, api_for):
    for _i in range(3):
        SuggestionFactory(region=world.township)
    for _i in range(3):
        SuggestionFactory(region=world.other_township)
    walked = _walk(api_for(world.city_staff), {"page_size": 2, "region": world.township.code})
    assert set(walked) == set(Suggestion.objects.filter(region=world.township).values_list("pk", flat=True))


@pytest.mark.parametrize("cursor", ["nonsense", "eyJ2IjpbXX0", "eyJ2IjpbIngiLCJ5Il19"])
def test_a_cursor_that_is_not_one_is_a_404(world, api_for, cursor):
    response = api_for(world.staff).get(f"{API}/suggestions/", {"cursor": cursor})
    assert response.status_code == 404


def test_another_ordering_pages_by_number(world, api_for):
    for _i in range(5):
        SuggestionFactory(region=world.township)
    body = api_for(world.staff).get(f"{API}/suggestions/", {"page_size": 2, "ordering": "deadline"}).json()
    assert "page=2" in body["next"] and _cursor(body["next"]) is None


def test_the_schema_documents_the_estimate_and_the_cursor(api_for, world):
    schema = api_for(world.staff).get("/api/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedSuggestionList"]
    assert page["properties"]["count_is_estimate"]["type"] == "boolean"
    assert "count_is_estimate" in page["required"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/suggestions/"]["get"]["parameters"]}
    assert {"page", "page_size", "cursor"} <= parameters


def test_a_short_list_is_read_by_id_in_the_same_order_with_the_same_rows(world, api_for):
    """At most 1,000 rows: read by the ids the count fetched, sorted by expressions (no index
    walk), the rows and their order unchanged, filters and scoping kept."""
    mine = [SuggestionFactory(region=world.township) for _i in range(5)]
    SuggestionFactory(region=world.other_township)  # another county's: not the staff's
    Suggestion.objects.filter(pk=mine[0].pk).update(created_at=mine[4].created_at)  # a tie, broken by id
    client = api_for(world.staff)
    body = client.get(f"{API}/suggestions/").json()  # -created_at, -id
    expected = list(
        Suggestion.objects.filter(pk__in=[s.pk for s in mine]).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert [row["id"] for row in body["results"]] == expected
    ascending = client.get(f"{API}/suggestions/", {"ordering": "created_at", "page_size": 2, "page": 1}).json()
    assert [row["id"] for row in ascending["results"]] == list(
        Suggestion.objects.filter(pk__in=[s.pk for s in mine]).order_by("created_at", "id").values_list("pk", flat=True)
    )[:2]  # the tie is last


# --- above the cap: the page's ids first (a deferred join) -----------------------------------------
def _expected(world, order, **filters):
    queryset = Suggestion.objects.filter(region__code__startswith=world.county.code, **filters)
    return list(queryset.order_by(*order).values_list("pk", flat=True))


@pytest.mark.parametrize("sort", [False, True], ids=["read along the index", "sorted"])
def test_above_the_cap_every_page_holds_the_rows_of_the_ordered_list(world, api_for, monkeypatch, sort):
    """PostgreSQL: the estimated count's pages are read as ids then rows by id; each numbered
    page and the cursor walk give exactly the ordered list's rows, ties broken by id."""
    from liaison import pagination

    monkeypatch.setattr(Paginator, "count_cap", 3)
    monkeypatch.setattr(pagination, "SORT_BELOW", 10_000 if sort else 0)
    made = [SuggestionFactory(region=world.township) for _i in range(9)]
    Suggestion.objects.filter(pk__in=[made[1].pk, made[5].pk]).update(created_at=made[1].created_at)
    SuggestionFactory(region=world.other_township)  # out of the staff's reach
    client = api_for(world.staff)
    pages = [client.get(f"{API}/suggestions/", {"page_size": 4, "page": n}).json() for n in (1, 2, 3)]
    assert [row["id"] for page in pages for row in page["results"]] == _expected(world, ("-created_at", "-id"))
    assert _walk(client, {"page_size": 4}) == _expected(world, ("-created_at", "-id"))
    if connection.vendor == "postgresql":
        assert pages[0]["count_is_estimate"] is True


def test_late_items_are_sorted_into_pages_whatever_their_number(world, api_for, monkeypatch):
    """`overdue=true` tells the paginator to sort the page's ids (SuggestionViewSet.sorts_pages):
    the same rows as the ordered filter, in order, page after page."""
    import datetime

    from liaison import pagination
    from tests.factories import AssignmentFactory

    monkeypatch.setattr(Paginator, "count_cap", 2)
    monkeypatch.setattr(pagination, "SORT_BELOW", 0)  # only the view's word makes it sort
    late = datetime.date.today() - datetime.timedelta(days=40)
    for _i in range(5):
        AssignmentFactory(suggestion=SuggestionFactory(region=world.township, status="handling"), deadline=late)
    SuggestionFactory(region=world.township, status="handling")  # no deadline: not late
    client = api_for(world.staff)
    rows = []
    for n in (1, 2, 3):
        rows += [row["id"] for row in client.get(f"{API}/suggestions/", {"overdue": "true", "page_size": 2, "page": n}).json()["results"]]
    expected = _expected(world, ("-created_at", "-id"), status="handling", lead_deadline__lt=datetime.date.today())
    assert len(expected) == 5 and rows == expected
