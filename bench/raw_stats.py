"""The raw SQL the statistics snapshot is measured against (PostgreSQL).

One statement (GROUPING SETS over one CTE) computes the figures `build_stats` writes, for the
same periods and groups; `compare` checks every figure of every group against the snapshot.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from suggestions.calendar import WorkCalendar
from suggestions.models import StatSnapshot
from suggestions.stats.figures import FIGURE_NAMES
from suggestions.stats.periods import reference_day, snapshot_periods, start_of

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
best AS (  -- the deputies' best rating, and the voter's (an evaluation without a deputy)
    SELECT e.suggestion_id,
           MAX(CASE WHEN e.deputy_id IS NULL THEN NULL
                    WHEN e.rating = 'satisfied' THEN 3 WHEN e.rating = 'basically_satisfied' THEN 2 ELSE 1 END) AS best,
           MAX(CASE WHEN e.deputy_id IS NOT NULL THEN NULL
                    WHEN e.rating = 'satisfied' THEN 3 WHEN e.rating = 'basically_satisfied' THEN 2 ELSE 1 END) AS voter_best
    FROM suggestions_evaluation e JOIN cohort c ON c.id = e.suggestion_id
    GROUP BY e.suggestion_id
),
base AS (
    SELECT s.region_id AS region, s.station_id AS station, st.region_id AS station_region, s.category_id AS category,
           a.unit_id AS unit, u.region_id AS unit_region, sd.deputy_id AS deputy, d.region_id AS deputy_region,
           s.kind, s.session, s.converted_from_id, s.status, s.route, s.supervision, s.result, s.rehandle_count, s.fed_back_at, s.replied_at,
           b.best, b.voter_best, a.status AS lead_status, a.deadline,
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
           (converted_from_id IS NULL)::int AS collected,
           (kind = 'deputy_suggestion')::int AS deputy_suggestions,
           (kind = 'deputy_suggestion' AND session = 'in_session')::int AS in_session,
           (kind = 'deputy_suggestion' AND session = 'interim')::int AS interim,
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
           (voter_best IS NOT NULL)::int AS voter_evaluated,
           COALESCE(voter_best >= 2, false)::int AS voter_satisfied,
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
       SUM(collected) AS collected,
       SUM(deputy_suggestions) AS deputy_suggestions, SUM(in_session) AS in_session, SUM(interim) AS interim, SUM(declined) AS declined, SUM(merged) AS merged,
       SUM(accepted) AS accepted, SUM(on_spot) AS on_spot, SUM(assigned) AS assigned, SUM(replied) AS replied,
       SUM(replied_on_time) AS replied_on_time, SUM(replied_late) AS replied_late, SUM(overdue) AS overdue,
       SUM(closed) AS closed, SUM(fed_back) AS fed_back, SUM(result_a) AS result_a, SUM(result_b) AS result_b,
       SUM(result_c) AS result_c, SUM(result_d) AS result_d, SUM(evaluated) AS evaluated,
       SUM(satisfied) AS satisfied, SUM(basically_satisfied) AS basically_satisfied,
       SUM(unsatisfied) AS unsatisfied, SUM(voter_evaluated) AS voter_evaluated,
       SUM(voter_satisfied) AS voter_satisfied, SUM(supervised) AS supervised, SUM(key_supervised) AS key_supervised,
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
    periods = {p.name: p for p in snapshot_periods(day)}
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
        "lo": start_of(first), "hi": start_of(day + datetime.timedelta(days=1)),
        "tz": timezone.get_default_timezone_name(), "reference": reference_day(day),
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
        for r in StatSnapshot.objects.filter(date=day).values("period", "dimension", "region_code", "key", *FIGURE_NAMES)
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
        for name in FIGURE_NAMES:
            if int(row[name]) != int(mine[name]):
                differences.append(f"{ident} {name}: raw {row[name]} snapshot {mine[name]}")
    extra = [k for k, v in snapshot.items() if k not in seen and v["collected"]]
    differences += [f"only in snapshot: {k}" for k in extra]
    return compared, differences


def _summary_sql() -> str:
    """RAW_SQL's per-suggestion rows (`f`) of one region, summed in total, per category and per
    lead unit: the live summary's figures in one statement over the workflow rows."""
    head = RAW_SQL.split("periods(period, start) AS")[0].rstrip().rstrip(",")
    head = head.replace(
        "WHERE created_at >= %(lo)s AND created_at < %(hi)s",
        "WHERE created_at >= %(lo)s AND created_at < %(hi)s AND region_id LIKE %(region)s",
    )
    sums = RAW_SQL.split("SUM(collected) AS collected,")[1].split("FROM f JOIN periods")[0]
    return (
        f"{head}\nSELECT GROUPING(category, unit) AS grouping_set, category, unit, SUM(collected) AS collected,"
        f"{sums}FROM f GROUP BY GROUPING SETS ((), (category), (unit))"
    )


def run_raw_summary(region: str, start: datetime.date, end: datetime.date) -> dict:
    """The live summary's figures from scratch (PostgreSQL): {"total": {...}, "category": {id: {...}},
    "unit": {id: {...}}}, each {figure: value}."""
    calendar = WorkCalendar()
    last = max(end, timezone.localdate()) + datetime.timedelta(days=1)
    off, on, day = [], [], start
    while day <= last:
        workday = calendar.is_workday(day)
        if day.weekday() < 5 and not workday:
            off.append(day)
        elif day.weekday() >= 5 and workday:
            on.append(day)
        day += datetime.timedelta(days=1)
    params = {
        "off": off, "on": on, "first": start, "last": last, "lo": start_of(start),
        "hi": start_of(end + datetime.timedelta(days=1)), "tz": timezone.get_default_timezone_name(),
        "reference": reference_day(end), "region": f"{region}%",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_summary_sql(), params)
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    result: dict = {"total": {}, "category": {}, "unit": {}}
    for row in rows:
        figures = {name: int(row[name]) for name in FIGURE_NAMES}
        if row["grouping_set"] == 0b11:
            result["total"] = figures
        elif row["grouping_set"] == 0b01 and row["category"] is not None:
            result["category"][int(row["category"])] = figures
        elif row["grouping_set"] == 0b10 and row["unit"] is not None:
            result["unit"][int(row["unit"])] = figures
    return result
