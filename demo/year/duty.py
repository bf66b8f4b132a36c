"""The deputies' own records (履职登记): activities the deputies registered themselves — one
confirmed by staff, one returned with the reason, one still waiting (the demo's deputy login
has one of each kind that waits or counts) — a 述职 and its appraisal (述职评议), and the
两个联系 records: deputies' contacts with voters and a standing-committee member's with a
deputy, each through the services the pages use."""

from __future__ import annotations

import datetime

from demo.clock import local_moment
from deputies.activities import activity_confirm, activity_register, activity_return
from deputies.contacts import contact_record
from deputies.models import ActivityKind, DutyReport
from deputies.records import ContactKind, ContactMode

REGISTERED = (
    # (days ago, kind, place, note, how staff answered: "confirm" / "return" / "")
    (60, ActivityKind.RESEARCH, "社区居委会", "走访辖区老旧小区，了解加装电梯意愿，形成调研报告一份。", "confirm"),
    (35, ActivityKind.GROUP_ACTIVITY, "区人大常委会会议室", "参加专业小组活动，讨论养老服务条例草案。", "confirm"),
    (20, ActivityKind.INSPECTION, "农贸市场", "查看市场食品安全情况。", "return"),
    (4, ActivityKind.OTHER, "社区服务站", "参加社区议事会，听取居民对停车难问题的意见。", ""),
)


def build_duty_records(year) -> None:
    city, staff = year.city, year.users["staff"]
    login = year.users.get("deputy")
    people = [p for p in city.people if p.deputy.user_id and p.stations and (login is None or p.deputy.user_id != login.pk)]
    if not people:
        return
    demo_deputy = getattr(login, "deputy", None) if login is not None else None
    counts = {"registered": 0, "confirmed": 0, "returned": 0, "pending": 0, "reports": 0, "contacts": 0}
    for index, (days_ago, kind, place, note, answer) in enumerate(REGISTERED):
        deputy = demo_deputy if demo_deputy is not None and index in (1, 3) else people[index * 7 % len(people)].deputy
        day = year.today - datetime.timedelta(days=days_ago)
        year.clock.at(local_moment(day, 19))
        activity = activity_register(by=deputy.user, kind=kind, date=day, place=place, note=note)
        counts["registered"] += 1
        year.clock.at(local_moment(day + datetime.timedelta(days=2), 10))
        if answer == "confirm":
            activity_confirm(by=staff, activity=activity)
            counts["confirmed"] += 1
        elif answer == "return":
            activity_return(by=staff, activity=activity, note="请补充活动现场照片和发现的问题、提出的建议。")
            counts["returned"] += 1
        else:
            counts["pending"] += 1

    # 述职: the demo deputy (or another) reported to the voters at their station.
    reporter = next((p for p in city.people if demo_deputy is not None and p.deputy.pk == demo_deputy.pk), people[0])
    day = year.today - datetime.timedelta(days=50)
    year.clock.at(local_moment(day, 16))
    DutyReport.objects.create(
        deputy=reporter.deputy, station=reporter.stations[0], date=day, attendance=46, satisfied=39,
        basically_satisfied=6, unsatisfied=1, recorded_by=staff,
        summary="向选民报告一年来参加会议、提出建议、接待群众和督促办理的情况，现场回答选民提问。",
        highlights="推动小区加装电梯和背街小巷路灯修复。",
    )
    counts["reports"] += 1

    # 两个联系: deputies with voters (their own record), a committee member with a deputy (staff's).
    for n, person in enumerate(people[:3]):
        day = year.today - datetime.timedelta(days=10 + n * 25)
        year.clock.at(local_moment(day, 18))
        contact_record(by=person.deputy.user, date=day, mode=(ContactMode.VISIT, ContactMode.MEETING, ContactMode.PHONE)[n],
                       people=(12, 25, 3)[n], note="听取群众对小区环境整治和停车管理的意见，已转交联络站梳理。")
        counts["contacts"] += 1
    city_deputy = next((p.deputy for p in people if "city" in p.levels), people[0].deputy)
    day = year.today - datetime.timedelta(days=30)
    year.clock.at(local_moment(day, 15))
    contact_record(by=staff, date=day, kind=ContactKind.COMMITTEE_DEPUTY, deputy=city_deputy, mode=ContactMode.MEETING,
                   member_name=city.person_name("male"), note="常委会组成人员走访代表，听取对常委会工作的意见建议。")
    counts["contacts"] += 1
    year.counts["duty_records"] = counts
