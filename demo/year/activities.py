"""Duty activities (履职活动) outside the receptions: inspections, research, law-enforcement
checks, attending meetings and training, for 30-odd deputies of the city over the year, as the
standing committee records them (bulk rows: recording an activity is one row and its
deputies, which is all `DutyActivity`'s admin writes)."""

from __future__ import annotations

import datetime

from demo.clock import local_moment
from deputies.models import ActivityKind, DutyActivity

ACTIVITIES = (
    (ActivityKind.INSPECTION, "视察城区老旧小区改造工作", "城乡建设"),
    (ActivityKind.RESEARCH, "调研农村饮水安全情况", "农业农村"),
    (ActivityKind.LAW_ENFORCEMENT, "《大气污染防治法》执法检查", "生态环境"),
    (ActivityKind.ATTEND_MEETING, "列席市人大常委会第二十次会议", ""),
    (ActivityKind.TRAINING, "市人大代表履职能力培训班", ""),
    (ActivityKind.INSPECTION, "视察重点民生实事项目推进情况", ""),
    (ActivityKind.RESEARCH, "调研基层医疗卫生服务体系建设", "医疗卫生"),
    (ActivityKind.LAW_ENFORCEMENT, "《食品安全法》执法检查", "市场监管"),
    (ActivityKind.ATTEND_MEETING, "列席市政府常务会议", ""),
    (ActivityKind.RESEARCH, "调研优化营商环境工作", ""),
    (ActivityKind.INSPECTION, "视察太行山旅游公路建设", "交通出行"),
    (ActivityKind.TRAINING, "学习新修订的代表法专题培训", ""),
)


def build_activities(year) -> None:
    city = year.city
    pool = [p.deputy for p in city.people if "city" in p.levels] or [p.deputy for p in city.people]
    active = city.rng.sample(pool, k=min(len(pool), year.targets["active_deputies"]))
    staff = year.users["staff"]
    made = []
    for index, (kind, title, _field) in enumerate(ACTIVITIES):
        day = year.start + datetime.timedelta(days=15 + index * (year.days - 30) // len(ACTIVITIES))
        if day >= year.today:
            continue
        year.clock.at(local_moment(day, 18))
        activity = DutyActivity.objects.create(
            kind=kind, title=title, date=day, region=city.city, note=f"{title}，参加代表认真履职，提出意见建议。",
            recorded_by=staff,
        )
        group = city.rng.sample(active, k=min(len(active), city.rng.randint(6, 12)))
        activity.deputies.set(group)
        made.append(activity)
    # Everyone of the 30-odd takes part at least once.
    missing = set(d.pk for d in active) - set(
        DutyActivity.deputies.through.objects.filter(dutyactivity__in=made).values_list("deputy_id", flat=True))
    if made and missing:
        made[-1].deputies.add(*missing)
    year.counts["activities"] = len(made)
    year.counts["active_deputies"] = len(active)
