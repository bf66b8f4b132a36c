"""The live figures read through the ledger (suggestions/stats/ledger.py, summary.py): identical
to the nightly snapshot of the same period, before and after the rows change, for any period."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from liaison.models import Role
from stations.models import Region
from suggestions.models import StatLedger, StatLedgerBuild, StatLedgerCell, StatSnapshot, Status
from suggestions.services.history import suggestion_import_historical
from suggestions.stats.build import build_stats
from suggestions.stats.figures import FIGURE_NAMES
from suggestions.stats.ledger import ledger_rebuild
from suggestions.stats.periods import rolling_start
from suggestions.stats.summary import summary
from tests.factories import (
    CategoryFactory,
    DeputyFactory,
    EvaluationFactory,
    HolidayFactory,
    SuggestionFactory,
    UnitFactory,
    UserFactory,
)
from tests.suggestions.stats import book as stats_book
from tests.suggestions.stats.book import COUNTY_2025, DAY, D, at, lead, suggestion

book = stats_book.book  # the fixture
NO_MARGIN = {"STATS_LEDGER_MARGIN_SECONDS": 0}


def no_margin():
    """The ledger's cutoff is the rebuild itself (a test's writes all fall within the default hour)."""
    from django.conf import settings

    return override_settings(LIAISON={**getattr(settings, "LIAISON", {}), **NO_MARGIN})


@pytest.fixture
def full_book(book):
    """The hand-counted book plus what it lacks: deputies' suggestions in and between sessions,
    one converted from a voter's opinion, result D, a deputy's unsatisfied rating awaiting
    re-handling, a suggestion without a category, a lead unit of another county."""
    township, u3 = book.township, book.u3
    converted = suggestion(township, created=at(2025, 3, 4), kind="deputy_suggestion", session="interim",
                           category=book.c1, deputy=book.dep1)
    opinion = suggestion(township, created=at(2025, 3, 3), status=Status.MERGED, category=book.c1, merged_into=converted)
    converted.converted_from = opinion
    converted.save()
    suggestion(township, created=at(2025, 3, 5), kind="deputy_suggestion", session="in_session", category=book.c2)
    d = suggestion(township, created=at(2025, 4, 1), status=Status.REPLIED, category=book.c2, route="district",
                   result="D", replied_at=at(2025, 4, 20, 15))
    lead(d, u3, assigned=at(2025, 4, 2), deadline=D(2025, 4, 30), status="replied", replied=at(2025, 4, 20, 15), result="D")
    EvaluationFactory(suggestion=d, deputy=book.dep1, rating="unsatisfied", at=at(2025, 4, 25))
    suggestion(township, created=at(2025, 4, 8), category=None)
    return book


def snapshot(*, date, period, dimension, region_code, key=None) -> dict:
    rows = StatSnapshot.objects.filter(date=date, period=period, dimension=dimension, region_code=region_code)
    if key is not None:
        rows = rows.filter(key=key)
    return {row.key: {name: getattr(row, name) for name in FIGURE_NAMES} for row in rows}


def assert_live_is_the_snapshot(*, date, period, regions, province) -> int:
    """Every region's total and categories, and the province's units, live against the snapshot."""
    start = StatSnapshot.objects.filter(date=date, period=period).values_list("period_start", flat=True).first()
    compared = 0
    for code in regions:
        live = summary(region=code, start=start, end=date)
        assert {code: live.total.as_dict()} == snapshot(date=date, period=period, dimension="region",
                                                        region_code=code, key=code)
        assert {str(k): f.as_dict() for k, f in live.by_category} == snapshot(
            date=date, period=period, dimension="category", region_code=code)
        compared += 1 + len(live.by_category)
        if code == province:
            units = {key: figures for key, figures in _all_units(date, period).items()}
            assert {str(k): f.as_dict() for k, f in live.by_unit} == units
            compared += len(units)
    return compared


def _all_units(date, period) -> dict:
    rows = StatSnapshot.objects.filter(date=date, period=period, dimension="unit")
    return {row.key: {name: getattr(row, name) for name in FIGURE_NAMES} for row in rows}


def regions_of(book) -> list[str]:
    return [book.township.code, book.county.code, book.other_county.code, book.county.code[:4], book.county.code[:2]]


@pytest.mark.parametrize("margin", [0, 3600], ids=["read-from-the-ledger", "all-recounted-within-the-margin"])
@pytest.mark.parametrize("period", ["year", "month", "rolling12"])
def test_live_figures_are_the_nightly_snapshots_for_every_region_category_and_unit(full_book, settings, margin, period):
    settings.LIAISON = {**getattr(settings, "LIAISON", {}), "STATS_LEDGER_MARGIN_SECONDS": margin}
    build_stats(date=DAY)
    assert StatLedger.objects.count() == 20  # every suggestion, whatever its date

    compared = assert_live_is_the_snapshot(date=DAY, period=period, regions=regions_of(full_book),
                                           province=full_book.county.code[:2])
    assert compared > 10


def test_the_ledger_counts_the_hand_counted_county(book):
    with no_margin():
        ledger_rebuild()
        assert summary(region=book.county.code, start=D(2025, 1, 1), end=DAY).total.as_dict() == COUNTY_2025


def test_an_unchanged_suggestion_is_read_from_the_ledger_and_a_changed_one_recounted(book):
    with no_margin():
        ledger_rebuild()
        year = {"region": book.township.code, "start": D(2025, 1, 1), "end": DAY}
        assert summary(**year).total.collected == 11

        # Prove the ledger is what is read: a row altered behind the service's back shows...
        StatLedger.objects.filter(suggestion_id=book.rows["E"].pk).update(collected=0)
        assert summary(**year).total.collected == 10

        # ...until its suggestion changes: from then on it is recounted from its rows.
        book.rows["E"].save()
        assert summary(**year).total.collected == 11


def test_whole_months_of_a_county_are_read_from_the_monthly_cells(book):
    with no_margin():
        ledger_rebuild()
        e = book.rows["E"]
        cells = StatLedgerCell.objects.filter(month=D(2025, 6, 1), region=book.county.code)
        # E's category cell of June, altered behind the service's back: the whole year reads it.
        cells.filter(dimension="category", key=e.category_id).update(collected=F("collected") - 1)
        assert summary(region=book.county.code, start=D(2025, 1, 1), end=DAY).total.collected == 10
        # June 10 to 30 is no whole month: its rows are read (D E F J).
        assert summary(region=book.county.code, start=D(2025, 6, 10), end=DAY).total.collected == 4


def test_writes_within_the_margin_before_the_rebuild_are_recounted(book):
    """The default margin: a write stamped up to an hour before the rebuild (a transaction that
    committed while it ran) is recounted, so a ledger row that missed it is never read."""
    ledger_rebuild()
    StatLedger.objects.filter(suggestion_id=book.rows["E"].pk).update(collected=0, declined=0)
    result = summary(region=book.township.code, start=D(2025, 1, 1), end=DAY).total
    assert (result.collected, result.declined) == (11, 2)


def test_changes_after_the_snapshot_are_counted_as_a_fresh_nightly_would(full_book):
    book = full_book
    with no_margin():
        build_stats(date=DAY)
        cutoff = StatLedgerBuild.objects.get().cutoff

        # C's overdue lead unit replies (an overdue state replaced by a late reply, not added to it).
        c = book.rows["C"]
        c_lead = c.assignments.get(status="signed")
        c_lead.status, c_lead.replied_at, c_lead.result = "replied", at(2025, 6, 25, 10), "B"
        c_lead.save()
        c.status, c.replied_at, c.result = Status.REPLIED, at(2025, 6, 25, 10), "B"
        c.save()
        # A new evaluation only (its suggestion's row untouched): D's deputy is satisfied.
        EvaluationFactory(suggestion=book.rows["D"], deputy=book.dep1, rating="satisfied")
        # K moves to the other county, E to another category, F is fed back no more.
        k = book.rows["K"]
        k.region = Region.objects.get(code="140404100")  # 上党区's township
        k.save()
        e = book.rows["E"]
        e.category = CategoryFactory(name="交通")
        e.save()
        f = book.rows["F"]
        f.fed_back_at = None
        f.save()
        # A suggestion made today in June 2025's books (the historical import), and one of today.
        suggestion_import_historical(
            by=UserFactory(role=Role.STAFF, region=book.county.parent), title="路灯不亮", content="请修复。", region=book.township, category=book.c2,
            deputies=[DeputyFactory(region=book.township)], status=Status.CLOSED, route="district",
            lead_unit=UnitFactory(region=book.county), co_units=[], submitted_on=D(2025, 6, 3),
            accepted_on=D(2025, 6, 3), assigned_on=D(2025, 6, 4), deadline=D(2025, 6, 30), replied_on=D(2025, 6, 20),
            closed_on=D(2025, 6, 21), fed_back_on=D(2025, 6, 22), feedback_channel="phone", result="A", reply="已修复。",
            rating="satisfied",
        )
        SuggestionFactory(region=book.township, category=book.c1)
        assert StatLedgerBuild.objects.get().cutoff == cutoff  # the ledger is still last night's

        regions = regions_of(book)
        live = {
            (code, period): summary(region=code, start=start, end=DAY)
            for code in regions
            for period, start in [("year", D(2025, 1, 1)), ("rolling12", rolling_start(DAY))]
        }
        build_stats(date=DAY)  # a fresh nightly of the changed rows

    for (code, period), result in live.items():
        assert {code: result.total.as_dict()} == snapshot(date=DAY, period=period, dimension="region",
                                                          region_code=code, key=code)
        assert {str(k): f.as_dict() for k, f in result.by_category} == snapshot(
            date=DAY, period=period, dimension="category", region_code=code)
    province = live[(book.county.code[:2], "year")]
    assert {str(k): f.as_dict() for k, f in province.by_unit} == _all_units(DAY, "year")
    county = live[(book.county.code, "year")].total
    # C replied late (no longer overdue), K left for 上党区 (15 = 11 + 4 of full_book - K + the import);
    # F's feedback undone, the import fed back.
    assert (county.overdue, county.replied_late, county.fed_back, county.collected) == (0, 2, 3, 15)


def test_overdue_is_judged_on_the_day_read_not_the_night_built(book):
    with no_margin():
        build_stats(date=DAY)
        # D's deadline (1 August) passes with no row changing: the ledger row is read, overdue is counted now.
        later = D(2025, 8, 5)
        live = summary(region=book.county.code, start=D(2025, 1, 1), end=later).total
        assert live.overdue == 2  # C and D
        build_stats(date=later)
    assert live.as_dict() == snapshot(date=later, period="year", dimension="region", region_code=book.county.code,
                                      key=book.county.code)[book.county.code]


def test_a_holiday_entered_after_the_rebuild_counts_at_once(book):
    with no_margin():
        ledger_rebuild()
        period = {"region": book.township.code, "start": D(2024, 9, 1), "end": D(2024, 10, 31)}
        assert summary(**period).total.avg_assign_days == 3
        HolidayFactory(date=D(2024, 10, 8), is_workday=False, note="调整")
        result = summary(**period).total
    assert (result.avg_assign_days, result.avg_handle_days) == (2, 4)


def test_any_period_counts_the_same_with_or_without_the_ledger(full_book):
    periods = [(D(2025, 6, 5), D(2025, 6, 12)), (D(2024, 12, 31), D(2025, 1, 1)), (D(2023, 1, 1), D(2025, 12, 31))]
    recounted = {p: summary(region=full_book.county.code[:4], start=p[0], end=p[1]) for p in periods}
    with no_margin():
        ledger_rebuild()
        for (start, end), expected in recounted.items():
            live = summary(region=full_book.county.code[:4], start=start, end=end)
            assert live.total.as_dict() == expected.total.as_dict()
            assert [(k, f.as_dict()) for k, f in live.by_category] == [(k, f.as_dict()) for k, f in expected.by_category]
            assert [(k, f.as_dict()) for k, f in live.by_unit] == [(k, f.as_dict()) for k, f in expected.by_unit]


def test_a_deleted_suggestion_leaves_the_ledger_and_retires_the_cells(book):
    with no_margin():
        ledger_rebuild()
        m = book.rows["M"]
        m.delete()
        assert not StatLedger.objects.filter(suggestion_id=m.pk).exists()
        assert StatLedgerBuild.objects.get().calendar == ""  # the cells still count M: not read
        assert summary(region=book.county.code, start=D(2025, 1, 1), end=DAY).total.collected == 10
        ledger_rebuild()
        assert summary(region=book.county.code, start=D(2025, 1, 1), end=DAY).total.collected == 10


def _summary_queries(django_assert_num_queries, region, expected):
    today = timezone.localdate()
    with django_assert_num_queries(expected):
        summary(region=region, start=today - datetime.timedelta(days=1000), end=today)


@pytest.mark.parametrize("level", ["province", "township"])
def test_the_summary_runs_a_fixed_number_of_queries_whatever_the_rows(book, django_assert_num_queries, level):
    # The savepoint and its release (2), the ledger's build (1), the changed ids (3), the working
    # days (3 + their INSERT batches: 1,002 days are 2 on PostgreSQL, 3 on SQLite), the
    # evaluations, stage and facts (2 each), the two GROUP BYs, the five DROPs; PostgreSQL also
    # sets the session (2) and analyses the four staged tables. Both read the calendar's
    # fingerprint; a county or above then the whole months' cells, the changed rows they hold
    # and their overdue (3 more).
    region = book.county.code[:2] if level == "province" else book.township.code
    expected = (30 if connection.vendor == "postgresql" else 25) + (4 if level == "province" else 1)
    with no_margin():
        ledger_rebuild()
        _summary_queries(django_assert_num_queries, region, expected)
        for day in range(1, 29):
            SuggestionFactory(region=book.township, category=book.c1, created_at=timezone.now() - datetime.timedelta(days=day))
        book.rows["A"].save()
        _summary_queries(django_assert_num_queries, region, expected)
        ledger_rebuild()
        _summary_queries(django_assert_num_queries, region, expected)


def test_no_ledger_yet_counts_everything_afresh(book):
    assert not StatLedgerBuild.objects.exists()
    assert summary(region=book.county.code, start=D(2025, 1, 1), end=DAY).total.as_dict() == COUNTY_2025
