"""The statistics workbook: streamed at once when small, built in the background when large,
with the dashboard's numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Role
from tests.factories import (
    UserFactory,
)
from tests.suggestions.stats.book import DAY
from tests.suggestions.stats.views.pages import get


def test_workbook_shows_the_dashboards_numbers(client, built, staff):
    dashboard = get(client, staff, "stats:dashboard").context["figures"]
    response = get(client, staff, "stats:workbook")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert {"概览", "下级区划", "站点", "类别", "承办单位排名", "站点接待月报", "领导干部进站", "说明"} <= set(workbook.sheetnames)
    overview = list(workbook["概览"].values)
    headers, year = overview[0], overview[1]
    values = dict(zip(headers, year, strict=True))
    assert values["统计期"] == "本年"
    assert (values["收集"], values["已反馈"], values["超期未答复"]) == (dashboard.collected, dashboard.fed_back, dashboard.overdue)
    assert values["反馈率"] == dashboard.feedback_rate and values["满意率"] == dashboard.satisfaction_rate
    units = [row[2] for row in list(workbook["承办单位排名"].values)[1:]]
    assert set(units) == {"潞州区住建局", "潞州区城管局"}


def test_a_small_workbook_streams_at_once(client, built, staff):
    response = get(client, staff, "stats:export")
    assert response.status_code == 302 and response["Location"].startswith(reverse("stats:workbook"))


@pytest.fixture
def eager():
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_a_large_workbook_is_built_in_the_background_with_its_progress(client, built, staff, settings, eager):
    settings.LIAISON = {**settings.LIAISON, "STATS_WORKBOOK_STREAM_ROWS": 1}
    response = get(client, staff, "stats:export")
    assert response.status_code == 302
    progress = client.get(response["Location"])
    assert progress.status_code == 200 and progress.context["state"]["status"] == "done"
    assert progress.context["state"]["done"] == progress.context["state"]["total"] == 10
    job = progress.context["job"]
    download = client.get(reverse("stats:export_download", args=[job]))
    assert download.status_code == 200
    overview = list(load_workbook(io.BytesIO(download.content), read_only=True)["概览"].values)
    assert overview[1][4] == 11  # 收集, as on the dashboard

    other = UserFactory(role=Role.STAFF, region=built.county)
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404
    assert client.get(reverse("stats:export_download", args=[job])).status_code == 404


def test_the_progress_page_refreshes_itself_while_the_job_waits(client, built, staff, monkeypatch):
    from suggestions import tasks
    from suggestions.stats.workbook import export_job_create

    queued = []
    monkeypatch.setattr(tasks.build_stats_workbook, "delay", lambda *args: queued.append(args))  # no worker here
    job = export_job_create(user=staff, region=built.county.code, date=DAY, period="year", filename="报表.xlsx")
    assert queued == [(job, built.county.code, "2025-06-30", "year")]
    page = get(client, staff, "stats:export_progress", job)
    html = page.content.decode()
    assert page.context["refresh"] and 'http-equiv="refresh"' in html and "<progress" in html
    assert get(client, staff, "stats:export_download", job).status_code == 404  # not built yet
