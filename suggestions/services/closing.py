"""评: evaluation, closing, feedback to the voter, publication, the follow-up review (回头看),
and marking a notice read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import User
from liaison.text import clean_text
from suggestions import workflow
from suggestions.calendar import WorkCalendar
from suggestions.conf import setting
from suggestions.models import (
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    Feedback,
    FeedbackChannel,
    FollowUp,
    FollowUpOutcome,
    Notification,
    NotificationKind,
    Rating,
    Status,
    Suggestion,
    SuggestionKind,
)
from suggestions.notify import notify
from suggestions.redaction import publish_preview, redact
from suggestions.selectors import responsible_staff, unit_officers

from .events import _link, _lock, _required_text, _set_status, _today, event_record
from .intake import _final_target

S = Status


# --- 评: evaluate, close ----------------------------------------------------------------------
@transaction.atomic
def suggestion_evaluate(
    *,
    suggestion: Suggestion,
    by: User,
    rating: str,
    comment: str = "",
    deputy=None,
) -> Suggestion:
    """评价: the deputy (or staff recording the voter's, or a deputy's paper form, via `deputy`)
    rates the reply. 满意/基本满意 close it; 不满意 sends it back for re-handling (重新办理) with a
    new deadline: the lead unit's assignment is signed again, or, after an on-the-spot
    resolution, the suggestion goes back to staff (`accepted`) to be assigned."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("评价无效。")})
    comment = clean_text(comment)
    if rating == Rating.UNSATISFIED and not comment.strip():
        raise ValidationError({"comment": _("选择“不满意”时，请写明不满意的原因，办理单位将据此重新办理。")})
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.EVALUATE, by)
    caps = workflow.capacities(by, suggestion)
    on_suggestion = set(suggestion.deputy_links.values_list("deputy_id", flat=True))
    if deputy is not None:
        if workflow.STAFF not in caps and workflow.user_deputy_id(by) != deputy.pk:
            raise workflow.ActionNotPermitted(_("只能以本人名义评价。"))
        if deputy.pk not in on_suggestion:
            raise ValidationError({"deputy": _("该代表不是此事项的代表。")})
    elif workflow.DEPUTY in caps:
        deputy = by.deputy
    elif suggestion.kind == SuggestionKind.DEPUTY_SUGGESTION:
        raise ValidationError({"deputy": _("代表建议须由代表评价，请指定代表。")})
    if deputy is None and Evaluation.objects.filter(
        suggestion=suggestion, deputy__isnull=True, round=suggestion.rehandle_count
    ).exists():
        raise workflow.InvalidTransition(_("提出人已评价过这次答复（凭查询码评价），不能再代为录入。"))
    Evaluation.objects.create(
        suggestion=suggestion, deputy=deputy, rating=rating, comment=comment,
        round=suggestion.rehandle_count, by=by,
    )
    from_status = suggestion.status
    data = {"rating": rating, "round": suggestion.rehandle_count, "by_voter": deputy is None}
    if rating != Rating.UNSATISFIED:
        suggestion.closed_at = timezone.now()
        _set_status(suggestion, S.CLOSED, "closed_at")
        event_record(suggestion=suggestion, by=by, action=Action.EVALUATE, from_status=from_status,
                     note=comment, data=data)
        return suggestion

    _send_back(suggestion, by=by, action=Action.EVALUATE, from_status=from_status, note=comment, data=data)
    return suggestion


