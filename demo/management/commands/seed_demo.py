"""python manage.py seed_demo [--if-empty] [--scale S]: build the demo city once."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_SEED, DemoConflict, DemoInProduction, refuse_in_production, seed_demo
from deputies.models import Level


class Command(BaseCommand):
    help = (
        "生成示范数据：按长治市的规模建立总站、每个乡镇（街道）一个联络站、约 391 个联络点、"
        "8,984 名五级人大代表（全部编组进站）、一年的接待活动、承办单位和各角色演示账号，"
        "以及截至今天的一整年意见建议（约 7,144 件，反馈率 82.3%）、履职活动和统计快照。"
        "已生成过则不做任何改动；生产环境（DJANGO_ENV=production）拒绝运行。Build the demo city (idempotent); `demo_logins` prints the accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="只在没有任何站点时生成（make run 使用）"
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="规模系数，默认 1.0；测试可用 0.05 生成小城市"
        )
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=f"随机种子，默认 {DEMO_SEED}"
        )

    def handle(self, *args, if_empty, scale, seed, **options):
        try:
            refuse_in_production()
        except DemoInProduction as exc:
            raise CommandError(str(exc)) from exc
        if scale <= 0:
            raise CommandError("--scale 必须大于 0。")
        started = time.perf_counter()
        try:
            result = seed_demo(scale=scale, seed=seed, if_empty=if_empty)
        except (DemoConflict, DemoInProduction) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        if not result["seeded"]:
            self.stdout.write(str(result["reason"]))
            return
        stations = result["stations"]
        receptions = result["receptions"]
        lines = [
            f"总站 {stations['hub']}，联络站 {stations['station']}，联络点 {stations['point']}，"
            f"代表之家 {stations['home']}，专业代表工作室 {stations['studio']}",
            f"代表 {result['deputies']} 人（领导干部代表 {result['leading_officials']}），"
            "代表职务："
            + "、".join(
                f"{Level(level).label}人大代表 {n}" for level, n in result["mandates"].items()
            )
            + f"；编组进站 {result['memberships']} 人次，专业代表小组 {result['groups']}",
            f"接待活动：已记录 {receptions['recorded']}，已排期 {receptions['scheduled']}，"
            f"已取消 {receptions['cancelled']}；承办单位 {result['units']}；"
            f"演示账号 {'、'.join(result['accounts']) or '无（已存在）'}",
            f"示范年度（{result['year']['start']} 至 {result['year']['end']}）：收集意见建议 {result['year']['collected']} 件，"
            f"已反馈 {result['year']['fed_back']} 件；履职活动 {result['year']['activities']} 次，"
            f"参加代表 {result['year']['active_deputies']} 人；统计快照已生成",
            f"示范数据已生成，用时 {elapsed:.1f} 秒（demo city seeded in {elapsed:.1f} s）",
        ]
        self.stdout.write("\n".join(lines))
