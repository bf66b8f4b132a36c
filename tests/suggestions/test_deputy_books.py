"""长治's three books per deputy (suggestions/deputy_books.py), 禹州's 转办意见建议登记卡, and who may
open them: the deputy their own, staff and leaders in scope; printable (A4) and in Excel."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Role
from suggestions import books
from tests.factories import (
    AssignmentFactory,
    ContactRecordFactory,
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
JUNE = {"start": D(2025, 6, 1), "end": D(2025, 6, 30)}
IN_JUNE = datetime.datetime(2025, 6, 10, 10, tzinfo=SH)


@pytest.fixture
def scene(changzhi):
    station = StationFactory(region=changzhi["township"], name="太东站")
    deputy = DeputyFactory(region=changzhi["township"], name="王秀英",
                           user=UserFactory(username="wang", role=Role.DEPUTY, region=None))
    return {**changzhi, "station": station, "deputy": deputy}


def link(deputy, role="lead", **fields):
    suggestion = SuggestionFactory(region=deputy.region, created_at=IN_JUNE, **fields)
    SuggestionDeputyFactory(suggestion=suggestion, deputy=deputy, role=role)
    return suggestion


def test_every_suggestion_the_deputy_leads_is_in_their_suggestion_book_station_or_not(scene):
    deputy = scene["deputy"]
    own = link(deputy, kind="deputy_suggestion", title="关于加装电梯的建议")  # no station
    at_station = link(deputy, kind="deputy_suggestion", station=scene["station"], title="关于路灯的建议")
    cosigned = link(deputy, role="co_signer", kind="deputy_suggestion", title="关于学校的建议")
    link(deputy, title="群众来信")  # a voter's opinion received: the feedback book, not this one
    book = books.build_for_deputy("suggestions", deputy=deputy, **JUNE)
    assert book.title == "代表提出建议意见情况记录簿"
    assert [(row[1], row[2]) for row in book.rows] == [(own.code, "领衔"), (at_station.code, "领衔"),
                                                       (cosigned.code, "附议")]


def test_the_feedback_book_lists_the_opinions_received_and_each_feedback(scene):
    deputy = scene["deputy"]
    received = link(deputy, title="路面积水", status="closed", closed_at=IN_JUNE)
    FeedbackFactory(suggestion=received, note="已当面告知")
    book = books.build_for_deputy("feedback", deputy=deputy, **JUNE)
    assert book.title == "反馈群众意见和诉求情况记录簿"
    [row] = book.rows
    assert row[1] == received.code and row[2] == "张**" and row[-1] == "已当面告知"  # no viewer: masked


def test_the_contact_book_has_receptions_of_every_mode_and_contacts_with_voters(scene):
    deputy = scene["deputy"]
    ReceptionFactory(station=scene["station"], date=D(2025, 6, 15), status="recorded", mode="visit",
                     deputies=[deputy])
    ReceptionFactory(station=scene["station"], date=D(2025, 6, 16), status="scheduled", deputies=[deputy])
    ContactRecordFactory(deputy=deputy, date=D(2025, 6, 3), people=8, note="走访低保户")
    book = books.build_for_deputy("receptions", deputy=deputy, **JUNE)
    assert book.title == "代表联系和接待走访群众记录簿"
    assert [(row[0], row[1]) for row in book.rows] == [("2025-06-03", "走访"), ("2025-06-15", "入户走访")]


def test_transfer_cards_are_one_per_item_passed_on(scene):
    passed = SuggestionFactory(region=scene["township"], station=scene["station"], created_at=IN_JUNE,
                               status="assigned")
    AssignmentFactory(suggestion=passed, unit=UnitFactory(name="区住建局", region=scene["county"]))
    SuggestionFactory(region=scene["township"], station=scene["station"], created_at=IN_JUNE)  # not passed on
    book = books.build("transfers", station=scene["station"], **JUNE)
    assert book.title == "转办意见建议登记卡" and book.is_cards
    [card] = book.cards()
    assert dict(card)["查询码"] == passed.code and dict(card)["转办单位"] == "区住建局"


def test_a_deputy_opens_their_own_books_and_not_anothers(client, scene):
    deputy = scene["deputy"]
    link(deputy, kind="deputy_suggestion", title="关于加装电梯的建议")
    client.force_login(deputy.user)
    assert client.get(reverse("deputies:my_books")).status_code == 200
    page = client.get(reverse("stats:deputy_book", args=[deputy.pk, "suggestions"]), {"start": "2025-06-01",
                                                                                     "end": "2025-06-30"})
    assert page.status_code == 200 and "关于加装电梯的建议" in page.content.decode()
    other = DeputyFactory(region=deputy.region)
    assert client.get(reverse("stats:deputy_book", args=[other.pk, "suggestions"])).status_code == 404
    assert client.get(reverse("stats:book", args=[scene["station"].pk, "suggestions"])).status_code == 403


def test_staff_in_scope_open_and_export_a_deputys_book_and_others_do_not(client, scene):
    deputy = scene["deputy"]
    link(deputy, kind="deputy_suggestion", title="关于加装电梯的建议")
    client.force_login(UserFactory(role=Role.STAFF, region=scene["county"]))
    response = client.get(reverse("stats:deputy_book_xlsx", args=[deputy.pk, "suggestions"]),
                          {"start": "2025-06-01", "end": "2025-06-30"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "代表提出建议意见情况记录簿" and "王秀英代表" in sheet["A2"].value
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.cell(row=4, column=4).value == "关于加装电梯的建议"
    client.force_login(UserFactory(role=Role.STAFF, region=scene["other_county"]))
    assert client.get(reverse("stats:deputy_book", args=[deputy.pk, "feedback"])).status_code == 404
