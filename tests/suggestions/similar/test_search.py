"""suggestions.similar.search: which rows are candidates (area, status window) on either
database. On PostgreSQL the candidates come through the `similar_window` index (tokens per
region prefix, status window and closed period); these tests hold its answer to the exact rules."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from suggestions.models import Status, Suggestion
from suggestions.similar.search import OPEN_STATUSES, PUBLIC_STATUSES, Probe, similar
from tests.factories import SuggestionFactory, region_path

LIGHT = ("小区门口红绿灯不亮", "幸福小区门口的红绿灯坏了一周，过马路很危险。")


@pytest.fixture
def places(db):
    """Two villages of one township, a village of another township in the same county."""
    return {
        "village": region_path("140403001001").code,
        "neighbour": region_path("140403001002").code,
        "elsewhere": region_path("140403002001").code,
    }


def light(region, status=Status.ACCEPTED, closed_days_ago=None, title=LIGHT[0]):
    closed = None if closed_days_ago is None else timezone.now() - datetime.timedelta(days=closed_days_ago)
    return SuggestionFactory(title=title, content=LIGHT[1], region_id=region, status=status, closed_at=closed)


def found(region, *, public=False):
    probe = Probe(title="小区门口的信号灯坏了", content="幸福小区门口信号灯不亮", region=region)
    return {s.ref for s in similar(Suggestion.objects.all(), probe, public=public)}


def test_open_and_recently_closed_items_of_the_area_are_found_older_closed_and_declined_are_not(places):
    open_item = light(places["neighbour"])
    closed_recently = light(places["village"], Status.CLOSED, closed_days_ago=170)
    light(places["village"], Status.CLOSED, closed_days_ago=190)
    light(places["village"], Status.DECLINED)
    assert found(places["village"]) == {open_item.pk, closed_recently.pk}


def test_the_edge_of_the_recent_window_is_exact_to_the_day(places, settings):
    settings.LIAISON = {**getattr(settings, "LIAISON", {}), "SIMILAR_RECENT_DAYS": 45}
    inside = light(places["village"], Status.CLOSED, closed_days_ago=44)
    light(places["village"], Status.CLOSED, closed_days_ago=46)  # same 30-day period on some days
    assert found(places["village"]) == {inside.pk}


def test_another_township_is_not_the_area_unless_the_area_is_the_county(places, settings):
    near = light(places["village"])
    far = light(places["elsewhere"])
    assert found(places["village"]) == {near.pk}
    settings.LIAISON = {**getattr(settings, "LIAISON", {}), "SIMILAR_AREA_DIGITS": 6}
    assert found(places["village"]) == {near.pk, far.pk}


def test_an_area_length_that_is_no_level_still_finds_by_prefix(places, settings):
    settings.LIAISON = {**getattr(settings, "LIAISON", {}), "SIMILAR_AREA_DIGITS": 8}
    near, far = light(places["village"]), light(places["elsewhere"])
    assert found(places["village"]) == {near.pk, far.pk}  # 14040300 is a prefix of both


def test_public_search_leaves_out_submitted_and_closed_items(places):
    accepted = light(places["village"])
    light(places["village"], Status.SUBMITTED)
    light(places["village"], Status.CLOSED, closed_days_ago=3)
    assert found(places["village"], public=True) == {accepted.pk}


def test_a_status_changed_by_a_bulk_update_is_seen_at_once(places):
    item = light(places["village"])
    Suggestion.objects.filter(pk=item.pk).update(status=Status.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=400))
    assert found(places["village"]) == set()
    Suggestion.objects.filter(pk=item.pk).update(closed_at=timezone.now() - datetime.timedelta(days=2))
    assert found(places["village"]) == {item.pk}


def test_the_scope_of_the_queryset_is_kept(places):
    mine, other = light(places["village"]), light(places["neighbour"])
    probe = Probe(title="小区门口的信号灯坏了", content="", region=places["village"])
    scope = Suggestion.objects.exclude(pk=other.pk)
    assert {s.ref for s in similar(scope, probe)} == {mine.pk}
    assert similar(Suggestion.objects.none(), probe) == []


def test_a_search_is_one_query_once_the_area_count_is_cached(places, django_assert_num_queries):
    light(places["village"])
    probe = Probe(title="小区门口的信号灯坏了", content="", region=places["village"])
    # PostgreSQL counts the area (the idf's N) and then asks the index; SQLite scans the area.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 1):
        assert similar(Suggestion.objects.all(), probe)
    with django_assert_num_queries(1):
        assert similar(Suggestion.objects.all(), probe)


def test_the_index_tokens_follow_the_status_lists_of_the_search(db):
    if connection.vendor != "postgresql":
        pytest.skip("the similar_window index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        for status in Status.values:
            cursor.execute("SELECT similar_window('140403001001', %s, now())::text", [status])
            tokens = cursor.fetchone()[0]
            assert ("'o140403001'" in tokens) == (status in OPEN_STATUSES), status
            assert ("'p140403001'" in tokens) == (status in PUBLIC_STATUSES), status
            assert ("'c140403001m" in tokens) == (status == Status.CLOSED), status
