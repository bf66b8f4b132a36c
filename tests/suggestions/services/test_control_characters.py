"""Control characters in people's text are dropped where it is stored (issue #12, finding 8):
one bell (U+0007) in an opinion used to reach the database and then fail every xlsx that
showed it. Each service that stores typed text cleans it (liaison/text.py); tabs and line
breaks stay."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from deputies.services import deputy_create, deputy_update, reception_create
from liaison.models import Role
from stations.services import station_create, station_update
from suggestions.duty import duty_activity_record
from suggestions.models import ContactKind, Evaluation, Event, Feedback, Status
from suggestions.services.closing import suggestion_evaluate, suggestion_feedback
from suggestions.services.handling import assignment_contact, assignment_reply
from suggestions.services.intake import suggestion_convert_to_deputy_suggestion, suggestion_decline
from suggestions.services.oversight import bundle_create, suggestion_urge
from suggestions.services.units import unit_create, unit_update
from tests.factories import StationFactory, UserFactory

BELL = "\u0007"
S = Status


def test_submit_drops_control_characters_from_title_content_name_and_phone(world):
    suggestion = world.submit(title=f"路灯{BELL}不亮\x1b", content=f"第一行{BELL}\n第二行\t（附图）\x7f",
                              submitter_name=f"王{BELL}小明", submitter_phone=f"139{BELL}00001111", by=None)
    suggestion.refresh_from_db()
    assert suggestion.title == "路灯不亮"
    assert suggestion.content == "第一行\n第二行\t（附图）"
    assert (suggestion.submitter_name, suggestion.submitter_phone) == ("王小明", "13900001111")


def test_a_title_of_only_control_characters_is_refused_as_empty(world):
    with pytest.raises(ValidationError) as error:
        world.submit(title=f"{BELL}\x1b ", by=None)
    assert "title" in error.value.message_dict


def test_workflow_notes_replies_evaluations_and_feedback_are_stored_clean(world):
    declined = world.submit(title="乱停车")
    suggestion_decline(suggestion=declined, by=world.staff, reason=f"不属于{BELL}受理范围")
    suggestion = world.drive(world.submit(), S.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    assignment_contact(assignment=lead, by=world.officer, kind=ContactKind.BEFORE, note=f"已与代表{BELL}见面")
    suggestion_urge(suggestion=suggestion, by=world.staff, note=f"请抓紧{BELL}")
    assignment_reply(assignment=lead, by=world.officer, result="A", content=f"已修复{BELL}全部路灯。")
    suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="satisfied", comment=f"满意{BELL}")
    suggestion_feedback(suggestion=suggestion, by=world.staff, channel="phone", note=f"已电话{BELL}告知")
    lead.refresh_from_db()
    assert lead.reply == "已修复全部路灯。"
    assert Evaluation.objects.get(suggestion=suggestion).comment == "满意"
    assert Feedback.objects.get(suggestion=suggestion).note == "已电话告知"
    notes = list(Event.objects.exclude(note="").values_list("note", flat=True))
    assert notes and not any(BELL in note for note in notes)
    assert "不属于受理范围" in notes


def test_converting_and_bundling_store_clean_text(world):
    opinion = world.drive(world.submit(), S.ACCEPTED)
    converted = suggestion_convert_to_deputy_suggestion(suggestion=opinion, by=world.deputy_user,
                                                        title=f"关于{BELL}路灯的建议", content=f"建议{BELL}更换")
    assert (converted.title, converted.content) == ("关于路灯的建议", "建议更换")
    first, second = world.drive(world.submit(), S.HANDLING), world.drive(world.submit(), S.HANDLING)
    bundle = bundle_create(by=world.staff, title=f"路灯{BELL}专项", suggestions=[first, second],
                           level="normal", note=f"集中{BELL}督办")
    assert (bundle.title, bundle.note) == ("路灯专项", "集中督办")


def test_deputy_reception_station_and_unit_services_store_clean_text(world):
    station = station_create(name=f"太东{BELL}联络站", region=world.township, address=f"幸福路{BELL}1号")
    assert (station.name, station.address) == ("太东联络站", "幸福路1号")
    station = station_update(station=station, contact_person=f"李{BELL}四")
    assert station.contact_person == "李四"
    deputy = deputy_create(name=f"赵{BELL}一", gender="male", region=world.township, occupation=f"教{BELL}师",
                           mandates=[{"level": "county", "congress": f"潞州区第十届{BELL}人民代表大会",
                                     "started_on": datetime.date(2021, 10, 1)}])
    assert (deputy.name, deputy.occupation) == ("赵一", "教师")
    assert deputy.mandates.get().congress == "潞州区第十届人民代表大会"
    assert deputy_update(deputy=deputy, employer=f"第一{BELL}中学").employer == "第一中学"
    reception = reception_create(station=StationFactory(region=world.township), date=datetime.date(2025, 6, 1),
                                 topic=f"民生{BELL}", summary=f"接待{BELL}选民")
    assert (reception.topic, reception.summary) == ("民生", "接待选民")
    unit = unit_create(name=f"潞州区{BELL}水务局", region=world.county)
    assert unit.name == "潞州区水务局"
    assert unit_update(unit=unit, phone=f"0355{BELL}1234567").phone == "03551234567"


def test_duty_activities_store_clean_text(world):
    staff = UserFactory(role=Role.STAFF, region=world.county)
    activity = duty_activity_record(by=staff, kind="inspection", title=f"视察{BELL}", date=datetime.date(2025, 5, 6),
                                    region=world.county, deputies=[world.deputy], note=f"备{BELL}注")
    assert (activity.title, activity.note) == ("视察", "备注")
