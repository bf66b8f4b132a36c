"""一表两卡三簿 (suggestions/books.py): what each book lists for a station and a period."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from suggestions import books
from tests.factories import (
    AssignmentFactory,
    DeputyFactory,
    FeedbackFactory,
    ReceptionFactory,
    StationFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
    UnitFactory,
    UserFactory,
)

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
JUNE = {"start": D(2025, 6, 1), "end": D(2025, 6, 30)}


@pytest.fixture
def station(changzhi):
    return StationFactory(region=changzhi["township"], name="太东站")


def test_schedule_lists_scheduled_and_held_receptions_not_cancelled(station):
    deputy = DeputyFactory(name="钱代表")
    ReceptionFactory(station=station, date=D(2025, 6, 15), status="scheduled", deputies=[deputy],
                     starts_at=datetime.time(9), ends_at=datetime.time(11, 30), topic="民生")
    ReceptionFactory(station=station, date=D(2025, 6, 5), status="recorded")
    ReceptionFactory(station=station, date=D(2025, 6, 20), status="cancelled")
    ReceptionFactory(station=station, date=D(2025, 7, 1), status="scheduled")
    ReceptionFactory(station=StationFactory(region=station.region), date=D(2025, 6, 15), status="scheduled")
    book = books.schedule(station=station, **JUNE)
    assert [row[0] for row in book.rows] == ["2025-06-05", "2025-06-15"]
    assert book.rows[1][1:] == ["09:00–11:30", "进站接待", "钱代表", "民生"]


def test_reception_book_lists_held_receptions_with_their_issues(station):
    held = ReceptionFactory(station=station, date=D(2025, 6, 15), status="recorded", visitor_count=7, summary="反映路灯问题")
    ReceptionFactory(station=station, date=D(2025, 6, 16), status="scheduled")
    issue = SuggestionFactory(region=station.region, station=station, reception=held, title="路灯不亮")
    book = books.reception_book(station=station, **JUNE)
    assert len(book.rows) == 1
    assert book.rows[0][3:] == [7, "反映路灯问题", f"路灯不亮（{issue.code}）"]


def test_suggestion_book_lists_the_stations_suggestions_of_the_period_in_shanghai_days(station):
    deputy = DeputyFactory(name="孙代表")
    first = SuggestionFactory(region=station.region, station=station, created_at=datetime.datetime(2025, 5, 31, 16, 30, tzinfo=UTC),
                              status="handling", route="district", submitter_phone="13812345678")
    SuggestionDeputyFactory(suggestion=first, deputy=deputy)
    AssignmentFactory(suggestion=first, unit=UnitFactory(name="退回的局"), status="returned", deadline=D(2025, 6, 30))
    AssignmentFactory(suggestion=first, unit=UnitFactory(name="住建局"), status="signed", deadline=D(2025, 7, 20))
    SuggestionFactory(region=station.region, station=station, created_at=datetime.datetime(2025, 6, 30, 16, 10, tzinfo=UTC))
    SuggestionFactory(region=station.region, created_at=datetime.datetime(2025, 6, 10, tzinfo=SH))  # no station
    book = books.suggestion_book(station=station, **JUNE)
    assert len(book.rows) == 1
    row = dict(zip(book.columns, book.rows[0], strict=True))
    assert row["登记日期"] == "2025-06-01" and row["查询码"] == first.code
    assert row["联系电话"] == "138****5678" and row["接待代表"] == "孙代表"
    assert row["主办单位"] == "住建局" and row["办理期限"] == "2025-07-20" and row["状态"] == "办理中"


def test_feedback_book_lists_the_feedback_given_in_the_period(station):
    suggestion = SuggestionFactory(region=station.region, station=station, status="closed", result="A",
                                   closed_at=datetime.datetime(2025, 6, 1, tzinfo=SH))
    FeedbackFactory(suggestion=suggestion, channel="phone", by=UserFactory(name="周干事"),
                    at=datetime.datetime(2025, 6, 2, 10, tzinfo=SH))
    FeedbackFactory(suggestion=suggestion, at=datetime.datetime(2025, 7, 2, 10, tzinfo=SH))
    book = books.feedback_book(station=station, **JUNE)
    assert book.rows == [["2025-06-02", suggestion.code, suggestion.title, "张**", "A 已解决或采纳", "电话",
                          "已电话告知办理结果。", "周干事"]]


def test_the_workbook_has_the_title_the_header_and_the_same_rows(station):
    ReceptionFactory(station=station, date=D(2025, 6, 15), status="recorded")
    book = books.reception_book(station=station, **JUNE)
    sheet = load_workbook(io.BytesIO(books.book_xlsx(book))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "代表联系和接待走访群众记录簿" and "太东站" in rows[1][0]
    assert rows[2] == book.columns
    assert [[("" if v is None else v) for v in r] for r in rows[3:]] == book.rows
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"


@pytest.mark.parametrize("kind", list(books.BOOKS))
def test_each_book_takes_a_fixed_number_of_queries(station, kind, django_assert_max_num_queries):
    for day in range(1, 9):
        reception = ReceptionFactory(station=station, date=D(2025, 6, day), status="recorded",
                                     deputies=[DeputyFactory(), DeputyFactory()])
        suggestion = SuggestionFactory(region=station.region, station=station, reception=reception,
                                       created_at=datetime.datetime(2025, 6, day, tzinfo=SH))
        SuggestionDeputyFactory(suggestion=suggestion)
        AssignmentFactory(suggestion=suggestion)
        FeedbackFactory(suggestion=suggestion, at=datetime.datetime(2025, 6, day, tzinfo=SH))
    with django_assert_max_num_queries(4):
        assert len(books.build(kind, station=station, **JUNE).rows) == 8
