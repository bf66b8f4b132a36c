"""The province and the year of suggestions `bench_stats` measures the statistics on.

`Generator` builds, deterministically from its seed, one province — by default 11 cities, 110
counties, 1,320 townships, a station per township and per county, 3,190 handling units, 30,000
deputies with mandates and station groups, 28,600 recorded receptions — and `count`
suggestions collected over one year, in every state of the workflow, with their assignments,
deputies, evaluations, feedback and supervision. `Writer` puts the rows in by COPY on
PostgreSQL, by executemany elsewhere.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from deputies.models import Deputy, Mandate, Reception, StationMembership
from liaison.regions import within
from stations.models import Region, Station
from suggestions.models import (
    Assignment,
    Category,
    Evaluation,
    Suggestion,
    SuggestionDeputy,
    Unit,
)

PROVINCE = "14"
CITIES = 11
COUNTIES_PER_CITY = 10
TOWNSHIPS_PER_COUNTY = 12
DEPUTIES = 30_000
RECEPTIONS_PER_STATION = 20
CATEGORIES = ["城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "生态环境", "农业农村", "市场监管",
              "公共安全", "文化体育", "民政服务", "其他"]
STATUS_WEIGHTS = [  # the year's mix, roughly what 长治 reports: most closed, a tail still open
    ("submitted", 3), ("declined", 4), ("merged", 3), ("accepted", 2), ("assigned", 5),
    ("handling", 10), ("replied", 13), ("closed", 60),
]
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def tracking_code(n: int) -> str:
    """A unique 12-character code per row number (not random: the bench is repeatable)."""
    digits = []
    for _i in range(12):
        n, r = divmod(n, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[r])
    return "B" + "".join(digits)[:11]


class Writer:
    """Rows into a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, model, fields: list[str]):
        self.model = model
        self.fields = fields
        self.columns = [model._meta.get_field(f).column for f in fields]
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, *values) -> None:
        self.rows.append(values)
        if len(self.rows) >= 50_000:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            fields = [self.model._meta.get_field(f) for f in self.fields]
            adapted = [
                tuple(field.get_db_prep_value(value, connection) for field, value in zip(fields, row, strict=True))
                for row in self.rows
            ]
            placeholders = ", ".join(["%s"] * len(self.columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", adapted)
        self.count += len(self.rows)
        self.rows = []


def reset_sequences(*models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))",
                [table],
            )


