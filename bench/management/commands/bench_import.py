"""python manage.py bench_import: time the roster import (人大代表名册) of a whole city.

It writes a deterministic 9,000-row deputies workbook (xlsx) into a temporary folder — every
deputy with one to three mandates, grouped into the station of their township, some of them
station heads, leading officials among them — and times, on whatever `DATABASE_URL` is set:

1. reading the workbook,
2. the preview (the admin's dry run: validate every row, write, roll back),
3. the real import,
4. the same file imported again (every row unchanged, nothing written).

Everything happens in one transaction that is rolled back at the end, so the command leaves
the database as it found it (the 山西省/长治市 regions it needs are loaded into that
transaction too when they are missing). `--keep` commits instead.
"""

import os
import platform
import tempfile
import time
from pathlib import Path

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from import_export.formats.base_formats import XLSX

from bench.roster import roster_dataset
from deputies.models import Deputy, Mandate, StationMembership
from deputies.resources.roster import DeputyResource
from liaison.importing.errors import error_lines
from liaison.regions import within
from stations.models import Region, RegionLevel, Station, StationKind

CITY = "1404"  # 长治市, shipped with the project


class Command(BaseCommand):
    help = (
        "基准测试：生成 9,000 行的代表名册（xlsx，内容固定），计时预览（试导入）与正式导入，输出 Markdown 表格；"
        "全部在一个事务中完成并回滚，不改动数据库（--keep 则保留）。"
        " Times the 9,000-deputy roster import (preview and real) and prints a Markdown table;"
        " rolls everything back unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=9000, help="名册行数（默认 9000）")
        parser.add_argument("--keep", action="store_true", help="保留导入的数据（默认回滚）")

    def handle(self, *args, rows, keep, **options):
        timings = []
        with tempfile.TemporaryDirectory(prefix="bench_import_") as folder, transaction.atomic():
            townships = self.townships()
            stations = self.stations(townships)
            path = Path(folder) / "roster.xlsx"
            path.write_bytes(XLSX().export_data(roster_dataset(townships, stations, rows)))
            size = path.stat().st_size

            started, cpu = time.perf_counter(), time.process_time()
            dataset = XLSX().create_dataset(path.read_bytes())
            timings.append(("读取 xlsx read the workbook", time.perf_counter() - started, time.process_time() - cpu))

            before = Deputy.objects.count()
            for label, dry_run in (("预览 preview (dry run)", True), ("正式导入 import", False),
                                   ("再次导入同一文件 re-import, unchanged", False)):
                started, cpu = time.perf_counter(), time.process_time()
                result = DeputyResource().import_data(dataset, dry_run=dry_run)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                if result.has_errors() or result.has_validation_errors():
                    raise CommandError("\n".join(error_lines(result)[:20]))
                totals = result.totals
                timings.append(
                    (f"{label}：新增 {totals['new']:,}，更新 {totals['update']:,}，未变 {totals['skip']:,}", seconds, cpu)
                )
            created = Deputy.objects.count() - before
            mandates = Mandate.objects.filter(deputy__phone__startswith="199").count()
            memberships = StationMembership.objects.filter(deputy__phone__startswith="199").count()
            if not keep:
                transaction.set_rollback(True)

        vendor = connection.vendor
        version = connection.pg_version if vendor == "postgresql" else None
        database = f"PostgreSQL {version // 10000}.{version % 100}" if version else f"SQLite {self.sqlite_version()}"
        out = self.stdout
        out.write(
            f"Roster import, {rows:,} deputies ({size / 1024:,.0f} KiB xlsx), {database}, "
            f"Django {django.get_version()}, Python {platform.python_version()}, load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        out.write("")
        out.write("| step | wall clock (s) | CPU of this process (s) |")
        out.write("| --- | ---: | ---: |")
        for label, seconds, cpu in timings:
            out.write(f"| {label} | {seconds:.2f} | {cpu:.2f} |")
        wall = sum(t[1] for t in timings[:3])
        cpu = sum(t[2] for t in timings[:3])
        out.write(f"| 读取 + 预览 + 正式导入 read + preview + import | {wall:.2f} | {cpu:.2f} |")
        out.write("")
        out.write(
            f"{created:,} deputies, {mandates:,} mandates, {memberships:,} station memberships "
            f"{'kept' if keep else 'imported, then rolled back'}."
        )

    def sqlite_version(self):
        import sqlite3

        return sqlite3.sqlite_version

    def townships(self) -> list[Region]:
        townships = list(Region.objects.filter(within(CITY, "code"), level=RegionLevel.TOWNSHIP).order_by("code"))
        if not townships:
            from stations.services import SHIPPED_REGIONS_DIR, regions_load

            regions_load(directory=SHIPPED_REGIONS_DIR)
            townships = list(Region.objects.filter(within(CITY, "code"), level=RegionLevel.TOWNSHIP).order_by("code"))
        if not townships:
            raise CommandError("找不到长治市（1404）的乡镇区划。")
        return townships

    def stations(self, townships: list[Region]) -> dict[str, Station]:
        """One station per township for the roster to group its deputies into (bench-named,
        so they never clash with the demo's)."""
        wanted = {t.code: f"名册基准{t.name}代表联络站" for t in townships}
        existing = {s.region_id: s for s in Station.objects.filter(region_id__in=wanted, name__in=wanted.values())}
        missing = [
            Station(name=name, region_id=code, kind=StationKind.STATION)
            for code, name in wanted.items()
            if code not in existing
        ]
        Station.objects.bulk_create(missing)
        return {s.region_id: s for s in Station.objects.filter(region_id__in=wanted, name__in=wanted.values())}
