"""The nightly snapshot (suggestions/stats/build.py) against a hand-counted book of suggestions.

`book` builds, row by row (as the historical import would, without events), the suggestions of
潞州区 in 2025 whose every figure is counted by hand in the comments; the snapshot of
2025-06-30 must give exactly those numbers.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suggestions.models import StatSnapshot, Status
from suggestions.stats.build import build_stats
from suggestions.stats.figures import FIGURE_NAMES
from tests.factories import (
    DeputyFactory,
    EvaluationFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UnitFactory,
    UserFactory,
)
from tests.suggestions.stats import book as stats_book
from tests.suggestions.stats.book import COUNTY_2025, DAY, D, at, lead, suggestion

book = stats_book.book  # the fixture


def row(*, dimension="region", key, period="year", region_code=None, date=DAY) -> StatSnapshot:
    return StatSnapshot.objects.get(date=date, period=period, dimension=dimension, key=str(key),
                                    region_code=region_code if region_code is not None else str(key))


def figures(snapshot) -> dict:
    return {name: getattr(snapshot, name) for name in FIGURE_NAMES}


def test_snapshot_gives_the_hand_counted_figures_of_the_county(book):
    build_stats(date=DAY)

    county = row(key=book.county.code)
    assert figures(county) == COUNTY_2025
    assert (county.period_start, county.period_end) == (D(2025, 1, 1), DAY)
    assert county.feedback_rate == round(3 / 11, 4)
    assert county.satisfaction_rate == 1.0
    assert county.due == 5 and county.on_time_rate == 0.4
    assert county.avg_handle_days == 9.2 and county.avg_total_days == 15.0


def test_month_and_twelve_months_count_their_own_suggestions(book):
    build_stats(date=DAY)

    june = row(key=book.county.code, period="month")
    assert (june.period_start, june.period_end) == (D(2025, 6, 1), DAY)
    assert june.collected == 9  # A B C D E F H J K: not G (May) nor M (January)
    assert june.rehandled == 0 and june.evaluated == 1

    twelve = row(key=book.county.code, period="rolling12")
    assert (twelve.period_start, twelve.period_end) == (D(2024, 7, 1), DAY)
    assert twelve.collected == 13  # the year's 11, N and O
    assert twelve.total_days_sum == 38 and twelve.total_days_n == 3  # + O's 8


def test_every_dimension_is_counted_by_its_own_key(book):
    build_stats(date=DAY)

    assert row(key=book.township.code).collected == 11
    assert row(key=book.county.code[:4]).collected == 12  # + L in 上党区
    assert row(key=book.county.code[:2]).collected == 12
    assert row(key=book.other_county.code).collected == 1

    station = row(dimension="station", key=book.station.pk, region_code=book.township.code)
    assert (station.collected, station.replied) == (2, 2)  # A B

    u1 = row(dimension="unit", key=book.u1.pk, region_code=book.county.code)
    assert (u1.collected, u1.replied_on_time, u1.replied_late, u1.overdue) == (3, 2, 1, 0)  # A G / B
    u2 = row(dimension="unit", key=book.u2.pk, region_code=book.county.code)
    assert (u2.collected, u2.replied_on_time, u2.replied_late, u2.overdue) == (3, 0, 1, 1)  # C D K: the returned lead U1 does not get C
    assert not StatSnapshot.objects.filter(dimension="unit", key=str(book.u3.pk)).exists()

    assert row(dimension="category", key=book.c1.pk, region_code=book.county.code).collected == 8  # A B C E F H K M
    assert row(dimension="category", key=book.c2.pk, region_code=book.county.code).collected == 3  # D G J
    assert row(dimension="category", key=book.c1.pk, region_code=book.county.code[:4]).collected == 9  # + L
    assert row(dimension="deputy", key=book.dep1.pk, region_code=book.township.code).collected == 3  # A G J


def test_rebuilding_a_date_replaces_its_rows(book):
    first = build_stats(date=DAY)
    before = {(r.period, r.dimension, r.region_code, r.key): figures(r) for r in StatSnapshot.objects.filter(date=DAY)}

    again = build_stats(date=DAY)
    after = {(r.period, r.dimension, r.region_code, r.key): figures(r) for r in StatSnapshot.objects.filter(date=DAY)}
    assert again.rows == first.rows == len(before) == len(after)
    assert after == before

    # What changed since shows in the rebuilt rows, and nothing is counted twice.
    book.rows["E"].delete()
    build_stats(date=DAY)
    assert row(key=book.county.code).declined == 1
    assert StatSnapshot.objects.filter(date=DAY).count() == len(before)


def test_other_dates_stay_and_old_days_are_pruned_except_month_ends(book, settings):
    settings.LIAISON = {**settings.LIAISON, "STATS_KEEP_DAILY_DAYS": 30}
    results = [build_stats(date=day) for day in (D(2025, 5, 15), D(2025, 5, 31), D(2025, 6, 29), DAY)]

    dates = set(StatSnapshot.objects.values_list("date", flat=True).distinct())
    assert dates == {D(2025, 5, 31), D(2025, 6, 29), DAY}
    assert [r.pruned > 0 for r in results] == [False, False, True, False]  # 15 May went on 29 June
    assert row(key=book.county.code, period="month", date=D(2025, 5, 31)).collected == 1  # G


def test_receptions_and_coverage_are_added_to_region_and_station_rows(book):
    ReceptionFactory(station=book.station, date=D(2025, 6, 15), status="recorded", visitor_count=12)
    ReceptionFactory(station=book.station, date=D(2025, 3, 15), status="recorded", visitor_count=8)
    ReceptionFactory(station=book.station, date=D(2025, 6, 20), status="scheduled", visitor_count=0)
    quiet = StationFactory(region=book.township, name="无意见站")
    ReceptionFactory(station=quiet, date=D(2025, 6, 1), status="recorded", visitor_count=5)
    in_station = DeputyFactory(region=book.township)
    MandateFactory(deputy=in_station, started_on=D(2021, 10, 1))
    StationMembershipFactory(deputy=in_station, station=book.station)
    outside = DeputyFactory(region=book.township)
    MandateFactory(deputy=outside, started_on=D(2021, 10, 1))
    retired = DeputyFactory(region=book.township)
    MandateFactory(deputy=retired, started_on=D(2016, 10, 1), ended_on=D(2021, 9, 30))

    build_stats(date=DAY)

    station = row(dimension="station", key=book.station.pk, region_code=book.township.code)
    assert (station.receptions, station.visitors, station.collected) == (2, 20, 2)
    june = row(dimension="station", key=book.station.pk, region_code=book.township.code, period="month")
    assert (june.receptions, june.visitors) == (1, 12)
    only_receptions = row(dimension="station", key=quiet.pk, region_code=book.township.code)
    assert (only_receptions.receptions, only_receptions.collected) == (1, 0)
    county = row(key=book.county.code)
    assert (county.receptions, county.visitors, county.collected) == (3, 25, 11)
    assert (county.deputies, county.deputies_in_stations) == (2, 1)  # the retired deputy is not counted


def test_the_snapshot_takes_the_same_number_of_queries_whatever_the_data(book):
    with CaptureQueriesContext(connection) as small:
        build_stats(date=DAY)
    for i in range(20):
        s = suggestion(book.township, created=at(2025, 6, 1 + i % 28), status=Status.CLOSED, category=book.c2,
                       station=book.station, deputy=DeputyFactory(region=book.township), result="A",
                       replied_at=at(2025, 6, 28), closed_at=at(2025, 6, 29))
        lead(s, UnitFactory(region=book.county), assigned=at(2025, 6, 2), deadline=D(2025, 7, 1), status="replied",
             replied=at(2025, 6, 28), result="A")
        EvaluationFactory(suggestion=s, rating="satisfied")
    with CaptureQueriesContext(connection) as large:
        build_stats(date=DAY)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert row(key=book.county.code).collected == 31


# --- the command and the nightly task -------------------------------------------------------
def test_command_builds_the_given_date_and_reruns_replace_it(book, capsys):
    call_command("build_stats", "--date", "2025-06-30")
    call_command("build_stats", "--date", "2025-06-30")
    assert row(key=book.county.code).collected == 11
    assert StatSnapshot.objects.filter(date=DAY, period="year", dimension="region", key=book.county.code).count() == 1
    assert "2025-06-30" in capsys.readouterr().out


def test_command_defaults_to_yesterday_and_refuses_bad_dates(book):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    suggestion(book.township, created=at(yesterday.year, yesterday.month, yesterday.day))
    call_command("build_stats")
    assert row(key=book.county.code, period="month", date=yesterday).collected == 1
    with pytest.raises(CommandError):
        call_command("build_stats", "--date", "30/06/2025")
    with pytest.raises(CommandError):
        call_command("build_stats", "--date", (timezone.localdate() + datetime.timedelta(days=1)).isoformat())


@pytest.fixture
def eager():
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_nightly_task_builds_the_day_and_mails_the_configured_staff_once(book, settings, eager):
    from suggestions import tasks

    staff = UserFactory(username="tongji", role="staff", region=book.county, email="tongji@example.cn")
    UserFactory(username="nomail", role="staff", region=book.county, email="")
    settings.LIAISON = {**settings.LIAISON, "STATS_EMAIL_USERS": ["tongji", "nomail", "ghost"]}

    result = tasks.build_stats_nightly.apply(kwargs={"day": "2025-06-30"}).get()
    assert result["date"] == "2025-06-30" and result["rows"] > 0
    assert [m.to for m in mail.outbox] == [[staff.email]]
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name.endswith(".xlsx") and mimetype.startswith("application/vnd.openxmlformats")

    tasks.email_stats_workbooks.apply(args=["2025-06-30"]).get()
    assert len(mail.outbox) == 1  # redelivered: nothing sent twice


def test_beat_runs_the_snapshot_at_half_past_one():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["suggestions-build-stats"]
    assert entry["task"] == "suggestions.tasks.build_stats_nightly"
    assert entry["schedule"].hour == {1} and entry["schedule"].minute == {30}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


# --- the benchmark command ------------------------------------------------------------------
def test_bench_generates_a_province_builds_it_and_agrees_with_the_raw_sql(db, capsys):
    from suggestions.models import Suggestion

    call_command("bench_stats", "--count", "400", "--cities", "1", "--repeat", "1")
    out = capsys.readouterr().out
    assert Suggestion.objects.count() == 400
    assert "| `build_stats`" in out and "`summary()` live" in out
    if connection.vendor == "postgresql":
        assert "all equal" in out


def test_bench_refuses_a_database_with_suggestions(book):
    with pytest.raises(CommandError):
        call_command("bench_stats", "--count", "10")
