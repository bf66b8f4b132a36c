"""`python manage.py bench_scale`: how the product holds a province's data (see generate_province).

On the database of `DATABASE_URL` (PostgreSQL, filled by `generate_province`), times, each next
to the raw SQL time for the same result:

- the list endpoints (suggestions, deputies, stations; province, city, county and township
  region filters, a status filter and a free-text search) through the API in process
  (authentication, selectors, filters, pagination, serializers: no HTTP), p50/p95 over
  --repeat calls; "raw SQL" runs the very statements the endpoint sent, straight on the cursor,
  so the difference is what Django and DRF add;
- tracking lookups (public/track/{code}/) for random codes, the same way;
- the reminder sweep (`reminders_sweep`: the first run that catches up, then the idempotent
  rerun), next to one INSERT … SELECT writing the same reminders, notices and events; inside
  a transaction that is rolled back, so the database stays as it was;
- the nightly snapshot (`build_stats`, if present) next to bench_stats's single raw aggregate;
- the roster import (django-import-export, DeputyResource) of --roster rows, next to COPY of
  the same deputies, mandates and memberships; rolled back too.

Prints a Markdown table (the one in docs/benchmarks.md, "Scale").
"""

from __future__ import annotations

import datetime
import platform
import random
import statistics
import time
from urllib.parse import parse_qs, urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from bench.sweep import SweepBench
from bench.timing import ms, percentile, raw_time
from deputies.models import Deputy
from liaison.models import Role, User
from liaison.regions import within
from stations.models import Region
from suggestions.models import Suggestion


