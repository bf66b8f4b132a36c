"""统计报表 (Excel): the snapshot of a date for a region, one sheet per report, and the nightly e-mail.

Every number comes from the same snapshot rows the dashboard shows (and the API recounts live
with the same code), so the three agree. Built with openpyxl's write-only mode: the workbook's
size is bounded by the number of groups (regions, stations, units, deputies), never by the
number of suggestions, so it is written in well under a second for a city and a few seconds
for a province (docs/benchmarks.md) and is streamed straight to the browser.
"""

from __future__ import annotations

import datetime
import io
import logging

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from liaison.exports import export_row
from liaison.regions import within
from liaison.scoping import region_scope
from suggestions.conf import setting
from suggestions.duty import attendance_alerts, leader_visits
from suggestions.models import StatDimension, StatPeriod, StatSnapshot
from suggestions.stats.figures import FIGURES
from suggestions.stats.periods import snapshot_periods
from suggestions.stats.read import (
    REGION_LEVEL_LABELS,
    dimension_rows,
    names,
    region_figures,
    unit_league,
)
from suggestions.stats.stations import station_receptions_by_month

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (header, attribute, number format)
FIGURE_COLUMNS = [
    (_("收集"), "collected", None),
    (_("代表建议"), "deputy_suggestions", None),
    (_("大会期间建议"), "in_session", None),
    (_("闭会期间建议"), "interim", None),
    (_("不予受理"), "declined", None),
    (_("并案"), "merged", None),
    (_("受理"), "accepted", None),
    (_("代表即办"), "on_spot", None),
    (_("交办"), "assigned", None),
    (_("答复"), "replied", None),
    (_("按期答复"), "replied_on_time", None),
    (_("逾期答复"), "replied_late", None),
    (_("超期未答复"), "overdue", None),
    (_("按期答复率"), "on_time_rate", "0.0%"),
    (_("办结"), "closed", None),
    (_("已反馈"), "fed_back", None),
    (_("反馈率"), "feedback_rate", "0.0%"),
    (_("A类（已解决或采纳）"), "result_a", None),
    (_("B类（正在解决或列入计划）"), "result_b", None),
    (_("C类（暂不能解决）"), "result_c", None),
    (_("D类（留作参考）"), "result_d", None),
    (_("已评价"), "evaluated", None),
    (_("满意"), "satisfied", None),
    (_("基本满意"), "basically_satisfied", None),
    (_("不满意"), "unsatisfied", None),
    (_("满意率"), "satisfaction_rate", "0.0%"),
    (_("群众已评价"), "voter_evaluated", None),
    (_("选民满意率"), "voter_satisfaction_rate", "0.0%"),
    (_("督办"), "supervised", None),
    (_("重点督办"), "key_supervised", None),
    (_("重新办理"), "rehandled", None),
    (_("平均交办用时（工作日）"), "avg_assign_days", "0.0"),
    (_("平均办理用时（工作日）"), "avg_handle_days", "0.0"),
    (_("平均评价办结用时（工作日）"), "avg_close_days", "0.0"),
    (_("平均全程用时（工作日）"), "avg_total_days", "0.0"),
]


