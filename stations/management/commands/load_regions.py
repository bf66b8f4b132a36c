"""python manage.py load_regions [PATH]: import the statistical division code files."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stations.models import RegionLevel
from stations.services import REGION_FILES, SHIPPED_REGIONS_DIR, RegionLoadError, regions_load


class Command(BaseCommand):
    help = (
        "导入行政区划（统计用区划代码）。PATH 为含 "
        + "、".join(spec.filename for spec in REGION_FILES)
        + " 的目录（缺少的文件跳过），默认为项目自带的山西省长治市数据。可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(SHIPPED_REGIONS_DIR),
            help="区划文件所在目录，如 ../shared/data/regions（默认：stations/fixtures/regions）",
        )

    def handle(self, *args, path, **options):
        started = time.perf_counter()
        try:
            result = regions_load(directory=Path(path))
        except RegionLoadError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        for level in RegionLevel:
            if level.value in result["counts"]:
                self.stdout.write(
                    f"{level.label}（{level.value}）：{result['counts'][level.value]}"
                )
        self.stdout.write(
            f"新增 {result['created']}，更新 {result['updated']}，未变 {result['unchanged']}；"
            f"用时 {elapsed:.2f} 秒（created {result['created']}, updated {result['updated']}, "
            f"unchanged {result['unchanged']}; {elapsed:.2f} s）"
        )
