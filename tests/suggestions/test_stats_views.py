"""The statistics pages: scoping, the drill-down, the league table, the workbook, duty pages,
the record books, and that the dashboard and the workbook show the snapshot's numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deputies.models import DutyActivity, DutyScoreWeight
from liaison.models import Role
from suggestions import stats
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationMembershipFactory,
    UserFactory,
)
from tests.suggestions import stats_book
from tests.suggestions.stats_book import DAY, D

book = stats_book.book  # the fixture


@pytest.fixture
def built(book):
    stats.build_stats(date=DAY)
    return book


@pytest.fixture
def staff(book):
    return UserFactory(role=Role.STAFF, region=book.county)


@pytest.fixture
def city_staff(book):
    return UserFactory(role=Role.STAFF, region=book.county.parent)


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


# --- who may see what ---------------------------------------------------------------------------
def test_dashboard_needs_an_account(client, built):
    response = client.get(reverse("stats:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.UNIT_OFFICER])
def test_deputies_and_unit_officers_may_not_see_statistics(client, built, role):
    assert get(client, UserFactory(role=role), "stats:dashboard").status_code == 403


def test_staff_without_a_region_see_nothing(client, built):
    assert get(client, UserFactory(role=Role.STAFF, region=None), "stats:dashboard").status_code == 403


@pytest.mark.parametrize("name", ["stats:dashboard", "stats:units", "stats:stations", "stats:duty_list",
                                  "stats:workbook", "stats:export", "stats:books", "stats:duty_activities"])
def test_county_staff_cannot_open_another_county_or_the_city(client, built, staff, name):
    assert get(client, staff, name, region=built.other_county.code).status_code == 404
    assert get(client, staff, name, region=built.county.code[:4]).status_code == 404
    assert get(client, staff, name, region="abc").status_code == 404


# --- the dashboard ------------------------------------------------------------------------------
def test_county_staff_see_the_county_snapshot(client, built, staff):
    response = get(client, staff, "stats:dashboard")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.collected, figures.fed_back, figures.overdue) == (11, 3, 1)
    assert response.context["date"] == DAY
    html = response.content.decode()
    assert "27.3%" in html  # feedback rate 3 / 11
    assert "40.0%" in html  # on time 2 / 5
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
    with django_assert_max_num_queries(16):
        assert client.get(reverse("stats:dashboard"), {"region": built.county.code}).status_code == 200


# --- units --------------------------------------------------------------------------------------
def test_league_ranks_units_with_enough_due_replies(client, built, staff, settings):
    settings.LIAISON = {**settings.LIAISON, "STATS_LEAGUE_MIN_DUE": 3}
    response = get(client, staff, "stats:units")
    assert [(e.rank, e.name) for e in response.context["league"]] == [(1, "潞州区住建局")]  # due 3: A G on time, B late
    assert [e.name for e in response.context["unranked"]] == ["潞州区城管局"]  # due 2: K late, C overdue

    settings.LIAISON = {**settings.LIAISON, "STATS_LEAGUE_MIN_DUE": 2}
    league = get(client, staff, "stats:units").context["league"]
    assert [(e.rank, e.name, e.figures.on_time_rate) for e in league] == [
        (1, "潞州区住建局", round(2 / 3, 4)), (2, "潞州区城管局", 0.0)]


# --- the workbook -------------------------------------------------------------------------------
def test_workbook_shows_the_dashboards_numbers(client, built, staff):
    dashboard = get(client, staff, "stats:dashboard").context["figures"]
    response = get(client, staff, "stats:workbook")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert {"概览", "下级区划", "站点", "类别", "承办单位排名", "站点接待月报", "领导干部进站", "说明"} <= set(workbook.sheetnames)
    overview = list(workbook["概览"].values)
    headers, year = overview[0], overview[1]
    values = dict(zip(headers, year, strict=True))
    assert values["统计期"] == "本年"
    assert (values["收集"], values["已反馈"], values["超期未答复"]) == (dashboard.collected, dashboard.fed_back, dashboard.overdue)
    assert values["反馈率"] == dashboard.feedback_rate and values["满意率"] == dashboard.satisfaction_rate
    units = [row[2] for row in list(workbook["承办单位排名"].values)[1:]]
    assert set(units) == {"潞州区住建局", "潞州区城管局"}


def test_a_small_workbook_streams_at_once(client, built, staff):
    response = get(client, staff, "stats:export")
    assert response.status_code == 302 and response["Location"].startswith(reverse("stats:workbook"))


@pytest.fixture
def eager():
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_a_large_workbook_is_built_in_the_background_with_its_progress(client, built, staff, settings, eager):
    settings.LIAISON = {**settings.LIAISON, "STATS_WORKBOOK_STREAM_ROWS": 1}
    response = get(client, staff, "stats:export")
    assert response.status_code == 302
    progress = client.get(response["Location"])
    assert progress.status_code == 200 and progress.context["state"]["status"] == "done"
    assert progress.context["state"]["done"] == progress.context["state"]["total"] == 9
    job = progress.context["job"]
    download = client.get(reverse("stats:export_download", args=[job]))
    assert download.status_code == 200
    overview = list(load_workbook(io.BytesIO(download.content), read_only=True)["概览"].values)
    assert overview[1][4] == 11  # 收集, as on the dashboard

    other = UserFactory(role=Role.STAFF, region=built.county)
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404
    assert client.get(reverse("stats:export_download", args=[job])).status_code == 404


def test_the_progress_page_refreshes_itself_while_the_job_waits(client, built, staff, monkeypatch):
    from suggestions import tasks
    from suggestions.stats_workbook import export_job_create

    queued = []
    monkeypatch.setattr(tasks.build_stats_workbook, "delay", lambda *args: queued.append(args))  # no worker here
    job = export_job_create(user=staff, region=built.county.code, date=DAY, period="year", filename="报表.xlsx")
    assert queued == [(job, built.county.code, "2025-06-30", "year")]
    page = get(client, staff, "stats:export_progress", job)
    html = page.content.decode()
    assert page.context["refresh"] and 'http-equiv="refresh"' in html and "<progress" in html
    assert get(client, staff, "stats:export_download", job).status_code == 404  # not built yet


# --- stations and deputies ----------------------------------------------------------------------
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


def test_duty_list_and_record(client, built, staff):
    ReceptionFactory(station=built.station, date=D(2025, 3, 1), status="recorded", deputies=[built.dep1])
    response = get(client, staff, "stats:duty_list", year=2025)
    assert response.status_code == 200
    top = response.context["page"].object_list[0]
    assert top.deputy == built.dep1
    # 1 reception × 2 + 3 suggestions led (A G J) × 3 + 3 evaluations given (A, G twice) × 1 = 14
    assert top.total == 14

    record = get(client, staff, "stats:duty_detail", built.dep1.pk, year=2025)
    assert record.status_code == 200 and record.context["record"].score.total == 14


def test_a_deputy_reads_their_own_duty_record_only(client, built):
    own = UserFactory(role=Role.DEPUTY)
    built.dep1.user = own
    built.dep1.save(update_fields=["user"])
    assert get(client, own, "stats:duty_detail", built.dep1.pk).status_code == 200
    other = DeputyFactory(region=built.township)
    assert get(client, own, "stats:duty_detail", other.pk).status_code == 404


def test_staff_of_another_county_cannot_read_a_duty_record(client, built):
    stranger = UserFactory(role=Role.STAFF, region=built.other_county)
    assert get(client, stranger, "stats:duty_detail", built.dep1.pk).status_code == 404


def test_staff_set_their_regions_weights_and_leaders_only_read_them(client, built, staff):
    url = reverse("stats:duty_weights") + f"?region={built.county.code}"
    client.force_login(staff)
    form = client.get(url).context["form"]
    data = {name: field.initial if field.initial is not None else "" for name, field in form.fields.items()}
    data["reception_points"] = "5"
    data["reception_cap"] = "20"
    response = client.post(url, data)
    assert response.status_code == 302
    weight = DutyScoreWeight.objects.get(region=built.county, item="reception")
    assert (weight.points, weight.cap) == (5, 20)

    data["reception_points"] = "-1"
    assert client.post(url, data).status_code == 200  # the form shows the error
    assert DutyScoreWeight.objects.get(region=built.county, item="reception").points == 5

    leader = UserFactory(role=Role.LEADER, region=built.county)
    client.force_login(leader)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403


def test_staff_record_an_activity_for_deputies_in_their_region(client, built, staff):
    client.force_login(staff)
    url = reverse("stats:duty_activities") + f"?region={built.county.code}"
    response = client.post(url, {"kind": "research", "title": "调研农村饮水", "date": "2025-04-02",
                                 "deputies": [built.dep1.pk], "note": "走访三个村"})
    assert response.status_code == 302
    activity = DutyActivity.objects.get()
    assert list(activity.deputies.all()) == [built.dep1] and activity.region == built.county

    outsider = DeputyFactory(region=built.other_county)
    response = client.post(url, {"kind": "research", "title": "越权", "date": "2025-04-02", "deputies": [outsider.pk]})
    assert response.status_code == 200 and DutyActivity.objects.count() == 1


# --- the record books ---------------------------------------------------------------------------
def test_a_book_prints_and_exports_the_same_rows(client, built, staff):
    params = {"start": "2025-06-01", "end": "2025-06-30"}
    page = get(client, staff, "stats:book", built.station.pk, "suggestions", **params)
    assert page.status_code == 200
    rows = page.context["book"].rows
    assert [r[1] for r in rows] == [built.rows["A"].code, built.rows["B"].code]
    export = get(client, staff, "stats:book_xlsx", built.station.pk, "suggestions", **params)
    sheet = load_workbook(io.BytesIO(export.content), read_only=True).active
    exported = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [r[1] for r in exported] == [r[1] for r in rows]
    assert "138****5678" in page.content.decode()  # phones are masked on paper


def test_books_of_another_countys_station_are_not_found(client, built):
    stranger = UserFactory(role=Role.STAFF, region=built.other_county)
    assert get(client, stranger, "stats:book", built.station.pk, "receptions").status_code == 404
    assert get(client, stranger, "stats:book_xlsx", built.station.pk, "feedback").status_code == 404


def test_books_index_lists_the_regions_stations(client, built, staff):
    response = get(client, staff, "stats:books")
    assert [s.pk for s in response.context["page"].object_list] == [built.station.pk]