class _Sheet:
    def __init__(self, workbook: Workbook, title: str, headers: list[str]):
        self.sheet = workbook.create_sheet(title=title[:31])
        bold = Font(bold=True)
        cells = []
        for header in export_row(str(h) for h in headers):
            cell = WriteOnlyCell(self.sheet, value=header)
            cell.font = bold
            cells.append(cell)
        self.sheet.append(cells)

    def row(self, values: list, formats: list | None = None) -> None:
        values = export_row(values)  # names are people's text
        if formats:
            # A styled cell costs several times a plain value: only rates and averages get one.
            values = [self._formatted(value, fmt) if fmt and value is not None else value
                      for value, fmt in zip(values, formats, strict=True)]
        self.sheet.append(values)

    def _formatted(self, value, fmt: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = fmt
        return cell


HEADLINE_COLUMNS = [c for c in FIGURE_COLUMNS if c[1] in {
    "collected", "accepted", "assigned", "replied", "replied_on_time", "overdue", "on_time_rate", "closed",
    "fed_back", "feedback_rate", "evaluated", "satisfaction_rate", "voter_satisfaction_rate",
}]
SHEETS = 10  # for the progress of a workbook being built


def _figure_values(figures) -> tuple[list, list]:
    return [getattr(figures, attribute) for _h, attribute, _f in FIGURE_COLUMNS], [f for _h, _a, f in FIGURE_COLUMNS]


def _figure_headers() -> list[str]:
    return [str(header) for header, _a, _f in FIGURE_COLUMNS]


def workbook_filename(*, region_name: str, date: datetime.date, period: str) -> str:
    return f"统计报表-{region_name}-{StatPeriod(period).label}-{date:%Y%m%d}.xlsx"


def build_workbook(*, region: str, date: datetime.date, period: str = StatPeriod.YEAR, progress=None) -> bytes:
    """The statistics workbook of `region`'s subtree for the snapshot of `date`.

    `progress(done, total)` is called after each sheet (the background export shows it)."""
    workbook = Workbook(write_only=True)
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, SHEETS)

    region_names = names(StatDimension.REGION, [region]) if region else {}
    title = region_names.get(region, _("全部区划"))
    period_label = str(StatPeriod(period).label)

    overview = _Sheet(workbook, _("概览"), [_("区划"), _("统计期"), _("起始日期"), _("截止日期"), *_figure_headers(),
                                          _("接待次数"), _("接待群众人次")])
    for start_end in snapshot_periods(date):
        figures = region_figures(date=date, period=start_end.name, region=region)
        values, formats = _figure_values(figures)
        overview.row([title, str(StatPeriod(start_end.name).label), start_end.start, start_end.end, *values,
                      figures.receptions, figures.visitors],
                     [None, None, "yyyy-mm-dd", "yyyy-mm-dd", *formats, None, None])
    step()

    regions = StatSnapshot.objects.filter(date=date, period=period, dimension=StatDimension.REGION)
    if region:
        regions = regions.filter(within(region, "key")).exclude(key=region)
    region_rows = list(regions.order_by("key"))
    region_names = names(StatDimension.REGION, [r.key for r in region_rows])
    sheet = _Sheet(workbook, _("下级区划"), [_("区划代码"), _("名称"), _("层级"), *_figure_headers(),
                                          _("接待次数"), _("接待群众人次"), _("代表人数"), _("已进站代表"), _("进站率")])
    for row in region_rows:
        values, formats = _figure_values(row)
        level = REGION_LEVEL_LABELS.get(len(row.key), "")
        coverage = row.deputies_in_stations / row.deputies if row.deputies else None
        sheet.row([row.key, region_names.get(row.key, ""), str(level), *values, row.receptions, row.visitors,
                   row.deputies, row.deputies_in_stations, coverage],
                  [None, None, None, *formats, None, None, None, None, "0.0%"])
    step()

    for dimension, sheet_title, name_header, columns in (
        (StatDimension.STATION, _("站点"), _("站点"), FIGURE_COLUMNS),
        (StatDimension.CATEGORY, _("类别"), _("类别"), FIGURE_COLUMNS),
        # Deputies are many (tens of thousands in a province): their sheet keeps the headline figures.
        (StatDimension.DEPUTY, _("代表（领衔）"), _("代表"), HEADLINE_COLUMNS),
    ):
        rows = dimension_rows(date=date, period=period, dimension=dimension, region=region)
        group_names = names(dimension, [r.key for r in rows])
        extra = [_("接待次数"), _("接待群众人次")] if dimension == StatDimension.STATION else []
        sheet = _Sheet(workbook, sheet_title, [_("ID"), name_header, *[str(h) for h, _a, _f in columns], *extra])
        formats = [None, None, *[f for _h, _a, f in columns], *([None] * len(extra))]
        for row in rows:
            more = [row.receptions, row.visitors] if extra else []
            sheet.row([row.key, group_names.get(row.key, ""), *[getattr(row, a) for _h, a, _f in columns], *more], formats)
        step()

    league, unranked = unit_league(date=date, period=period, region=region)
    sheet = _Sheet(workbook, _("承办单位排名"), [_("名次"), _("ID"), _("承办单位"), _("应答复"), *_figure_headers()])
    for entry in [*league, *unranked]:
        values, formats = _figure_values(entry.figures)
        sheet.row([entry.rank if entry.rank is not None else _("样本不足"), entry.key, entry.name, entry.figures.due,
                   *values], [None, None, None, None, *formats])
    step()

    year = date.year
    months = [f"{m}月" for m in range(1, 13)]
    sheet = _Sheet(workbook, _("站点接待月报"), [_("站点"), _("区划代码"), _("项目"), *months, _("合计")])
    for station in station_receptions_by_month(region=region, year=year):
        sheet.row([station.name, station.region_id, _("接待次数"), *station.receptions, station.total_receptions])
        sheet.row([station.name, station.region_id, _("接待人次"), *station.visitors, station.total_visitors])
    step()

    sheet = _Sheet(workbook, _("领导干部进站"), [_("代表"), _("区划代码"), _("第一季度"), _("第二季度"), _("第三季度"),
                                             _("第四季度"), _("未达要求的季度")])
    for visits in leader_visits(region=region, year=year, today=date + datetime.timedelta(days=1)):
        sheet.row([visits.deputy.name, visits.deputy.region_id, *visits.per_quarter,
                   "、".join(f"第{q}季度" for q in visits.missed)])
    step()

    alerts = attendance_alerts(region=region, today=date + datetime.timedelta(days=1), limit=5000)
    sheet = _Sheet(workbook, _("进站入点提醒"), [_("提醒"), _("代表"), _("区划代码")])
    for deputy in alerts["missed_last_month"]:
        sheet.row([_("%(m)s 未进站") % {"m": f"{alerts['last_month']:%Y-%m}"}, deputy.name, deputy.region_id])
    for deputy in alerts["not_yet"]:
        sheet.row([_("%(m)s 尚未进站") % {"m": f"{alerts['this_month']:%Y-%m}"}, deputy.name, deputy.region_id])
    for visits in alerts["leaders_missed"]:
        sheet.row([_("领导干部代表未进站：") + "、".join(f"第{q}季度" for q in visits.missed), visits.deputy.name,
                   visits.deputy.region_id])
    step()

    about = _Sheet(workbook, _("说明"), [_("项目"), _("说明")])
    about.row([_("区划"), title])
    about.row([_("统计日期"), date])
    about.row([_("统计期（下级区划、站点、类别、代表、承办单位各表）"), period_label])
    for figure in FIGURES:
        if figure.help:
            about.row([str(figure.label), str(figure.help)])
    about.row([_("反馈率"), _("已反馈 ÷ 收集")])
    about.row([_("满意率"), _("（满意 + 基本满意）÷ 已评价")])
    about.row([_("按期答复率"), _("按期答复 ÷（按期答复 + 逾期答复 + 超期未答复）")])

    stream = io.BytesIO()
    workbook.save(stream)
    step()
    return stream.getvalue()


