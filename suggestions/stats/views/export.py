"""The statistics workbook (统计报表, xlsx): streamed at once when small, otherwise built in the
background with a progress page that refreshes itself."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from suggestions.conf import setting
from suggestions.stats.views.params import (
    period_param,
    query_string,
    quote_filename,
    region_breadcrumb,
    region_param,
    snapshot_date,
    stats_scope,
)
from suggestions.stats.workbook import (
    XLSX,
    build_workbook,
    export_job,
    export_job_create,
    export_job_file,
    workbook_filename,
    workbook_rows,
)


@login_required
def workbook(request):
    """统计报表 (xlsx) of the region for the snapshot date, streamed. Built from the snapshot's
    grouped rows: about a second for a county or a city; the page links to `export_start`,
    which sends larger ones to the background with a progress page."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    period = period_param(request)
    date = snapshot_date(request, region)
    if date is None:
        raise Http404
    region_name = region_breadcrumb(scope, region)[-1][1]
    response = HttpResponse(build_workbook(region=region, date=date, period=period), content_type=XLSX)
    filename = workbook_filename(region_name=region_name, date=date, period=period)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote_filename(filename)}"
    return response


@login_required
def export_start(request):
    """下载报表: a small workbook streams at once; a large one (a province, a big city) is built in
    the background and this redirects to its progress page."""
    scope = stats_scope(request)
    region = region_param(request, scope)
    period = period_param(request)
    date = snapshot_date(request, region)
    if date is None:
        raise Http404
    direct = reverse("stats:workbook") + query_string(region=region, period=period, date=date)
    if workbook_rows(region=region, date=date, period=period) <= int(setting("STATS_WORKBOOK_STREAM_ROWS")):
        return redirect(direct)
    filename = workbook_filename(region_name=region_breadcrumb(scope, region)[-1][1], date=date, period=period)
    job = export_job_create(user=request.user, region=region, date=date, period=period, filename=filename)
    return redirect("stats:export_progress", job=job)


@login_required
def export_progress(request, job: str):
    """The progress of a workbook being built: the page refreshes itself (no script) until it is ready."""
    state = export_job(job, user=request.user)
    if state is None:
        raise Http404
    created = datetime.datetime.fromisoformat(state["created"])
    stalled = state["status"] == "queued" and (timezone.now() - created).total_seconds() > 300
    return render(request, "stats/export_progress.html", {
        "job": job, "state": state, "stalled": stalled,
        "refresh": state["status"] in ("queued", "running") and not stalled,
    })


@login_required
def export_download(request, job: str):
    state = export_job(job, user=request.user)
    content = export_job_file(job, user=request.user)
    if state is None or content is None:
        raise Http404
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote_filename(state['filename'])}"
    return response
