"""The dashboard, its drill-down and period choice, the units' league table and the stations page:
the snapshot's numbers, in a fixed number of queries."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationMembershipFactory,
)
from tests.suggestions.stats.book import DAY, D
from tests.suggestions.stats.views.pages import get


def test_county_staff_see_the_county_snapshot(client, built, staff):
    response = get(client, staff, "stats:dashboard")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.collected, figures.fed_back, figures.overdue) == (11, 3, 1)
    assert response.context["date"] == DAY
    html = response.content.decode()
    assert "27.3%" in html  # feedback rate 3 / 11
    assert "40.0%" in html  # on time 2 / 5
    # The voters' satisfaction beside the deputies': A basically satisfied, G not (tests/.../book.py).
    assert figures.voter_satisfaction_rate == 0.5 and figures.satisfaction_rate == 1.0
    assert "选民满意率" in html and "代表满意率" in html and "50.0%" in html
    assert "<svg" in html and "太东街道" in html


def test_drill_down_from_city_to_county_to_township_to_station(client, built, city_staff):
    city = get(client, city_staff, "stats:dashboard")
    assert [row.key for row, _name in city.context["children"]] == [built.county.code, built.other_county.code]
    assert f"region={built.county.code}" in city.content.decode()

    county = get(client, city_staff, "stats:dashboard", region=built.county.code)
    assert [row.key for row, _name in county.context["children"]] == [built.township.code]

    township = get(client, city_staff, "stats:dashboard", region=built.township.code)
    assert township.context["child_dimension"] == "station"
    assert [name for _row, name in township.context["children"]] == ["太东街道代表联络站"]


def test_period_choice_shows_that_period(client, built, staff):
    assert get(client, staff, "stats:dashboard", period="month").context["figures"].collected == 9
    assert get(client, staff, "stats:dashboard", period="rolling12").context["figures"].collected == 13
    assert get(client, staff, "stats:dashboard", period="bogus").context["period"] == "year"


def test_without_a_snapshot_the_page_says_how_to_get_one(client, book, staff):
    response = get(client, staff, "stats:dashboard")
    assert response.status_code == 200 and "build_stats" in response.content.decode()


def test_dashboard_runs_a_fixed_number_of_queries(client, built, city_staff, django_assert_max_num_queries):
    client.force_login(city_staff)
    with django_assert_max_num_queries(20):  # 16, whether a term (本届) is configured, the attendance alerts (3)
        assert client.get(reverse("stats:dashboard"), {"region": built.county.code}).status_code == 200


def test_league_ranks_units_with_enough_due_replies(client, built, staff, settings):
    settings.LIAISON = {**settings.LIAISON, "STATS_LEAGUE_MIN_DUE": 3}
    response = get(client, staff, "stats:units")
    assert [(e.rank, e.name) for e in response.context["league"]] == [(1, "潞州区住建局")]  # due 3: A G on time, B late
    assert [e.name for e in response.context["unranked"]] == ["潞州区城管局"]  # due 2: K late, C overdue

    settings.LIAISON = {**settings.LIAISON, "STATS_LEAGUE_MIN_DUE": 2}
    league = get(client, staff, "stats:units").context["league"]
    assert [(e.rank, e.name, e.figures.on_time_rate) for e in league] == [
        (1, "潞州区住建局", round(2 / 3, 4)), (2, "潞州区城管局", 0.0)]


def test_stations_page_counts_receptions_coverage_and_missed_quarters(client, built, staff):
    leader = DeputyFactory(region=built.township, is_leading_official=True, name="李书记")
    MandateFactory(deputy=leader)
    StationMembershipFactory(deputy=leader, station=built.station)
    ReceptionFactory(station=built.station, date=D(2025, 2, 10), status="recorded", visitor_count=9, deputies=[leader])
    ReceptionFactory(station=built.station, date=D(2025, 2, 20), status="recorded", visitor_count=3)
    MandateFactory(deputy=DeputyFactory(region=built.township, name="未进站代表"))

    response = get(client, staff, "stats:stations", year=2025)
    assert response.status_code == 200
    station = next(s for s in response.context["page"].object_list if s.station_id == built.station.pk)
    assert station.receptions[1] == 2 and station.visitors[1] == 12 and station.total_receptions == 2
    assert response.context["total"] == {"deputies": 2, "deputies_in_stations": 1}
    assert [d.name for d in response.context["not_in_stations"]] == ["未进站代表"]
    visits = {v.deputy.name: v for v in response.context["visits"]}
    assert visits["李书记"].per_quarter == [1, 0, 0, 0]
    assert visits["李书记"].missed == [2, 3, 4]  # every quarter of 2025 has ended