def _send_back(suggestion: Suggestion, *, by: User, action: str, from_status: str, note: str, data: dict) -> None:
    """重新办理 (the locked `suggestion`): the lead unit's replied assignment is signed again with
    a new deadline and its officers told; after an on-the-spot resolution (no unit), back to
    staff (`accepted`). A closed item reopens; a published one is withdrawn from 公示."""
    lead = Assignment.objects.select_for_update().filter(
        suggestion=suggestion, role=AssignmentRole.LEAD, status=AssignmentStatus.REPLIED
    ).select_related("unit").first()
    comment = note
    suggestion.rehandle_count += 1
    suggestion.result = ""
    suggestion.replied_at = None
    suggestion.closed_at = None
    suggestion.is_public = False
    lead_fields = ()
    if lead is None:
        to_status = S.ACCEPTED
    else:
        lead.status = AssignmentStatus.SIGNED
        lead.deadline = WorkCalendar().add_working_days(_today(), int(setting("REHANDLE_WORKING_DAYS")))
        lead.result = ""
        lead.reply = ""
        lead.replied_at = None
        lead.replied_by = None
        lead.save(update_fields=["status", "deadline", "result", "reply", "replied_at", "replied_by", "updated_at"])
        to_status = S.HANDLING
        data["deadline"] = lead.deadline.isoformat()
        suggestion.lead_deadline = lead.deadline
        lead_fields = ("lead_deadline",)
    _set_status(suggestion, to_status, "rehandle_count", "result", "replied_at", "closed_at", "is_public", *lead_fields)
    event_record(suggestion=suggestion, by=by, action=action, from_status=from_status, to_status=to_status,
                 note=comment, assignment=lead, data=data)
    if lead is not None:
        notify(
            recipients=unit_officers([lead.unit_id]),
            kind=NotificationKind.REHANDLE,
            title=_("不满意，请重新办理：%(title)s") % {"title": suggestion.title[:80]},
            body=_("%(link)s 的答复被评为不满意，请于 %(deadline)s 前重新办理。%(comment)s")
            % {"link": _link(suggestion), "deadline": lead.deadline, "comment": comment},
            suggestion=suggestion,
            assignment=lead,
        )
    else:
        notify(recipients=responsible_staff(suggestion), kind=NotificationKind.REHANDLE,
               title=_("即办事项评价不满意：%(title)s") % {"title": suggestion.title[:80]},
               body=_("%(link)s 需重新交办。") % {"link": _link(suggestion)}, suggestion=suggestion)


