"""本届 (the whole term) beside the year and the month, and the 大会期间/闭会期间 split, in the
nightly snapshot and on the dashboard."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from suggestions.models import StatPeriod, StatSnapshot, SuggestionKind, Term
from suggestions.stats.build import build_stats
from suggestions.stats.periods import current_term, snapshot_periods


def test_no_term_no_term_period(world):
    assert StatPeriod.TERM not in [p.name for p in snapshot_periods(timezone.localdate())]


def test_the_nearest_congress_term_covering_the_day(world):
    day = datetime.date(2026, 6, 1)
    city = Term.objects.create(name="长治市第十五届", region=world.city, start_on=datetime.date(2021, 9, 1))
    county = Term.objects.create(name="潞州区第二届", region=world.county, start_on=datetime.date(2021, 10, 1),
                                 end_on=datetime.date(2026, 9, 30))
    Term.objects.create(name="潞州区第一届", region=world.county, start_on=datetime.date(2016, 10, 1),
                        end_on=datetime.date(2021, 9, 30))
    assert current_term(world.township.code, day) == county
    assert current_term(world.other_county.code, day) == city  # no term of its own: the city's
    assert current_term(world.county.code, datetime.date(2026, 10, 8)) == city  # the county's ended
    periods = {p.name: p for p in snapshot_periods(day)}
    assert periods[StatPeriod.TERM].start == city.start_on  # the snapshot: the highest congress's


def test_the_snapshot_and_dashboard_have_the_term_and_the_session_split(world, client):
    today = timezone.localdate()
    Term.objects.create(name="长治市第十五届", region=world.city, start_on=today - datetime.timedelta(days=1000))
    world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, session="in_session")
    world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, session="interim")
    world.submit()
    build_stats(date=today)
    row = StatSnapshot.objects.get(date=today, period=StatPeriod.TERM, dimension="region", key=world.city.code)
    assert (row.collected, row.deputy_suggestions, row.in_session, row.interim) == (3, 2, 1, 1)
    assert row.period_start == today - datetime.timedelta(days=1000)
    client.force_login(world.city_staff)
    response = client.get(reverse("stats:dashboard"), {"period": "term", "region": world.city.code})
    assert response.status_code == 200
    assert response.context["figures"].in_session == 1
    text = response.content.decode()
    assert "本届" in text and "大会期间 1" in text and "闭会期间 1" in text


def test_the_dashboard_offers_the_term_only_once_one_is_configured(world, client):
    build_stats(date=timezone.localdate())
    client.force_login(world.city_staff)
    response = client.get(reverse("stats:dashboard"), {"period": "term"})
    assert response.context["period"] == StatPeriod.YEAR  # no term: the year, not empty figures
    assert StatPeriod.TERM not in dict(response.context["periods"])
    Term.objects.create(name="长治市第十五届", region=world.city, start_on=timezone.localdate())
    response = client.get(reverse("stats:dashboard"), {"period": "term"})
    assert response.context["period"] == StatPeriod.TERM and StatPeriod.TERM in dict(response.context["periods"])