class Command(SweepBench, BaseCommand):
    help = "Benchmark lists, tracking, the reminder sweep, the nightly snapshot and the roster import at province scale."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="Calls per list endpoint (p50/p95 over them).")
        parser.add_argument("--codes", type=int, default=200, help="Tracking lookups (random codes).")
        parser.add_argument("--roster", type=int, default=2000, help="Rows of the roster import.")
        parser.add_argument("--skip", default="", help="Comma-separated parts to skip: lists,daily,track,sweep,snapshot,summary,roster")
        parser.add_argument("--only-suggestions", action="store_true",
                            help="Of the lists, only the suggestions/ rows (every role and filter).")
        parser.add_argument("--only", default="", help="Of the list rows, only those whose name contains this text.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, repeat, codes, roster, skip, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_scale runs on PostgreSQL (the database generate_province filled).")
        self.rng = random.Random(seed)
        self.only_suggestions = options.get("only_suggestions", False)
        self.only = options.get("only") or ""
        skip = {s.strip() for s in skip.split(",") if s.strip()}
        self.rows: list[tuple] = []
        counts = {
            "regions": Region.objects.count(), "deputies": Deputy.objects.count(),
            "suggestions": Suggestion.objects.count(),
        }
        if not counts["suggestions"]:
            raise CommandError("no suggestions: run generate_province first")
        self.stdout.write(f"data: {counts}")
        province = Region.objects.filter(level="province").order_by("code").first()
        self.staff = self.account("bench_province_staff", province.code)
        self.client = APIClient()
        self.client.force_authenticate(self.staff)
        if "lists" not in skip:
            self.bench_lists(province, repeat)
        if "daily" not in skip:
            from bench.daily_lists import bench_daily_lists

            bench_daily_lists(self, province, repeat)
        if "track" not in skip:
            self.bench_track(codes)
        if "sweep" not in skip:
            self.bench_sweep()
        if "snapshot" not in skip:
            self.bench_snapshot()
        if "summary" not in skip:
            self.bench_summary(province, min(repeat, 5))
        if "roster" not in skip:
            self.bench_roster(roster)
        self.report(counts)

    # --- helpers ------------------------------------------------------------------------------
    def account(self, username: str, region: str, role: str = Role.STAFF) -> User:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"name": "基准测试", "role": role, "region_id": region, "is_staff": True}
        )
        return user

    def record(self, what: str, app: list[float], raw: list[float], note: str = "") -> None:
        self.rows.append((what, app, raw, note))
        line = f"{what}: app p50 {ms(percentile(app, .5))} ms p95 {ms(percentile(app, .95))} ms"
        if raw:
            line += f" | raw p50 {ms(percentile(raw, .5))} ms p95 {ms(percentile(raw, .95))} ms"
        self.stdout.write(line + (f" ({note})" if note else ""))
        self.stdout.flush()

    def timed_get(self, path: str, params: dict | None = None) -> tuple[float, list[tuple[str, tuple]], object]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = self.client.get(path, params or {})
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise CommandError(f"GET {path} {params}: {response.status_code} {response.content[:300]!r}")
        return elapsed, [q["sql"] for q in queries.captured_queries], response

    def wanted(self, what: str) -> bool:
        return self.only in what

    def endpoint(self, what: str, path: str, params: dict, repeat: int) -> None:
        if not self.wanted(what):
            return
        self.timed_get(path, params)  # warm the caches once, as a server that has been running
        app, raw, count, estimate = [], [], None, False
        for _ in range(repeat):
            elapsed, statements, response = self.timed_get(path, params)
            app.append(elapsed)
            raw.append(raw_time(statements))
            body = response.json() if hasattr(response, "json") else {}
            count, estimate = body.get("count"), body.get("count_is_estimate", False)
        rows = f"{'~' if estimate else ''}{count:,} rows" if count is not None else ""
        self.record(what, app, raw, f"{rows}, {len(statements)} queries" if rows else "")

    def try_endpoint(self, what: str, path: str, params: dict, repeat: int) -> None:
        try:
            self.endpoint(what, path, params, repeat)
        except CommandError as error:  # e.g. page 50 of a small city
            self.stdout.write(self.style.WARNING(f"{what}: skipped ({error})"))

    # --- the parts ---------------------------------------------------------------------------------
    def bench_lists(self, province: Region, repeat: int) -> None:
        city = Region.objects.filter(within(province.code, "code"), level="city").order_by("code").first()
        county = Region.objects.filter(within(city.code, "code"), level="county").order_by("code").first()
        township = Region.objects.filter(within(county.code, "code"), level="township").order_by("code").first()
        page = {"page_size": 20}
        self.bench_suggestion_lists(province, city, county, township, repeat)
        if self.only_suggestions:
            return
        cases = [
            ("deputies, province", "/api/v1/deputies/", {**page}),
            ("deputies, city", "/api/v1/deputies/", {"region": city.code, **page}),
            ("deputies, county + level=county", "/api/v1/deputies/", {"region": county.code, "level": "county", **page}),
            ("deputies, q=name in a city", "/api/v1/deputies/", {"region": city.code, "q": "王", **page}),
            ("stations, city", "/api/v1/stations/", {"region": city.code, **page}),
            ("stations, province", "/api/v1/stations/", {**page}),
        ]
        for what, path, params in cases:
            try:
                self.endpoint(what, path, params, repeat)
            except CommandError as error:
                self.stdout.write(self.style.WARNING(f"{what}: skipped ({error})"))

    def bench_suggestion_lists(self, province: Region, city: Region, county: Region, township: Region,
                               repeat: int) -> None:
        """suggestions/ for every role (staff of each level, a leader, a unit officer, a deputy) and
        the filters people use daily; page 50 both by `page=50` and by the keyset cursor."""
        from deputies.models import Deputy
        from suggestions.models import Assignment, SuggestionDeputy, Unit

        path, page = "/api/v1/suggestions/", {"page_size": 20}
        roles = [
            ("staff, province", self.staff),
            ("staff, city", self.account("bench_city_staff", city.code)),
            ("staff, county", self.account("bench_county_staff", county.code)),
            ("staff, township", self.account("bench_township_staff", township.code)),
            ("leader, city", self.account("bench_city_leader", city.code, Role.LEADER)),
        ]
        # The busiest unit's officer and the deputy on the most suggestions, as they are.
        busiest = Assignment.objects.values("unit_id").annotate(n=Count("id")).order_by("-n").first()
        officer = Unit.objects.get(pk=busiest["unit_id"]).officers.filter(is_active=True).first() if busiest else None
        if officer is not None:
            roles.append((f"unit officer ({busiest['n']:,} assignments)", officer))
        linked = SuggestionDeputy.objects.values("deputy_id").annotate(n=Count("id")).order_by("-n").first()
        if linked:
            deputy = Deputy.objects.get(pk=linked["deputy_id"])
            if deputy.user_id is None:
                deputy.user = self.account(f"bench_deputy_{deputy.pk}", deputy.region_id, Role.DEPUTY)
                deputy.save(update_fields=["user"])
            roles.append((f"deputy ({linked['n']:,} suggestions)", deputy.user))
        try:
            for label, user in roles:
                self.client.force_authenticate(user)
                self.try_endpoint(f"suggestions, {label}", path, {**page}, repeat)
            self.client.force_authenticate(self.staff)
            cases = [
                ("province staff, region=city", {"region": city.code}),
                ("province staff, region=county", {"region": county.code}),
                ("province staff, region=township", {"region": township.code}),
                ("city + status=handling", {"region": city.code, "status": "handling"}),
                ("city + overdue=true", {"region": city.code, "overdue": "true"}),
                ("city + overdue_tier=due_soon", {"region": city.code, "overdue_tier": "due_soon"}),
                ("province + overdue=true", {"overdue": "true"}),
                ("page 50 of a city (page=50, OFFSET)", {"region": city.code, "page": 50}),
                ("q=路灯 in a county", {"region": county.code, "q": "路灯"}),
            ]
            for label, params in cases:
                self.try_endpoint(f"suggestions, {label}", path, {**params, **page}, repeat)
            # The same page 50 reached by following `next`: the cursor after page 49's last row.
            response = self.client.get(path, {"region": city.code, "page": 49, **page})
            cursor = parse_qs(urlsplit(response.json().get("next") or "").query).get("cursor")
            if response.status_code == 200 and cursor:
                self.try_endpoint("suggestions, page 50 of a city (cursor from page 49's next)", path,
                                  {"region": city.code, "cursor": cursor[0], **page}, repeat)
        finally:
            self.client.force_authenticate(self.staff)

    def bench_track(self, count: int) -> None:
        codes = list(Suggestion.objects.order_by("?").values_list("code", flat=True)[:count])
        client = APIClient()
        app, raw = [], []
        for number, code in enumerate(codes):
            # Each lookup from its own voter's address: the public throttle counts per address.
            voter = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(f"/api/v1/public/track/{code}/", REMOTE_ADDR=voter)
                app.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"track {code}: {response.status_code}")
            raw.append(raw_time([q["sql"] for q in queries.captured_queries]))
        self.record(f"tracking lookup (public/track/, {len(codes)} random codes)", app, raw,
                    f"{len(queries.captured_queries)} queries")

    def bench_snapshot(self) -> None:
        try:
            from suggestions.stats.build import build_stats
        except ImportError:
            self.stdout.write(self.style.WARNING("nightly snapshot: skipped (suggestions.stats.build_stats missing)"))
            return
        day = timezone.localdate() - datetime.timedelta(days=1)
        started = time.perf_counter()
        result = build_stats(date=day)
        app = [time.perf_counter() - started]
        raw = []
        try:
            from bench.raw_stats import run_raw

            started = time.perf_counter()
            rows = run_raw(day)
            raw.append(time.perf_counter() - started)
            note = f"{len(rows):,} raw groups, {getattr(result, 'rows', 0):,} snapshot rows"
        except ImportError:
            note = "raw aggregate unavailable (bench_stats missing)"
        self.record(f"nightly snapshot (build_stats --date {day})", app, raw, note)

    def bench_summary(self, province: Region, repeat: int) -> None:
        """GET stats/summary/ for the whole province, this year and three years, through the API
        in process; raw = the statements it sent, replayed on the cursor. The note gives the
        load average and the single from-scratch aggregate of the same figures (bench/raw_stats.py),
        whose every figure must equal the API's."""
        from bench.raw_stats import run_raw_summary
        from suggestions.stats.ledger import latest_build

        build = latest_build()
        ledger = f"ledger of {timezone.localtime(build.built_at):%Y-%m-%d %H:%M}" if build else "no ledger: all restaged"
        today = timezone.localdate()
        periods = [
            ("this year", today.replace(month=1, day=1)),
            ("three calendar years", today.replace(year=today.year - 2, month=1, day=1)),
            ("the last three years", today - datetime.timedelta(days=3 * 365)),
        ]
        for label, start in periods:
            params = {"region": province.code, "period_start": start.isoformat(), "period_end": today.isoformat()}
            app, raw, loads, body = [], [], [], None
            self.timed_get("/api/v1/stats/summary/", params)  # warm the caches once, as the lists do
            for _ in range(repeat):
                loads.append(open("/proc/loadavg").read().split()[0])
                elapsed, statements, response = self.timed_get("/api/v1/stats/summary/", params)
                app.append(elapsed)
                body = response.json()
                started = time.perf_counter()
                with transaction.atomic():
                    raw_time(statements)
                raw.append(time.perf_counter() - started)
            started = time.perf_counter()
            scratch = run_raw_summary(province.code, start, today)
            scratch_seconds = time.perf_counter() - started
            mismatches = self.summary_mismatches(body, scratch)
            self.record(
                f"stats summary, province, {label} ({start} – {today})", app, raw,
                f"{body['collected']:,} collected, {len(statements)} queries, {ledger}; load {' '.join(loads)}; "
                f"from-scratch single aggregate {scratch_seconds:.1f} s (load "
                f"{open('/proc/loadavg').read().split()[0]}): "
                + ("every figure equal" if not mismatches else f"{len(mismatches)} DIFFERENCES: {mismatches[:5]}"),
            )

    @staticmethod
    def summary_mismatches(body: dict, scratch: dict) -> list[str]:
        from suggestions.stats.figures import FIGURE_NAMES

        api_names = {"replied_on_time": "on_time", "replied_late": "late"}
        plain = [n for n in FIGURE_NAMES if not n.endswith(("_sum", "_n"))]
        differences = [f"total {n}" for n in plain if body[api_names.get(n, n)] != scratch["total"][n]]
        for group, key in [("category", "category"), ("unit", "unit")]:
            mine = {row[key]: row for row in body[f"by_{group}"]}
            if set(mine) != set(scratch[group]):
                differences.append(f"{group} keys")
                continue
            differences += [f"{group} {k} {n}" for k, figures in scratch[group].items() for n in plain
                            if mine[k][api_names.get(n, n)] != figures[n]]
        return differences

    def bench_roster(self, rows: int) -> None:
        from bench.roster import roster_dataset
        from deputies.models import Mandate, StationMembership
        from deputies.resources.roster import DeputyResource
        from stations.models import Station

        townships = list(Region.objects.filter(level="township").order_by("code")[:200])
        stations = {s.region_id: s for s in Station.objects.filter(region__in=townships, kind="station")}
        dataset = roster_dataset(townships, stations, rows)
        app = []
        with transaction.atomic():
            started = time.perf_counter()
            result = DeputyResource().import_data(dataset, dry_run=False, raise_errors=False)
            app.append(time.perf_counter() - started)
            if result.has_errors() or result.has_validation_errors():
                self.stdout.write(self.style.WARNING("roster import reported errors (timed anyway)"))
            imported = Deputy.objects.count()
            transaction.set_rollback(True)  # measured, not kept
        # The same people, mandates and memberships with COPY.
        raw = []
        with transaction.atomic():
            station_ids = [s.pk for s in stations.values()] or [None]
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Deputy._meta.db_table}")
                first = cursor.fetchone()[0] + 1
                with cursor.cursor.copy(
                    f"COPY {Deputy._meta.db_table} (id, name, gender, ethnicity, party, occupation, employer, phone,"
                    " expertise, is_leading_official, region_id, photo, created_at, updated_at) FROM STDIN"
                ) as copy:
                    now = timezone.now()
                    for i in range(rows):
                        copy.write_row((first + i, f"代表{i}", "male", "汉族", "cpc", "农民", "", "13900000000", "",
                                        False, townships[i % len(townships)].code, "", now, now))
                with cursor.cursor.copy(
                    f"COPY {Mandate._meta.db_table} (deputy_id, level, congress, district, started_on) FROM STDIN"
                ) as copy:
                    for i in range(rows):
                        copy.write_row((first + i, "township", "第十八届人民代表大会", "", datetime.date(2021, 10, 1)))
                with cursor.cursor.copy(
                    f"COPY {StationMembership._meta.db_table} (deputy_id, station_id, role) FROM STDIN"
                ) as copy:
                    for i in range(rows):
                        copy.write_row((first + i, station_ids[i % len(station_ids)], "member"))
            raw.append(time.perf_counter() - started)
            transaction.set_rollback(True)  # measured, not kept
        self.record(f"roster import ({rows:,} rows, DeputyResource)", app, raw, f"{imported:,} deputies after")

    def report(self, counts: dict) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {platform.python_version()}, "
            f"{counts['regions']:,} regions, {counts['deputies']:,} deputies, {counts['suggestions']:,} suggestions"
        )
        self.stdout.write("")
        self.stdout.write("| what | app p50 ms | app p95 ms | raw SQL p50 ms | raw SQL p95 ms | app/raw p95 | notes |")
        self.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for what, app, raw, note in self.rows:
            raw50 = ms(percentile(raw, .5)) if raw else "–"
            raw95 = ms(percentile(raw, .95)) if raw else "–"
            ratio = f"{percentile(app, .95) / percentile(raw, .95):.1f}×" if raw and percentile(raw, .95) else "–"
            self.stdout.write(
                f"| {what} | {ms(percentile(app, .5))} | {ms(percentile(app, .95))} | {raw50} | {raw95} | {ratio} | {note} |"
            )
        if self.rows:
            self.stdout.write(f"\n(app = through Django/DRF in process; {statistics.mean(len(r[1]) for r in self.rows):.0f} samples on average)")
