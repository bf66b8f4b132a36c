"""履职档案 and 履职考评计分 (suggestions/duty.py): counts from rows, weights per region, caps,
the writes, and the leading officials' quarterly visits."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from deputies.models import Deputy, DutyItem, DutyScoreWeight
from liaison.models import Role
from suggestions import duty
from suggestions.workflow import ActionNotPermitted
from tests.factories import (
    DeputyFactory,
    DutyActivityFactory,
    DutyScoreWeightFactory,
    EvaluationFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
    UserFactory,
)

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


@pytest.fixture
def place(changzhi):
    station = StationFactory(region=changzhi["township"])
    deputy = DeputyFactory(region=changzhi["township"], name="赵代表")
    return {**changzhi, "station": station, "deputy": deputy}


def led(deputy, created, role="lead"):
    suggestion = SuggestionFactory(region=deputy.region, created_at=created, kind="deputy_suggestion")
    SuggestionDeputyFactory(suggestion=suggestion, deputy=deputy, role=role)
    return suggestion


def test_counts_come_from_the_rows_of_the_year(place):
    deputy, station = place["deputy"], place["station"]
    ReceptionFactory(station=station, date=D(2025, 3, 15), status="recorded", deputies=[deputy])
    ReceptionFactory(station=station, date=D(2025, 4, 15), status="recorded", deputies=[deputy])
    ReceptionFactory(station=station, date=D(2025, 5, 15), status="scheduled", deputies=[deputy])  # not held yet
    ReceptionFactory(station=station, date=D(2024, 12, 15), status="recorded", deputies=[deputy])  # last year
    led(deputy, datetime.datetime(2024, 12, 31, 16, 30, tzinfo=UTC))  # 1 January 2025 in Shanghai
    led(deputy, datetime.datetime(2024, 12, 31, 15, 30, tzinfo=UTC))  # still 2024
    led(deputy, datetime.datetime(2025, 6, 1, 9, tzinfo=SH), role="co_signer")
    EvaluationFactory(suggestion=led(DeputyFactory(region=deputy.region), datetime.datetime(2025, 1, 5, tzinfo=SH)),
                      deputy=deputy, at=datetime.datetime(2025, 2, 1, 10, tzinfo=SH))
    DutyActivityFactory(kind="inspection", date=D(2025, 4, 10), region=place["county"], deputies=[deputy])
    DutyActivityFactory(kind="attend_meeting", date=D(2025, 9, 1), region=place["county"], deputies=[deputy])
    DutyActivityFactory(kind="attend_meeting", date=D(2024, 9, 1), region=place["county"], deputies=[deputy])

    counts = duty.duty_counts(deputies=Deputy.objects.filter(pk=deputy.pk), year=2025)[deputy.pk]
    assert dict(counts) == {
        "reception": 2, "suggestion_lead": 1, "suggestion_cosign": 1, "evaluation": 1,
        "inspection": 1, "attend_meeting": 1,
    }


def test_score_uses_the_defaults_and_caps(place):
    deputy = place["deputy"]
    for i in range(12):
        led(deputy, datetime.datetime(2025, 3, 1 + i, tzinfo=SH), role="co_signer")
    ReceptionFactory(station=place["station"], date=D(2025, 3, 15), status="recorded", deputies=[deputy])
    [score] = duty.duty_scores(deputies=Deputy.objects.filter(pk=deputy.pk), year=2025)
    assert score.points["suggestion_cosign"] == Decimal("10")  # 12 × 1, capped at 10
    assert score.points["reception"] == Decimal("2")
    assert score.total == Decimal("12")


def test_the_nearest_regions_weights_win_item_by_item(place):
    county, township = place["county"], place["township"]
    DutyScoreWeightFactory(region=county, item="reception", points=Decimal("4"))
    DutyScoreWeightFactory(region=county, item="evaluation", points=Decimal("3"), cap=Decimal("6"))
    DutyScoreWeightFactory(region=township, item="reception", points=Decimal("5"))
    weights = duty.weights_for_regions([township.code, county.code, place["other_township"].code])
    assert weights[township.code]["reception"] == (Decimal("5"), None)
    assert weights[township.code]["evaluation"] == (Decimal("3"), Decimal("6"))
    assert weights[county.code]["reception"] == (Decimal("4"), None)
    assert weights[place["other_township"].code] == duty.DEFAULT_WEIGHTS


def test_scores_are_ranked_and_take_a_fixed_number_of_queries(place, django_assert_num_queries):
    others = [DeputyFactory(region=place["township"]) for _i in range(3)]
    ReceptionFactory(station=place["station"], date=D(2025, 3, 15), status="recorded", deputies=[others[1]])
    led(others[2], datetime.datetime(2025, 3, 1, tzinfo=SH))
    deputies = Deputy.objects.filter(region=place["township"])
    with django_assert_num_queries(9):
        scores = duty.duty_scores(deputies=deputies, year=2025)
    assert [s.deputy for s in scores][:2] == [others[2], others[1]]  # 3 points, 2 points
    for _i in range(5):
        DeputyFactory(region=place["township"])
    with django_assert_num_queries(9):
        assert len(duty.duty_scores(deputies=deputies, year=2025)) == 9


def test_duty_record_lists_each_item(place):
    deputy = place["deputy"]
    lead = led(deputy, datetime.datetime(2025, 3, 1, tzinfo=SH))
    cosigned = led(deputy, datetime.datetime(2025, 3, 2, tzinfo=SH), role="co_signer")
    ReceptionFactory(station=place["station"], date=D(2025, 3, 15), status="recorded", deputies=[deputy])
    activity = DutyActivityFactory(date=D(2025, 4, 1), region=place["county"], deputies=[deputy])
    record = duty.duty_record(deputy=deputy, year=2025)
    assert record.lead == [lead] and record.cosigned == [cosigned]
    assert len(record.receptions) == 1 and record.activities == [activity]
    assert record.score.total == Decimal("2") + Decimal("3") + Decimal("1") + Decimal("2")


# --- writes -------------------------------------------------------------------------------------
@pytest.fixture
def staff(place):
    return UserFactory(role=Role.STAFF, region=place["county"])


def test_staff_record_an_activity(place, staff):
    activity = duty.duty_activity_record(by=staff, kind="law_enforcement", title="食品安全执法检查", date=D(2025, 5, 6),
                                         region=place["county"], deputies=[place["deputy"]], station=place["station"])
    assert activity.recorded_by == staff and list(activity.deputies.all()) == [place["deputy"]]


@pytest.mark.parametrize("change, field", [
    ({"kind": "party"}, "kind"),
    ({"title": "  "}, "title"),
    ({"date": D(2999, 1, 1)}, "date"),
    ({"deputies": []}, "deputies"),
])
def test_an_activity_needs_kind_title_a_past_date_and_deputies(place, staff, change, field):
    arguments = {"by": staff, "kind": "research", "title": "调研", "date": D(2025, 5, 6), "region": place["county"],
                 "deputies": [place["deputy"]], **change}
    with pytest.raises(ValidationError) as error:
        duty.duty_activity_record(**arguments)
    assert field in error.value.message_dict


def test_an_activity_stays_inside_the_staffs_region(place, staff):
    outsider = DeputyFactory(region=place["other_township"])
    with pytest.raises(ValidationError) as error:
        duty.duty_activity_record(by=staff, kind="research", title="调研", date=D(2025, 5, 6), region=place["county"],
                                  deputies=[outsider])
    assert "deputies" in error.value.message_dict
    with pytest.raises(ValidationError):
        duty.duty_activity_record(by=staff, kind="research", title="调研", date=D(2025, 5, 6), region=place["county"],
                                  deputies=[place["deputy"]], station=StationFactory(region=place["other_township"]))
    with pytest.raises(ActionNotPermitted):
        duty.duty_activity_record(by=staff, kind="research", title="调研", date=D(2025, 5, 6),
                                  region=place["other_county"], deputies=[place["deputy"]])
    leader = UserFactory(role=Role.LEADER, region=place["county"])
    with pytest.raises(ActionNotPermitted):
        duty.duty_activity_record(by=leader, kind="research", title="调研", date=D(2025, 5, 6), region=place["county"],
                                  deputies=[place["deputy"]])


def test_weights_are_saved_per_region_and_checked(place, staff):
    duty.duty_weights_save(by=staff, region=place["county"], weights={"reception": (Decimal("3"), Decimal("30"))})
    duty.duty_weights_save(by=staff, region=place["county"], weights={"reception": (Decimal("4"), None)})
    assert list(DutyScoreWeight.objects.values_list("item", "points", "cap")) == [("reception", Decimal("4"), None)]
    with pytest.raises(ValidationError):
        duty.duty_weights_save(by=staff, region=place["county"], weights={"karaoke": (Decimal("1"), None)})
    with pytest.raises(ValidationError):
        duty.duty_weights_save(by=staff, region=place["county"], weights={"reception": (Decimal("-1"), None)})
    with pytest.raises(ActionNotPermitted):
        duty.duty_weights_save(by=staff, region=place["other_county"], weights={"reception": (Decimal("1"), None)})
    assert set(DutyItem.values) == set(duty.DEFAULT_WEIGHTS)


# --- leading officials' visits ---------------------------------------------------------------
def test_leaders_who_missed_an_ended_quarter_are_listed(place, settings):
    settings.LIAISON = {**settings.LIAISON, "LEADER_VISITS_PER_QUARTER": 2}
    diligent = DeputyFactory(region=place["township"], is_leading_official=True, name="勤")
    lax = DeputyFactory(region=place["township"], is_leading_official=True, name="懈")
    DeputyFactory(region=place["township"], is_leading_official=False)
    DeputyFactory(region=place["other_township"], is_leading_official=True)  # another county
    for month in (1, 2, 4, 5):
        ReceptionFactory(station=place["station"], date=D(2025, month, 10), status="recorded", deputies=[diligent])
    ReceptionFactory(station=place["station"], date=D(2025, 1, 20), status="recorded", deputies=[lax])
    ReceptionFactory(station=place["station"], date=D(2025, 4, 20), status="scheduled", deputies=[lax])

    visits = {v.deputy.name: v for v in duty.leader_visits(region=place["county"].code, year=2025, today=D(2025, 7, 15))}
    assert set(visits) == {"勤", "懈"}
    assert visits["勤"].per_quarter == [2, 2, 0, 0] and visits["勤"].missed == []  # Q3 has not ended
    assert visits["懈"].per_quarter == [1, 0, 0, 0] and visits["懈"].missed == [1, 2]


def test_deputies_not_in_any_station_are_found(place):
    grouped = DeputyFactory(region=place["township"])
    MandateFactory(deputy=grouped)
    StationMembershipFactory(deputy=grouped, station=place["station"])
    loose = DeputyFactory(region=place["township"], name="散")
    MandateFactory(deputy=loose)
    former = DeputyFactory(region=place["township"])
    MandateFactory(deputy=former, started_on=D(2016, 1, 1), ended_on=D(2020, 12, 31))
    assert duty.deputies_not_in_stations(region=place["county"].code, day=D(2025, 6, 1)) == [loose]


def test_the_admin_lists_activities_and_weights_of_the_staffs_region_only(client, place, staff):
    DutyActivityFactory(title="本县视察", region=place["county"], deputies=[place["deputy"]])
    DutyActivityFactory(title="外县视察", region=place["other_county"])
    DutyScoreWeightFactory(region=place["county"], item="reception", points=Decimal("3"))
    DutyScoreWeightFactory(region=place["other_county"], item="reception", points=Decimal("9"))
    client.force_login(staff)
    activities = client.get("/admin/deputies/dutyactivity/")
    assert activities.status_code == 200
    assert "本县视察" in activities.content.decode() and "外县视察" not in activities.content.decode()
    weights = client.get("/admin/deputies/dutyscoreweight/")
    assert weights.status_code == 200 and list(weights.context["cl"].result_list.values_list("points", flat=True)) == [3]
    assert client.get("/admin/deputies/dutyactivity/add/").status_code == 200
