"""The duty computation's rules (suggestions/duty.py): a received opinion is 联系选民 once answered
and never 领衔; a converted opinion counts once; 述职 from its record; pending or returned
activities do not score; every figure counts an item once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from deputies.models import Deputy, DutyItem
from suggestions import duty
from tests.factories import (
    DeputyFactory,
    DutyActivityFactory,
    DutyReportFactory,
    DutyScoreWeightFactory,
    StationFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
)

SH = ZoneInfo("Asia/Shanghai")
MARCH = datetime.datetime(2026, 3, 5, 10, tzinfo=SH)


@pytest.fixture
def deputy(changzhi):
    return DeputyFactory(region=changzhi["township"], name="赵代表")


def counts_of(deputy, year=2026):
    return dict(duty.duty_counts(deputies=Deputy.objects.filter(pk=deputy.pk), year=year).get(deputy.pk, {}))


def opinion(deputy, **fields):
    suggestion = SuggestionFactory(region=deputy.region, created_at=MARCH, **fields)
    SuggestionDeputyFactory(suggestion=suggestion, deputy=deputy, role="lead")
    return suggestion


def test_a_received_opinion_counts_as_contact_once_answered_and_never_as_led(deputy):
    opinion(deputy)  # submitted, not answered
    opinion(deputy, status="replied", replied_at=MARCH, result="A")
    opinion(deputy, status="accepted", fed_back_at=MARCH)  # the voter was told
    opinion(deputy, status="closed", closed_at=MARCH)
    assert counts_of(deputy) == {DutyItem.CONTACT_VOTERS: 3}


def test_a_converted_opinion_counts_once_as_the_suggestion_it_became(deputy):
    source = opinion(deputy, status="closed", closed_at=MARCH)
    converted = SuggestionFactory(region=deputy.region, kind="deputy_suggestion", converted_from=source,
                                  created_at=MARCH)
    SuggestionDeputyFactory(suggestion=converted, deputy=deputy, role="lead")
    assert counts_of(deputy) == {DutyItem.SUGGESTION_LEAD: 1}
    record = duty.duty_record(deputy=deputy, year=2026)
    assert record.lead == [converted] and record.received == []


def test_co_signing_counts_only_on_deputy_suggestions(deputy):
    cosigned = SuggestionFactory(region=deputy.region, kind="deputy_suggestion", created_at=MARCH)
    SuggestionDeputyFactory(suggestion=cosigned, deputy=deputy, role="co_signer")
    assert set(duty.cosign_links().values_list("suggestion_id", flat=True)) == {cosigned.pk}
    assert counts_of(deputy) == {DutyItem.SUGGESTION_COSIGN: 1}


def test_reports_count_from_their_record_and_activities_only_when_confirmed(deputy, changzhi):
    station = StationFactory(region=changzhi["township"])
    DutyReportFactory(deputy=deputy, station=station, date=datetime.date(2026, 4, 20))
    DutyReportFactory(deputy=deputy, station=station, date=datetime.date(2025, 4, 20))
    DutyActivityFactory(kind="legislation", date=datetime.date(2026, 5, 1), region=changzhi["county"],
                        deputies=[deputy])  # recorded by staff: confirmed
    DutyActivityFactory(kind="research", status="pending", date=datetime.date(2026, 5, 2),
                        region=changzhi["county"], deputies=[deputy])
    DutyActivityFactory(kind="research", status="returned", date=datetime.date(2026, 5, 3),
                        region=changzhi["county"], deputies=[deputy])
    assert counts_of(deputy) == {DutyItem.REPORT: 1, DutyItem.LEGISLATION: 1}
    score = duty.duty_score(deputy=deputy, year=2026)
    assert score.points[DutyItem.REPORT] == Decimal("5") and score.points[DutyItem.LEGISLATION] == Decimal("2")


def test_the_new_items_take_the_regions_weights(deputy, changzhi):
    DutyScoreWeightFactory(region=changzhi["county"], item="contact_voters", points=Decimal("2"), cap=Decimal("3"))
    for _i in range(4):
        opinion(deputy, status="closed", closed_at=MARCH)
    score = duty.duty_score(deputy=deputy, year=2026)
    assert score.counts[DutyItem.CONTACT_VOTERS] == 4 and score.points[DutyItem.CONTACT_VOTERS] == Decimal("3")


def test_the_public_summary_has_counts_and_highlights_only(deputy, changzhi):
    DutyReportFactory(deputy=deputy, station=StationFactory(region=changzhi["township"]),
                      date=datetime.date(2026, 4, 20), highlights="推动老旧小区加装电梯 12 部", summary="内部材料")
    opinion(deputy, status="closed", closed_at=MARCH, submitter_name="张三丰")
    summary = duty.public_summary(deputy=deputy, year=2026)
    assert summary["highlights"] == ["推动老旧小区加装电梯 12 部"]
    assert dict(summary["lines"]) == {"联系选民（接收并答复群众意见）": 1, "向选民述职": 1}
    assert "张三丰" not in str(summary) and "内部材料" not in str(summary)
