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
import statistics
import time

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bench.province_year import CITIES, PROVINCE, Generator
from bench.raw_stats import compare, run_raw
from liaison.regions import within
from stations.models import Region
from suggestions.models import (
    Assignment,
    Evaluation,
    StatSnapshot,
    Suggestion,
    SuggestionDeputy,
)
from suggestions.stats.build import build_stats
from suggestions.stats.figures import FIGURE_NAMES
from suggestions.stats.summary import summary

PARTS = {"build", "raw", "jit", "summary", "workbook"}


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
            county = Region.objects.filter(within(PROVINCE, "code"), level="county").order_by("code").values_list("code", flat=True).first()
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
                result = build_stats(date=day)
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
            self.stdout.write(f"compared {compared:,} groups × {len(FIGURE_NAMES)} figures: {len(differences)} differences")
            for line in differences[:20]:
                self.stdout.write(f"  {line}")
        if postgres and "jit" in parts:
            rows.append(("the raw SQL with PostgreSQL's JIT on (its default)", self.timed(repeat, lambda: run_raw(day, jit=True))))
        if "summary" in parts:
            start = datetime.date(year, 1, 1)
            rows.append(("`summary()` live, whole province, the year (the API)",
                         self.timed(repeat, lambda: summary(region=PROVINCE, start=start, end=day))))
            rows.append(("`summary()` live, one county, the year (the API)",
                         self.timed(repeat, lambda: summary(region=county, start=start, end=day))))
        if "workbook" in parts:
            from suggestions.stats.workbook import build_workbook

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
            lines += ["", f"Raw SQL and snapshot compared on {compared:,} groups × {len(FIGURE_NAMES)} figures: "
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
