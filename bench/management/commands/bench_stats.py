"""python manage.py bench_stats: time the nightly statistics over a generated year of a province.

Run it on a throwaway database, never on one with data (it refuses one with suggestions):

    createdb -h 127.0.0.1 -U postgres liaison_bench_stats
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_stats
    python manage.py migrate
    python manage.py bench_stats --count 1000000
    dropdb -h 127.0.0.1 -U postgres liaison_bench_stats

It generates (deterministically, from `--seed`) one province — by default 11 cities, 110
counties, 1,320 townships, a station per township and per county, 3,190 handling units, 30,000
deputies with mandates and station groups, 28,600 recorded receptions (fewer deputies and
receptions for a small --count, fewer cities with --cities) — and `--count` suggestions collected
over the year `--year`, in every state of the workflow, with their lead and co-unit
assignments (some returned and reassigned), lead and co-signing deputies, evaluations (some
unsatisfied and re-handled), feedback and supervision. PostgreSQL gets the rows by COPY;
SQLite by executemany (use a small --count there).

Then it times, each `--repeat` times:

1. `build_stats(date=<31 December>)`: the snapshot of that date (year, month and rolling
   twelve months; every region level, station, unit, deputy and category × region level);
2. the single raw SQL statement that computes the same figures for the same groups
   (PostgreSQL only: GROUPING SETS over one CTE), and checks that every figure of every group
   equals the snapshot's;
3. `summary()` for the whole province and for one county (what the API answers live).

and prints a Markdown table.
"""

from __future__ import annotations