def email_workbooks(*, date: datetime.date) -> dict:
    """E-mail each account named in STATS_EMAIL_USERS the workbook of its own region (once per
    date and account: a redelivered task sends nothing twice)."""
    usernames = list(setting("STATS_EMAIL_USERS"))
    sent = skipped = 0
    users = get_user_model().objects.filter(username__in=usernames, is_active=True).select_related("region")
    for user in users:
        scope = region_scope(user)
        if scope is None or not user.email:
            skipped += 1
            continue
        marker = f"stats-mailed:{date.isoformat()}:{user.pk}"
        if cache.get(marker):
            skipped += 1
            continue
        region_name = user.region.name if user.region_id else _("全部区划")
        filename = workbook_filename(region_name=region_name, date=date, period=StatPeriod.YEAR)
        message = EmailMessage(
            subject=_("%(region)s意见建议统计报表（截至 %(date)s）") % {"region": region_name, "date": date},
            body=_("附件是截至 %(date)s 的统计报表（本年、本月、近12个月），数据与统计页面一致。") % {"date": date},
            to=[user.email],
        )
        message.attach(filename, build_workbook(region=scope, date=date), XLSX)
        try:
            message.send()
        except Exception:  # one bad address must not stop the others; the next night retries
            logger.exception("statistics workbook to %s failed", user.username)
            skipped += 1
            continue
        cache.set(marker, timezone.now().isoformat(), timeout=3 * 24 * 3600)
        sent += 1
    skipped += len(set(usernames) - {u.username for u in users})
    return {"sent": sent, "skipped": skipped}


# --- building a large workbook in the background (a Celery task), with its progress --------------
JOB_SECONDS = 3600  # how long a finished workbook waits to be downloaded


def _job_key(job: str) -> str:
    return f"stats-export:{job}"


def _file_key(job: str) -> str:
    return f"stats-export-file:{job}"


def workbook_rows(*, region: str, date: datetime.date, period: str) -> int:
    """How many snapshot rows the workbook would hold: what decides streaming or a background job."""
    rows = StatSnapshot.objects.filter(date=date, period=period)
    if region:
        rows = rows.filter(within(region, "region_code"))
    return rows.count()


def export_job_create(*, user, region: str, date: datetime.date, period: str, filename: str) -> str:
    """Queue a workbook for `user`; returns the job's id (random, and only `user` may read it)."""
    import secrets

    from suggestions import tasks

    job = secrets.token_urlsafe(16)
    cache.set(_job_key(job), {
        "user": user.pk, "status": "queued", "done": 0, "total": SHEETS, "filename": filename,
        "created": timezone.now().isoformat(),
    }, timeout=JOB_SECONDS)
    tasks.build_stats_workbook.delay(job, region, date.isoformat(), period)
    return job


def export_job(job: str, *, user) -> dict | None:
    state = cache.get(_job_key(job))
    if state is None or state["user"] != user.pk:
        return None
    return state


def export_job_file(job: str, *, user) -> bytes | None:
    state = export_job(job, user=user)
    if state is None or state["status"] != "done":
        return None
    return cache.get(_file_key(job))


def export_job_run(*, job: str, region: str, date: datetime.date, period: str) -> dict:
    """Build the workbook of a queued job, recording its progress sheet by sheet."""
    state = cache.get(_job_key(job))
    if state is None:
        return {"job": job, "status": "expired"}

    def progress(done: int, total: int) -> None:
        state.update(status="running", done=done, total=total)
        cache.set(_job_key(job), state, timeout=JOB_SECONDS)

    progress(0, SHEETS)
    try:
        content = build_workbook(region=region, date=date, period=period, progress=progress)
    except Exception:
        logger.exception("statistics workbook %s failed", job)
        state.update(status="failed")
        cache.set(_job_key(job), state, timeout=JOB_SECONDS)
        raise
    cache.set(_file_key(job), content, timeout=JOB_SECONDS)
    state.update(status="done", done=SHEETS, size=len(content))
    cache.set(_job_key(job), state, timeout=JOB_SECONDS)
    return {"job": job, "status": "done", "bytes": len(content)}
