"""The live figures (suggestions/stats/summary.py): the same staging as the snapshot, any period."""

from __future__ import annotations

import datetime

from django.utils import timezone

from suggestions.models import Status
from suggestions.services.closing import suggestion_feedback
from suggestions.services.history import suggestion_import_historical
from suggestions.stats.summary import summary
from tests.factories import DeputyFactory, HolidayFactory, UnitFactory
from tests.suggestions.stats import book as stats_book
from tests.suggestions.stats.book import D

book = stats_book.book  # the fixture


def test_the_day_is_the_day_in_shanghai(book):
    result = summary(region=book.township.code, start=D(2025, 6, 1), end=D(2025, 6, 1))
    assert result.total.collected == 1  # H: 16:30 UTC on 31 May

    result = summary(region=book.township.code, start=D(2025, 7, 1), end=D(2025, 7, 1))
    assert result.total.collected == 1  # I: 16:10 UTC on 30 June

    result = summary(region=book.township.code, start=D(2025, 1, 1), end=D(2025, 1, 1))
    assert result.total.collected == 1 and result.total.declined == 1  # M, not N

    # K's reply at 00:10 on 11 June (Shanghai) missed its 10 June deadline.
    result = summary(region=book.township.code, start=D(2025, 6, 3), end=D(2025, 6, 3))
    assert (result.total.replied_late, result.total.replied_on_time) == (1, 0)


def test_average_days_are_working_days_with_holidays_and_make_up_days(book):
    result = summary(region=book.township.code, start=D(2024, 9, 1), end=D(2024, 10, 31)).total
    assert result.collected == 1  # O
    assert (result.avg_assign_days, result.avg_handle_days, result.avg_close_days, result.avg_total_days) == (3, 4, 1, 8)

    # A day the staff enter as a holiday (节假日调整) counts as one, at once.
    HolidayFactory(date=D(2024, 10, 8), is_workday=False, note="调整")
    result = summary(region=book.township.code, start=D(2024, 9, 1), end=D(2024, 10, 31)).total
    assert (result.avg_assign_days, result.avg_handle_days) == (2, 4)
def test_imported_and_workflow_made_suggestions_count_the_same(world):
    today = timezone.localdate()
    made = world.drive(world.submit(), Status.CLOSED)
    suggestion_feedback(suggestion=made, by=world.staff, channel="phone")
    voter = DeputyFactory(region=world.other_township)
    suggestion_import_historical(
        by=world.city_staff, title="路灯不亮", content="请修复。", region=world.other_township, category=world.category,
        deputies=[voter], status=Status.CLOSED, route="district", lead_unit=world.foreign_unit,
        co_units=[UnitFactory(region=world.other_county)], submitted_on=today, accepted_on=today, assigned_on=today,
        deadline=today + datetime.timedelta(days=30), replied_on=today, closed_on=today, fed_back_on=today,
        feedback_channel="phone", result="A", reply="已修复。", rating="satisfied",
    )

    year = today.replace(month=1, day=1)
    workflow_made = summary(region=world.county.code, start=year, end=today).total.as_dict()
    imported = summary(region=world.other_county.code, start=year, end=today).total.as_dict()
    assert workflow_made == imported
    assert workflow_made["collected"] == workflow_made["closed"] == workflow_made["fed_back"] == 1
    assert workflow_made["replied_on_time"] == workflow_made["satisfied"] == workflow_made["result_a"] == 1