@transaction.atomic
def suggestion_rehandle(*, suggestion: Suggestion, by: User, reason: str) -> Suggestion:
    """退回重办: staff send a replied (or closed) item back for re-handling, typically after the
    voter rated the reply 不满意 on the tracking page — the same re-handling as an unsatisfied
    evaluation (a new deadline for the lead unit, or back to staff after 代表即办)."""
    reason = _required_text(reason, "reason", _("请写明退回重办的理由，办理单位将据此重新办理。"))
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.REHANDLE, by)
    _send_back(suggestion, by=by, action=Action.REHANDLE, from_status=suggestion.status, note=reason,
               data={"round": suggestion.rehandle_count})
    return suggestion


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """办结/销号 without an evaluation (e.g. the deputy did not answer in time): staff only."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.CLOSE, by)
    suggestion.closed_at = timezone.now()
    _set_status(suggestion, S.CLOSED, "closed_at")
    event_record(suggestion=suggestion, by=by, action=Action.CLOSE, from_status=S.REPLIED, note=note)
    return suggestion


@transaction.atomic
def suggestion_feedback(*, suggestion: Suggestion, by: User, channel: str, note: str = "") -> Suggestion:
    """反馈: record that the voter was told the result (counts toward the feedback rate).

    Also for a merged (并案) suggestion once the one it went into is answered: its submitter is
    told that result."""
    if channel not in FeedbackChannel.values:
        raise ValidationError({"channel": _("反馈方式无效。")})
    note = clean_text(note)
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.FEEDBACK, by)
    if suggestion.status == S.MERGED and _final_target(suggestion).status not in (S.REPLIED, S.CLOSED):
        raise workflow.InvalidTransition(_("并入的事项尚未答复，暂不能反馈。"))
    Feedback.objects.create(suggestion=suggestion, channel=channel, note=note, by=by)
    if suggestion.fed_back_at is None:
        suggestion.fed_back_at = timezone.now()
        suggestion.save(update_fields=["fed_back_at", "updated_at"])
    event_record(suggestion=suggestion, by=by, action=Action.FEEDBACK, from_status=suggestion.status, note=note,
                 data={"channel": channel})
    return suggestion


@transaction.atomic
def suggestion_publish(
    *, suggestion: Suggestion, by: User, public_title: str = "", public_content: str = ""
) -> Suggestion:
    """公示: the item becomes public under `public_title` and `public_content` — what staff
    checked on the preview (suggestions/redaction.py masks the personal data it detects; left
    empty, the masked preview itself is published). What staff send is masked again, so a
    phone number typed into the edited text never goes public. Allowed once closed, or once
    replied and fed back (抚州: the workflow's guard)."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.PUBLISH, by)
    if suggestion.is_public:
        raise workflow.InvalidTransition(_("该事项已公示。"))
    preview = publish_preview(suggestion)
    names = [suggestion.submitter_name]
    title = redact(clean_text(public_title or "").strip(), names=names).text or preview.title
    content = redact(clean_text(public_content or "").strip(), names=names).text or preview.content
    suggestion.public_title = title[:200]
    suggestion.public_content = content
    suggestion.is_public = True
    suggestion.published_at = timezone.now()
    suggestion.save(update_fields=["is_public", "published_at", "public_title", "public_content", "updated_at"])
    event_record(suggestion=suggestion, by=by, action=Action.PUBLISH, from_status=suggestion.status)
    return suggestion


@transaction.atomic
def follow_up_complete(
    *, follow_up: FollowUp, by: User, note: str, solved: bool = True, next_review_on=None
) -> FollowUp:
    """回头看 done: the result-B item was checked. Solved: it is off the list. Not yet solved: a
    new follow-up is put on the list for `next_review_on` (required then, after today)."""
    note = _required_text(note, "note", _("请填写回头看情况。"))
    if not solved:
        if next_review_on is None:
            raise ValidationError({"next_review_on": _("尚未解决时，请填写下次回头看日期。")})
        if next_review_on <= _today():
            raise ValidationError({"next_review_on": _("下次回头看日期须在今天之后。")})
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    suggestion = _lock(follow_up.suggestion)
    workflow.require(suggestion, Action.FOLLOW_UP, by)
    if follow_up.done_at is not None:
        raise workflow.InvalidTransition(_("该回头看事项已完成。"))
    follow_up.done_at = timezone.now()
    follow_up.done_by = by
    follow_up.note = note
    follow_up.outcome = FollowUpOutcome.SOLVED if solved else FollowUpOutcome.NOT_SOLVED
    follow_up.save(update_fields=["done_at", "done_by", "note", "outcome"])
    data = {"solved": bool(solved)}
    if not solved:
        FollowUp.objects.create(suggestion=suggestion, assignment=follow_up.assignment, review_on=next_review_on)
        data["next_review_on"] = next_review_on.isoformat()
    event_record(suggestion=suggestion, by=by, action=Action.FOLLOW_UP, from_status=suggestion.status,
                 assignment=follow_up.assignment, note=note, data=data)
    return follow_up


def follow_ups_supersede(*, suggestion: Suggestion, assignment: Assignment | None = None) -> int:
    """A later reply of result A: the open follow-ups of this suggestion are answered by it
    (called inside the reply's transaction)."""
    return FollowUp.objects.filter(suggestion=suggestion, done_at__isnull=True).update(
        done_at=timezone.now(), outcome=FollowUpOutcome.SUPERSEDED,
        note=_("已重新答复（A 已解决或采纳），本次回头看不再需要。"),
    )


@transaction.atomic
def suggestion_sign_off(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """销号: every follow-up (回头看) is done; a replied item is closed, a closed one marked."""
    note = clean_text(note)
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.SIGN_OFF, by)
    if suggestion.signed_off_at is not None:
        raise workflow.InvalidTransition(_("该事项已销号。"))
    open_count = FollowUp.objects.filter(suggestion=suggestion, done_at__isnull=True).count()
    if open_count:
        raise workflow.InvalidTransition(
            _("还有 %(n)s 项回头看未完成，完成后才能销号。") % {"n": open_count}
        )
    from_status = suggestion.status
    now = timezone.now()
    suggestion.signed_off_at = now
    fields = ["signed_off_at"]
    if suggestion.closed_at is None:
        suggestion.closed_at = now
        fields.append("closed_at")
    _set_status(suggestion, S.CLOSED, *fields)
    event_record(suggestion=suggestion, by=by, action=Action.SIGN_OFF, from_status=from_status, note=note)
    return suggestion


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise workflow.ActionNotPermitted(_("只能标记自己的通知。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
