"""When a page's ids are sorted rather than read along the order's index (liaison.pagination)."""

from liaison.pagination import COUNT_CAP, SORT_BELOW, worth_sorting


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
