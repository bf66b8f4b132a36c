"""一表两卡三簿: the station's paperwork the product replaces, as print-ready pages and Excel.

The 表 is the reception-day schedule (代表接待日公示表); the 两卡 (代表连心卡, 联络站服务卡) are
printed from the deputy and station pages; the 三簿 are the record books kept at a station:

- 接待走访群众登记簿: the receptions held (in the station, visits, mobile, online, evening talks);
- 意见建议登记簿: the opinions and suggestions raised at the station, and how each was handled;
- 反馈登记簿: the results told back to the voters.

Each book is one `Book` (title, columns, rows) built by a handful of queries for one station and
one period, so the page and the workbook show exactly the same rows.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from deputies.models import Reception, ReceptionStatus
from liaison.exports import export_row
from stations.models import Station

from .models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DeputyRole,
    Feedback,
    Suggestion,
    SuggestionDeputy,
)
from .privacy import submitter_for
from .stats.periods import start_of

BOOKS = {
    "schedule": _("代表接待日公示表"),
    "receptions": _("接待走访群众登记簿"),
    "suggestions": _("意见建议登记簿"),
    "feedback": _("反馈登记簿"),
}


@dataclass
class Book:
    kind: str
    title: str
    station: Station
    start: datetime.date
    end: datetime.date
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.title}-{self.station.name}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.xlsx"


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d}" if moment else ""


def _names(deputies) -> str:
    return "、".join(d.name for d in deputies)


def _receptions(station: Station, start: datetime.date, end: datetime.date):
    return (
        Reception.objects.filter(station=station, date__gte=start, date__lte=end)
        .prefetch_related("deputies")
        .order_by("date", "starts_at", "id")
    )


def schedule(*, station: Station, start: datetime.date, end: datetime.date) -> Book:
    """代表接待日公示表: who receives voters when (scheduled and held; not the cancelled)."""
    book = Book("schedule", str(BOOKS["schedule"]), station, start, end,
                [str(_("日期")), str(_("时间")), str(_("接待方式")), str(_("接待代表")), str(_("主题"))])
    for r in _receptions(station, start, end).exclude(status=ReceptionStatus.CANCELLED):
        hours = f"{r.starts_at:%H:%M}" if r.starts_at else ""
        if r.starts_at and r.ends_at:
            hours += f"–{r.ends_at:%H:%M}"
        book.rows.append([f"{r.date:%Y-%m-%d}", hours, r.get_mode_display(), _names(r.deputies.all()), r.topic])
    return book


def reception_book(*, station: Station, start: datetime.date, end: datetime.date) -> Book:
    """接待走访群众登记簿: the receptions held, their voters and the issues raised."""
    book = Book("receptions", str(BOOKS["receptions"]), station, start, end, [
        str(_("日期")), str(_("接待方式")), str(_("接待代表")), str(_("接待人数")), str(_("接待情况")),
        str(_("收集的意见建议")),
    ])
    receptions = _receptions(station, start, end).filter(status=ReceptionStatus.RECORDED).prefetch_related(
        Prefetch("suggestions", queryset=Suggestion.objects.order_by("created_at", "id").only("id", "code", "title", "reception_id"))
    )
    for r in receptions:
        issues = "；".join(f"{s.title}（{s.code}）" for s in r.suggestions.all())
        book.rows.append([f"{r.date:%Y-%m-%d}", r.get_mode_display(), _names(r.deputies.all()), r.visitor_count,
                          r.summary, issues])
    return book


def suggestion_book(*, station: Station, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """意见建议登记簿: what was raised at the station, who raised and received it, and its handling.

    The voter's name and phone as `viewer` may see them (suggestions/privacy.py); None: masked."""
    book = Book("suggestions", str(BOOKS["suggestions"]), station, start, end, [
        str(_("登记日期")), str(_("查询码")), str(_("类型")), str(_("提出人")), str(_("联系电话")), str(_("内容摘要")),
        str(_("类别")), str(_("接待代表")), str(_("办理方式")), str(_("主办单位")), str(_("办理期限")), str(_("状态")),
        str(_("办理结果")), str(_("答复日期")),
    ])
    suggestions = (
        Suggestion.objects.filter(
            station=station, created_at__gte=start_of(start), created_at__lt=start_of(end + datetime.timedelta(days=1))
        )
        .select_related("category")
        .prefetch_related(
            Prefetch("deputy_links", queryset=SuggestionDeputy.objects.select_related("deputy").order_by("order", "id")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(role=AssignmentRole.LEAD).exclude(status=AssignmentStatus.RETURNED)
                .select_related("unit"),
                to_attr="active_leads",
            ),
        )
        .order_by("created_at", "id")
    )
    for s in suggestions:
        lead = s.active_leads[0] if s.active_leads else None
        deputies = [link.deputy for link in s.deputy_links.all() if link.role == DeputyRole.LEAD] or [
            link.deputy for link in s.deputy_links.all()
        ]
        submitter = submitter_for(viewer, s)
        book.rows.append([
            _day(s.created_at), s.code, s.get_kind_display(), submitter.name, submitter.phone,
            f"{s.title}：{s.content[:120]}", s.category.name if s.category else "", _names(deputies),
            s.get_route_display() if s.route else "", lead.unit.name if lead else "",
            f"{lead.deadline:%Y-%m-%d}" if lead else "", s.get_status_display(),
            s.get_result_display() if s.result else "", _day(s.replied_at),
        ])
    return book


def feedback_book(*, station: Station, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """反馈登记簿: each time a voter was told the result, in the period (the voter's name as
    `viewer` may see it)."""
    book = Book("feedback", str(BOOKS["feedback"]), station, start, end, [
        str(_("反馈日期")), str(_("查询码")), str(_("事项")), str(_("提出人")), str(_("办理结果")), str(_("反馈方式")),
        str(_("反馈情况")), str(_("反馈人")),
    ])
    feedbacks = (
        Feedback.objects.filter(
            suggestion__station=station,
            created_at__gte=start_of(start), created_at__lt=start_of(end + datetime.timedelta(days=1)),
        )
        .select_related("suggestion", "by")
        .prefetch_related(
            Prefetch("suggestion__deputy_links", queryset=SuggestionDeputy.objects.order_by("order", "id")),
        )
        .order_by("created_at", "id")
    )
    for f in feedbacks:
        s = f.suggestion
        book.rows.append([
            _day(f.created_at), s.code, s.title, submitter_for(viewer, s).name, s.get_result_display() if s.result else "",
            f.get_channel_display(), f.note, f.by.display_name if f.by else "",
        ])
    return book


BUILDERS = {
    "schedule": schedule,
    "receptions": reception_book,
    "suggestions": suggestion_book,
    "feedback": feedback_book,
}


def build(kind: str, *, station: Station, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """Book `kind`; the books that name voters show them as `viewer` may see them."""
    if kind in ("suggestions", "feedback"):
        return BUILDERS[kind](station=station, start=start, end=end, viewer=viewer)
    return BUILDERS[kind](station=station, start=start, end=end)


def book_xlsx(book: Book) -> bytes:
    """The book as a workbook: a title line, the station and period, the header, the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = book.title[:31]
    sheet.append(export_row([book.title]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(export_row([f"{book.station.name}  {book.start:%Y-%m-%d} — {book.end:%Y-%m-%d}"]))
    sheet.append(export_row(book.columns))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in book.rows:
        sheet.append(export_row(row))
    for index, _column in enumerate(book.columns, start=1):
        letter = sheet.cell(row=3, column=index).column_letter
        sheet.column_dimensions[letter].width = 14
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
