"""liaison/ratelimit.py: cache-counted limits per client address for pages and byte quotas."""

import pytest
from django.test import RequestFactory

from liaison.ratelimit import over_quota, over_rate, parse_rate


@pytest.mark.parametrize(("rate", "parsed"), [("20/hour", (20, 3600)), ("10/min", (10, 60)), ("5/s", (5, 1)), ("1/day", (1, 86400))])
def test_parse_rate_reads_drf_rates(rate, parsed):
    assert parse_rate(rate) == parsed


def test_over_rate_counts_per_client_address():
    one, two = (RequestFactory().get("/", REMOTE_ADDR=address) for address in ("10.0.0.1", "10.0.0.2"))
    assert [over_rate(one, "x", limit=2, window=60) for _ in range(3)] == [False, False, True]
    assert not over_rate(two, "x", limit=2, window=60)


def test_over_quota_refuses_what_would_pass_the_limit_and_charges_nothing_for_it():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    assert not over_quota(request, "up", amount=60, limit=100, window=60)
    assert over_quota(request, "up", amount=50, limit=100, window=60)  # 110 > 100: refused
    assert not over_quota(request, "up", amount=40, limit=100, window=60)  # 100: the refused 50 were not charged
    assert over_quota(request, "up", amount=1, limit=100, window=60)
    assert not over_quota(request, "up", amount=0, limit=100, window=60)