class Generator:
    def __init__(self, *, count: int, year: int, seed: int, cities: int = CITIES):
        self.count = count
        self.cities_count = cities
        self.year = year
        self.rng = random.Random(seed)
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()

    # --- the province -------------------------------------------------------------------
    def places(self) -> None:
        regions = [Region(code=PROVINCE, name="基准省", level="province")]
        self.cities, self.counties, self.townships = [], [], []
        for c in range(1, self.cities_count + 1):
            city = f"{PROVINCE}{c:02d}"
            self.cities.append(city)
            regions.append(Region(code=city, name=f"基准{c}市", level="city", parent_id=PROVINCE))
            for k in range(1, COUNTIES_PER_CITY + 1):
                county = f"{city}{k:02d}"
                self.counties.append(county)
                regions.append(Region(code=county, name=f"基准{c}市{k}县", level="county", parent_id=city))
                for t in range(1, TOWNSHIPS_PER_COUNTY + 1):
                    township = f"{county}{t:03d}"
                    self.townships.append(township)
                    regions.append(Region(code=township, name=f"{county}第{t}镇", level="township", parent_id=county))
        Region.objects.bulk_create(regions, batch_size=2000, ignore_conflicts=True)

        stations = [Station(name=f"{code}代表联络站", kind="station", region_id=code) for code in self.townships]
        stations += [Station(name=f"{code}代表联络总站", kind="hub", region_id=code) for code in self.counties]
        Station.objects.bulk_create(stations, batch_size=2000)
        self.station_of = {
            s.region_id: s.pk for s in Station.objects.filter(region_id__in=self.townships, kind="station")
        }
        self.station_ids = list(Station.objects.filter(name__endswith="代表联络站").values_list("pk", flat=True))

        units = [Unit(name=f"{county}第{u}局", region_id=county) for county in self.counties for u in range(1, 16)]
        units += [Unit(name=f"{city}第{u}局", region_id=city) for city in self.cities for u in range(1, 21)]
        units += [Unit(name=f"{code}人民政府", region_id=code, kind="township") for code in self.townships]
        Unit.objects.bulk_create(units, batch_size=2000)
        self.units_of: dict[str, list[int]] = {}
        for pk, region_id in Unit.objects.filter(within(PROVINCE)).values_list("pk", "region_id"):
            self.units_of.setdefault(region_id, []).append(pk)

        Category.objects.bulk_create([Category(name=n, order=i) for i, n in enumerate(CATEGORIES)], ignore_conflicts=True)
        self.categories = list(Category.objects.filter(name__in=CATEGORIES).values_list("pk", flat=True))

        deputies = [
            Deputy(name=f"基准代表{i}", gender="female" if i % 2 else "male", region_id=self.townships[i % len(self.townships)],
                   is_leading_official=i % 20 == 0)
            for i in range(max(4 * len(self.townships), min(DEPUTIES, self.count // 30)))
        ]
        Deputy.objects.bulk_create(deputies, batch_size=5000)
        self.deputies_of: dict[str, list[int]] = {}
        for pk, region_id in Deputy.objects.filter(name__startswith="基准代表").values_list("pk", "region_id"):
            self.deputies_of.setdefault(region_id, []).append(pk)
        Mandate.objects.bulk_create(
            [Mandate(deputy_id=pk, level="township", congress=f"{region}第十八届人民代表大会",
                     started_on=datetime.date(self.year - 3, 1, 1))
             for region, pks in self.deputies_of.items() for pk in pks],
            batch_size=5000,
        )
        StationMembership.objects.bulk_create(
            [StationMembership(deputy_id=pk, station_id=self.station_of[region])
             for region, pks in self.deputies_of.items() for n, pk in enumerate(pks) if n % 19],
            batch_size=5000,
        )
        receptions = []
        for station_id in self.station_ids:
            for _r in range(max(1, min(RECEPTIONS_PER_STATION, self.count // 50_000))):
                day = datetime.date(self.year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))
                receptions.append(Reception(station_id=station_id, date=day, status="recorded",
                                            visitor_count=self.rng.randrange(0, 40), summary="接待选民"))
        Reception.objects.bulk_create(receptions, batch_size=5000)

    # --- the year's suggestions ------------------------------------------------------
    def local(self, day: datetime.date, seconds: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz) + datetime.timedelta(seconds=seconds)

    def later(self, moment: datetime.datetime, low: int, high: int) -> datetime.datetime:
        moment = moment + datetime.timedelta(days=self.rng.randint(low, high), seconds=self.rng.randrange(-3600, 3600))
        return min(moment, self.now)

    def suggestions(self) -> dict[str, int]:
        rng = self.rng
        statuses = [s for s, w in STATUS_WEIGHTS for _i in range(w)]
        first_id = (Suggestion.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        first_assignment = (Assignment.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        suggestion_fields = [
            "id", "kind", "code", "title", "content", "category", "region", "station", "submitter_name",
            "submitter_phone", "source", "session", "status", "route", "merged_into", "supervision", "result",
            "replied_at", "rehandle_count", "is_public", "fed_back_at", "closed_at", "created_at", "updated_at",
        ]
        suggestions = Writer(Suggestion, suggestion_fields)
        assignments = Writer(Assignment, [
            "id", "suggestion", "region", "unit", "role", "deadline", "requirements", "status", "returned_at", "return_reason",
            "result", "reply", "replied_at", "signed_at", "created_at", "updated_at",
        ])
        links = Writer(SuggestionDeputy, ["suggestion", "deputy", "role", "order"])
        evaluations = Writer(Evaluation, ["suggestion", "deputy", "rating", "comment", "round", "created_at"])
        year_start = datetime.date(self.year, 1, 1)
        assignment_id = first_assignment
        routes = ["grassroots", "township", "district", "escalate"]
        for n in range(self.count):
            sid = first_id + n
            township = self.townships[rng.randrange(len(self.townships))]
            region = township if rng.random() > 0.05 else township[:6]  # a few filed at county level
            station = self.station_of[township] if rng.random() < 0.7 else None
            created = self.local(year_start + datetime.timedelta(days=rng.randrange(365)), rng.randrange(86400))
            status = statuses[rng.randrange(len(statuses))]
            is_deputy = rng.random() < 0.1
            kind = "deputy_suggestion" if is_deputy else "opinion"
            route = result = ""
            supervision = "none"
            replied_at = closed_at = fed_back_at = None
            rehandle = 0
            merged_into = None
            county = township[:6]
            if status == "merged":
                merged_into = sid - 1 if n else None
                if merged_into is None:
                    status = "declined"
            handled = status in ("accepted", "assigned", "handling", "replied", "closed")
            if status in ("replied", "closed") and rng.random() < 0.08:
                route = "on_spot"
                replied_at = self.later(created, 0, 2)
            elif handled:
                route = routes[rng.randrange(4)]
                pool = self.units_of[county] if route != "escalate" else self.units_of[county[:4]]
                lead_unit = pool[rng.randrange(len(pool))]
                assigned_at = self.later(created, 1, 10)
                if rng.random() < 0.02 or status == "accepted":  # a lead that returned it (退回)
                    other = pool[rng.randrange(len(pool))]
                    returned_at = self.later(assigned_at, 1, 5)
                    assignments.add(assignment_id, sid, region, other, "lead", assigned_at.date() + datetime.timedelta(days=60),
                                    "", "returned", returned_at, "不属于本单位职责", "", "", None, None, assigned_at, returned_at)
                    assignment_id += 1
                    if other == lead_unit:
                        lead_unit = pool[(pool.index(other) + 1) % len(pool)]
                    assigned_at = self.later(returned_at, 0, 3)
                if status != "accepted":
                    deadline = assigned_at.date() + datetime.timedelta(days=rng.randint(30, 90))
                    lead_status = {"assigned": "pending", "handling": "signed"}.get(status, "replied")
                    signed_at = self.later(assigned_at, 0, 3) if lead_status != "pending" else None
                    lead_replied = None
                    if lead_status == "replied":
                        lead_replied = self.later(assigned_at, 5, 110)
                        replied_at = lead_replied
                        result = "ABCD"[min(int(rng.random() * 1.0 / 0.25), 3)] if rng.random() > 0.45 else "A"
                    assignments.add(assignment_id, sid, region, lead_unit, "lead", deadline, "", lead_status, None, "",
                                    result, "已办理" if lead_replied else "", lead_replied, signed_at, assigned_at,
                                    lead_replied or assigned_at)
                    assignment_id += 1
                    if rng.random() < 0.25:
                        co = pool[(pool.index(lead_unit) + 1) % len(pool)]
                        co_replied = self.later(assigned_at, 5, 40) if lead_status == "replied" else None
                        assignments.add(assignment_id, sid, region, co, "co", min(deadline, assigned_at.date() + datetime.timedelta(days=30)),
                                        "", "replied" if co_replied else "signed", None, "", "A" if co_replied else "",
                                        "协办意见" if co_replied else "", co_replied, assigned_at, assigned_at,
                                        co_replied or assigned_at)
                        assignment_id += 1
                if rng.random() < 0.06:
                    supervision = "key" if rng.random() < 0.25 else "normal"
            if replied_at and route == "on_spot":
                result = "A"
            lead_deputy = None
            if is_deputy or rng.random() < 0.6:
                pool = self.deputies_of[township]
                lead_deputy = pool[rng.randrange(len(pool))]
                links.add(sid, lead_deputy, "lead", 0)
                if is_deputy:
                    for order in range(1, rng.randrange(1, 4)):
                        co_deputy = pool[(pool.index(lead_deputy) + order) % len(pool)]
                        links.add(sid, co_deputy, "co_signer", order)
            evaluator = lead_deputy if is_deputy else None
            if status == "closed":
                closed_at = self.later(replied_at, 1, 20)
                roll = rng.random()
                if roll < 0.05:
                    evaluations.add(sid, evaluator, "unsatisfied", "未解决", 0, self.later(replied_at, 0, 5))
                    rehandle = 1
                    evaluations.add(sid, evaluator, "satisfied", "", 1, closed_at)
                elif roll < 0.9:
                    evaluations.add(sid, evaluator, "satisfied" if roll < 0.65 else "basically_satisfied", "", 0, closed_at)
            elif status == "handling" and rng.random() < 0.05:
                evaluations.add(sid, evaluator, "unsatisfied", "未解决", 0, self.later(created, 10, 60))
                rehandle = 1
            if (status in ("replied", "closed") and rng.random() < 0.85) or (status == "merged" and rng.random() < 0.5):
                fed_back_at = self.later(replied_at or created, 0, 10)
            suggestions.add(
                sid, kind, tracking_code(sid), f"意见建议{sid}", "群众反映的问题。", self.categories[rng.randrange(len(self.categories))],
                region, station, "张三", "13800000000", "import", "interim" if is_deputy else "", status, route,
                merged_into, supervision, result, replied_at, rehandle, False, fed_back_at, closed_at, created,
                closed_at or replied_at or created,
            )
        for writer in (suggestions, assignments, links, evaluations):
            writer.flush()
        reset_sequences(Suggestion, Assignment, SuggestionDeputy, Evaluation)
        return {"suggestions": suggestions.count, "assignments": assignments.count,
                "deputy_links": links.count, "evaluations": evaluations.count}
