"""长治's three books kept per deputy (suggestions/books.py names them): what the deputy did, said
and answered, whatever the station — a deputy's own suggestion has no station and is in their
book all the same. The rows are those the duty record counts (suggestions/duty.py), so the
books and the score agree."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from deputies.models import ContactKind, ContactRecord, Reception, ReceptionStatus

from .books import (
    FEEDBACK_BOOK,
    RECEPTION_BOOK,
    SUGGESTION_BOOK,
    Book,
    _active_leads,
    _day,
    _lead_unit,
    _names,
    _period,
)
from .duty import cosign_links, lead_links
from .models import Feedback, SuggestionDeputy, SuggestionKind
from .privacy import submitter_for


def deputy_reception_book(*, deputy, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """代表联系和接待走访群众记录簿: the receptions the deputy attended (every mode) and their recorded
    contacts with voters (两个联系), by date."""
    book = Book("receptions", str(RECEPTION_BOOK), None, start, end, [
        str(_("日期")), str(_("方式")), str(_("地点")), str(_("一同参加")), str(_("接待人数")), str(_("情况")),
        str(_("收集的意见建议")),
    ], deputy=deputy)
    receptions = (
        Reception.objects.filter(deputies=deputy, status=ReceptionStatus.RECORDED, date__gte=start, date__lte=end)
        .select_related("station").prefetch_related("deputies", "suggestions")
    )
    rows = []
    for r in receptions:
        others = [d for d in r.deputies.all() if d.pk != deputy.pk]
        issues = "；".join(f"{s.title}（{s.code}）" for s in r.suggestions.all())
        rows.append((r.date, 0, r.pk, [f"{r.date:%Y-%m-%d}", r.get_mode_display(), r.station.name, _names(others),
                                       r.visitor_count, r.summary, issues]))
    contacts = ContactRecord.objects.filter(
        deputy=deputy, kind=ContactKind.DEPUTY_VOTERS, date__gte=start, date__lte=end
    )
    for c in contacts:
        rows.append((c.date, 1, c.pk, [f"{c.date:%Y-%m-%d}", c.get_mode_display(), str(_("联系群众")), "",
                                       c.people, c.note, ""]))
    book.rows = [row for _d, _k, _pk, row in sorted(rows, key=lambda r: r[:3])]
    return book


def deputy_suggestion_book(*, deputy, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """代表提出建议意见情况记录簿: the deputy suggestions the deputy leads or co-signs (as the duty
    record counts them), with who joined, where they went and the result."""
    book = Book("suggestions", str(SUGGESTION_BOOK), None, start, end, [
        str(_("提出日期")), str(_("查询码")), str(_("身份")), str(_("标题")), str(_("内容摘要")), str(_("类别")),
        str(_("领衔及附议代表")), str(_("主办单位")), str(_("办理期限")), str(_("状态")), str(_("办理结果")),
        str(_("答复日期")),
    ], deputy=deputy)
    mine = {"deputy": deputy, **{f"suggestion__{k}": v for k, v in _period(start, end).items()}}
    wanted = list(lead_links().filter(**mine).values_list("suggestion_id", flat=True)) + list(
        cosign_links().filter(**mine).values_list("suggestion_id", flat=True)
    )
    links = (
        SuggestionDeputy.objects.filter(deputy=deputy, suggestion_id__in=wanted)
        .select_related("suggestion", "suggestion__category")
        .prefetch_related(
            Prefetch("suggestion__deputy_links",
                     queryset=SuggestionDeputy.objects.select_related("deputy").order_by("order", "id")),
            Prefetch("suggestion__assignments", queryset=_active_leads().queryset, to_attr="active_leads"),
        )
        .order_by("suggestion__created_at", "suggestion_id")
    )
    for link in links:
        s = link.suggestion
        lead = _lead_unit(s)
        book.rows.append([
            _day(s.created_at), s.code, link.get_role_display(), s.title, s.content[:120],
            s.category.name if s.category else "", _names(x.deputy for x in s.deputy_links.all()),
            lead.unit.name if lead else "", f"{lead.deadline:%Y-%m-%d}" if lead else "", s.get_status_display(),
            s.get_result_display() if s.result else "", _day(s.replied_at),
        ])
    return book


def deputy_feedback_book(*, deputy, start: datetime.date, end: datetime.date, viewer=None) -> Book:
    """反馈群众意见和诉求情况记录簿: the voters' opinions the deputy received (接待代表) in the period,
    how each was handled and each time the voter was told (the voter as `viewer` may see them)."""
    book = Book("feedback", str(FEEDBACK_BOOK), None, start, end, [
        str(_("收到日期")), str(_("查询码")), str(_("提出人")), str(_("联系电话")), str(_("意见诉求")), str(_("状态")),
        str(_("办理结果")), str(_("反馈日期")), str(_("反馈方式")), str(_("反馈情况")),
    ], deputy=deputy)
    links = (
        SuggestionDeputy.objects.filter(
            deputy=deputy, suggestion__kind=SuggestionKind.OPINION,
            **{f"suggestion__{k}": v for k, v in _period(start, end).items()},
        )
        .select_related("suggestion")
        .prefetch_related(Prefetch("suggestion__feedbacks", queryset=Feedback.objects.order_by("created_at", "id")))
        .order_by("suggestion__created_at", "suggestion_id")
    )
    for link in links:
        s = link.suggestion
        submitter = submitter_for(viewer, s)
        feedbacks = list(s.feedbacks.all())
        book.rows.append([
            _day(s.created_at), s.code, submitter.name, submitter.phone, f"{s.title}：{s.content[:120]}",
            s.get_status_display(), s.get_result_display() if s.result else "",
            "、".join(_day(f.created_at) for f in feedbacks), "、".join(f.get_channel_display() for f in feedbacks),
            "；".join(f.note for f in feedbacks if f.note),
        ])
    return book


DEPUTY_BUILDERS = {
    "receptions": deputy_reception_book,
    "suggestions": deputy_suggestion_book,
    "feedback": deputy_feedback_book,
}
