"""python manage.py bench_foundation [PATH]: time the foundation's bulk operations.

Run it on a throwaway database, never on one with data (it refuses), e.g. on PostgreSQL:

    createdb -h 127.0.0.1 -U postgres liaison_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench
    python manage.py migrate
    python manage.py bench_foundation ../shared/data/regions
    dropdb -h 127.0.0.1 -U postgres liaison_bench

or on SQLite: DATABASE_URL=sqlite:////tmp/liaison_bench.sqlite3, migrate, run, delete the file.
"""

import platform
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from demo.seed import seed_demo
from stations.models import Region, Station
from stations.services import RegionLoadError, regions_load


class Command(BaseCommand):
    help = (
        "基准测试：全国区划导入（load_regions）与全规模示范数据（seed_demo）的用时，输出 Markdown 表格。"
        "须在空的临时数据库上运行，例如：createdb -h 127.0.0.1 -U postgres liaison_bench；"
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench python manage.py migrate；"
        "DATABASE_URL=… python manage.py bench_foundation ../shared/data/regions；用完 dropdb。"
        " Times the whole-country region load and the full demo seed on DATABASE_URL (an empty "
        "throwaway database: it refuses one with data) and prints a Markdown table."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(settings.BASE_DIR.parent / "shared" / "data" / "regions"),
            help="全国区划文件目录（默认 ../shared/data/regions）",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="示范数据规模系数（默认 1.0，即全规模）"
        )

    def handle(self, *args, path, scale, **options):
        if Region.objects.exists() or Station.objects.exists():
            raise CommandError(
                "数据库不是空的：请在新建并 migrate 过的临时数据库上运行（见 --help）。"
                "The database is not empty: run on a fresh, migrated throwaway database."
            )
        rows = []
        try:
            seconds, result = self.timed(regions_load, directory=Path(path))
            rows.append(
                (
                    "load_regions（全国，首次导入 first load）",
                    f"{result['created']:,} regions",
                    seconds,
                )
            )
            seconds, result = self.timed(regions_load, directory=Path(path))
            rows.append(
                (
                    "load_regions（再次运行 rerun, idempotent）",
                    f"{result['created'] + result['updated']:,} changed",
                    seconds,
                )
            )
        except RegionLoadError as exc:
            raise CommandError(str(exc)) from exc

        seconds, result = self.timed(seed_demo, scale=scale)
        stations = sum(result["stations"].values())
        receptions = sum(result["receptions"].values())
        rows.append(
            (
                "seed_demo（全规模 full scale）" if scale == 1 else f"seed_demo（scale {scale:g}）",
                f"{result['deputies']:,} deputies, {sum(result['mandates'].values()):,} mandates, "
                f"{stations:,} stations, {result['memberships']:,} memberships, {receptions:,} receptions",
                seconds,
            )
        )

        self.stdout.write(
            f"Database: {self.describe_database()}; Django {django.get_version()}, "
            f"Python {platform.python_version()}; {timezone.localdate():%Y-%m-%d}"
        )
        self.stdout.write("")
        self.stdout.write("| step | rows | seconds |")
        self.stdout.write("| --- | --- | ---: |")
        for step, count, seconds in rows:
            self.stdout.write(f"| {step} | {count} | {seconds:.2f} |")

    @staticmethod
    def timed(function, **kwargs):
        started = time.perf_counter()
        result = function(**kwargs)
        return time.perf_counter() - started, result

    @staticmethod
    def describe_database() -> str:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
            return f"PostgreSQL {version}"
        if connection.vendor == "sqlite":
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version}"
        return connection.vendor
