"""`python manage.py generate_province`: a province-sized data set on PostgreSQL, fast.

The real regions of one province (default 14, 山西省: 11 cities, 117 counties, 1,352 townships,
from the national statistical division codes in /work/shared/data/regions or --regions), a
station per township and a hub per county, handling units and their officers, staff per
county, ~300,000 deputies each with a mandate and a station, and ~1,000,000 suggestions over
three years in every state of the workflow, with their deputies, assignments, events and
evaluations, as the workflow would have left them, and three receptions per station and month
(~150,000) with the deputies who held them. Rows go in with COPY (psycopg 3).

For benchmarks (bench_scale) and nothing else: the data are synthetic and the database should
be a throwaway one. Refuses to run twice on the same database unless --force.
"""

from __future__ import annotations

import csv
import datetime
import functools
import random
import tempfile
import time
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone

from deputies.models import Deputy, Mandate, Reception, StationMembership
from liaison.models import Role, User
from liaison.regions import within
from stations.models import Region, Station
from stations.services import regions_load
from suggestions.models import (
    TRACKING_CODE_ALPHABET,
    TRACKING_CODE_LENGTH,
    Assignment,
    Category,
    Evaluation,
    Event,
    Suggestion,
    SuggestionDeputy,
    Unit,
)
from suggestions.similar.text import stored_terms

