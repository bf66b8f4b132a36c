"""`python manage.py build_stats [--date YYYY-MM-DD] [--email]`: the nightly statistics snapshot, once.

The same code as the nightly task (suggestions.tasks.build_stats_nightly). Without --date it
builds yesterday's snapshot (the last day that has ended, in Asia/Shanghai). Rebuilding a date
replaces its rows.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from suggestions.stats.build import build_stats


class Command(BaseCommand):
    help = (
        "生成统计快照（与每晚的定时任务相同）：默认统计昨天，--date 指定日期；重复运行覆盖当天的快照。"
        " Build the statistics snapshot of a date (default: yesterday); rerunning replaces that date's rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="统计日期 YYYY-MM-DD（默认昨天）")
        parser.add_argument("--email", action="store_true", help="生成后把统计报表发送给设置中的工作人员")

    def handle(self, *args, **options):
        day = timezone.localdate() - datetime.timedelta(days=1)
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date 应为 YYYY-MM-DD：{exc}") from exc
        if day > timezone.localdate():
            raise CommandError("不能统计未来的日期。")
        result = build_stats(date=day)
        self.stdout.write(self.style.SUCCESS(
            f"{day}: {result.rows} 行统计快照，用时 {result.seconds:.2f} 秒；清理过期快照 {result.pruned} 行"
        ))
        if options["email"]:
            from suggestions.stats.workbook import email_workbooks

            sent = email_workbooks(date=day)
            self.stdout.write(f"已发送 {sent['sent']} 封，跳过 {sent['skipped']} 个账号")
