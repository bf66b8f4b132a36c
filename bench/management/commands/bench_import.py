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
import tablib
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from import_export.formats.base_formats import XLSX

from deputies.models import Deputy, Mandate, StationMembership
from deputies.resources import DeputyResource
from stations.models import Region, RegionLevel, Station, StationKind
from stations.resources import error_lines

CITY = "1404"  # 长治市, shipped with the project
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌晓东海波宁亮红梅琳雪燕鹏飞宇浩然凯欣悦"
OCCUPATIONS = ("农民", "教师", "医生", "工人", "个体经营者", "社区工作者", "企业管理人员", "公务员", "村干部", "律师")


def roster_dataset(townships: list[Region], stations: dict[str, Station], rows: int) -> tablib.Dataset:
    """The deterministic roster: row i always holds the same person."""
    headers = [
        "姓名", "性别", "民族", "政治面貌", "出生日期", "职业", "工作单位及职务", "手机号", "领导干部代表",
        "所属区划", "代表层级", "届次", "选区", "任期开始", "编组站点",
    ]
    dataset = tablib.Dataset(headers=headers)
    for i in range(rows):
        township = townships[i % len(townships)]
        county_code = township.code[:6]
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + (
            GIVEN[(i * 7) % len(GIVEN)] if i % 3 else ""
        )
        levels = ["乡"]
        congresses = [f"{township.name}第十八届人民代表大会"]
        if i % 4 == 0:
            levels.append("县")
            congresses.append(f"{county_code}县（区）第十七届人民代表大会")
        if i % 25 == 0:
            levels.append("市")
            congresses.append("长治市第十五届人民代表大会")
        role = "[站长]" if i % 60 == 0 else ""
        dataset.append(
            [
                name,
                "女" if i % 2 else "男",
                "汉族" if i % 17 else "回族",
                "中共党员" if i % 3 == 0 else "群众",
                f"{1960 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                OCCUPATIONS[i % len(OCCUPATIONS)],
                f"{township.name}{OCCUPATIONS[i % len(OCCUPATIONS)]}",
                f"199{i:08d}",
                "是" if i % 12 == 0 else "否",
                township.code,
                ";".join(levels),
                ";".join(congresses),
                f"第{1 + i % 9}选区",
                "2021-10-01",
                stations[township.code].name + role,
            ]
        )
    return dataset


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
        townships = list(Region.objects.filter(code__startswith=CITY, level=RegionLevel.TOWNSHIP).order_by("code"))
        if not townships:
            from stations.services import SHIPPED_REGIONS_DIR, regions_load

            regions_load(directory=SHIPPED_REGIONS_DIR)
            townships = list(Region.objects.filter(code__startswith=CITY, level=RegionLevel.TOWNSHIP).order_by("code"))
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