import datetime
import os
import platform
import random
import statistics
import time

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from deputies.models import Deputy, Mandate, Reception, StationMembership
from stations.models import Region, Station
from suggestions import stats
from suggestions.calendar import WorkCalendar
from suggestions.models import (
    Assignment,
    Category,
    Evaluation,
    StatSnapshot,
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
PARTS = {"build", "raw", "jit", "summary", "workbook"}


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
        for pk, region_id in Unit.objects.filter(region__code__startswith=PROVINCE).values_list("pk", "region_id"):
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
            "id", "suggestion", "unit", "role", "deadline", "requirements", "status", "returned_at", "return_reason",
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
                    assignments.add(assignment_id, sid, other, "lead", assigned_at.date() + datetime.timedelta(days=60),
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
                    assignments.add(assignment_id, sid, lead_unit, "lead", deadline, "", lead_status, None, "",
                                    result, "已办理" if lead_replied else "", lead_replied, signed_at, assigned_at,
                                    lead_replied or assigned_at)
                    assignment_id += 1
                    if rng.random() < 0.25:
                        co = pool[(pool.index(lead_unit) + 1) % len(pool)]
                        co_replied = self.later(assigned_at, 5, 40) if lead_status == "replied" else None
                        assignments.add(assignment_id, sid, co, "co", min(deadline, assigned_at.date() + datetime.timedelta(days=30)),
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


# --- the raw SQL the snapshot is measured against (PostgreSQL) -------------------------------
RAW_SQL = """
WITH workday AS (
    SELECT day::date AS day,
           SUM(CASE WHEN day::date = ANY(%(off)s::date[]) THEN 0
                    WHEN day::date = ANY(%(on)s::date[]) THEN 1
                    WHEN EXTRACT(ISODOW FROM day) < 6 THEN 1 ELSE 0 END) OVER (ORDER BY day) AS ordinal
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS day
),
cohort AS (
    SELECT * FROM suggestions_suggestion
    WHERE created_at >= %(lo)s AND created_at < %(hi)s
),
best AS (
    SELECT e.suggestion_id, MAX(CASE e.rating WHEN 'satisfied' THEN 3 WHEN 'basically_satisfied' THEN 2 ELSE 1 END) AS best
    FROM suggestions_evaluation e JOIN cohort c ON c.id = e.suggestion_id
    GROUP BY e.suggestion_id
),
base AS (
    SELECT s.region_id AS region, s.station_id AS station, st.region_id AS station_region, s.category_id AS category,
           a.unit_id AS unit, u.region_id AS unit_region, sd.deputy_id AS deputy, d.region_id AS deputy_region,
           s.kind, s.status, s.route, s.supervision, s.result, s.rehandle_count, s.fed_back_at, s.replied_at,
           b.best, a.status AS lead_status, a.deadline,
           (s.created_at AT TIME ZONE %(tz)s)::date AS created,
           (s.replied_at AT TIME ZONE %(tz)s)::date AS replied_day,
           (s.closed_at AT TIME ZONE %(tz)s)::date AS closed_day,
           (a.created_at AT TIME ZONE %(tz)s)::date AS lead_assigned,
           (a.replied_at AT TIME ZONE %(tz)s)::date AS lead_replied
    FROM cohort s
    LEFT JOIN stations_station st ON st.id = s.station_id
    LEFT JOIN suggestions_assignment a ON a.suggestion_id = s.id AND a.role = 'lead' AND a.status <> 'returned'
    LEFT JOIN suggestions_unit u ON u.id = a.unit_id
    LEFT JOIN suggestions_suggestiondeputy sd ON sd.suggestion_id = s.id AND sd.role = 'lead'
    LEFT JOIN deputies_deputy d ON d.id = sd.deputy_id
    LEFT JOIN best b ON b.suggestion_id = s.id
),
f AS (  -- one narrow row per suggestion: group keys, 0/1 flags, working-day spans
    SELECT CASE WHEN length(region) >= 2 THEN substr(region, 1, 2) END AS r2,
           CASE WHEN length(region) >= 4 THEN substr(region, 1, 4) END AS r4,
           CASE WHEN length(region) >= 6 THEN substr(region, 1, 6) END AS r6,
           CASE WHEN length(region) >= 9 THEN substr(region, 1, 9) END AS r9,
           station, station_region, unit, unit_region, deputy, deputy_region, category, created,
           (kind = 'deputy_suggestion')::int AS deputy_suggestions,
           (status = 'declined')::int AS declined,
           (status = 'merged')::int AS merged,
           (status IN ('accepted', 'assigned', 'handling', 'replied', 'closed'))::int AS accepted,
           (route = 'on_spot' AND replied_at IS NOT NULL)::int AS on_spot,
           (lead_status IS NOT NULL)::int AS assigned,
           (replied_at IS NOT NULL)::int AS replied,
           COALESCE(lead_status = 'replied' AND lead_replied <= deadline, false)::int AS replied_on_time,
           COALESCE(lead_status = 'replied' AND lead_replied > deadline, false)::int AS replied_late,
           COALESCE(status IN ('assigned', 'handling') AND lead_status IN ('pending', 'signed')
                    AND deadline < %(reference)s::date, false)::int AS overdue,
           (status = 'closed')::int AS closed,
           (fed_back_at IS NOT NULL)::int AS fed_back,
           (result = 'A' AND replied_at IS NOT NULL)::int AS result_a,
           (result = 'B' AND replied_at IS NOT NULL)::int AS result_b,
           (result = 'C' AND replied_at IS NOT NULL)::int AS result_c,
           (result = 'D' AND replied_at IS NOT NULL)::int AS result_d,
           (best IS NOT NULL)::int AS evaluated,
           COALESCE(best = 3, false)::int AS satisfied,
           COALESCE(best = 2, false)::int AS basically_satisfied,
           COALESCE(best = 1, false)::int AS unsatisfied,
           (supervision <> 'none')::int AS supervised,
           (supervision = 'key')::int AS key_supervised,
           (rehandle_count > 0)::int AS rehandled,
           CASE WHEN w_a.ordinal >= w_c.ordinal THEN w_a.ordinal - w_c.ordinal END AS assign_days,
           CASE WHEN lead_status = 'replied' AND w_l.ordinal >= w_a.ordinal THEN w_l.ordinal - w_a.ordinal END AS handle_days,
           CASE WHEN status = 'closed' AND w_x.ordinal >= w_r.ordinal THEN w_x.ordinal - w_r.ordinal END AS close_days,
           CASE WHEN status = 'closed' AND w_x.ordinal >= w_c.ordinal THEN w_x.ordinal - w_c.ordinal END AS total_days
    FROM base x
    LEFT JOIN workday w_c ON w_c.day = x.created
    LEFT JOIN workday w_r ON w_r.day = x.replied_day
    LEFT JOIN workday w_x ON w_x.day = x.closed_day
    LEFT JOIN workday w_a ON w_a.day = x.lead_assigned
    LEFT JOIN workday w_l ON w_l.day = x.lead_replied
),
periods(period, start) AS (VALUES ('year', %(year)s::date), ('month', %(month)s::date), ('rolling12', %(rolling)s::date))
SELECT p.period, GROUPING(r2, r4, r6, r9, station, unit, deputy, category) AS grouping_set,
       r2, r4, r6, r9, station, station_region, unit, unit_region, deputy, deputy_region, category,
       COUNT(*) AS collected,
       SUM(deputy_suggestions) AS deputy_suggestions, SUM(declined) AS declined, SUM(merged) AS merged,
       SUM(accepted) AS accepted, SUM(on_spot) AS on_spot, SUM(assigned) AS assigned, SUM(replied) AS replied,
       SUM(replied_on_time) AS replied_on_time, SUM(replied_late) AS replied_late, SUM(overdue) AS overdue,
       SUM(closed) AS closed, SUM(fed_back) AS fed_back, SUM(result_a) AS result_a, SUM(result_b) AS result_b,
       SUM(result_c) AS result_c, SUM(result_d) AS result_d, SUM(evaluated) AS evaluated,
       SUM(satisfied) AS satisfied, SUM(basically_satisfied) AS basically_satisfied,
       SUM(unsatisfied) AS unsatisfied, SUM(supervised) AS supervised, SUM(key_supervised) AS key_supervised,
       SUM(rehandled) AS rehandled,
       COALESCE(SUM(assign_days), 0) AS assign_days_sum, COUNT(assign_days) AS assign_days_n,
       COALESCE(SUM(handle_days), 0) AS handle_days_sum, COUNT(handle_days) AS handle_days_n,
       COALESCE(SUM(close_days), 0) AS close_days_sum, COUNT(close_days) AS close_days_n,
       COALESCE(SUM(total_days), 0) AS total_days_sum, COUNT(total_days) AS total_days_n
FROM f JOIN periods p ON f.created >= p.start
GROUP BY p.period, GROUPING SETS (
    (r2), (r4), (r6), (r9), (station, station_region), (unit, unit_region), (deputy, deputy_region),
    (category, r2), (category, r4), (category, r6), (category, r9)
)
"""
RAW_KEYS = {  # GROUPING(r2, r4, r6, r9, station, unit, deputy, category) → (dimension, key column, region column)
    0b01111111: ("region", "r2", "r2"),
    0b10111111: ("region", "r4", "r4"),
    0b11011111: ("region", "r6", "r6"),
    0b11101111: ("region", "r9", "r9"),
    0b11110111: ("station", "station", "station_region"),
    0b11111011: ("unit", "unit", "unit_region"),
    0b11111101: ("deputy", "deputy", "deputy_region"),
    0b01111110: ("category", "category", "r2"),
    0b10111110: ("category", "category", "r4"),
    0b11011110: ("category", "category", "r6"),
    0b11101110: ("category", "category", "r9"),
}


def raw_params(day: datetime.date) -> dict:
    periods = {p.name: p for p in stats.snapshot_periods(day)}
    first = min(p.start for p in periods.values())
    last = max(day, timezone.localdate()) + datetime.timedelta(days=1)
    calendar = WorkCalendar()
    off, on = [], []
    d = first
    while d <= last:
        workday = calendar.is_workday(d)
        if d.weekday() < 5 and not workday:
            off.append(d)
        elif d.weekday() >= 5 and workday:
            on.append(d)
        d += datetime.timedelta(days=1)
    return {
        "off": off, "on": on, "first": first, "last": last,
        "lo": stats.start_of(first), "hi": stats.start_of(day + datetime.timedelta(days=1)),
        "tz": timezone.get_default_timezone_name(), "reference": stats.reference_day(day),
        "year": periods["year"].start, "month": periods["month"].start, "rolling": periods["rolling12"].start,
    }


def run_raw(day: datetime.date, *, jit: bool = False) -> list[dict]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the same session settings as build_stats
        cursor.execute(f"SET LOCAL jit = {'on' if jit else 'off'}")
        cursor.execute(RAW_SQL, raw_params(day))
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def compare(raw_rows: list[dict], day: datetime.date) -> tuple[int, list[str]]:
    """Every raw group against its snapshot row: (groups compared, differences)."""
    snapshot = {
        (r["period"], r["dimension"], r["region_code"], r["key"]): r
        for r in StatSnapshot.objects.filter(date=day).values("period", "dimension", "region_code", "key", *stats.FIGURE_NAMES)
    }
    differences, compared, seen = [], 0, set()
    for row in raw_rows:
        dimension, key_column, region_column = RAW_KEYS[row["grouping_set"]]
        key, region = row[key_column], row[region_column]
        if key is None or region is None:
            continue  # no station / unit / deputy / category, or a code too short for the level
        ident = (row["period"], dimension, region, str(key))
        seen.add(ident)
        compared += 1
        mine = snapshot.get(ident)
        if mine is None:
            differences.append(f"missing in snapshot: {ident}")
            continue
        for name in stats.FIGURE_NAMES:
            if int(row[name]) != int(mine[name]):
                differences.append(f"{ident} {name}: raw {row[name]} snapshot {mine[name]}")
    extra = [k for k, v in snapshot.items() if k not in seen and v["collected"]]
    differences += [f"only in snapshot: {k}" for k in extra]
    return compared, differences


class Command(BaseCommand):
    help = (
        "基准测试：生成一个省一年的意见建议（默认 1,000,000 件），对比 build_stats 与等价的单条原生 SQL 聚合的用时，"
        "并核对两者每个数字一致。须在空的临时数据库上运行（见 --help 说明）。"
        " Generates a year of a province's suggestions on an empty throwaway database, times build_stats "
        "next to the single raw SQL aggregate of the same figures, checks they agree, prints a Markdown table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000, help="意见建议件数（默认 1,000,000）")
        parser.add_argument("--year", type=int, default=2025, help="生成哪一年的数据（默认 2025）")
        parser.add_argument("--seed", type=int, default=20250101)
        parser.add_argument("--repeat", type=int, default=3, help="每项计时重复次数（默认 3）")
        parser.add_argument("--cities", type=int, default=CITIES, help=f"省内城市数（默认 {CITIES}，每市 10 县、每县 12 乡镇）")
        parser.add_argument("--reuse", action="store_true", help="不再生成，直接计时上次生成的数据库")
        parser.add_argument("--parts", default=",".join(sorted(PARTS)), help="计时哪些项目（逗号分隔）：" + "、".join(sorted(PARTS)))

    def handle(self, *args, count, year, seed, repeat, cities, reuse, parts, **options):
        parts = {part.strip() for part in parts.split(",") if part.strip()}
        unknown = parts - PARTS
        if unknown:
            raise CommandError(f"--parts: unknown {sorted(unknown)}; choose from {sorted(PARTS)}")
        day = datetime.date(year, 12, 31)
        if reuse:
            if not Suggestion.objects.filter(code__startswith="B").exists():
                raise CommandError("--reuse: this database holds no generated suggestions; run without --reuse first.")
            counts = {"suggestions": Suggestion.objects.count(), "assignments": Assignment.objects.count(),
                      "deputy_links": SuggestionDeputy.objects.count(), "evaluations": Evaluation.objects.count()}
            county = Region.objects.filter(code__startswith=PROVINCE, level="county").order_by("code").values_list("code", flat=True).first()
            generated = "reused"
        else:
            if Suggestion.objects.exists() or StatSnapshot.objects.exists():
                raise CommandError(
                    "数据库里已有意见建议：请在新建并 migrate 过的临时数据库上运行（见 --help）。"
                    "The database holds suggestions: run on a fresh, migrated throwaway database."
                )
            self.stdout.write(f"generating {count:,} suggestions of {year} …")
            started = time.perf_counter()
            generator = Generator(count=count, year=year, seed=seed, cities=cities)
            with transaction.atomic():
                generator.places()
                counts = generator.suggestions()
            generated = f"generated in {time.perf_counter() - started:.0f} s"
            county = generator.counties[0]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # VACUUM cannot run inside a transaction (the test suite's); ANALYZE can.
                    cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
            self.stdout.write(f"{generated}: {counts}")
        postgres = connection.vendor == "postgresql"

        rows: list[tuple[str, list[float]]] = []
        build, raw, raw_rows, result = [], [], None, None
        for _i in range(repeat):
            if "build" in parts or result is None:
                mark = time.perf_counter()
                result = stats.build_stats(date=day)
                build.append(time.perf_counter() - mark)
                self.stdout.write(f"build_stats: {build[-1]:.2f} s ({result.rows:,} rows) {self.stages(result)}")
            if postgres and "raw" in parts:
                mark = time.perf_counter()
                raw_rows = run_raw(day)
                raw.append(time.perf_counter() - mark)
                self.stdout.write(f"raw SQL: {raw[-1]:.2f} s ({len(raw_rows):,} groups)")
        if "build" in parts:
            rows.append(("`build_stats` (3 periods × 11 groupings, written to StatSnapshot)", build))
        compared, differences = 0, []
        if raw:
            rows.append(("single raw SQL aggregate, same figures and groups (read only)", raw))
            if build:
                rows.append(("ratio build_stats / raw", [b / r for b, r in zip(build, raw, strict=True)]))
            compared, differences = compare(raw_rows, day)
            self.stdout.write(f"compared {compared:,} groups × {len(stats.FIGURE_NAMES)} figures: {len(differences)} differences")
            for line in differences[:20]:
                self.stdout.write(f"  {line}")
        if postgres and "jit" in parts:
            rows.append(("the raw SQL with PostgreSQL's JIT on (its default)", self.timed(repeat, lambda: run_raw(day, jit=True))))
        if "summary" in parts:
            start = datetime.date(year, 1, 1)
            rows.append(("`summary()` live, whole province, the year (the API)",
                         self.timed(repeat, lambda: stats.summary(region=PROVINCE, start=start, end=day))))
            rows.append(("`summary()` live, one county, the year (the API)",
                         self.timed(repeat, lambda: stats.summary(region=county, start=start, end=day))))
        if "workbook" in parts:
            from suggestions.stats_workbook import build_workbook

            rows.append(("Excel workbook from the snapshot, whole province",
                         self.timed(repeat, lambda: build_workbook(region=PROVINCE, date=day))))
            rows.append(("Excel workbook from the snapshot, one county",
                         self.timed(repeat, lambda: build_workbook(region=county, date=day))))

        vendor = f"SQLite {connection.Database.sqlite_version}" if not postgres else f"PostgreSQL {connection.pg_version}"
        lines = [
            f"{timezone.localdate()}, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"Django {django.get_version()}, {vendor}; {counts['suggestions']:,} suggestions, "
            f"{counts['assignments']:,} assignments, {counts['evaluations']:,} evaluations, "
            f"{counts['deputy_links']:,} deputy links ({generated}); snapshot of {day}: {result.rows:,} rows. "
            f"Best and median of {repeat}.",
            "",
            "| step | best (s) | median (s) |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {label} | {min(values):.2f} | {statistics.median(values):.2f} |" for label, values in rows]
        if raw:
            lines += ["", f"Raw SQL and snapshot compared on {compared:,} groups × {len(stats.FIGURE_NAMES)} figures: "
                          f"{'all equal' if not differences else f'{len(differences)} differences'}."]
        self.stdout.write("\n".join(lines))
        if differences:
            raise CommandError("the snapshot and the raw SQL disagree")

    def stages(self, result) -> str:
        return " ".join(f"{k}={v:.2f}" for k, v in result.timings.items())

    def timed(self, repeat: int, function) -> list[float]:
        seconds = []
        for _i in range(repeat):
            mark = time.perf_counter()
            function()
            seconds.append(time.perf_counter() - mark)
        return seconds
