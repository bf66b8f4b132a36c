"""GET /api/v1/stats/summary/: live figures, scoped, agreeing with the snapshot and the workbook."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Role
from suggestions.models import StatSnapshot
from suggestions.stats.build import build_stats
from tests.factories import UserFactory
from tests.suggestions.stats import book as stats_book
from tests.suggestions.stats.book import COUNTY_2025, DAY

book = stats_book.book  # the fixture
URL = "/api/v1/stats/summary/"
YEAR = {"period_start": "2025-01-01", "period_end": "2025-06-30"}


@pytest.fixture
def staff(book):
    return UserFactory(role=Role.STAFF, region=book.county)


def test_the_contract_path():
    assert reverse("api:stats-summary") == URL


def test_summary_gives_the_hand_counted_figures(api_for, book, staff):
    response = api_for(staff).get(URL, YEAR)
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == book.county.code and body["region_name"] == "潞州区"
    assert (body["period_start"], body["period_end"], body["reference_day"]) == ("2025-01-01", "2025-06-30", "2025-07-01")
    expected = {name: COUNTY_2025[name] for name in ("collected", "assigned", "replied", "overdue", "fed_back")}
    assert {name: body[name] for name in expected} == expected
    assert body["on_time"] == 2 and body["late"] == 2
    assert body["feedback_rate"] == round(3 / 11, 4) and body["satisfaction_rate"] == 1.0
    assert body["on_time_rate"] == 0.4
    assert body["avg_handle_days"] == 9.2
    categories = {c["name"]: c["collected"] for c in body["by_category"]}
    assert categories == {"城乡建设": 8, "教育": 3}
    units = {u["name"]: (u["collected"], u["on_time"], u["overdue"]) for u in body["by_unit"]}
    assert units == {"潞州区住建局": (3, 2, 0), "潞州区城管局": (3, 0, 1)}


def test_api_dashboard_and_workbook_agree(api_for, client, book, staff):
    build_stats(date=DAY)
    snapshot = StatSnapshot.objects.get(date=DAY, period="year", dimension="region", key=book.county.code)
    api = api_for(staff).get(URL, YEAR).json()
    client.force_login(staff)
    dashboard = client.get(reverse("stats:dashboard")).context["figures"]
    sheet = load_workbook(io.BytesIO(client.get(reverse("stats:workbook")).content), read_only=True)["概览"]
    headers, year = list(sheet.values)[:2]
    workbook = dict(zip(headers, year, strict=True))
    for api_name, attribute, column in [
        ("collected", "collected", "收集"), ("assigned", "assigned", "交办"), ("replied", "replied", "答复"),
        ("on_time", "replied_on_time", "按期答复"), ("overdue", "overdue", "超期未答复"),
        ("fed_back", "fed_back", "已反馈"), ("feedback_rate", "feedback_rate", "反馈率"),
        ("satisfaction_rate", "satisfaction_rate", "满意率"), ("on_time_rate", "on_time_rate", "按期答复率"),
    ]:
        assert api[api_name] == getattr(snapshot, attribute) == getattr(dashboard, attribute) == workbook[column], api_name
    # and per category and unit, the snapshot's rows
    for entry in api["by_category"]:
        row = StatSnapshot.objects.get(date=DAY, period="year", dimension="category", key=str(entry["category"]),
                                       region_code=book.county.code)
        assert (entry["collected"], entry["fed_back"]) == (row.collected, row.fed_back)
    for entry in api["by_unit"]:
        row = StatSnapshot.objects.get(date=DAY, period="year", dimension="unit", key=str(entry["unit"]))
        assert (entry["collected"], entry["on_time"], entry["overdue"]) == (row.collected, row.replied_on_time, row.overdue)


def test_city_staff_may_ask_for_a_county_and_the_default_is_their_region(api_for, book):
    city = UserFactory(role=Role.STAFF, region=book.county.parent)
    assert api_for(city).get(URL, {**YEAR, "region": book.other_county.code}).json()["collected"] == 1
    body = api_for(city).get(URL, YEAR).json()
    assert body["region"] == "1404" and body["collected"] == 12


def test_the_default_period_is_this_year_so_far(api_for, book, staff):
    body = api_for(staff).get(URL).json()
    assert body["period_start"].endswith("-01-01") and body["collected"] == 0  # the book is of 2025


@pytest.mark.parametrize("region", ["140404", "1404", "14", "140403999"])
def test_regions_outside_the_scope_or_unknown_are_not_found(api_for, book, staff, region):
    response = api_for(staff).get(URL, {**YEAR, "region": region})
    assert response.status_code == 404


@pytest.mark.parametrize("params, field", [
    ({"region": "1404x"}, "region"),
    ({"period_start": "2025-07-01", "period_end": "2025-06-30"}, "period_start"),
    ({"period_start": "2020-01-01", "period_end": "2025-06-30"}, "period_start"),
    ({"period_end": "30/06/2025"}, "period_end"),
])
def test_bad_parameters_are_a_400_with_the_field(api_for, book, staff, params, field):
    response = api_for(staff).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.UNIT_OFFICER])
def test_deputies_and_unit_officers_are_refused(api_for, book, role):
    assert api_for(UserFactory(role=role)).get(URL).status_code == 403


def test_anonymous_callers_must_authenticate(api_for, book):
    assert api_for().get(URL).status_code == 401


def test_query_count_does_not_grow_with_the_data(api_for, book, staff, django_assert_max_num_queries):
    client = api_for(staff)
    with django_assert_max_num_queries(40):
        assert client.get(URL, YEAR).status_code == 200


def test_the_schema_documents_it_without_warnings(client):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/stats/summary/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"region", "period_start", "period_end", "period"}
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    fields = schema["components"]["schemas"]["StatsSummary"]["properties"]
    assert {"collected", "assigned", "replied", "on_time", "overdue", "fed_back", "feedback_rate",
            "satisfaction_rate", "by_category", "by_unit"} <= set(fields)
    mine = [w for w in GENERATOR_STATS._warn_cache if "stats" in w.lower() or "Stats" in w]
    assert mine == [] and not [e for e in GENERATOR_STATS._error_cache if "stats" in e.lower()]
