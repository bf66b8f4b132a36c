"""意见建议督办反馈单: one item's handling and feedback on one sheet, addressed to the assigning
office (交办机关), the deputies and the voter; a page to print and a PDF. The voter's name and
phone appear as `suggestions.privacy.submitter_for` lets the viewer see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import pdf
from stations.models import Region
from suggestions import selectors
from suggestions.models import Suggestion
from suggestions.privacy import submitter_for


def _load(request, pk: int) -> Suggestion:
    try:
        return selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404("no such suggestion for this user") from None


def _when(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def sheet(request, suggestion: Suggestion) -> dict:
    """What the sheet says, as plain text: addressees, then sections of (label, text) rows."""
    voter = submitter_for(request.user, suggestion)
    deputies = "、".join(link.deputy.name for link in suggestion.deputy_links.all())
    assignments = [a for a in suggestion.assignments.all() if a.status != "returned"]
    # The assigning office (交办机关): the region of the staff who assigned it, else the item's.
    assigner = next((a.assigned_by for a in assignments if a.assigned_by_id and a.assigned_by.region_id), None)
    office_code = assigner.region_id if assigner is not None else suggestion.handling_region_id
    office = Region.objects.filter(code=office_code).values_list("name", flat=True).first() or ""
    handling = []
    for a in assignments:
        handling.append((f"{a.unit.name}（{a.get_role_display()}）", _("期限 %(d)s · %(s)s") % {
            "d": _when(a.deadline), "s": a.get_status_display()}))
        if a.reply:
            handling.append((_("答复（%(r)s）") % {"r": a.get_result_display()}, f"{_when(a.replied_at)}\n{a.reply}"))
    feedbacks = [(f.get_channel_display(), f"{_when(f.created_at)} {f.note}".strip()) for f in suggestion.feedbacks.all()]
    evaluations = [
        (e.deputy.name if e.deputy_id else _("群众"), f"{e.get_rating_display()} {e.comment}".strip())
        for e in suggestion.evaluations.all()
    ]
    return {
        "title": _("意见建议督办反馈单"),
        "addressees": [
            (_("交办机关"), _("%(office)s人大常委会") % {"office": office} if office else ""),
            (_("代表"), deputies),
            (_("群众"), " ".join(part for part in (voter.name, voter.phone) if part)),
        ],
        "sections": [
            (_("意见建议"), [
                (_("查询码"), suggestion.code),
                (_("标题"), suggestion.title),
                (_("内容"), suggestion.content),
                (_("提出时间"), _when(suggestion.created_at)),
                (_("状态"), suggestion.get_status_display()),
                (_("督办"), suggestion.get_supervision_display()),
            ]),
            (_("办理情况"), handling),
            (_("反馈情况"), feedbacks),
            (_("评价"), evaluations),
        ],
        "footer": [_("承办单位（盖章）：                    日期："), _("反馈人签字：                    日期：")],
    }


@login_required
def feedback_sheet(request, pk: int):
    suggestion = _load(request, pk)
    return render(request, "suggestions/feedback_sheet.html", {"suggestion": suggestion, "sheet": sheet(request, suggestion)})


@login_required
def feedback_sheet_pdf(request, pk: int):
    suggestion = _load(request, pk)
    body = pdf.form_sheet(**sheet(request, suggestion))
    return pdf.response(body, filename=f"feedback-{suggestion.code}")
