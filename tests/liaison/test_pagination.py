"""When a page's ids are sorted rather than read along the order's index (liaison.pagination)."""

import datetime

import pytest

from liaison.pagination import (
    COUNT_CAP,
    SORT_BELOW,
    keys_after,
    keyset_q,
    python_sortable,
    sort_keys,
    worth_sorting,
)
from suggestions.models import Assignment, Unit
from tests.factories import AssignmentFactory


def test_a_short_list_as_estimated_is_sorted():
    assert worth_sorting(7_391, True)
    assert worth_sorting(SORT_BELOW, True)


def test_a_long_list_is_read_along_the_index():
    assert not worth_sorting(SORT_BELOW + 1, True)
    assert not worth_sorting(1_000_000, True)


def test_an_estimate_below_what_the_count_found_is_not_trusted_to_sort():
    """The planner guessed fewer rows than the capped count had already found: unknown size."""
    assert not worth_sorting(COUNT_CAP + 1, True)
    assert worth_sorting(COUNT_CAP + 2, True)


def test_an_exact_count_just_above_the_cap_is_sorted():
    """Off PostgreSQL the count is exact at any size: at the cap's floor it is known."""
    assert worth_sorting(COUNT_CAP + 1, False)


# --- a short list's page cut in Python from its (id, order values) -----------------------------
def _dated(db_days: list[int]):
    """Assignments whose deadlines are `db_days` from a fixed day (ties included)."""
    day = datetime.date(2031, 3, 1)
    return [AssignmentFactory(deadline=day + datetime.timedelta(days=n)) for n in db_days]


@pytest.mark.parametrize("ordering", [("deadline", "id"), ("-deadline", "-id"), ("deadline", "-id"), ("-deadline", "id")])
def test_keys_sort_in_python_as_the_database_sorts_them(db, ordering):
    _dated([3, 1, 3, 2, 1, 3])
    queryset = Assignment.objects.order_by(*ordering)
    fields = python_sortable(queryset)
    assert fields == [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    keys = list(queryset.values_list("pk", *[name for name, _descending in fields]))
    shuffled = sorted(keys, key=lambda key: -key[0] * 7 % 11)
    assert [key[0] for key in sort_keys(shuffled, fields)] == list(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("backwards", [False, True])
def test_keys_after_a_cursor_are_the_rows_the_keyset_filter_gives(db, backwards):
    _dated([3, 1, 3, 2, 1, 3, 2])
    queryset = Assignment.objects.order_by("-deadline", "-id")
    fields = python_sortable(queryset)
    ordered = sort_keys(list(queryset.values_list("pk", *[name for name, _descending in fields])), fields)
    for _pk, *values in ordered:
        expected = queryset.filter(keyset_q(fields, values, backwards=backwards))
        expected = expected.reverse() if backwards else expected
        assert [key[0] for key in keys_after(ordered, fields, values, backwards=backwards)] == [
            row.pk for row in expected
        ]


def test_text_orderings_are_left_to_the_database(db):
    """A collation may sort text otherwise than Python: such a page is sorted in SQL."""
    assert python_sortable(Unit.objects.order_by("name", "id")) is None
    assert python_sortable(Assignment.objects.order_by("suggestion__created_at", "id")) is None

