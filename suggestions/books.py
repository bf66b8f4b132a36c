"""一表两卡三簿 (长治) and 两簿两卡 (禹州): the paperwork the product replaces, as print-ready A4 pages
and Excel.

The 表 is the reception-day schedule (代表接待日公示表); the 两卡 (代表连心卡, 联络站服务卡) are
printed from the deputy and station pages; the 三簿, named as 长治 names them, are kept per deputy
(`DEPUTY_BOOKS`) and, over all its deputies, per station (`BOOKS`):

- 代表联系和接待走访群众记录簿: receptions (in the station, visits, mobile, online, evening talks)
  and, for a deputy, their recorded contacts with voters (两个联系);
- 代表提出建议意见情况记录簿: for a station, what was raised there and how each was handled; for a
  deputy, the suggestions they lead or co-sign, wherever raised (a deputy's own suggestion has no
  station and is in their book all the same);
- 反馈群众意见和诉求情况记录簿: the results told back to voters (for a deputy: the voters'
  opinions they received, its handling and feedback).

禹州's 转办意见建议登记卡 (`transfers`) is one card per item passed on to a handling unit.

Each book is one `Book` (title, columns, rows) built by a handful of queries for one station or
deputy and one period, so the page and the workbook show exactly the same rows.
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

RECEPTION_BOOK = _("代表联系和接待走访群众记录簿")
SUGGESTION_BOOK = _("代表提出建议意见情况记录簿")
FEEDBACK_BOOK = _("反馈群众意见和诉求情况记录簿")
TRANSFER_CARD = _("转办意见建议登记卡")

BOOKS = {
    "schedule": _("代表接待日公示表"),
    "receptions": RECEPTION_BOOK,
    "suggestions": SUGGESTION_BOOK,
    "feedback": FEEDBACK_BOOK,
    "transfers": TRANSFER_CARD,
}
DEPUTY_BOOKS = {
    "receptions": RECEPTION_BOOK,
    "suggestions": SUGGESTION_BOOK,
    "feedback": FEEDBACK_BOOK,
}
# Which of the books are 禹州's 两簿两卡 (the second 卡 is the deputy's contact card).
YUZHOU = ("receptions", "suggestions", "transfers")


@dataclass
class Book:
    kind: str
    title: str
    station: Station | None
    start: datetime.date
    end: datetime.date
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    deputy: object = None  # a deputy's own book: deputies.models.Deputy

    @property
    def subject(self) -> str:
        return self.station.name if self.station is not None else f"{self.deputy.name}代表"

    @property
    def is_cards(self) -> bool:
        """One card per row (转办意见建议登记卡), printed as cards rather than a table."""
        return self.kind == "transfers"

    def cards(self) -> list[list[tuple[str, object]]]:
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    @property
    def filename(self) -> str:
        return f"{self.title}-{self.subject}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.xlsx"


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


def _period(start: datetime.date, end: datetime.date) -> dict:
    return {"created_at__gte": start_of(start), "created_at__lt": start_of(end + datetime.timedelta(days=1))}


def _lead_unit(s):
    return s.active_leads[0] if s.active_leads else None


def _active_leads():
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(role=AssignmentRole.LEAD).exclude(status=AssignmentStatus.RETURNED)
        .select_related("unit").order_by("created_at", "id"),
        to_attr="active_leads",
    )


def transfer_cards(*, station: Station, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """转办意见建议登记卡 (禹州): one card per item raised at the station and passed on to a handling
    unit in the period — what, from whom, to which unit, by when, with what result and feedback."""
    book = Book("transfers", str(TRANSFER_CARD), station, start, end, [
        str(_("查询码")), str(_("登记日期")), str(_("提出人")), str(_("联系电话")), str(_("意见建议内容")),
        str(_("接待代表")), str(_("转办单位")), str(_("转办日期")), str(_("办理期限")), str(_("办理结果")),
        str(_("答复日期")), str(_("反馈日期")),
    ])
    suggestions = (
        Suggestion.objects.filter(station=station, assignments__role=AssignmentRole.LEAD, **_period(start, end))
        .distinct()
        .prefetch_related(
            Prefetch("deputy_links", queryset=SuggestionDeputy.objects.select_related("deputy").order_by("order", "id")),
            _active_leads(),
        )
        .order_by("created_at", "id")
    )
    for s in suggestions:
        lead = _lead_unit(s)
        submitter = submitter_for(viewer, s)
        book.rows.append([
            s.code, _day(s.created_at), submitter.name, submitter.phone, f"{s.title}：{s.content[:300]}",
            _names(link.deputy for link in s.deputy_links.all()), lead.unit.name if lead else "",
            _day(lead.created_at) if lead else "", f"{lead.deadline:%Y-%m-%d}" if lead else "",
            s.get_result_display() if s.result else "", _day(s.replied_at), _day(s.fed_back_at),
        ])
    return book


BUILDERS = {
    "schedule": schedule,
    "receptions": reception_book,
    "suggestions": suggestion_book,
    "feedback": feedback_book,
    "transfers": transfer_cards,
}
NAMES_VOTERS = ("suggestions", "feedback", "transfers")


def build(kind: str, *, station: Station, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """Book `kind`; the books that name voters show them as `viewer` may see them."""
    if kind in NAMES_VOTERS:
        return BUILDERS[kind](station=station, start=start, end=end, viewer=viewer)
    return BUILDERS[kind](station=station, start=start, end=end)


def build_for_deputy(kind: str, *, deputy, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """The deputy's own book `kind` (DEPUTY_BOOKS: deputy_books.py builds them)."""
    from .deputy_books import DEPUTY_BUILDERS

    return DEPUTY_BUILDERS[kind](deputy=deputy, start=start, end=end, viewer=viewer)


def book_xlsx(book: Book) -> bytes:
    """The book as a workbook: a title line, the station and period, the header, the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = book.title[:31]
    sheet.append(export_row([book.title]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(export_row([f"{book.subject}  {book.start:%Y-%m-%d} — {book.end:%Y-%m-%d}"]))
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