# The national division codes beside the work tree (shared/data/regions), as on CI.
DEFAULT_REGIONS = Path(__file__).resolve().parents[4] / "shared" / "data" / "regions"
REGION_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")
CATEGORIES = ["城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "生态环境", "农业农村", "社会治理", "营商环境", "其他"]
COUNTY_UNITS = [
    ("住房和城乡建设局", "department"), ("交通运输局", "department"), ("教育局", "department"),
    ("卫生健康局", "department"), ("人力资源和社会保障局", "department"), ("生态环境分局", "department"),
    ("农业农村局", "department"), ("民政局", "department"), ("公安局", "department"), ("人民法院", "court"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文玉兰红梅海燕"
TITLES = ["小区门口路灯不亮", "村道坑洼需修补", "学校周边交通拥堵", "农贸市场环境脏乱", "老旧小区加装电梯",
          "乡镇卫生院缺医生", "河道垃圾清理", "农村饮水水压不足", "公交线路延伸", "养老服务站建设"]
# The states a suggestion is in and how often (a mature system: most are closed).
STATUS_WEIGHTS = [("closed", 70), ("replied", 7), ("handling", 8), ("assigned", 4), ("accepted", 2),
                  ("submitted", 4), ("declined", 5)]
LIVE = {"assigned", "handling", "accepted", "submitted"}
ASSIGNED = {"assigned", "handling", "replied", "closed"}


class Command(BaseCommand):
    help = "Build a province-sized synthetic data set on PostgreSQL (regions are real) for bench_scale."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="14", help="Province code (default 14, 山西省).")
        parser.add_argument("--city", default="", help="Only this city's part of the province (a smaller set).")
        parser.add_argument("--regions", default=str(DEFAULT_REGIONS), help="Directory of the region CSV files.")
        parser.add_argument("--deputies", type=int, default=300_000)
        parser.add_argument("--suggestions", type=int, default=1_000_000)
        parser.add_argument("--receptions", type=int, default=3, help="Receptions per station and month (three years).")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--force", action="store_true", help="Add to a database that already has suggestions.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_province needs PostgreSQL (it writes with COPY).")
        if Suggestion.objects.exists() and not options["force"]:
            raise CommandError("This database already has suggestions; use a throwaway database (or --force).")
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        started = time.monotonic()
        with connection.cursor() as cursor:
            # The rows are consistent by construction: skip the per-row foreign-key triggers
            # (needs a superuser, as on a throwaway benchmark database).
            cursor.execute("SET session_replication_role = replica")
        try:
            self.generate(options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f} s"))

    def generate(self, options) -> None:
        prefix = options["city"] or options["province"]
        if not prefix.startswith(options["province"]):
            raise CommandError("--city must be inside --province")
        self.step("regions", lambda: self.load_regions(Path(options["regions"]), options["province"], prefix))
        townships = list(Region.objects.filter(within(prefix, "code"), level="township").values_list("code", flat=True))
        counties = sorted({code[:6] for code in townships})
        if not townships:
            raise CommandError(f"no townships under {prefix}")
        self.step("stations", lambda: self.make_stations(counties, townships))
        self.step("units and accounts", lambda: self.make_units_and_accounts(counties, townships))
        self.step("deputies", lambda: self.make_deputies(options["deputies"], townships))
        self.step("suggestions", lambda: self.make_suggestions(options["suggestions"], townships))
        self.step("receptions", lambda: self.make_receptions(prefix, options["receptions"]))
        self.step("sequences and statistics", self.finish)

    # --- helpers ----------------------------------------------------------------------------
    def step(self, name: str, function) -> None:
        started = time.monotonic()
        result = function()
        self.stdout.write(f"{name}: {result} ({time.monotonic() - started:.1f} s)")
        self.stdout.flush()

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
            return cursor.fetchone()[0]

    def copy(self, model, columns: list[str], rows) -> int:
        """COPY `rows` (tuples in `columns` order) into `model`'s table; every other column
        gets the field's default (""/False/None), as the ORM would have written it."""
        fields = {field.column: field for field in model._meta.concrete_fields}
        rest = [f for c, f in fields.items() if c not in columns and not (f.primary_key and c not in columns)]
        defaults = []
        for field in rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                defaults.append(self.now)
            else:
                default = field.get_default()
                if isinstance(default, DatabaseDefault):  # db_default only: the value it names
                    expression = field._db_default_expression
                    default = expression.value if isinstance(expression, Value) else field.db_default
                value = field.get_db_prep_save(default, connection)
                # A file field's empty default comes back as None; the column is NOT NULL "".
                defaults.append("" if value is None and not field.null else value)
        names = ", ".join(f'"{c}"' for c in [*columns, *(f.column for f in rest)])
        count = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
                tail = tuple(defaults)
                for row in rows:
                    copy.write_row(row + tail)
                    count += 1
        return count

    # --- the steps ------------------------------------------------------------------------
    def load_regions(self, source: Path, province: str, prefix: str) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            for name in REGION_FILES:
                path = source / name
                if not path.exists():
                    raise CommandError(f"{path} is missing")
                with path.open(newline="", encoding="utf-8-sig") as src, open(Path(tmp) / name, "w", newline="", encoding="utf-8") as dst:
                    reader = csv.reader(src)
                    writer = csv.writer(dst)
                    writer.writerow(next(reader))
                    for row in reader:
                        code = row[0]
                        # The province and the chosen city's line of ancestors, then what is under it.
                        if code.startswith(prefix) or prefix.startswith(code):
                            writer.writerow(row)
            regions_load(directory=Path(tmp))
        count = Region.objects.filter(within(province, "code")).count()
        return f"{count} regions of {province}"

    def make_stations(self, counties: list[str], townships: list[str]) -> str:
        rows, first = [], self.next_id(Station)
        self.hub_of, self.station_of = {}, {}
        next_id = first
        for county in counties:
            self.hub_of[county] = next_id
            rows.append((next_id, f"{county}代表联络总站", "hub", county, None, f"{county}人大常委会", "1"))
            next_id += 1
        for township in townships:
            self.station_of[township] = next_id
            rows.append((next_id, f"{township}人大代表联络站", "station", township, self.hub_of[township[:6]],
                         f"{township}便民服务中心", "1"))
            next_id += 1
        columns = ["id", "name", "kind", "region_id", "parent_id", "address", "station_class"]
        rows = [(*r[:6], "first") for r in rows]
        self.copy(Station, columns, iter(rows))
        return f"{len(rows)} stations"

    def make_units_and_accounts(self, counties: list[str], townships: list[str]) -> str:
        units, self.units_of = [], {}
        unit_id = self.next_id(Unit)
        for county in counties:
            ids = []
            for name, kind in COUNTY_UNITS:
                units.append((unit_id, f"{county}{name}", kind, county, True, self.now))
                ids.append(unit_id)
                unit_id += 1
            self.units_of[county] = ids
        for township in townships:
            units.append((unit_id, f"{township}人民政府", "township", township, True, self.now))
            self.units_of[township] = [unit_id]
            unit_id += 1
        self.copy(Unit, ["id", "name", "kind", "region_id", "is_active", "created_at"], iter(units))

        password = make_password("bench-only-password")
        user_id = self.next_id(User)
        users, officers, self.staff_of, self.officer_of = [], [], {}, {}
        for county in counties:
            users.append((user_id, password, f"staff_{county}", f"{county}工作人员", Role.STAFF, county, True,
                          True, self.now, f"staff_{county}@example.gov.cn", "13800000000"))
            self.staff_of[county] = user_id
            user_id += 1
        link = 1
        for uid, name, _kind, _region, _active, _created in units:
            users.append((user_id, password, f"officer_{uid}", f"{name}联络员", Role.UNIT_OFFICER, None, False, True,
                          self.now, f"officer_{uid}@example.gov.cn", "13900000000"))
            officers.append((link, uid, user_id))
            self.officer_of[uid] = user_id
            link += 1
            user_id += 1
        columns = ["id", "password", "username", "name", "role", "region_id", "is_staff", "is_active", "date_joined",
                   "email", "phone"]
        self.copy(User, columns, iter(users))
        through = Unit.officers.through
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {through._meta.db_table}")
            offset = cursor.fetchone()[0]
        self.copy(through, ["id", "unit_id", "user_id"], ((offset + i, u, o) for i, u, o in officers))
        categories = []
        for order, name in enumerate(CATEGORIES):
            category, _ = Category.objects.get_or_create(name=name, defaults={"order": order})
            categories.append(category.pk)
        self.categories = categories
        return f"{len(units)} units, {len(users)} accounts"

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def make_deputies(self, count: int, townships: list[str]) -> str:
        rng = self.rng
        first = self.next_id(Deputy)
        self.deputies_of: dict[str, list[int]] = {}
        levels = [("township", 60), ("county", 30), ("city", 8), ("provincial", 2)]
        level_names, level_weights = zip(*levels, strict=True)
        homes = [rng.choice(townships) for _ in range(count)]

        def deputy_rows():
            for i in range(count):
                did = first + i
                township = homes[i]
                self.deputies_of.setdefault(township, []).append(did)
                yield (did, self.person(), rng.choice(("male", "female")), "汉族",
                       rng.choice(("cpc", "cpc", "cpc", "")), datetime.date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1),
                       rng.choice(("农民", "教师", "医生", "企业职工", "个体经营者", "社区工作者")), f"139{did % 100_000_000:08d}",
                       rng.random() < 0.05, township)

        self.copy(Deputy, ["id", "name", "gender", "ethnicity", "party", "birth_date", "occupation", "phone",
                           "is_leading_official", "region_id"], deputy_rows())
        term_start = datetime.date(2021, 10, 1)
        mandate_first = self.next_id(Mandate)
        self.copy(Mandate, ["id", "deputy_id", "level", "congress", "district", "started_on"],
                  ((mandate_first + i, first + i, level, f"第十七届{level}人民代表大会", f"{homes[i]}选区", term_start)
                   for i, level in enumerate(rng.choices(level_names, level_weights, k=count))))
        membership_first = self.next_id(StationMembership)
        self.copy(StationMembership, ["id", "deputy_id", "station_id", "role", "joined_on"],
                  ((membership_first + i, first + i, self.station_of[homes[i]], "member", term_start) for i in range(count)))
        return f"{count} deputies with a mandate and a station each"

    def make_suggestions(self, count: int, townships: list[str]) -> str:
        rng = self.rng
        now = self.now
        statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
        first = self.next_id(Suggestion)
        codes: set[str] = set()
        while len(codes) < count:
            codes.add("".join(rng.choices(TRACKING_CODE_ALPHABET, k=TRACKING_CODE_LENGTH)))
        codes_list = list(codes)
        rng.shuffle(codes_list)
        status_list = rng.choices(statuses, weights, k=count)
        suggestions, deputies, assignments, events, evaluations = [], [], [], [], []
        assignment_id = self.next_id(Assignment)
        link_id = self.next_id(SuggestionDeputy)
        event_id = self.next_id(Event)
        evaluation_id = self.next_id(Evaluation)
        day = datetime.timedelta(days=1)
        counts = {"assignments": 0, "events": 0, "links": 0, "evaluations": 0}

        def flush():
            self.copy(Suggestion, SUGGESTION_COLUMNS, iter(suggestions))
            self.copy(SuggestionDeputy, ["id", "suggestion_id", "deputy_id", "role", "order"], iter(deputies))
            self.copy(Assignment, ASSIGNMENT_COLUMNS, iter(assignments))
            self.copy(Event, EVENT_COLUMNS, iter(events))
            self.copy(Evaluation, ["id", "suggestion_id", "deputy_id", "rating", "comment", "round", "by_id",
                                   "created_at"], iter(evaluations))
            counts["assignments"] += len(assignments)
            counts["events"] += len(events)
            counts["links"] += len(deputies)
            counts["evaluations"] += len(evaluations)
            for batch in (suggestions, deputies, assignments, events, evaluations):
                batch.clear()

        for i in range(count):
            sid = first + i
            status = status_list[i]
            township = rng.choice(townships)
            county = township[:6]
            # Open work is recent; what is closed spreads over three years.
            age_days = rng.uniform(0, 100) if status in LIVE else rng.uniform(110, 3 * 365)
            created = now - datetime.timedelta(days=age_days)
            kind = "deputy_suggestion" if rng.random() < 0.15 else "opinion"
            local_deputies = self.deputies_of.get(township) or []
            staff = self.staff_of[county]
            title = rng.choice(TITLES)
            accepted_at = created + day * rng.uniform(0.2, 3)
            assigned_at = accepted_at + day * rng.uniform(0.2, 3)
            replied_at = assigned_at + day * rng.uniform(5, 80) if status in ("replied", "closed") else None
            closed_at = replied_at + day * rng.uniform(1, 20) if status == "closed" else None
            route = rng.choice(("grassroots", "township", "district")) if status in ASSIGNED else ""
            result = rng.choices("ABCD", (60, 25, 10, 5))[0] if replied_at else ""
            fed_back = (closed_at or replied_at) + day if replied_at and rng.random() < 0.82 else None
            updated = closed_at or replied_at or (assigned_at if status in ASSIGNED else created)
            # The lead assignment's deadline, stored on the suggestion as the services keep it.
            deadline = (assigned_at + day * 90).date() if status in ASSIGNED else None
            region = township if kind == "opinion" else county
            suggestions.append((
                sid, kind, codes_list[i], title, f"{title}，请有关部门尽快处理。", rng.choice(self.categories),
                region,
                self.station_of[township] if kind == "opinion" and rng.random() < 0.7 else None,
                self.person() if kind == "opinion" else "", f"138{sid % 100_000_000:08d}" if kind == "opinion" else "",
                "public" if kind == "opinion" else "deputy", "interim" if kind == "deputy_suggestion" else "",
                status, route, result, replied_at, fed_back, closed_at, rng.random() < 0.3 if status == "closed" else False,
                closed_at + day if status == "closed" else None, created, updated,
                similar_terms(title, f"{title}，请有关部门尽快处理。"), deadline,
            ))
            lead_deputy = None
            if local_deputies and (kind == "deputy_suggestion" or rng.random() < 0.3):
                lead_deputy = rng.choice(local_deputies)
                deputies.append((link_id, sid, lead_deputy, "lead", 0))
                link_id += 1
            events.append((event_id, sid, None, None, "", "submit", "", "submitted", created))
            event_id += 1
            if status == "declined":
                events.append((event_id, sid, None, staff, "工作人员", "decline", "submitted", "declined", accepted_at))
                event_id += 1
                continue
            if status == "submitted":
                continue
            events.append((event_id, sid, None, staff, "工作人员", "accept", "submitted", "accepted", accepted_at))
            event_id += 1
            if status == "accepted":
                continue
            units = self.units_of[county] if route == "district" else self.units_of[township]
            lead_unit = rng.choice(units)
            unit_ids = [lead_unit]
            if route == "district" and rng.random() < 0.3:
                unit_ids.append(rng.choice([u for u in self.units_of[county] if u != lead_unit]))
            events.append((event_id, sid, None, staff, "工作人员", "assign", "accepted", "assigned", assigned_at))
            event_id += 1
            for n, unit in enumerate(unit_ids):
                officer = self.officer_of[unit]
                a_status = {"assigned": "pending", "handling": "signed"}.get(status, "replied")
                signed = assigned_at + day * rng.uniform(0.1, 3) if a_status != "pending" else None
                assignments.append((
                    assignment_id, sid, region, unit, "lead" if n == 0 else "co", deadline, a_status, staff,
                    signed, officer if signed else None, result if a_status == "replied" else "",
                    "已按要求办理。" if a_status == "replied" else "", replied_at if a_status == "replied" else None,
                    officer if a_status == "replied" else None, assigned_at, replied_at or signed or assigned_at,
                ))
                if n == 0 and signed:
                    events.append((event_id, sid, assignment_id, officer, "联络员", "sign", "assigned", "handling", signed))
                    event_id += 1
                if n == 0 and replied_at:
                    events.append((event_id, sid, assignment_id, officer, "联络员", "reply", "handling", "replied", replied_at))
                    event_id += 1
                assignment_id += 1
            if closed_at:
                rating = rng.choices(("satisfied", "basically_satisfied", "unsatisfied"), (85, 12, 3))[0]
                evaluations.append((evaluation_id, sid, lead_deputy, rating, "", 1, None, closed_at))
                evaluation_id += 1
                events.append((event_id, sid, None, staff, "工作人员", "close", "replied", "closed", closed_at))
                event_id += 1
            if len(suggestions) >= 20_000:
                flush()
        flush()
        return (f"{count} suggestions, {counts['assignments']} assignments, {counts['events']} events, "
                f"{counts['links']} deputy links, {counts['evaluations']} evaluations")

    def make_receptions(self, prefix: str, per_month: int) -> str:
        """接待选民: `per_month` receptions at each township station in each of the last 36
        months and the coming one (past ones recorded, a few cancelled; the coming ones
        scheduled), each with two or three of the station's deputies. Read back from the
        tables, so it can also be run on its own against a generated database."""
        rng = self.rng
        members: dict[int, list[int]] = {}
        stations = StationMembership.objects.filter(within(prefix, "station__region__code"), station__kind="station")
        for station_id, deputy_id in stations.values_list("station_id", "deputy_id").iterator(chunk_size=50_000):
            members.setdefault(station_id, []).append(deputy_id)
        staff = dict(User.objects.filter(role=Role.STAFF, region__isnull=False).values_list("region_id", "pk"))
        county_of = dict(Station.objects.filter(pk__in=list(members)).values_list("pk", "region_id"))
        today = timezone.localdate()
        months = [(today.year * 12 + today.month - 1 - back) for back in range(36, -2, -1)]
        reception_id, link_id = self.next_id(Reception), self.next_id(Reception.deputies.through)
        receptions, links = [], []
        modes = [("station", 60), ("visit", 15), ("mobile", 10), ("online", 10), ("evening", 5)]
        mode_names, mode_weights = zip(*modes, strict=True)
        for station_id in sorted(members):
            deputies = members[station_id]
            recorder = staff.get(county_of[station_id][:6])
            for month in months:
                year, month0 = divmod(month, 12)
                for _ in range(per_month):
                    day = datetime.date(year, month0 + 1, 1 + rng.randrange(28))
                    if day > today:
                        status = "scheduled"
                    else:
                        status = "cancelled" if rng.random() < 0.05 else "recorded"
                    held = status == "recorded"
                    title = rng.choice(TITLES)
                    starts = datetime.time(9 if rng.random() < 0.8 else 14, 0)
                    receptions.append((
                        reception_id, station_id, day, starts, datetime.time(starts.hour + 2, 30),
                        rng.choices(mode_names, mode_weights)[0], status, title if held else "",
                        rng.randrange(3, 40) if held else 0, f"接待选民，收集{title}等意见。" if held else "",
                        recorder if held else None,
                    ))
                    for deputy_id in rng.sample(deputies, min(len(deputies), rng.choice((2, 2, 3)))):
                        links.append((link_id, reception_id, deputy_id))
                        link_id += 1
                    reception_id += 1
        self.copy(Reception, ["id", "station_id", "date", "starts_at", "ends_at", "mode", "status", "topic",
                              "visitor_count", "summary", "recorded_by_id"], iter(receptions))
        self.copy(Reception.deputies.through, ["id", "reception_id", "deputy_id"], iter(links))
        return f"{len(receptions)} receptions at {len(members)} stations, {len(links)} deputies attending"

    def finish(self) -> str:
        # Regions too: with the statistics of an empty table the planner joins them by sequential scan.
        models = [Region, Station, Unit, Unit.officers.through, User, Deputy, Mandate, StationMembership, Category,
                  Suggestion, SuggestionDeputy, Assignment, Event, Evaluation, Reception, Reception.deputies.through]
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        # VACUUM, not only ANALYZE: it sets the visibility map, without which a COUNT over a
        # region reads every heap page instead of the index alone (3x slower on this data).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM: not in a transaction
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"{command} {model._meta.db_table}")
        return "sequences reset, tables vacuumed and analysed"


@functools.cache
def similar_terms(title: str, content: str) -> str:
    """`Suggestion.similar_terms` as the model's save() fills it (the titles repeat: cached)."""
    return stored_terms(title, content)


SUGGESTION_COLUMNS = [
    "id", "kind", "code", "title", "content", "category_id", "region_id", "station_id", "submitter_name",
    "submitter_phone", "source", "session", "status", "route", "result", "replied_at", "fed_back_at", "closed_at",
    "is_public", "published_at", "created_at", "updated_at", "similar_terms", "lead_deadline",
]
ASSIGNMENT_COLUMNS = [
    "id", "suggestion_id", "region_id", "unit_id", "role", "deadline", "status", "assigned_by_id", "signed_at", "signed_by_id",
    "result", "reply", "replied_at", "replied_by_id", "created_at", "updated_at",
]
EVENT_COLUMNS = ["id", "suggestion_id", "assignment_id", "actor_id", "actor_name", "action", "from_status", "to_status",
                 "created_at"]
