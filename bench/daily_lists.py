"""bench_scale's rows for the daily lists other than suggestions: the assignments inbox (API and
the unit officers' web page), deputies, receptions and stations, each for every role.

Each row times the endpoint in process and, beside it, the very statements it sent run
straight on the cursor ("raw SQL"); the note splits the raw time into the page's own query and
the exact COUNT(*), and gives what a count capped at 1,001 rows (`SELECT count(*) FROM (… LIMIT
1001)`, the paginator's estimate threshold) costs on the same filter.
"""

from __future__ import annotations

import re
import time

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from bench.timing import ms, percentile, raw_time
from deputies.models import Deputy
from liaison.models import Role, User
from liaison.regions import within
from stations.models import Region
from suggestions.models import Assignment, SuggestionDeputy, Unit

CAP = 1001
_LIMIT = re.compile(r"\s+LIMIT\s+\d+(\s+OFFSET\s+\d+)?\s*$", re.IGNORECASE)


def _account(username: str, role: str, region: str | None) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"name": "基准测试", "role": role, "region_id": region, "is_staff": role == Role.STAFF},
    )
    return user


def _capped_count_sql(page_sql: str) -> str | None:
    """The page's statement as a count capped at CAP rows: no ORDER BY, LIMIT CAP."""
    if not _LIMIT.search(page_sql):
        return None
    body = _LIMIT.sub("", page_sql)
    head, sep, _tail = body.rpartition(" ORDER BY ")
    return f"SELECT count(*) FROM ({head if sep else body} LIMIT {CAP}) capped"


def _roles(province: Region, city: Region, county: Region, township: Region) -> dict[str, User]:
    """One account of each role: staff at each level, a city's leader, the officer of the unit
    with the most assignments, and the account of a deputy with the most suggestions."""
    busiest_unit = (
        Assignment.objects.values("unit_id").order_by().annotate(n=Count("id")).order_by("-n").values("unit_id")[:1]
    )
    officer = User.objects.filter(units__in=Unit.objects.filter(pk__in=busiest_unit)).order_by("pk").first()
    if officer is None:
        officer = _account("bench_officer", Role.UNIT_OFFICER, None)
        Unit.objects.filter(pk__in=busiest_unit).first().officers.add(officer)
    deputy_account = _account("bench_deputy", Role.DEPUTY, None)
    if not Deputy.objects.filter(user=deputy_account).exists():
        busiest = (
            SuggestionDeputy.objects.values("deputy_id").order_by().annotate(n=Count("id")).order_by("-n", "deputy_id")
            .values_list("deputy_id", flat=True).first()
        )
        Deputy.objects.filter(pk=busiest).update(user=deputy_account)
    return {
        "staff, province": _account("bench_province_staff", Role.STAFF, province.code),
        "staff, city": _account("bench_city_staff", Role.STAFF, city.code),
        "staff, county": _account("bench_county_staff", Role.STAFF, county.code),
        "staff, township": _account("bench_township_staff", Role.STAFF, township.code),
        "leader, city": _account("bench_city_leader", Role.LEADER, city.code),
        "unit officer": officer,
        "deputy": deputy_account,
    }


def _cases(roles: dict[str, User], city: Region) -> list[tuple[str, User, str, dict, bool]]:
    page = {"page_size": 20}
    cases: list[tuple[str, User, str, dict, bool]] = []
    for role, user in roles.items():
        cases.append((f"assignments, {role}", user, "/api/v1/assignments/", page, False))
    officer, city_staff = roles["unit officer"], roles["staff, city"]
    cases += [
        ("assignments, staff, city + status=pending", city_staff, "/api/v1/assignments/", {"status": "pending", **page}, False),
        ("assignments, staff, city + overdue", city_staff, "/api/v1/assignments/", {"overdue": "true", **page}, False),
        ("assignments, staff, province + overdue", roles["staff, province"], "/api/v1/assignments/",
         {"overdue": "true", **page}, False),
        ("assignments, unit officer + status=pending", officer, "/api/v1/assignments/", {"status": "pending", **page}, False),
        ("assignments, unit officer + overdue", officer, "/api/v1/assignments/", {"overdue": "true", **page}, False),
        ("unit officer's inbox (web page, open)", officer, reverse("suggestions:inbox"), {}, True),
        ("unit officer's inbox (web page, all)", officer, reverse("suggestions:inbox"), {"show": "all"}, True),
    ]
    for resource in ("deputies", "receptions", "stations"):
        for role, user in roles.items():
            cases.append((f"{resource}, {role}", user, f"/api/v1/{resource}/", page, False))
    cases.append(("receptions, staff, city + status=recorded", city_staff, "/api/v1/receptions/",
                  {"status": "recorded", **page}, False))
    cases.append(("deputies, staff, province + region=city", roles["staff, province"], "/api/v1/deputies/",
                  {"region": city.code, **page}, False))
    return cases


def bench_daily_lists(command, province: Region, repeat: int) -> None:
    """Time every case and record it through `command.record` (bench_scale's table)."""
    city = Region.objects.filter(within(province.code, "code"), level="city").order_by("code").first()
    county = Region.objects.filter(within(city.code, "code"), level="county").order_by("code").first()
    township = Region.objects.filter(within(county.code, "code"), level="township").order_by("code").first()
    roles = _roles(province, city, county, township)
    clients: dict[tuple[int, bool], object] = {}
    for what, user, path, params, web in _cases(roles, city):
        key = (user.pk, web)
        if key not in clients:
            client = Client() if web else APIClient()
            if web:
                client.force_login(user)
            else:
                client.force_authenticate(user)
            clients[key] = client
        _measure(command, what, clients[key], path, params, repeat)


def _measure(command, what: str, client, path: str, params: dict, repeat: int) -> None:
    if not command.wanted(what):
        return
    client.get(path, params)  # warm the caches once, as a server that has been running
    app, raw, page_raw, count_raw, capped_raw = [], [], [], [], []
    rows = statements = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, params)
            app.append(time.perf_counter() - started)
        if response.status_code != 200:
            command.stdout.write(command.style.WARNING(f"{what}: {response.status_code}, skipped"))
            return
        statements = [q["sql"] for q in queries.captured_queries]
        raw.append(raw_time(statements))
        counts = [s for s in statements if s.lstrip().upper().startswith("SELECT COUNT(*)")]
        pages = [s for s in statements if _LIMIT.search(s) and s not in counts]
        if counts:
            count_raw.append(raw_time(counts[-1:]))
        if pages:
            page_raw.append(raw_time(pages[-1:]))
            capped = _capped_count_sql(pages[-1])
            if capped:
                capped_raw.append(raw_time([capped]))
        if rows is None:
            rows = response.json().get("count") if response.get("Content-Type", "").startswith("application/json") else None
    note = f"{rows:,} rows, " if rows is not None else ""
    note += f"{len(statements)} queries"
    for label, samples in (("page SQL", page_raw), ("exact count", count_raw), (f"count ≤{CAP}", capped_raw)):
        if samples:
            note += f"; {label} p50 {ms(percentile(samples, .5))} p95 {ms(percentile(samples, .95))}"
    command.record(what, app, raw, note)

