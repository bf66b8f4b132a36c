"""The demo city's reception days (接待选民): a year of them before today, recorded (a few
cancelled), and two months after it, scheduled; leading officials at one of their stations about
once a quarter."""

import calendar
import datetime
from collections import defaultdict

from demo.names import CityDraws
from demo.network import COUNTY_CODE
from deputies.models import Deputy, Reception, ReceptionMode, ReceptionStatus
from stations.models import Station, StationKind

TOPICS = (
    "老旧小区改造",
    "农村饮水安全",
    "道路修缮",
    "公交线路优化",
    "冬季供暖",
    "养老服务",
    "义务教育学位",
    "医保报销",
    "农村人居环境整治",
    "停车难",
    "垃圾分类",
    "农产品销售",
    "就业创业",
    "物业管理",
    "雨污管网改造",
    "背街小巷路灯",
    "农田灌溉",
    "电网改造",
    "社区医疗",
    "校园周边交通安全",
)
MODE_WEIGHTS = {
    ReceptionMode.STATION: 60,
    ReceptionMode.VISIT: 15,
    ReceptionMode.MOBILE: 10,
    ReceptionMode.ONLINE: 8,
    ReceptionMode.EVENING: 7,
}
POINT_MODE_WEIGHTS = {ReceptionMode.STATION: 40, ReceptionMode.VISIT: 35, ReceptionMode.EVENING: 25}
MODE_VISITORS = {
    ReceptionMode.STATION: (8, 40),
    ReceptionMode.VISIT: (3, 15),
    ReceptionMode.MOBILE: (15, 60),
    ReceptionMode.ONLINE: (5, 30),
    ReceptionMode.EVENING: (10, 30),
}
MODE_VERBS = {
    ReceptionMode.STATION: "进站接待选民",
    ReceptionMode.VISIT: "入户走访群众",
    ReceptionMode.MOBILE: "在集市设流动接待点",
    ReceptionMode.ONLINE: "通过线上平台接待选民",
    ReceptionMode.EVENING: "开展夜谈夜访",
}
MORNING = (datetime.time(9, 0), datetime.time(11, 30))
AFTERNOON = (datetime.time(14, 30), datetime.time(17, 0))
EVENING = (datetime.time(19, 0), datetime.time(21, 0))


def _month_shift(day: datetime.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


class ReceptionBuilder(CityDraws):
    """接待选民; after the network, the deputies' stations and the accounts (who records)."""

    def build_receptions(self):
        rng = self.rng
        months = [_month_shift(self.today, offset) for offset in range(-11, 3)]
        staff = self.accounts.get("staff")
        county_staff = self.accounts.get("county")
        plans: list[tuple[Reception, list[Deputy]]] = []

        def add(station: Station, day: datetime.date, mode: str, deputies: list[Deputy]):
            if day < self.today:
                status = (
                    ReceptionStatus.CANCELLED if rng.random() < 0.02 else ReceptionStatus.RECORDED
                )
            else:
                status = ReceptionStatus.SCHEDULED
            starts, ends = (
                EVENING if mode == ReceptionMode.EVENING else rng.choice((MORNING, AFTERNOON))
            )
            topics = rng.sample(TOPICS, 2)
            reception = Reception(
                station=station,
                date=day,
                starts_at=starts,
                ends_at=ends,
                mode=mode,
                status=status,
                topic=f"代表接待日：{topics[0]}"
                if station.kind != StationKind.POINT
                else f"走访：{topics[0]}",
            )
            if status == ReceptionStatus.RECORDED:
                low, high = MODE_VISITORS[mode]
                visitors = rng.randint(low, high)
                issues = max(1, visitors // rng.randint(2, 5))
                answered = rng.randint(0, issues)
                reception.visitor_count = visitors
                reception.summary = (
                    f"{len(deputies)}名代表{MODE_VERBS[mode]}，接待群众{visitors}人次，收集意见建议{issues}条，"
                    f"主要涉及{topics[0]}、{topics[1]}等方面。现场答复{answered}条，"
                    f"其余{issues - answered}条已登记并转交有关部门办理。"
                )
                in_county = station.region_id.startswith(COUNTY_CODE)
                reception.recorded_by = (county_staff if in_county else None) or staff
            elif status == ReceptionStatus.CANCELLED:
                reason = rng.choice(("因暴雨天气", "因防汛值守", "因代表集中视察"))
                reception.summary = f"{reason}取消，顺延至下月接待日。"
            plans.append((reception, deputies))

        regular = [self.hub, *self.township_stations, *self.special_stations]
        for year, month in months:
            for station in regular:
                day = datetime.date(
                    year, month, min(station.reception_day, calendar.monthrange(year, month)[1])
                )
                pool = self.members_of.get(station.pk, [])
                present = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
                add(station, day, self.pick(MODE_WEIGHTS), present)
            for point in self.points:
                if rng.random() < 0.3:
                    day = datetime.date(
                        year, month, rng.randint(1, calendar.monthrange(year, month)[1])
                    )
                    pool = self.members_of.get(point.pk, [])
                    present = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
                    add(point, day, self.pick(POINT_MODE_WEIGHTS), present)

        # Leading officials receive voters at one of their stations about once a quarter; a few
        # miss a quarter, which is what the quarterly check is there to show.
        by_station_quarter: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for index, (reception, _present) in enumerate(plans):
            if reception.status != ReceptionStatus.CANCELLED:
                quarter = (reception.date.year, (reception.date.month - 1) // 3)
                by_station_quarter[(reception.station.pk, *quarter)].append(index)
        quarters = list(dict.fromkeys((y, (m - 1) // 3) for y, m in months))
        for person in self.people:
            if not person.deputy.is_leading_official:
                continue
            for quarter in quarters:
                if rng.random() >= 0.88:
                    continue
                choices = [
                    i for s in person.stations for i in by_station_quarter.get((s.pk, *quarter), [])
                ]
                if choices:
                    present = plans[rng.choice(choices)][1]
                    if person.deputy not in present:
                        present.append(person.deputy)

        receptions = Reception.objects.bulk_create([r for r, _present in plans], batch_size=1000)
        through = Reception.deputies.through
        links = [
            through(reception_id=reception.pk, deputy_id=deputy.pk)
            for reception, (_r, present) in zip(receptions, plans, strict=True)
            for deputy in dict.fromkeys(present)
        ]
        through.objects.bulk_create(links, batch_size=2000)
        self.reception_plans = plans
        self.reception_link_count = len(links)
