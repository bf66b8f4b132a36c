"""评 by the voter: the rating of a reply by tracking code (no account), and what the voter's
tracking page shows of the handling (the lead unit, the expected date, the reply, masked)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from liaison.text import clean_text
from suggestions import workflow
from suggestions.models import (
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    NotificationKind,
    Rating,
    Status,
    Suggestion,
)
from suggestions.notify import notify
from suggestions.redaction import redact
from suggestions.selectors import responsible_staff

from .events import _link, _lock, event_record

RATEABLE_STATUSES = (Status.REPLIED, Status.CLOSED)


class VoterCheckFailed(workflow.ActionNotPermitted):
    """The last four digits do not match the phone given at submission (API: 403). The message
    does not say which digits, nor anything about the phone."""


def _digits(value: str) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


def voter_rating(suggestion: Suggestion) -> Evaluation | None:
    """The voter's rating of the current reply (this round), if given."""
    return Evaluation.objects.filter(suggestion=suggestion, deputy__isnull=True, round=suggestion.rehandle_count).first()


@transaction.atomic
def voter_rate(*, suggestion: Suggestion, rating: str, comment: str = "", phone_last4: str = "") -> Evaluation:
    """The voter rates the reply of the suggestion their code names: once per reply (a
    re-handled item's new reply may be rated again), once it is replied (or closed). When a
    phone was given at submission, its last four digits prove the voter is its owner.

    The rating changes no state. 不满意 puts the item in front of its staff (a notice, and the
    staff's list of items the voter is unsatisfied with), who may send it back (退回重办).
    """
    if rating not in Rating.values:
        raise ValidationError({"rating": _("评价无效。")})
    comment = clean_text(comment or "").strip()[:1000]
    if rating == Rating.UNSATISFIED and not comment:
        raise ValidationError({"comment": _("选择“不满意”时，请写明不满意的原因。")})
    phone_last4 = _digits(phone_last4)
    suggestion = _lock(suggestion)
    if suggestion.submitter_phone:
        if not phone_last4:
            raise ValidationError({"phone_last4": _("请填写提交意见时所留电话号码的后四位。")})
        if len(phone_last4) != 4 or _digits(suggestion.submitter_phone)[-4:] != phone_last4:
            raise VoterCheckFailed(_("核对未通过，请确认是提交意见时所留的电话号码。"))
    if suggestion.status not in RATEABLE_STATUSES:
        raise workflow.InvalidTransition(_("该事项尚未答复，答复后才能评价。"))
    if voter_rating(suggestion) is not None:
        raise workflow.InvalidTransition(_("您已评价过这次答复，感谢您的反馈。"))
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                suggestion=suggestion, deputy=None, rating=rating, comment=comment, round=suggestion.rehandle_count,
                by=None,
            )
    except IntegrityError as error:  # the same reply rated at the same moment
        raise workflow.InvalidTransition(_("您已评价过这次答复，感谢您的反馈。")) from error
    event_record(suggestion=suggestion, by=None, action=Action.VOTER_RATE, from_status=suggestion.status,
                 note=comment, data={"rating": rating, "round": suggestion.rehandle_count, "by_voter": True})
    if rating == Rating.UNSATISFIED:
        notify(
            recipients=responsible_staff(suggestion),
            kind=NotificationKind.VOTER_UNSATISFIED,
            title=_("群众对答复不满意：%(title)s") % {"title": suggestion.title[:80]},
            body=_("提出人对 %(link)s 的答复评价为不满意：%(comment)s 请核实，需要时退回重办。")
            % {"link": _link(suggestion), "comment": comment},
            suggestion=suggestion,
        )
    return evaluation


# --- what the tracking page shows of the handling -------------------------------------------
@dataclass
class Handling:
    unit: str  # the lead unit's name ("" before assignment)
    expected_on: datetime.date | None  # the lead unit's working-day deadline, while it is open
    reply: str  # the reply (lead unit's, or the on-the-spot resolution), personal data masked
    rating: str  # the voter's rating of this reply ("" if none)
    rating_comment: str
    rateable: bool  # the voter may rate now
    needs_phone: bool  # rating asks for the last four digits of the phone


def handling_for(current: Suggestion, owner: Suggestion) -> Handling:
    """The handling of `current` (the item being handled; the merge target after 并案) as
    the voter of `owner` (the code's own item) sees it."""
    lead = (
        Assignment.objects.filter(suggestion=current, role=AssignmentRole.LEAD)
        .exclude(status=AssignmentStatus.RETURNED)
        .select_related("unit")
        .order_by("-id")
        .first()
    )
    reply = ""
    if current.status in RATEABLE_STATUSES:
        if lead is not None and lead.status == AssignmentStatus.REPLIED:
            reply = lead.reply
        else:
            event = current.events.filter(action=Action.RESOLVE_ON_SPOT).order_by("-created_at", "-id").first()
            reply = event.note if event is not None else ""
    expected = lead.deadline if lead is not None and current.status in (Status.ASSIGNED, Status.HANDLING) else None
    rated = voter_rating(owner) if owner.pk == current.pk else None
    return Handling(
        unit=lead.unit.name if lead is not None else "",
        expected_on=expected,
        reply=redact(reply, names=[owner.submitter_name, current.submitter_name]).text,
        rating=rated.rating if rated else "",
        rating_comment=rated.comment if rated else "",
        rateable=owner.pk == current.pk and current.status in RATEABLE_STATUSES and rated is None,
        needs_phone=bool(owner.submitter_phone),
    )


def voter_unsatisfied(queryset):
    """Of `queryset`, the replied or closed items whose voter rated the current reply 不满意:
    the staff's list to check and send back (退回重办)."""
    return queryset.filter(
        status__in=RATEABLE_STATUSES,
        evaluations__deputy__isnull=True,
        evaluations__rating=Rating.UNSATISFIED,
        evaluations__round=F("rehandle_count"),
    ).distinct()
