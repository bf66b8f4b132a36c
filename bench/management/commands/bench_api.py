"""`python manage.py bench_api`: p50/p95 latency of every list endpoint of the API.

Runs in-process (Django's test client: the whole request path — middleware, token
authentication, filters, serializers — without a network or a server) against the demo city
on `DATABASE_URL`. Use a throwaway database:

    createdb -h 127.0.0.1 -U postgres liaison_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench
    python manage.py migrate
    python manage.py bench_api --seed
    dropdb -h 127.0.0.1 -U postgres liaison_bench
"""

import platform
import statistics
import time

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from accounts.services import token_issue, token_revoke_one
from bench.timing import percentile
from stations.models import Station

# (label, path with query): the contract's lists, plain and with the filters people use.
ENDPOINTS = [
    ("regions ?parent=1404", "/api/v1/regions/?parent=1404"),
    ("regions ?level=township", "/api/v1/regions/?level=township"),
    ("stations", "/api/v1/stations/"),
    ("stations ?region=140403&kind=point", "/api/v1/stations/?region=140403&kind=point"),
    ("stations ?q=街道", "/api/v1/stations/?q=%E8%A1%97%E9%81%93"),
    ("deputies", "/api/v1/deputies/"),
    ("deputies ?level=county", "/api/v1/deputies/?level=county"),
    ("deputies ?region=140403&q=王", "/api/v1/deputies/?region=140403&q=%E7%8E%8B"),
    ("receptions", "/api/v1/receptions/"),
    ("receptions ?region=140403&mode=visit", "/api/v1/receptions/?region=140403&mode=visit"),
    ("units", "/api/v1/units/"),
    ("users", "/api/v1/users/"),
]


class _QueryCounter:
    """Counts the SQL statements run (Django resets its own query log per request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        # Not the token's last-use stamp: written at most once a minute (accounts/auth.py),
        # it would land in whichever row's counted request came due.
        if not sql.startswith('UPDATE "accounts_apitoken"'):
            self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = (
        "基准测试：API 各列表接口的 p50/p95 延迟（进程内请求，示范城市数据），输出 Markdown 表格。"
        " Times every list endpoint in-process on the demo city and prints a Markdown table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50, help="每个接口请求次数（默认 50）")
        parser.add_argument(
            "--page-size", type=int, action="append", dest="page_sizes",
            help="每页条数，可重复（默认 20 和 200）",
        )
        parser.add_argument("--account", default="staff", help="以哪个账号请求（默认示范账号 staff，长治市工作人员）")
        parser.add_argument("--seed", action="store_true", help="数据库没有站点时先生成示范城市（seed_demo）")

    def handle(self, *args, requests, page_sizes, account, seed, **options):
        if requests < 1:
            raise CommandError("--requests 至少为 1")
        page_sizes = page_sizes or [20, 200]
        if not Station.objects.exists():
            if not seed:
                raise CommandError("数据库里没有站点：先运行 seed_demo，或加 --seed。")
            from demo.seed import seed_demo

            self.stderr.write("生成示范城市（seed_demo）……")
            seed_demo(if_empty=True)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh tables: give the planner its statistics
        user = get_user_model().objects.filter(username=account).first()
        if user is None:
            raise CommandError(f"账号不存在：{account}（示范账号见 python manage.py demo_logins）")

        # As in production: no query log kept in memory, no debug pages.
        settings.DEBUG = False
        issued = token_issue(user=user, name="bench_api")
        try:
            self._run(Client(HTTP_AUTHORIZATION=f"Token {issued.key}"), account, requests, page_sizes)
        finally:
            token_revoke_one(token=issued.token)

    def _run(self, client, account, requests, page_sizes):
        self.stdout.write(
            f"{django.db.connection.vendor} · Django {django.get_version()} · Python {platform.python_version()} · "
            f"account `{account}` · {requests} requests per row · DEBUG off\n"
        )
        self.stdout.write("| endpoint | page_size | rows matched | queries | p50 (ms) | p95 (ms) |")
        self.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, path in ENDPOINTS:
            for page_size in page_sizes:
                url = f"{path}{'&' if '?' in path else '?'}page_size={page_size}"
                counter = _QueryCounter()
                with connection.execute_wrapper(counter):
                    response = client.get(url)  # also the warm-up
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}: {response.content[:200]!r}")
                count = response.json()["count"]
                samples = []
                for _ in range(requests):
                    started = time.perf_counter()
                    client.get(url)
                    samples.append((time.perf_counter() - started) * 1000)
                self.stdout.write(
                    f"| {label} | {page_size} | {count:,} | {counter.count} | "
                    f"{statistics.median(samples):.1f} | {percentile(samples, 0.95):.1f} |"
                )
